// The composition root wiring each channel's time zone into its publisher: console and file channels print times
// in their zone, and Discord names threads in it. Real config parsing, SQLite and the fake Discord on 127.0.0.1.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, errorSerializer, type RunningApp } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { FeedNetworkError } from '../src/feeds/errors.js';
import type { ChannelDigest, Logger } from '../src/ports.js';
import { FakeDiscord, TEXT } from './fakes/fake-discord.js';
import { digest as fixture } from './render/fixture-digest.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const DISCORD_TOKEN = 'discord-zone-token';

let dir: string;
let discord: FakeDiscord;
let app: RunningApp;
const stdout: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-compose-'));
  discord = new FakeDiscord({ token: DISCORD_TOKEN, channels: [{ id: '910', type: TEXT, name: 'news' }] });
  await discord.start();
  const path = join(dir, 'newsdigest.yaml');
  await writeFile(
    path,
    [
      'feeds: [{ url: "https://a.example/feed" }]',
      `storage: { url: "sqlite://${join(dir, 'db.sqlite')}" }`,
      `discord: { apiUrl: "${discord.apiUrl}" }`,
      'channels:',
      '  - { id: screen, platform: console, schedule: "0 8 * * *", timezone: America/New_York }',
      `  - { id: archive, platform: file, channel: "${join(dir, 'out.txt')}", schedule: "0 8 * * *", timezone: Asia/Kolkata }`,
      '  - { id: chat, platform: discord, channel: "910", schedule: "0 8 * * *", timezone: Europe/Berlin }',
    ].join('\n'),
  );
  const config = await loadConfig({ path, env: { DISCORD_TOKEN }, cwd: dir });
  app = await composeApp(config, {
    logger: silent,
    clock: { now: () => new Date('2024-03-02T09:30:00.000Z') },
    stdout: (text) => void stdout.push(text),
    cwd: dir,
  });
});
afterAll(async () => {
  await app.close();
  await discord.close();
  await rm(dir, { recursive: true, force: true });
});

function digestFor(channel: string): ChannelDigest {
  return {
    channel,
    from: '2024-03-01T09:30:00.000Z',
    to: '2024-03-02T09:30:00.000Z',
    digest: fixture,
    stories: fixture.stories.map((story) => ({ kind: 'new', story })),
  };
}

async function publish(channel: string): Promise<void> {
  const publisher = app.publishers.get(channel);
  if (!publisher) throw new Error(`no publisher for ${channel}`);
  await publisher.publish(digestFor(channel), async () => {});
}

describe('each channel in its own time zone', () => {
  it('the console prints the window and publish times in the channel zone', async () => {
    await publish('screen');
    const text = stdout.join('');
    expect(text).toContain('# screen: 1 Mar, 04:30 – 2 Mar, 04:30 EST');
    expect(text).toContain('Generated 2 Mar 2024, 04:30 EST');
    expect(text).toContain('1 Mar 2024, 03:00 EST');
    expect(text).not.toContain('UTC');
  });

  it('a file channel writes times in its zone', async () => {
    await publish('archive');
    const text = await readFile(join(dir, 'out.txt'), 'utf8');
    expect(text).toContain('# archive: 1 Mar, 15:00 – 2 Mar, 15:00 GMT+5:30');
    expect(text).toContain('1 Mar 2024, 13:30 GMT+5:30');
  });

  it('Discord names the digest thread in the channel zone', async () => {
    await publish('chat');
    const [thread] = [...discord.threads.values()];
    expect(thread).toEqual({ parent: '910', name: 'News digest 2 Mar 2024, 10:30 CET' });
  });
});

describe('errors as logged', () => {
  it("a feed's failure is logged with its message and cause, its stack only at debug; other errors keep theirs", () => {
    const failure = new FeedNetworkError('https://feeds.example/x', new Error('getaddrinfo ENOTFOUND feeds.example'));
    const atInfo = errorSerializer('info')(failure) as Record<string, unknown>;
    expect(atInfo.message).toContain('ENOTFOUND');
    expect(atInfo.type).toBe('FeedNetworkError');
    expect(atInfo.stack).toBeUndefined();
    expect((errorSerializer('debug')(failure) as Record<string, unknown>).stack).toContain('FeedNetworkError');
    const bug = errorSerializer('info')(new TypeError('x is undefined')) as Record<string, unknown>;
    expect(bug.stack).toContain('TypeError');
  });
});
