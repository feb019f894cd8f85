// Storage calls have a deadline: a server that accepts and never answers, and a real Redis frozen with SIGSTOP,
// each yield StorageUnavailableError within the policy's timeout instead of hanging everything behind them.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_TIMEOUT_MS } from '../../src/storage/backends/backend.js';
import { openStorage, retryPolicies, type Storage, StorageUnavailableError } from '../../src/storage/index.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from '../../src/storage/retry.js';
import { article, closedPort, recordingLogger, uniqueNamespace } from './helpers.js';

/** Slack for timers on a busy 2-core machine: a bound is met when the call ends within deadline + this. */
const SLACK_MS = 3_000;
/** The default policy with a shorter deadline (with the default 10 s: 10.05 s for redis://, 10.3 s for postgres://). */
const SHORT_TIMEOUT_MS = 2_000;

/** Accepts connections and never writes a byte: what a frozen or black-holed server looks like from outside. */
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

/** Runs `work` and returns what it threw and how long it took; fails the test if it did not throw. */
async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work().then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  return { error, ms: Math.round(performance.now() - started) };
}

describe('storage deadline', () => {
  it.concurrent.each([
    ['redis', 'redis'],
    ['postgres', 'postgres'],
  ])('a %s server that never answers: StorageUnavailableError within the deadline', async (_, scheme) => {
    const server = await silentServer();
    try {
      const url = `${scheme}://newsdigest:Deadline0Secret@127.0.0.1:${server.port}/0`;
      const retry = { ...retryPolicies.fewAttemptsInTwoSeconds, timeoutMs: SHORT_TIMEOUT_MS };
      const { error, ms } = await timed(async () => {
        const storage = await openStorage(url, { logger: recordingLogger(), namespace: uniqueNamespace(), retry });
        try {
          await storage.articles.get('any');
        } finally {
          await storage.close();
        }
      });
      console.info(`${scheme} that never answers: ${String(error)} after ${ms} ms`);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(String(error)).not.toContain('Deadline0Secret');
      expect(ms).toBeLessThan(SHORT_TIMEOUT_MS + SLACK_MS);
    } finally {
      await server.close();
    }
  });

  it('a call left behind by the deadline never becomes an unhandled rejection', async () => {
    const server = await silentServer();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const policy = { ...retryPolicies.once, timeoutMs: 500 };
      const error = await openStorage(`redis://127.0.0.1:${server.port}`, { retry: policy }).then(
        async (storage) => {
          await storage.close();
          return new Error('expected a failure');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StorageUnavailableError);
      await server.close();
      await delay(200);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await server.close().catch(() => undefined);
    }
  });
});

// A real redis-server of our own on a spare port, frozen mid-run with SIGSTOP (the 120 s silent hang).
describe('a frozen Redis (SIGSTOP)', () => {
  let redis: ChildProcess | undefined;
  let url = '';
  let storage: Storage | undefined;

  beforeAll(async () => {
    const port = await closedPort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      redis?.once('spawn', resolve);
      redis?.once('error', reject);
    });
    for (let tries = 0; storage === undefined; tries += 1) {
      storage = await openStorage(url, { retry: retryPolicies.once, namespace: uniqueNamespace() }).catch(
        async (error: unknown) => {
          if (tries > 50) throw error;
          await delay(100);
          return undefined;
        },
      );
    }
  }, 20_000);

  afterAll(async () => {
    if (redis?.pid !== undefined) {
      process.kill(redis.pid, 'SIGCONT');
      redis.kill('SIGTERM');
    }
    await storage?.close();
  });

  it('fails its calls within the default deadline and works again once thawed', async () => {
    const pid = redis?.pid;
    if (storage === undefined || pid === undefined) throw new Error('redis-server did not start');
    const frozen = await openStorage(url, { logger: recordingLogger(), namespace: uniqueNamespace() });
    try {
      await frozen.articles.putMany([article('before', '2024-03-10T10:00:00Z')], new Date());
      process.kill(pid, 'SIGSTOP');
      const { error, ms } = await timed(() => frozen.articles.get('before'));
      console.info(`frozen redis: ${String(error)} after ${ms} ms`);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(ms).toBeLessThan(DEFAULT_STORAGE_TIMEOUT_MS + SLACK_MS);
      expect(ms).toBeGreaterThanOrEqual(DEFAULT_STORAGE_TIMEOUT_MS - 50);

      process.kill(pid, 'SIGCONT');
      expect((await frozen.articles.get('before'))?.id).toBe('before');
    } finally {
      process.kill(pid, 'SIGCONT');
      await frozen.close();
    }
  }, 30_000);

  it('closes in bounded time while frozen, and a new connection works once thawed', async () => {
    const pid = redis?.pid;
    if (storage === undefined || pid === undefined) throw new Error('redis-server did not start');
    const namespace = uniqueNamespace();
    const frozen = await openStorage(url, { logger: recordingLogger(), namespace });
    await frozen.articles.putMany([article('kept', '2024-03-10T10:00:00Z')], new Date());
    process.kill(pid, 'SIGSTOP');
    try {
      const pending = frozen.articles.get('kept').catch((e: unknown) => e);
      const started = performance.now();
      await frozen.close();
      expect(performance.now() - started).toBeLessThan(CLOSE_TIMEOUT_MS + SLACK_MS);
      expect(await pending).toBeInstanceOf(Error);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const thawed = await openStorage(url, { namespace });
    try {
      expect((await thawed.articles.get('kept'))?.id).toBe('kept');
    } finally {
      await thawed.close();
    }
  }, 30_000);
});
