// The composition root answering /digest for real: config file, SQLite filled by two `run --once` over a feed
// server on 127.0.0.1, the Bolt HTTP receiver and WebClient against the fake Slack, discord.js against the fake
// Discord. A /digest asked in the chat channel a configured channel posts to says, under the story that channel
// already got, where, linked to the post; the same search asked in a channel the config does not name does not.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type RunningApp } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { runOnce } from '../src/pipeline/app.js';
import type { Logger } from '../src/ports.js';
import { FakeDiscord, TEXT } from './fakes/fake-discord.js';
import { FAKE_TOKEN, type FakeSlack, sendSlashCommand, startFakeSlack, waitFor } from './fakes/fake-slack.js';
import { body, type FeedServer, rssFeed, startFeedServer } from './fakes/feed-server.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const SECRET = 'compose-search-secret';
const DESK = 'C0DESK';
const OTHER = 'C0OTHER';
const DISCORD_TOKEN = 'compose-search-discord';
const CHAT = '910000000000000001';
const HOUR = 3_600_000;
const BACKFILL_AT = new Date('2025-03-03T08:00:00.000Z');
const NEWS_AT = new Date('2025-03-04T08:00:00.000Z');

const ferry = {
  id: 'f1',
  title: 'Ferry timetable changes for the winter season',
  text: 'The island ferry runs every two hours from November. The operator cited fewer winter passengers and higher fuel costs.',
  at: new Date(BACKFILL_AT.getTime() - HOUR),
};
const bridge = {
  id: 'b1',
  title: 'Harbour bridge closes for six weeks of repairs',
  text: 'The harbour bridge closes on Monday for six weeks of repairs to its steel cables. Drivers are told to use the ring road, and extra buses will run across the bay.',
  at: new Date(NEWS_AT.getTime() - HOUR),
};

let feeds: FeedServer;
let slack: FakeSlack;
let discord: FakeDiscord;
let dir: string;
let app: RunningApp;
let now = BACKFILL_AT;
let port: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  feeds = await startFeedServer({ '/wire': body(rssFeed([ferry])) });
  slack = await startFakeSlack({ channels: [DESK, OTHER], minIntervalMs: 0 });
  discord = new FakeDiscord({ token: DISCORD_TOKEN, channels: [{ id: CHAT, type: TEXT, name: 'news' }] });
  await discord.start();
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-compose-search-'));
  port = await freePort();
  const path = join(dir, 'newsdigest.yaml');
  await writeFile(
    path,
    [
      `feeds: [{ url: "${feeds.url('/wire')}", name: Wire }]`,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
      `slack: { apiUrl: "${slack.apiUrl}", host: 127.0.0.1, port: ${port} }`,
      `discord: { apiUrl: "${discord.apiUrl}" }`,
      'channels:',
      `  - { id: desk, platform: slack, channel: ${DESK}, schedule: "0 8 * * *", timezone: America/New_York }`,
      `  - { id: chat, platform: discord, channel: "${CHAT}", schedule: "0 8 * * *" }`,
    ].join('\n'),
  );
  const config = await loadConfig({
    path,
    env: { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SECRET, DISCORD_TOKEN },
    cwd: dir,
  });
  app = await composeApp(config, { logger: silent, clock: { now: () => now }, stdout: () => {}, cwd: dir });
  // backfill first (stored, never posted), then the news reaches #desk
  await runOnce(app);
  now = NEWS_AT;
  feeds.handle('/wire', body(rssFeed([ferry, bridge])));
  await runOnce(app);
  await app.listen();
}, 60_000);

afterAll(async () => {
  await app.close();
  await discord.close();
  await slack.close();
  await feeds.close();
  await rm(dir, { recursive: true, force: true });
});

function ask(text: string, channel: string): void {
  void sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
    team_id: 'T0FAKE',
    channel_id: channel,
    user_id: 'U0ASKER',
    text,
    api_app_id: 'A0APP',
    response_url: slack.responseUrl(`${channel}-${text}`),
    trigger_id: `trigger-${channel}`,
  });
}

describe('/digest through the composed app', () => {
  it('says in the configured channel where it already got the story, linked to its post', async () => {
    const posted = slack.messages.filter((m) => m.channel === DESK);
    // the scheduled digest: its parent and the bridge story in its thread
    expect(posted).toHaveLength(2);
    const story = posted[1];
    ask('bridge', DESK);
    const answer = await waitFor(() => {
      const here = slack.messages.filter((m) => m.channel === DESK);
      return here.length >= 4 ? here.slice(2) : undefined;
    });
    const link = `https://fake-workspace.slack.com/archives/${DESK}/p${story?.ts.replace('.', '')}`;
    expect(JSON.stringify(answer[1]?.blocks)).toContain(
      `Posted here on 4 Mar 2025, 03:00 EST, nothing new since: <${link}|thread>`,
    );
  });

  it('says on Discord where the channel already got the story, linked to its message in the digest thread', async () => {
    const [parent] = discord.messagesIn(CHAT);
    const [story] = discord.messagesIn(parent?.id ?? '');
    const interaction = discord.interact(CHAT, { query: 'bridge' });
    await waitFor(() => (String(interaction.original?.content ?? '').includes('Posted') ? true : undefined));
    const answer = discord.messagesIn(CHAT)[1];
    const [reply] = discord.messagesIn(answer?.id ?? '');
    const link = `https://discord.com/channels/${discord.guildId}/${parent?.id}/${story?.id}`;
    expect(JSON.stringify(reply?.body.embeds)).toContain(
      `"name":"Earlier post","value":"Posted here on <t:${NEWS_AT.getTime() / 1000}:f>, nothing new since: [thread](${link})"`,
    );
  });

  it('says nothing of earlier posts in a channel the config does not name', async () => {
    ask('bridge', OTHER);
    const answer = await waitFor(() => {
      const there = slack.messages.filter((m) => m.channel === OTHER);
      return there.length >= 2 ? there : undefined;
    });
    expect(JSON.stringify(answer[1]?.blocks)).toContain('Harbour bridge closes for six weeks of repairs');
    expect(JSON.stringify(answer)).not.toContain('Posted here');
  });
});
