// `check-config --connect` against what the config names: SQLite and an unreachable Redis, the fake Slack and the
// fake Discord on 127.0.0.1 with good and bad tokens. Each connection is reported with what to fix.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckConfigCommand } from '../../src/cli/check-config-command.js';
import type { Env } from '../../src/config.js';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';
import { FAKE_TOKEN, type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { closedPort } from '../storage/helpers.js';

const DISCORD_TOKEN = 'discord-connect-token';
let dir: string;
let slack: FakeSlack;
let discord: FakeDiscord;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-connect-'));
  slack = await startFakeSlack({ channels: ['C0DIGEST'] });
  discord = new FakeDiscord({ token: DISCORD_TOKEN, channels: [{ id: '920', type: TEXT, name: 'news' }] });
  await discord.start();
});
afterAll(async () => {
  await slack.close();
  await discord.close();
  await rm(dir, { recursive: true, force: true });
});

async function check(storageUrl: string, env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = join(dir, 'newsdigest.yaml');
  await writeFile(
    path,
    [
      'feeds: [{ url: "https://a.example/feed" }]',
      `storage: { url: "${storageUrl}" }`,
      `slack: { apiUrl: "${slack.apiUrl}" }`,
      `discord: { apiUrl: "${discord.apiUrl}" }`,
      'channels:',
      '  - { id: desk, platform: slack, channel: C0DIGEST, schedule: "0 8 * * *" }',
      '  - { id: chat, platform: discord, channel: "920", schedule: "0 8 * * *" }',
    ].join('\n'),
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCheckConfigCommand(['--config', path, '--connect'], {
    stdout: (t) => void stdout.push(t),
    stderr: (t) => void stderr.push(t),
    env: () => env,
    cwd: () => dir,
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('check-config --connect', () => {
  it('reports each connection ok and exits 0 when storage and both platforms answer', async () => {
    const result = await check(`sqlite://${join(dir, 'ok.sqlite')}`, {
      SLACK_BOT_TOKEN: FAKE_TOKEN,
      SLACK_SIGNING_SECRET: 'sig',
      DISCORD_TOKEN,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.slice(result.stdout.indexOf('connections:')).split('\n');
    expect(lines).toEqual([
      'connections:',
      expect.stringMatching(/^ {2}storage: ok: sqlite at .*ok\.sqlite opened and closed$/),
      '  slack: ok: workspace Fake as newsdigest',
      '  discord: ok: bot newsdigest (700000000000000001)',
      '',
    ]);
    expect(slack.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
    expect(discord.calls.some((c) => c.route === 'GET /users/@me' && c.status === 200)).toBe(true);
  });

  it('names every failure with what to fix and exits 1', async () => {
    const port = await closedPort();
    const result = await check(`redis://127.0.0.1:${port}`, {
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: 'sig',
      DISCORD_TOKEN: 'wrong',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `storage: FAILED: redis storage at redis://127\\.0\\.0\\.1:${port} is unavailable .*is the server running`,
      ),
    );
    expect(result.stdout).toContain('slack: FAILED: invalid_auth: SLACK_BOT_TOKEN is not valid');
    expect(result.stdout).toContain('discord: FAILED: HTTP 401: DISCORD_TOKEN is not valid');
    expect(result.stderr).toMatch(/newsdigest\.yaml: 3 connections failed\n$/);
  });

  it('says when a platform cannot be reached at all', async () => {
    const port = await closedPort();
    const path = join(dir, 'unreachable.yaml');
    await writeFile(
      path,
      [
        'feeds: [{ url: "https://a.example/feed" }]',
        `storage: { url: "sqlite://${join(dir, 'u.sqlite')}" }`,
        `discord: { apiUrl: "http://127.0.0.1:${port}/api" }`,
        'channels: [{ id: chat, platform: discord, channel: "920", schedule: "0 8 * * *" }]',
      ].join('\n'),
    );
    const out: string[] = [];
    const code = await runCheckConfigCommand(['--config', path, '--connect'], {
      stdout: (t) => void out.push(t),
      stderr: () => {},
      env: () => ({ DISCORD_TOKEN }),
      cwd: () => dir,
    });
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/discord: FAILED: Discord could not be reached at http:\/\/127\.0\.0\.1:\d+\/api/);
  });
});
