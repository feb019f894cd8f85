// The real binary under faults, with `--unhandled-rejections=strict` so any promise that fails unwatched stops the
// process with Node's own stack: a Discord gateway that never answers, storage that never answers or refuses, and
// Slack and Discord REST answering 500. Each run must end (or keep running) as designed, say what went wrong in
// one clear line, and leave no trace of an unhandled rejection on stderr.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';
import { body, type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';
import { startStuckServer } from '../fakes/stuck-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/newsdigest.js');
const DISCORD_CHANNEL = '100000000000000001';
const ENV = {
  SLACK_BOT_TOKEN: 'xoxb-fault-test',
  SLACK_SIGNING_SECRET: 'fault-test-secret',
  DISCORD_TOKEN: 'fault.test.token',
  LOG_LEVEL: 'info',
};

/** What Node prints for a rejection nobody handled, in strict mode or by our launcher's handler. */
const UNHANDLED = /unhandled ?rejection|ERR_UNHANDLED_REJECTION|triggerUncaughtException|internal error/i;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Every file under `dir`, newest modification time first. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

beforeAll(() => {
  // these tests are about the compiled binary: build it when dist/ is missing or older than src/
  const built = join(ROOT, 'dist/main.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'src'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  }
}, 180_000);

function start(dir: string, args: readonly string[]): { child: ChildProcess; done: Promise<Run> } {
  const started = performance.now();
  const child = spawn(process.execPath, ['--unhandled-rejections=strict', BIN, ...args], {
    cwd: dir,
    env: { ...process.env, ...ENV },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = new Promise<Run>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }));
  });
  return { child, done };
}

/** `newsdigest ...args` in `dir`, killed after `limitMs` (a hang then shows as a null exit code). */
async function newsdigest(dir: string, args: readonly string[], limitMs = 60_000): Promise<Run> {
  const { child, done } = start(dir, args);
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

/** Accepts connections and never writes a byte: a storage server that is frozen or black-holed. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

let dir: string;
let feeds: FeedServer;

const ITEM_TEXT = Array.from(
  { length: 6 },
  (_, k) => `Paragraph ${k + 1}: the harbour authority said the ferries would run again from Monday after the repairs.`,
).join(' ');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-faults-'));
  const now = new Date();
  feeds = await startFeedServer({
    '/wire': body(
      rssFeed([
        { id: 'ferries', title: 'Ferries to run again from Monday', text: ITEM_TEXT, at: now },
        { id: 'repairs', title: 'Harbour repairs finished early', text: ITEM_TEXT, at: now },
      ]),
    ),
  });
});

afterAll(async () => {
  await feeds.close();
  await rm(dir, { recursive: true, force: true });
});

/** A config in its own folder of `dir`: the feed server's feed, SQLite unless `storage` says otherwise. */
async function configFolder(name: string, lines: readonly string[], storage?: string): Promise<string> {
  const folder = join(dir, name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'newsdigest.yaml'),
    [
      'feeds:',
      `  - url: "${feeds.url('/wire')}"`,
      'network:',
      `  allowPrivateHosts: ["${feeds.hostPort}"]`,
      `topics: ${join(ROOT, 'config/topics.yaml')}`,
      'storage:',
      `  url: ${storage ?? 'sqlite://./data/faults.sqlite'}`,
      ...lines,
      '',
    ].join('\n'),
  );
  return folder;
}

function expectNoUnhandledRejection(run: Run): void {
  expect(run.stderr).not.toMatch(UNHANDLED);
  expect(run.stdout).not.toMatch(UNHANDLED);
}

