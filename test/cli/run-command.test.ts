// The composition root wired for real (config file, SQLite, the address guard, Bolt's WebClient, discord.js' REST)
// against the fake Slack, the fake Discord and a feed server on 127.0.0.1, driven through the CLI commands.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { type RunIo, runDiscordCommand, runFeedsCommand, runRunCommand } from '../../src/cli/run-command.js';
import { composeApp } from '../../src/compose.js';
import type { Logger } from '../../src/ports.js';
import { bindingLogger, repeatedKeys } from '../fakes/binding-logger.js';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';
import { FAKE_TOKEN, type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { body, type FeedServer, startFeedServer } from '../fakes/feed-server.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const SLACK_CHANNEL = 'C0DIGEST';
const DISCORD_TOKEN = 'discord-fake-token';
const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><guid>w1</guid><title>Harbour bridge closes</title><link>https://news.example/w1</link>
<pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate><description>The harbour bridge closes for six weeks.</description></item>
</channel></rss>`;

let feeds: FeedServer;
let slack: FakeSlack;
let dir: string;

beforeAll(async () => {
  feeds = await startFeedServer({ '/wire': body(RSS, { contentType: 'application/rss+xml' }) });
});
afterAll(async () => {
  await feeds.close();
});
beforeEach(async () => {
  slack = await startFakeSlack({ channels: [SLACK_CHANNEL], minIntervalMs: 0 });
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-run-'));
});
afterEach(async () => {
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

async function configFile(extra: readonly string[] = []): Promise<string> {
  const path = join(dir, 'newsdigest.yaml');
  await writeFile(
    path,
    [
      'feeds:',
      `  - { url: "${feeds.url('/wire')}", name: Wire }`,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
      `slack: { apiUrl: "${slack.apiUrl}", host: 127.0.0.1, port: 39217 }`,
      'channels:',
      `  - { id: desk, platform: slack, channel: ${SLACK_CHANNEL}, schedule: "0 8 * * *", whenEmpty: notice }`,
      '  - { id: screen, platform: console, schedule: "0 8 * * *" }',
      ...extra,
    ].join('\n'),
  );
  return path;
}

interface Captured {
  io: RunIo;
  stdout: string[];
  stderr: string[];
}

function io(env: Record<string, string>, logger: Logger = silent): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    io: {
      stdout: (text) => void stdout.push(text),
      stderr: (text) => void stderr.push(text),
      env: () => env,
      cwd: () => dir,
      compose: (config) =>
        composeApp(config, {
          logger,
          clock: { now: () => new Date() },
          stdout: (text) => void stdout.push(text),
          cwd: dir,
          discordCommands: true,
        }),
      stopSignal: () => Promise.resolve('SIGTERM'),
    },
  };
}

const SLACK_ENV = { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: 'secret' };

describe('run --once progress', () => {
  it('shows the polls going on one line on a terminal, cleared before the summary', async () => {
    const run = io(SLACK_ENV);
    const code = await runRunCommand(['--once', '--config', await configFile()], { ...run.io, stderrIsTTY: true });
    expect(code).toBe(0);
    const text = run.stderr.join('');
    // one feed: done at once, so the line is cleared; the summary follows on its own line
    expect(text.startsWith('\r\u001b[K')).toBe(true);
    expect(text).toContain('feed polled (0 failed)');
  });

  it('prints only the summary when stderr is not a terminal', async () => {
    const run = io(SLACK_ENV);
    await runRunCommand(['--once', '--config', await configFile()], run.io);
    expect(run.stderr.join('')).not.toContain('\r');
  });
});

describe('commands with a Slack channel configured', () => {
  it('`run --once` delivers, closes only what it opened and exits 0', async () => {
    const run = io(SLACK_ENV);
    const code = await runRunCommand(['--once', '--config', await configFile()], run.io);
    expect(run.stderr.join('')).toContain('1 feed polled (0 failed), 1 new article; 2 channels, 0 stories posted');
    expect(code).toBe(0);
    // the quiet-day notice reached Slack: the run did deliver before closing
    expect(slack.messages.map((m) => m.channel)).toEqual([SLACK_CHANNEL]);
  });

  it('`feeds` lists the feeds and exits 0', async () => {
    const run = io(SLACK_ENV);
    expect(await runFeedsCommand(['--config', await configFile()], run.io)).toBe(0);
    expect(run.stdout.join('')).toContain('Wire  ');
  });

  it('a bad Slack token stops `run` with the token hint, not a receiver error', async () => {
    const run = io({ ...SLACK_ENV, SLACK_BOT_TOKEN: 'xoxb-wrong' });
    const error = await runRunCommand(['--config', await configFile()], run.io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(String((error as Error).message)).toContain('SLACK_BOT_TOKEN is not valid');
    expect(String((error as Error).message)).not.toContain('receiver');
  });

  it('`run --once` with a bad Slack token reports the channel with its hint and exits 1', async () => {
    const run = io({ ...SLACK_ENV, SLACK_BOT_TOKEN: 'xoxb-wrong' });
    const code = await runRunCommand(['--once', '--config', await configFile()], run.io);
    expect(code).toBe(1);
    expect(run.stderr.join('')).toMatch(/channel desk: .*SLACK_BOT_TOKEN is not valid/);
  });
});

describe('`discord register` with Slack configured too', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = new FakeDiscord({ token: DISCORD_TOKEN, channels: [{ id: '900', type: TEXT, name: 'news' }] });
    await discord.start();
  });
  afterEach(async () => {
    await discord.close();
  });

  it('registers /digest and exits 0', async () => {
    const run = io({ ...SLACK_ENV, DISCORD_TOKEN });
    const path = await configFile([`discord: { apiUrl: "${discord.apiUrl}" }`]);
    expect(await runDiscordCommand(['register', '--config', path], run.io)).toBe(0);
    expect(run.stdout.join('')).toContain('/digest registered');
    expect(discord.commands).toHaveLength(1);
  });
});

describe('log lines from the platforms', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = new FakeDiscord({
      token: DISCORD_TOKEN,
      channels: [{ id: '900', type: TEXT, name: 'news' }],
      missingPermissions: ['900'],
    });
    await discord.start();
  });
  afterEach(async () => {
    await discord.close();
  });

  it('name the platform once and carry failures as Errors', async () => {
    const logger = bindingLogger();
    const run = io({ ...SLACK_ENV, SLACK_BOT_TOKEN: 'xoxb-wrong', DISCORD_TOKEN }, logger);
    const path = await configFile([
      '  - { id: chat, platform: discord, channel: "900", schedule: "0 8 * * *", whenEmpty: notice }',
      `discord: { apiUrl: "${discord.apiUrl}" }`,
    ]);
    expect(await runRunCommand(['--once', '--config', path], run.io)).toBe(1);
    const platformLines = logger.lines.filter((l) => l.boundKeys.includes('platform'));
    const failures = platformLines.filter((l) => l.level === 'error');
    expect(failures.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['Slack digest failed', expect.stringContaining('Missing Permissions')]),
    );
    for (const line of logger.lines) expect(repeatedKeys(line), line.msg).toEqual([]);
    for (const line of failures) expect(line.obj.err, line.msg).toBeInstanceOf(Error);
  });
});

describe('run --role', () => {
  it('refuses an unknown role and --once with a role, with the usage', async () => {
    const run = io(SLACK_ENV);
    const config = await configFile();
    await expect(runRunCommand(['--role', 'boss', '--config', config], run.io)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--role must be one of all, scheduler, worker'),
    });
    await expect(runRunCommand(['--once', '--role', 'worker', '--config', config], run.io)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--once does everything now'),
    });
  });

  it('says a split role needs the shared queue when jobs.redis is not set', async () => {
    const run = io(SLACK_ENV);
    const error = await runRunCommand(['--role', 'worker', '--config', await configFile()], run.io).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /--role worker needs a shared job queue: set jobs\.redis or NEWSDIGEST_JOBS_REDIS/,
    );
  });
});
