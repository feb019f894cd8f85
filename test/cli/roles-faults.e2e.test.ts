// The split roles as an operator runs them: the real binary as `run --role scheduler` and `run --role worker`
// processes over one SQLite store and a queue on a Redis of the test's own (so it can be restarted). A worker is
// killed with SIGKILL in the middle of a poll, the queue's Redis is restarted, and a second worker is started:
// the poll the first one was doing is done by the second, every article stored and processed once, no process
// crashes, and the logs say what happened. Needs redis-server (installed by .ci/run); on CI its absence fails.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { FAKE_TOKEN, type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { body, type FeedServer, type RssItem, rssFeed, startFeedServer } from '../fakes/feed-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execFileAsync = promisify(execFile);
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

/** A redis-server of the test's own on `port` (so it can be restarted), ready to take commands. */
async function startRedis(port: number, args: readonly string[]): Promise<Proc> {
  const redis = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...args]);
  procs.push(redis);
  await until(`redis on ${port}`, () => redis.out().includes('Ready to accept connections'));
  return redis;
}

/** Long enough that no item is a snippet (no page is fetched). */
function longText(seed: string): string {
  return Array.from({ length: 140 }, (_, i) => `${seed}${i % 13}`).join(' ');
}

/** Five made-up events, each told in its own words (so each is a story of its own). */
const STALL_WORDS = [
  'harbour bridge repairs closed lanes engineers cables ferry detour commuters steel inspection tolls'.split(' '),
  'school board budget vote teachers classrooms levy parents trustees funding ballot district'.split(' '),
  'river flood barrier sandbags levee rainfall evacuation pumps embankment volunteers gauges overflow'.split(' '),
  'museum painting theft guards alarm gallery canvas insurers detectives auction collector frame'.split(' '),
  'tram drivers strike depot wages union timetable shifts picket overtime negotiators routes'.split(' '),
];