describe('the binary with --unhandled-rejections=strict', () => {
  it('a Discord gateway that never answers: run exits 1 with one clear line, no unhandled rejection', async () => {
    const discord = new FakeDiscord({
      token: ENV.DISCORD_TOKEN,
      channels: [{ id: DISCORD_CHANNEL, type: TEXT, name: 'news' }],
      silentGateway: true,
    });
    await discord.start();
    try {
      const folder = await configFolder('gateway', [
        `discord: { apiUrl: "${discord.apiUrl}", readyTimeoutSeconds: 2 }`,
        'channels:',
        `  - { id: news, platform: discord, channel: "${DISCORD_CHANNEL}", schedule: "0 7 * * *" }`,
      ]);
      const run = await newsdigest(folder, ['run']);
      console.info(`silent Discord gateway (ready timeout 2 s): run exited ${run.code} after ${run.ms} ms`);
      expectNoUnhandledRejection(run);
      expect(discord.gateway.connections).toBeGreaterThanOrEqual(1);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'newsdigest: Could not connect to Discord: its gateway did not get ready within 2 s',
      );
      // start-up, the 2 s wait, 3 s at most closing discord.js, 3 s for the launcher to give up on the connection
      // discord.js left open: 8 s of timers, the rest is loading on a busy machine
      expect(run.ms).toBeLessThan(30_000);
    } finally {
      await discord.close();
    }
  }, 60_000);

  it.concurrent.each([
    ['accepts and never answers', 'silent'],
    ['refuses connections', 'refused'],
  ])(
    'a Redis that %s: run --once exits non-zero with a clear line, no unhandled rejection',
    async (_, kind) => {
      const silent = kind === 'silent' ? await silentServer() : null;
      const port = silent?.port ?? (await closedPort());
      try {
        const folder = await configFolder(
          `redis-${kind}`,
          ['channels:', '  - { id: out, platform: console, schedule: "0 7 * * *" }'],
          `redis://127.0.0.1:${port}/0`,
        );
        const run = await newsdigest(folder, ['run', '--once']);
        const lastLine = run.stderr.trim().split('\n').at(-1) ?? '';
        console.info(
          `Redis that ${kind === 'silent' ? 'never answers' : 'refuses'}: exit ${run.code} after ${run.ms} ms: ${lastLine}`,
        );
        expectNoUnhandledRejection(run);
        expect(run.code).not.toBe(0);
        expect(run.code).not.toBeNull();
        expect(run.stderr).toMatch(/newsdigest: .*(storage|redis)/i);
      } finally {
        await silent?.close();
      }
    },
    60_000,
  );

  it('Slack and Discord REST answering 500: run --once reports both channels failed, posts the rest, exits 1', async () => {
    const slack500 = await startStuckServer({ kind: 'status', status: 500 });
    const discord500 = await startStuckServer({ kind: 'status', status: 500 });
    try {
      const folder = await configFolder('rest-500', [
        `slack: { apiUrl: "${slack500.origin}/api/" }`,
        `discord: { apiUrl: "${discord500.origin}/api" }`,
        'channels:',
        '  - { id: desk, platform: slack, channel: C0DESK, schedule: "0 7 * * *", whenEmpty: notice }',
        `  - { id: news, platform: discord, channel: "${DISCORD_CHANNEL}", schedule: "0 7 * * *", whenEmpty: notice }`,
        '  - { id: file, platform: file, channel: ./digest.txt, schedule: "0 7 * * *", whenEmpty: notice }',
      ]);
      const run = await newsdigest(folder, ['run', '--once'], 90_000);
      console.info(
        `Slack and Discord answering 500: exit ${run.code} after ${run.ms} ms; ` +
          `${slack500.requests.length} Slack and ${discord500.requests.length} Discord requests`,
      );
      expectNoUnhandledRejection(run);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/\n {2}channel desk: .+/);
      expect(run.stderr).toMatch(/\n {2}channel news: .+/);
      expect(slack500.requests.length).toBeGreaterThan(0);
      expect(discord500.requests.length).toBeGreaterThan(0);
      // the file channel got its digest all the same (a quiet one: a first poll is backfill)
      expect(await readFile(join(folder, 'digest.txt'), 'utf8')).toContain('# file');
    } finally {
      await slack500.close();
      await discord500.close();
    }
  }, 120_000);
});

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis && process.env.CI === 'true')
  throw new Error('redis-server is not installed: CI must run the Redis outage test');

describe.skipIf(!hasRedis)('the binary through a Redis frozen mid-run (a throwaway redis-server)', () => {
  it('run stays up: the poll fails within the storage deadline with a clear line, and SIGTERM exits 0', async () => {
    const port = await closedPort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await new Promise<void>((resolve, reject) => {
      redis.once('spawn', resolve);
      redis.once('error', reject);
    });
    const pid = redis.pid;
    if (pid === undefined) throw new Error('redis-server did not start');
    let frozenAt = 0;
    // the freeze comes while the first poll is fetching the feed: its storage writes then meet a frozen Redis
    feeds.handle('/frozen-wire', async (_req, res) => {
      if (frozenAt === 0) {
        process.kill(pid, 'SIGSTOP');
        frozenAt = performance.now();
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed([]));
    });
    let run: { child: ChildProcess; done: Promise<Run> } | undefined;
    try {
      await delay(300);
      const folder = await configFolder(
        'redis-frozen',
        ['channels:', '  - { id: out, platform: console, schedule: "0 7 * * *" }'],
        `redis://127.0.0.1:${port}/0`,
      );
      const config = join(folder, 'newsdigest.yaml');
      await writeFile(config, (await readFile(config, 'utf8')).replace('/wire"', '/frozen-wire"'));
      run = start(folder, ['run']);
      const started = performance.now();
      while (frozenAt === 0 && performance.now() - started < 30_000) await delay(50);
      expect(frozenAt).toBeGreaterThan(0);
      // the storage deadline is 10 s: wait past it, thaw, and check the process is still running
      await delay(12_000);
      process.kill(pid, 'SIGCONT');
      const frozenMs = Math.round(performance.now() - frozenAt);
      await delay(500);
      const aliveAfterThaw = run.child.exitCode === null;
      run.child.kill('SIGTERM');
      const result = await run.done;
      // the job that met the freeze (a poll, or the tick that lists what is due) says what was unavailable
      const failed =
        result.stderr
          .split('\n')
          .find((line) => /job failed|could not queue/.test(line) && line.includes('unavailable')) ?? '';
      console.info(
        `Redis frozen ${frozenMs} ms under a running bot: alive after the thaw: ${aliveAfterThaw}; SIGTERM exit ` +
          `${result.code}; ${failed.slice(0, 300)}`,
      );
      expectNoUnhandledRejection(result);
      expect(aliveAfterThaw).toBe(true);
      expect(result.code).toBe(0);
      expect(failed).toMatch(/is unavailable/);
    } finally {
      process.kill(pid, 'SIGCONT');
      redis.kill('SIGTERM');
      if (run?.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 90_000);
});
