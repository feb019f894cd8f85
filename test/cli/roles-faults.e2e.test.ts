// The split roles as an operator runs them: the real binary as `run --role scheduler` and `run --role worker`
// processes over one SQLite store and a queue on a Redis of the test's own (so it can be restarted). A worker is
// killed with SIGKILL in the middle of a poll, the queue's Redis is restarted, and a second worker is started:
// the poll the first one was doing is done by the second, every article stored and processed once, no process
// crashes, and the logs say what happened. Needs redis-server (installed by .ci/run); on CI its absence fails.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { body, type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasRedis = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedis && process.env.CI === 'true') throw new Error('redis-server is required on CI: run .ci/run');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Proc {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly exited: Promise<number | null>;
}

function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(command, [...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const logs = procs.map((p) => `--- ${p.child.spawnargs.slice(-2).join(' ')}\n${p.out().slice(-3000)}`);
      throw new Error(`timed out waiting for ${what}\n${logs.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Long enough that no item is a snippet (no page is fetched). */
function longText(seed: string): string {
  return Array.from({ length: 140 }, (_, i) => `${seed}${i % 13}`).join(' ');
}

const dir = mkdtempSync(join(tmpdir(), 'newsdigest-roles-'));
let feeds: FeedServer | undefined;
const procs: Proc[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
}, 180_000);
afterAll(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(hasRedis)('split roles under faults (real binary, SIGKILL, Redis restart)', () => {
  it('a worker killed mid-poll leaves its job to another; a Redis restart loses and doubles nothing', async () => {
    const redisPort = await freePort();
    const redisArgs = [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
    ];
    let redis = start('redis-server', redisArgs);
    procs.push(redis);
    await until('redis', () => redis.out().includes('Ready to accept connections'));

    const now = new Date();
    const items = (feed: string) =>
      Array.from({ length: 3 }, (_, i) => ({
        id: `${feed}-${i}`,
        title: `${feed} report ${i}`,
        text: longText(`${feed}w${i}`),
        at: new Date(now.getTime() - (i + 1) * 3_600_000),
      }));
    let slowCalls = 0;
    feeds = await startFeedServer({
      '/fast': body(rssFeed(items('fast')), { contentType: 'application/rss+xml' }),
      // the first fetch hangs (the worker doing it is killed); later ones answer
      '/slow': async (req, res) => {
        slowCalls++;
        if (slowCalls === 1) {
          await new Promise((resolve) => setTimeout(resolve, 60_000));
          if (res.destroyed) return;
        }
        await body(rssFeed(items('slow')), { contentType: 'application/rss+xml' })(req, res);
      },
    });
    const config = join(dir, 'newsdigest.yaml');
    writeFileSync(
      config,
      [
        'feeds:',
        `  - { url: "${feeds.url('/fast')}", name: fast }`,
        `  - { url: "${feeds.url('/slow')}", name: slow }`,
        'network:',
        `  allowPrivateHosts: ["${feeds.hostPort}"]`,
        'polling:',
        '  timeoutSeconds: 90',
        'storage:',
        `  url: "sqlite://${join(dir, 'store.sqlite')}"`,
        'jobs:',
        `  redis: "redis://127.0.0.1:${redisPort}"`,
        '  prefix: roles-test',
        '  lockSeconds: 3',
        'channels:',
        `  - { id: desk, platform: file, channel: "${join(dir, 'desk.txt')}", schedule: "0 0 1 1 *" }`,
      ].join('\n'),
    );
    const run = (role: string) =>
      start(process.execPath, ['--unhandled-rejections=strict', 'bin/newsdigest.js', 'run', '--role', role], {
        NEWSDIGEST_CONFIG: config,
      });
    const scheduler = run('scheduler');
    const first = run('worker');
    procs.push(scheduler, first);
    await until('the first worker to start the slow poll', () => slowCalls === 1);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    // the queue's Redis goes away and comes back (its data on disk), while the scheduler runs
    redis.child.kill('SIGTERM');
    await redis.exited;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    redis = start('redis-server', redisArgs);
    procs.push(redis);
    await until('redis again', () => redis.out().includes('Ready to accept connections'));

    const second = run('worker');
    procs.push(second);
    const storage = await openStorage(`sqlite://${join(dir, 'store.sqlite')}`);
    try {
      await until(
        'the second worker to finish the slow poll and process it',
        async () => {
          const head = await storage.articles.head();
          const log = await storage.articles.readLog(0, head);
          const ids = log.flatMap((e) => e.articleIds);
          return ids.length === 6 && (await storage.stories.processedSeq()) === head;
        },
        40_000,
      );
      const log = await storage.articles.readLog(0, await storage.articles.head());
      const ids = log.flatMap((e) => e.articleIds);
      // every item of both feeds stored once: six articles, no id twice
      expect(ids).toHaveLength(6);
      expect(new Set(ids).size).toBe(6);
      expect(slowCalls).toBe(2);
    } finally {
      await storage.close();
    }
    // both survivors are alive and stop cleanly
    expect(scheduler.child.exitCode).toBeNull();
    expect(second.child.exitCode).toBeNull();
    expect(scheduler.out()).toMatch(/job queue Redis unreachable: retrying/);
    scheduler.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    expect(await scheduler.exited).toBe(0);
    expect(await second.exited).toBe(0);
    for (const p of [scheduler, second])
      expect(p.out()).not.toMatch(/UnhandledPromiseRejection|triggerUncaughtException/);
    console.log(
      `[roles-faults] worker killed mid-poll, Redis restarted: 6/6 articles stored once, slow feed fetched ${slowCalls} times`,
    );
  }, 120_000);
});
