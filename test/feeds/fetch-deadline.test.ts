// fetchText's total deadline covers the whole exchange: headers that trickle in, and a body that never ends.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import { FeedTimeoutError } from '../../src/feeds/errors.js';
import { fetchText } from '../../src/feeds/http-fetch.js';
import { endless, type FeedServer, startFeedServer } from '../fakes/feed-server.js';

const TIMEOUT_MS = 1_000;
/** Slack for timers on a busy 2-core machine. */
const SLACK_MS = 3_000;

let server: FeedServer;
let slowHeaders: { port: number; close(): void };

beforeAll(async () => {
  server = await startFeedServer({ '/trickle': endless('<item>x</item>', 20) });
  // A raw server that sends the status line, then one header byte every 50 ms, forever.
  const sockets = new Set<Socket>();
  const raw = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
    const timer = setInterval(() => socket.write('a'), 50);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const address = raw.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  slowHeaders = {
    port: address.port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      raw.close();
    },
  };
});
afterAll(async () => {
  slowHeaders.close();
  await server.close();
});

async function measured(url: string): Promise<{ error: unknown; ms: number }> {
  const guard = new AddressGuard({ allow: [server.hostPort, `127.0.0.1:${slowHeaders.port}`] });
  const started = performance.now();
  const error = await fetchText(url, { guard, userAgent: 'newsdigest-test', timeoutMs: TIMEOUT_MS }).then(
    () => new Error('expected a timeout'),
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('the total deadline of a fetch', () => {
  it.each([
    ['a body that trickles forever', () => server.url('/trickle')],
    ['headers that trickle forever', () => `http://127.0.0.1:${slowHeaders.port}/feed`],
  ])('ends %s with FeedTimeoutError at the deadline', async (_, url) => {
    const { error, ms } = await measured(url());
    expect(error).toBeInstanceOf(FeedTimeoutError);
    expect((error as FeedTimeoutError).phase).toBe('total');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });
});
