// `npm run bench:scrape [-- --feeds 1000,10000] [--storage URL]`: how long `/metrics` and `/healthz` take with
// many feeds' health in the store, through the real composition root and the ops server. Each feed count gets a
// fresh store (SQLite in a temp dir unless --storage names one; Redis and PostgreSQL keys are written under the
// default namespace, so use a scratch database). A tenth of the feeds are failing and one in a hundred paused.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { composeApp } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { initialHealth } from '../src/domain/feed-health.js';
import type { Logger } from '../src/ports.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const SCRAPES = 21;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** ms late, from the monitor's nanoseconds between two 5 ms samples. */
function lateMs(ns: number): string {
  return Math.max(0, ns / 1e6 - 5).toFixed(1);
}

async function timed(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url);
  const text = await res.text();
  return { ms: performance.now() - started, bytes: Buffer.byteLength(text), status: res.status };
}

async function measure(feeds: number, storageUrl: string | undefined): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'newsdigest-scrape-'));
  try {
    const url = storageUrl ?? `sqlite://${join(dir, 'db.sqlite')}`;
    const path = join(dir, 'newsdigest.yaml');
    const lines = Array.from(
      { length: feeds },
      (_, i) => `  - { url: "https://f${i}.example/feed", name: "Feed ${i}" }`,
    );
    await writeFile(path, ['feeds:', ...lines, `storage: { url: "${url}" }`, 'ops: { port: 0 }'].join('\n'));
    const config = await loadConfig({ path, env: {}, cwd: dir });
    const app = await composeApp(config, {
      logger: silent,
      clock: { now: () => new Date() },
      stdout: () => {},
      cwd: dir,
    });
    try {
      const now = new Date().toISOString();
      for (const feed of config.feeds) {
        const i = Number(feed.name.slice(5));
        const failures = i % 10 === 0 ? 1 + (i % 7) : 0;
        await app.storage.feeds.put({
          ...initialHealth(feed),
          consecutiveFailures: failures,
          lastErrorAt: failures > 0 ? now : null,
          pausedAt: i % 100 === 0 ? now : null,
        });
      }
      const ops = await app.startOps();
      if (!ops) throw new Error('ops endpoints did not start');
      await timed(`${ops.url}/metrics`); // warm-up
      // the same process idle for 2 s first: on a busy machine the loop is late without any scrape
      const idle = monitorEventLoopDelay({ resolution: 5 });
      idle.enable();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      idle.disable();
      const scrapes: number[] = [];
      let bytes = 0;
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      // each scrape right after a poll: feed health is read from the store every time (the worst case)
      for (let i = 0; i < SCRAPES; i++) {
        app.metrics?.feedPolled('not-modified');
        const r = await timed(`${ops.url}/metrics`);
        scrapes.push(r.ms);
        bytes = r.bytes;
      }
      loop.disable();
      const cached: number[] = [];
      for (let i = 0; i < SCRAPES; i++) cached.push((await timed(`${ops.url}/metrics`)).ms);
      const health: number[] = [];
      for (let i = 0; i < SCRAPES; i++) health.push((await timed(`${ops.url}/healthz`)).ms);
      console.log(
        `${app.storage.backend} ${feeds} feeds: /metrics after a poll median ${median(scrapes).toFixed(1)} ms ` +
          `(max ${Math.max(...scrapes).toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB), ` +
          `between polls median ${median(cached).toFixed(1)} ms; ` +
          `/healthz median ${median(health).toFixed(1)} ms; ${SCRAPES} requests each; event loop during the scrapes after a poll: ` +
          `p99 ${lateMs(loop.percentile(99))} ms, max ${lateMs(loop.max)} ms late ` +
          `(idle: p99 ${lateMs(idle.percentile(99))} ms, max ${lateMs(idle.max)} ms)`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const counts = arg('--feeds', '1000,10000')
  .split(',')
  .map((n) => Number(n));
const storage = process.argv.includes('--storage') ? arg('--storage', '') : undefined;
for (const feeds of counts) await measure(feeds, storage);
