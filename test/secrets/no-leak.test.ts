// Secrets never leak: the real CLI, run as a child process, through a failing run with every secret set (Slack and
// Discord tokens the fakes refuse, a feed with user:password@ that fails, database URLs with passwords that
// cannot log in). Everything it wrote (stdout, stderr at debug level, the admin channel, what reached chat, the
// SQLite files) is searched for every spelling of every secret.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlPasswords } from '../../src/secrets.js';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { type FeedServer, startFeedServer, status } from '../fakes/feed-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./main-entry.ts', import.meta.url));
/** tsx, found from this repository (the child runs in a temporary folder). */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const DISCORD_CHANNEL = '100000000000000001';

const FEED_USER = 'reader';
const FEED_PASSWORD = 'Leak0FeedPass/?#x';
const FEED_TOKEN = 'Leak0FeedToken';
const ENV = {
  SLACK_BOT_TOKEN: 'xoxb-Leak0SlackBotToken',
  SLACK_SIGNING_SECRET: 'Leak0SlackSigningSecret',
  DISCORD_TOKEN: 'Leak0DiscordToken.abc.def',
  LOG_LEVEL: 'debug',
};
/**
 * One URL for each way a storage failure reaches the output: refused when the URL is read, refused by the server.
 * Every URL form, PostgreSQL and Redis, is opened in-process in test/storage/password-forms.test.ts.
 */
const DATABASE_URLS = [
  'postgres://newsdigest:Leak0DbSlash/Pass@127.0.0.1:5432/newsdigest_test',
  'postgres://newsdigest@127.0.0.1:5432/newsdigest_test?password=Leak0DbQueryPass',
];

/** Every secret of the run, in each spelling a message could repeat it. */
const SECRETS = [
  FEED_PASSWORD,
  encodeURIComponent(FEED_PASSWORD),
  Buffer.from(`${FEED_USER}:${FEED_PASSWORD}`).toString('base64'),
  FEED_TOKEN,
  ...Object.values(ENV).filter((value) => value !== 'debug'),
  ...DATABASE_URLS.flatMap(urlPasswords),
];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;
let feeds: FeedServer;
let slack: FakeSlack;
let discord: FakeDiscord;

function newsdigest(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, ENTRY, ...args],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, ...ENV, ...env }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr }),
    );
  });
}

function leaks(text: string): string[] {
  return SECRETS.filter((secret) => secret !== '' && text.includes(secret));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-leak-'));
  feeds = await startFeedServer({ '/members': status(500), '/token': status(401) });
  slack = await startFakeSlack({ channels: ['C0DIGEST'] });
  discord = new FakeDiscord({ token: 'another-token', channels: [{ id: DISCORD_CHANNEL, type: TEXT, name: 'news' }] });
  await discord.start();
  const feedUrl = `http://${FEED_USER}:${encodeURIComponent(FEED_PASSWORD)}@${feeds.hostPort}/members`;
  await writeFile(
    join(dir, 'newsdigest.yaml'),
    [
      'feeds:',
      `  - url: "${feedUrl}"`,
      `  - url: "http://${FEED_TOKEN}@${feeds.hostPort}/token"`,
      'network:',
      `  allowPrivateHosts: ["${feeds.hostPort}"]`,
      `topics: ${join(ROOT, 'config/topics.yaml')}`,
      'storage:',
      '  url: sqlite://./data/leak.sqlite',
      `slack: { apiUrl: "${slack.apiUrl}" }`,
      `discord: { apiUrl: "${discord.apiUrl}" }`,
      'adminChannel: admin',
      'channels:',
      '  - { id: admin, platform: file, channel: ./admin.txt, schedule: "0 7 * * *", whenEmpty: notice }',
      '  - { id: desk, platform: slack, channel: C0DIGEST, schedule: "0 7 * * *", whenEmpty: notice }',
      `  - { id: news, platform: discord, channel: "${DISCORD_CHANNEL}", schedule: "0 7 * * *", whenEmpty: notice }`,
      '',
    ].join('\n'),
  );
}, 30_000);

afterAll(async () => {
  await feeds.close();
  await slack.close();
  await discord.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a failing run with every secret set', () => {
  it('writes none of them anywhere: output, logs, admin channel, chat, storage', async () => {
    // a feed is announced as failing in the admin channel at its third failure in a row: three runs
    await newsdigest(['run', '--once']);
    await newsdigest(['run', '--once']);
    const once = await newsdigest(['run', '--once']);
    const listed = await newsdigest(['feeds']);
    const checked = await newsdigest(['check-config']);
    expect(once.code).toBe(1);
    expect(once.stderr).toMatch(/feeds polled \(2 failed\)/);
    expect(listed.stdout).toContain(`http://${FEED_USER}:***@${feeds.hostPort}/members`);
    expect(listed.stdout).toContain(`http://***@${feeds.hostPort}/token`);

    const stored = await Promise.all(
      (await readdir(join(dir, 'data'))).map((file) => readFile(join(dir, 'data', file), 'latin1')),
    );
    const written: Record<string, string> = {
      'run --once': once.stdout + once.stderr,
      feeds: listed.stdout + listed.stderr,
      'check-config': checked.stdout + checked.stderr,
      'admin channel': await readFile(join(dir, 'admin.txt'), 'utf8'),
      'slack messages': JSON.stringify(slack.messages),
      'discord messages': JSON.stringify(discord.messages),
      storage: stored.join('\n'),
    };
    expect(written['admin channel']).toMatch(/Feed \S+ is failing/);
    for (const [where, text] of Object.entries(written)) expect(leaks(text), where).toEqual([]);
  }, 120_000);

  it.each(DATABASE_URLS)(
    'with DATABASE_URL=%s: no password in what it prints',
    async (url) => {
      const [run, check] = await Promise.all([
        newsdigest(['run', '--once'], { DATABASE_URL: url }),
        newsdigest(['check-config'], { DATABASE_URL: url }),
      ]);
      expect(run.code).not.toBe(0);
      expect(run.stderr + check.stdout).toContain('***');
      expect(leaks(run.stdout + run.stderr + check.stdout + check.stderr)).toEqual([]);
    },
    60_000,
  );
});
