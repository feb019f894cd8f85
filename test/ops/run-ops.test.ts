// `newsdigest run` starts the ops endpoints with the app and stops them on shutdown: the real CLI command, the
// composition root on SQLite, the fake Slack and the local feed server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runRunCommand } from '../../src/cli/run-command.js';
import { composeApp } from '../../src/compose.js';
import type { Logger } from '../../src/ports.js';
import { FAKE_TOKEN, type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { body, type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';
import { closedPort } from '../storage/helpers.js';
import { healthz, scrape } from './scrape.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

let feeds: FeedServer;
let slack: FakeSlack;
let dir: string;

beforeAll(async () => {
  const items = [
    { id: 'w1', title: 'Harbour bridge closes', text: 'The bridge closes for six weeks.', at: new Date() },
  ];
  feeds = await startFeedServer({ '/wire': body(rssFeed(items)) });
  slack = await startFakeSlack({ channels: ['C0DIGEST'], minIntervalMs: 0 });
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-run-ops-'));
});
afterAll(async () => {
  await slack?.close();
  await feeds?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('newsdigest run with an ops port', () => {
  it('serves /healthz and /metrics while it runs, and closes them when it stops', async () => {
    const opsPort = await closedPort();
    const path = join(dir, 'newsdigest.yaml');
    await writeFile(
      path,
      [
        'feeds:',
        `  - { url: "${feeds.url('/wire')}", name: Wire }`,
        `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
        `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
        `slack: { apiUrl: "${slack.apiUrl}", host: 127.0.0.1, port: ${await closedPort()} }`,
        `ops: { port: ${opsPort} }`,
        'channels:',
        '  - { id: desk, platform: slack, channel: C0DIGEST, schedule: "0 8 * * *" }',
      ].join('\n'),
    );
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const env = { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: 'signing-secret' };
    const run = runRunCommand(['--config', path], {
      stdout: () => {},
      stderr: () => {},
      env: () => env,
      cwd: () => dir,
      compose: (config) =>
        composeApp(config, { logger: silent, clock: { now: () => new Date() }, stdout: () => {}, cwd: dir }),
      stopSignal: () => stopped,
    });
    const origin = `http://127.0.0.1:${opsPort}`;
    // the scheduler's first poll runs at start: the metrics show it
    await vi.waitFor(
      async () => {
        const m = await scrape(origin);
        expect(m.get('newsdigest_feed_polls_total{outcome="stored"}')).toBe(1);
        expect(m.get('newsdigest_articles_ingested_total')).toBe(1);
      },
      { timeout: 20_000, interval: 100 },
    );
    const health = await healthz(origin);
    expect(health.status).toBe(200);
    expect(health.body.checks.map((c) => [c.name, c.ok])).toEqual([
      ['storage', true],
      ['slack', true],
    ]);
    stop('SIGTERM');
    expect(await run).toBe(0);
    await expect(fetch(`${origin}/livez`)).rejects.toThrow();
  });
});
