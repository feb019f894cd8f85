// /healthz follows the Discord gateway: the real discord.js client wired by the composition root, logged in to the
// fake gateway on 127.0.0.1. Ready once connected; failing, with the reason, when the gateway drops the connection.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeApp, type RunningApp } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/ports.js';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';
import { healthz } from './scrape.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const DISCORD_TOKEN = 'discord-ready-token';

let dir: string;
let discord: FakeDiscord;
let app: RunningApp;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-platform-ready-'));
  discord = new FakeDiscord({ token: DISCORD_TOKEN, channels: [{ id: '910', type: TEXT, name: 'news' }] });
  await discord.start();
  const path = join(dir, 'newsdigest.yaml');
  await writeFile(
    path,
    [
      'feeds: [{ url: "https://a.example/feed" }]',
      `storage: { url: "sqlite://${join(dir, 'db.sqlite')}" }`,
      `discord: { apiUrl: "${discord.apiUrl}" }`,
      'ops: { port: 0 }',
      'channels:',
      '  - { id: chat, platform: discord, channel: "910", schedule: "0 8 * * *" }',
    ].join('\n'),
  );
  app = await composeApp(await loadConfig({ path, env: { DISCORD_TOKEN }, cwd: dir }), {
    logger: silent,
    clock: { now: () => new Date() },
    stdout: () => {},
    cwd: dir,
  });
  const ops = await app.startOps();
  if (!ops) throw new Error('ops endpoints did not start');
  origin = ops.url;
});
afterAll(async () => {
  await app?.close();
  await discord?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('/healthz and the Discord gateway', () => {
  it('is 503 before the client connects, 200 once it has, 503 when the gateway goes away', async () => {
    const before = await healthz(origin);
    expect(before.status).toBe(503);
    expect(before.body.checks).toEqual([
      expect.objectContaining({ name: 'storage', ok: true }),
      expect.objectContaining({ name: 'discord', ok: false, error: 'not connected to the Discord gateway' }),
    ]);

    await app.listen();
    const up = await healthz(origin);
    expect(up.status).toBe(200);

    await discord.gateway.close();
    await vi.waitFor(
      async () => {
        const down = await healthz(origin);
        expect(down.status).toBe(503);
        expect(down.body.checks.find((c) => c.name === 'discord')?.ok).toBe(false);
      },
      { timeout: 10_000, interval: 100 },
    );
  }, 20_000);
});
