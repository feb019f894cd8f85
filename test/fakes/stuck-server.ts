// A platform API that misbehaves on purpose, on 127.0.0.1: never answers, answers 500, or rate-limits with a
// Retry-After. For measuring how long the real Slack and Discord clients wait before they give up.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Misbehaviour =
  | { readonly kind: 'hang' }
  | { readonly kind: 'status'; readonly status: number }
  /** 429 with this Retry-After (seconds) on the first request, then `ok` to every later one. */
  | { readonly kind: 'rate-limit-once'; readonly retryAfterSeconds: number; readonly ok: unknown };

export interface StuckServer {
  readonly origin: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startStuckServer(behaviour: Misbehaviour): Promise<StuckServer> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '/');
    req.resume();
    if (behaviour.kind === 'hang') return;
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'application/json' }).end('{"message":"down"}');
      return;
    }
    if (requests.length === 1) {
      const seconds = String(behaviour.retryAfterSeconds);
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': seconds, 'x-ratelimit-scope': 'user' })
        .end(JSON.stringify({ ok: false, error: 'ratelimited', message: 'slow down', retry_after: Number(seconds) }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour.ok));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How long `work` took to settle, and what it threw (undefined when it succeeded). */
export async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Math.round(performance.now() - started) };
}
