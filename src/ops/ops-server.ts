// The operator's HTTP endpoints, on their own port (never the Slack receiver's): `/livez` answers while the process
// does, `/healthz` (also `/readyz`) runs every readiness check within a deadline, `/metrics` is Prometheus text.
// A plain node:http server, bounded in connections and time: a slow check or a slow store delays nothing but
// that one answer, and a flood of requests shares one run of the checks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../ports.js';
import { withDeadline } from './metrics.js';

/** One thing the bot needs to do its work. `check` resolves when it is fine and throws (or hangs) when not. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void> | void;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Why it failed (the error's message, with every secret masked). */
  readonly error?: string;
}

export interface OpsServerOptions {
  readonly host: string;
  /** 0: an ephemeral port (tests). */
  readonly port: number;
  readonly checks: readonly ReadinessCheck[];
  /** The `/metrics` text and its content type; absent: `/metrics` is 404. */
  readonly metrics?: { render(): Promise<string>; readonly contentType: string };
  /** A check that has not answered within this long fails. Default 2 s. */
  readonly checkTimeoutMs?: number;
  /** Masks secrets in error messages before they are shown. */
  readonly redact?: (text: string) => string;
  readonly logger?: Logger;
}

export interface OpsServer {
  /** `http://host:port` as bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_CONNECTIONS = 32;
const REQUEST_TIMEOUT_MS = 10_000;

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  const redact = options.redact ?? ((text: string) => text);
  const readiness = coalesced(() => runChecks(options.checks, timeoutMs, redact), timeoutMs);
  const metrics = options.metrics;
  const scrape = metrics ? coalesced(() => metrics.render(), REQUEST_TIMEOUT_MS) : undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger?.error({ err: error, path: req.url }, 'ops endpoint failed');
      send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    if (path === '/livez') {
      send(res, 200, 'application/json', `${JSON.stringify({ status: 'ok' })}\n`);
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const checks = await readiness();
      const ok = checks.every((c) => c.ok);
      const body = { status: ok ? 'ok' : 'failing', checks };
      send(res, ok ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
      return;
    }
    if (path === '/metrics' && scrape && metrics) {
      send(res, 200, metrics.contentType, await scrape());
      return;
    }
    send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz, /livez or /metrics\n');
  };
  server.maxConnections = MAX_CONNECTIONS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      reject(new Error(`the ops endpoints cannot listen on ${where} (ops.port): ${error.code ?? error.message}`));
    });
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  server.on('error', (error) => options.logger?.error({ err: error }, 'ops server error'));
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  options.logger?.info({ host: address, port }, 'ops endpoints listening on /healthz, /livez and /metrics');
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every check at once, each within the deadline. */
async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
  redact: (text: string) => string,
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async ({ name, check }): Promise<CheckResult> => {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      try {
        const result = await withDeadline(Promise.resolve().then(check), timeoutMs);
        if (result.ok) return { name, ok: true, ms: ms() };
        return { name, ok: false, ms: ms(), error: `no answer within ${timeoutMs} ms` };
      } catch (error) {
        return { name, ok: false, ms: ms(), error: redact(error instanceof Error ? error.message : String(error)) };
      }
    }),
  );
}

/**
 * Callers that arrive while a run is under way share it, so a flood of requests makes one run. A run older than
 * `staleMs` is not shared (a hung one never answers everyone after it).
 */
function coalesced<T>(run: () => Promise<T>, staleMs: number): () => Promise<T> {
  let current: { promise: Promise<T>; startedAt: number } | undefined;
  return () => {
    const now = performance.now();
    if (current && now - current.startedAt < staleMs) return current.promise;
    const promise = run();
    const entry = { promise, startedAt: now };
    current = entry;
    const clear = () => {
      if (current === entry) current = undefined;
    };
    promise.then(clear, clear);
    return promise;
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
