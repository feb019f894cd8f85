import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_CONFIG_USAGE, type CheckConfigIo, runCheckConfigCommand } from '../../src/cli/check-config-command.js';
import { UserError } from '../../src/cli/errors.js';
import type { Env } from '../../src/config.js';
import { main } from '../../src/main.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOPICS = join(ROOT, 'config/topics.yaml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: readonly string[], env: Env = {}, cwd = ROOT): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CheckConfigIo = {
    stdout: (text) => {
      stdout.push(text);
    },
    stderr: (text) => {
      stderr.push(text);
    },
    env: () => env,
    cwd: () => cwd,
  };
  const code = await runCheckConfigCommand(argv, io);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-check-config-'));
  await writeFile(
    join(dir, 'newsdigest.yaml'),
    [
      'feeds:',
      '  - url: https://a.example/feed',
      '    name: Wire A',
      '  - url: https://b.example/rss',
      '    pollMinutes: 60',
      `topics: ${TOPICS}`,
      'network: { allowPrivateHosts: ["127.0.0.1:8080"] }',
      'channels:',
      '  - id: policy-desk',
      '    platform: slack',
      '    channel: C0123',
      '    topics: [Ukraine talks, Prisoner swaps]',
      '    schedule: "30 8 * * 1-5"',
      '    timezone: America/New_York',
      '  - id: nightly',
      '    platform: file',
      '    channel: ./out/nightly.txt',
      '    schedule: "0 22 * * *"',
      'adminChannel: policy-desk',
      'storage: { url: "sqlite://./data/test.sqlite" }',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'bad.yaml'),
    [
      'feeds:',
      '  - url: https://a.example/feed',
      '  - url: https://a.example/feed',
      'channels:',
      '  - id: desk',
      '    platform: console',
      '    schedule: "0 25 * * *"',
      '    colour: blue',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  // node-cron computes next runs from the current time
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2025-03-21T06:30:00Z')); // a Friday; 07:30 in Berlin, 02:30 in New York
});

afterEach(() => {
  vi.useRealTimers();
});

describe('check-config', () => {
  it('summarises a valid config with each channel\u2019s next run in its own time zone, and exits 0', async () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-secret',
      SLACK_SIGNING_SECRET: 'sig',
      DATABASE_URL: 'postgres://nd:pw@db/news',
    };
    const result = await run([], env, dir);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        './newsdigest.yaml: valid',
        'feeds: 2 (polled every 15 min unless set per feed, 8 at a time)',
        '  Wire A: https://a.example/feed',
        '  b.example: https://b.example/rss (every 60 min)',
        `topics: Ukraine talks, Iran talks, Prisoner swaps (from ${TOPICS})`,
        'storage: postgres (postgres://nd:***@db/news), articles kept 30 days',
        'private hosts allowed: 127.0.0.1:8080',
        'channels: 2',
        '  policy-desk: slack C0123; Ukraine talks, Prisoner swaps; at "30 8 * * 1-5" America/New_York; next Fri 2025-03-21 08:30',
        '  nightly: file ./out/nightly.txt; every topic; at "0 22 * * *" UTC; next Fri 2025-03-21 22:00',
        'admin channel: policy-desk',
        '',
      ].join('\n'),
    });
    expect(result.stdout).not.toContain('xoxb-secret');
  });

  it('checks the shipped example with no environment', async () => {
    const result = await run(['--config', 'config/newsdigest.example.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('config/newsdigest.example.yaml: valid\nfeeds: 2 ');
    expect(result.stdout).toContain(
      '  morning-console: console stdout; Ukraine talks, Iran talks; at "0 7 * * *" Europe/Berlin; next Sat 2025-03-22 07:00',
    );
    expect(result.stdout).toContain('storage: sqlite (sqlite://./data/newsdigest.sqlite)');
  });

  it('prints every problem with its line and exits 1', async () => {
    const result = await run(['--config', join(dir, 'bad.yaml')]);
    const bad = join(dir, 'bad.yaml');
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `${bad}:3: feeds[1].url: "https://a.example/feed" is already used by feeds[0]`,
        `${bad}:7: channels[0].schedule: "0 25 * * *" is not a valid cron expression`,
        `${bad}:8: channels[0].colour: unknown key "colour" (allowed: id, platform, channel, topics, schedule, timezone, lookbackHours, maxStories, whenEmpty, feeds, keywords, mutedSources)`,
        `newsdigest: ${bad}: 3 problems`,
        '',
      ].join('\n'),
    });
  });

  it('names the slack channel that has no token', async () => {
    const result = await run([], { SLACK_APP_TOKEN: 'xapp-1' }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      './newsdigest.yaml:10: channels[0].platform: a slack channel needs the SLACK_BOT_TOKEN environment variable (tokens are never read from the file)\nnewsdigest: ./newsdigest.yaml: 1 problem\n',
    );
  });

  it('names a slack channel with a token but no signing secret or app token as a problem', async () => {
    const result = await run([], { SLACK_BOT_TOKEN: 'xoxb-1' }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      './newsdigest.yaml:10: channels[0].platform: a slack channel needs SLACK_SIGNING_SECRET (/digest over HTTP) or SLACK_APP_TOKEN (Socket Mode) in the environment\nnewsdigest: ./newsdigest.yaml: 1 problem\n',
    );
  });

  it('reads NEWSDIGEST_CONFIG from the environment it is given', async () => {
    const result = await run([], { NEWSDIGEST_CONFIG: 'bad.yaml' }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.yaml:7: channels[0].schedule');
  });

  it('explains a missing config file', async () => {
    const result = await run([], {}, tmpdir());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('./newsdigest.yaml: cannot read the config file: no such file (copy config/');
  });

  it('prints its usage for --help and rejects unknown flags with exit code 2', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: `${CHECK_CONFIG_USAGE}\n`, stderr: '' });
    const error = await run(['--verbose']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error instanceof UserError && error.exitCode).toBe(2);
    expect(error instanceof Error && error.message).toContain(CHECK_CONFIG_USAGE);
  });
});

describe('newsdigest check-config (main)', () => {
  it('is a command of the binary, reading the real environment', async () => {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['check-config', '--config', join(ROOT, 'config/newsdigest.example.yaml')])).toBe(0);
      expect(await main(['help'])).toBe(0);
    } finally {
      stdout.mockRestore();
    }
    expect(out.join('')).toContain('newsdigest.example.yaml: valid');
    expect(out.join('')).toMatch(/check-config +validate the configuration/);
  });
});
