// /healthz against a real Redis reached through a TCP proxy: 200 while it answers, 503 naming the storage check
// within the deadline while it is cut off, 200 again once it is back. Needs Redis on 127.0.0.1 (fails on CI
// without it; skipped with the reason elsewhere).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeApp, type RunningApp } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/ports.js';
import { openStorage, retryPolicies } from '../../src/storage/index.js';
import { TcpProxy } from '../storage/helpers.js';
import { healthz } from './scrape.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const url = process.env.NEWSDIGEST_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<string | undefined> {
  try {
    await (await openStorage(url, { retry: retryPolicies.once })).close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const unreachable = await redisAnswers();
if (unreachable !== undefined && process.env.CI === 'true') {
  throw new Error(`Redis is required on CI and does not answer at ${url}: ${unreachable} (start it with .ci/run)`);
}

describe.skipIf(unreachable !== undefined)('/healthz and a storage outage (Redis)', () => {
  let dir: string;
  let proxy: TcpProxy;
  let app: RunningApp;
  let origin: string;

  beforeAll(async () => {
    const target = new URL(url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    const via = new URL(url);
    via.hostname = '127.0.0.1';
    via.port = String(proxy.port);
    dir = await mkdtemp(join(tmpdir(), 'newsdigest-ready-'));
    const path = join(dir, 'newsdigest.yaml');
    await writeFile(
      path,
      ['feeds: [{ url: "https://a.example/feed", name: A }]', `storage: { url: "${via}" }`, 'ops: { port: 0 }'].join(
        '\n',
      ),
    );
    app = await composeApp(await loadConfig({ path, env: {}, cwd: dir }), {
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
    await proxy?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says 200, then 503 with the storage check failing while Redis is cut off, then 200 again', async () => {
    const up = await healthz(origin);
    expect(up.status).toBe(200);
    expect(up.body.checks).toEqual([expect.objectContaining({ name: 'storage', ok: true })]);

    await proxy.stop();
    const started = performance.now();
    const down = await healthz(origin);
    const ms = performance.now() - started;
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('failing');
    expect(down.body.checks).toEqual([expect.objectContaining({ name: 'storage', ok: false })]);
    expect(down.body.checks[0]?.error).toBeTruthy();
    // the deadline (2 s) bounds the answer, whatever the driver does meanwhile
    expect(ms).toBeLessThan(3_000);

    await proxy.start();
    await vi.waitFor(async () => expect((await healthz(origin)).status).toBe(200), { timeout: 15_000, interval: 200 });
  }, 30_000);
});
