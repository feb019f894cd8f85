// `/digest query: subscribe|unsubscribe|feeds|mute|unmute|topics` from Discord: the real discord.js client wired by
// the composition root, interactions from the fake gateway carrying the member's permissions in the channel.
// Members with Manage Channels may change the channel's feeds; everyone else is politely refused.
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/compose.js';
import { FakeDiscord, type FakeInteraction, TEXT } from '../fakes/fake-discord.js';
import { waitFor } from '../fakes/fake-slack.js';
import type { FeedServer } from '../fakes/feed-server.js';
import { startFeeds, type Workplace, workplace } from './support.js';

const TOKEN = 'discord-self-service-token';
const NEWS = '100000000000000001';
const EPHEMERAL = 64;
const READER = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const EDITOR = READER | PermissionFlagsBits.ManageChannels;

let discord: FakeDiscord;
let feeds: FeedServer;
let place: Workplace;
let app: RunningApp;

beforeAll(async () => {
  discord = new FakeDiscord({ token: TOKEN, channels: [{ id: NEWS, type: TEXT, name: 'news' }] });
  await discord.start();
  feeds = await startFeeds();
  place = await workplace(
    feeds,
    [
      `discord: { apiUrl: "${discord.apiUrl}", guildId: "${discord.guildId}" }`,
      'channels:',
      `  - { id: news, platform: discord, channel: "${NEWS}", schedule: "0 8 * * *" }`,
    ],
    { DISCORD_TOKEN: TOKEN },
  );
  app = await place.open();
  await app.listen();
});

afterAll(async () => {
  await app?.close();
  await discord.close();
  await feeds.close();
  await place.close();
});

/** `/digest query:<text>` as a member with these permissions: the deferred, ephemeral answer's text. */
async function ask(text: string, permissions: bigint, userId = '700000000000000042'): Promise<string> {
  const interaction: FakeInteraction = discord.interact(NEWS, { query: text }, { permissions, userId });
  const done = await waitFor(() => (interaction.original?.content ? interaction : undefined), 20_000);
  expect(done.ack?.flags).toBe(EPHEMERAL);
  return String(done.original?.content);
}

const settings = () => app.storage.channelSettings.get('news');

describe('Discord self-service', () => {
  it('refuses a member without Manage Channels, saying who can', async () => {
    const answer = await ask(`subscribe ${feeds.url('/extra')}`, READER);
    expect(answer).toContain('Sorry, only members with the Manage Channels permission can change');
    // the commands it names come as code, not as escaped backticks
    expect(answer).toContain('`/digest feeds`');
    expect(answer).not.toContain('\\`');
    expect(await ask('mute source:Wire', READER)).toContain('Sorry, only members with the Manage Channels');
    expect(await settings()).toBeUndefined();
  });

  it('lets a member with Manage Channels subscribe, mute, unmute and unsubscribe', async () => {
    expect(await ask(`subscribe ${feeds.url('/extra')}`, EDITOR)).toContain('Subscribed this channel to');
    expect((await settings())?.subscriptions.map((s) => s.addedBy)).toEqual(['700000000000000042']);
    expect(await ask('mute source:Wire', EDITOR)).toContain('Muted Wire');
    const topics = await ask('topics', READER);
    expect(topics).toContain('Muted outlets: Wire');
    const list = await ask('feeds', READER);
    expect(list).toContain('Subscribed from chat: 1 feed');
    expect(await ask('unmute source:Wire', EDITOR)).toContain('Unmuted Wire');
    expect(await ask(`unsubscribe ${feeds.hostPort}`, EDITOR)).toContain('Unsubscribed this channel');
    expect(await settings()).toEqual({ channel: 'news', subscriptions: [], muted: [] });
  });

  it('answers a malformed command with its usage, and a URL that is no feed with the reason', async () => {
    const usage = discord.interact(NEWS, { query: 'unmute' }, { permissions: EDITOR });
    await waitFor(() => usage.ack ?? undefined);
    expect([usage.ack?.type, usage.ack?.flags]).toEqual([4, EPHEMERAL]);
    expect(String(usage.original?.content)).toContain('usage: /digest unmute source:NAME');
    expect(await ask(`subscribe ${feeds.url('/page')}`, EDITOR)).toMatch(/^Could not subscribe to /);
  });
});