const dir = mkdtempSync(join(tmpdir(), 'newsdigest-roles-'));
let feeds: FeedServer | undefined;
let slack: FakeSlack | undefined;
const procs: Proc[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
}, 180_000);
afterAll(async () => {
  for (const p of procs) {
    p.child.kill('SIGCONT');
    p.child.kill('SIGKILL');
  }
  await feeds?.close();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(hasRedis)('split roles under faults (real binary, SIGKILL, Redis restart)', () => {
  it('a worker killed mid-poll leaves its job to another; a Redis restart loses and doubles nothing', async () => {
    const redisPort = await freePort();
    // its data on disk, so a restart keeps the queue
    const persisted = ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
    let redis = await startRedis(redisPort, persisted);

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
    redis = await startRedis(redisPort, persisted);

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

  it('a worker stalled (SIGSTOP) mid-digest past its lease: another finishes the digest, the stalled one posts nothing more', async () => {
    const redisPort = await freePort();
    await startRedis(redisPort, ['--appendonly', 'no']);
    // Slack answers each post 100 ms after storing it; the bot paces a channel's posts a second apart
    slack = await startFakeSlack({ channels: ['C0DESK'], minIntervalMs: 0, acceptDelayMs: 100 });
    const slackPort = await freePort();
    const store = join(dir, 'stall.sqlite');
    const now = Date.now();
    let listed: RssItem[] = [];
    feeds = await startFeedServer({
      '/wire': async (req, res) => body(rssFeed(listed), { contentType: 'application/rss+xml' })(req, res),
    });
    const lines = (channels: readonly string[]) =>
      [
        'feeds:',
        `  - { url: "${feeds?.url('/wire')}", name: wire }`,
        'network:',
        `  allowPrivateHosts: ["${feeds?.hostPort}"]`,
        'storage:',
        `  url: "sqlite://${store}"`,
        'jobs:',
        `  redis: "redis://127.0.0.1:${redisPort}"`,
        '  prefix: stall-test',
        '  lockSeconds: 3',
        `slack: { apiUrl: "${slack?.apiUrl}", host: 127.0.0.1, port: ${slackPort} }`,
        ...channels,
      ].join('\n');
    const config = join(dir, 'stall.yaml');
    const env = { NEWSDIGEST_CONFIG: config, SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: 'stall-secret' };
    // async: the feed server answers from this process
    const once = () =>
      execFileAsync(process.execPath, ['bin/newsdigest.js', 'run', '--once'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
      });
    // the feed is met empty (its first poll is backfill), then lists five reports that are news; no channel yet
    writeFileSync(
      config,
      lines([
        'channels:',
        `  - { id: log, platform: file, channel: "${join(dir, 'stall-log.txt')}", schedule: "0 0 1 1 *" }`,
      ]),
    );
    await once();
    listed = Array.from({ length: 5 }, (_, i) => ({
      id: `story-${i}`,
      title: `Report number ${i}: ${STALL_WORDS[i]?.slice(0, 3).join(' ')}`,
      text: Array.from(
        { length: 10 },
        (_, k) => `The ${STALL_WORDS[i]?.slice(k % 4, (k % 4) + 9).join(' ')} said.`,
      ).join(' '),
      at: new Date(now - (i + 1) * 600_000),
    }));
    await once();
    // now the Slack channel, digested every minute: its first digest posts the five stories
    writeFileSync(
      config,
      lines([
        'channels:',
        '  - { id: desk, platform: slack, channel: C0DESK, schedule: "* * * * *", lookbackHours: 24 }',
      ]),
    );
    const run = (role: string) =>
      start(process.execPath, ['--unhandled-rejections=strict', 'bin/newsdigest.js', 'run', '--role', role], env);
    const scheduler = run('scheduler');
    const stalled = run('worker');
    procs.push(scheduler, stalled);
    const replies = () => (slack?.messages ?? []).filter((m) => m.threadTs !== null);
    // stopped in the pause between two posts (answered, the next one not yet sent), as a VM pause would catch it
    await until(
      'the first worker to post two stories of the digest',
      () => {
        const last = replies().at(-1);
        const since = last === undefined ? 0 : Date.now() - last.at;
        return replies().length >= 2 && since >= 250 && since < 800;
      },
      75_000,
    );
    stalled.child.kill('SIGSTOP');
    const seenWhenStopped = replies().length;
    const rescuer = run('worker');
    procs.push(rescuer);
    await until('the second worker to post the rest', () => replies().length >= 5, 40_000);
    stalled.child.kill('SIGCONT');
    // stopped in the pause, it finds its lock gone before the next post; on a machine so busy that the stop caught
    // a request in flight, that request times out first (the rescuer found the post by its metadata): either way
    // the digest fails there
    await until(
      'the stalled worker to stop its digest',
      () => /lapsed while this process was stalled|Slack could not be reached/.test(stalled.out()),
      15_000,
    );
    const how = /lapsed while this process was stalled/.test(stalled.out()) ? 'lock lapsed' : 'request timed out';
    // a moment more in which the stalled worker could still post, if it went on
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const messages = slack.messages;
    const parents = messages.filter((m) => m.threadTs === null);
    const titles = replies().map((m) => /Report number \d/.exec(m.text ?? '')?.[0]);
    expect(parents).toHaveLength(1);
    expect(titles.sort()).toEqual(Array.from({ length: 5 }, (_, i) => `Report number ${i}`));
    expect(new Set(replies().map((m) => m.threadTs))).toEqual(new Set([parents[0]?.ts]));
    for (const p of [scheduler, stalled, rescuer])
      expect(p.out()).not.toMatch(/UnhandledPromiseRejection|triggerUncaughtException/);
    for (const p of [scheduler, rescuer]) p.child.kill('SIGTERM');
    stalled.child.kill('SIGTERM');
    expect(await rescuer.exited).toBe(0);
    console.log(
      `[roles-faults] worker stalled after ${seenWhenStopped} story posts (${how}): ${replies().length} story posts in one thread, each once`,
    );
  }, 180_000);
});
