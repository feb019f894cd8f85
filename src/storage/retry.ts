// Every backend call goes through a guard: a few attempts with backoff while the backend looks down, then a
// StorageUnavailableError; any other failure at once, wrapped. Every call it retries is idempotent (a get, a set of
// the same value, a delete), so a reply lost after the server acted is safe to repeat. Each call, its attempts and
// waits together, has a deadline: a backend that accepts and never answers (a frozen Redis, a stuck PostgreSQL)
// is reported as unavailable in bounded time instead of holding everything that waits on storage.
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../ports.js';
import { redactError, redactSecrets } from '../secrets.js';
import { type BackendKind, describeCause, StorageError, StorageUnavailableError } from './errors.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled before each later one, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** The whole call, every attempt and wait included. Default 10 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_STORAGE_TIMEOUT_MS = 10_000;

export const retryPolicies = {
  /** Four tries within about 2 s: rides out a restart or a failover, then tells the caller; 10 s at most in all. */
  fewAttemptsInTwoSeconds: {
    attempts: 4,
    initialDelayMs: 250,
    maxDelayMs: 1000,
    timeoutMs: DEFAULT_STORAGE_TIMEOUT_MS,
  },
  /** For tests: the same shape, in milliseconds. */
  fastForTests: { attempts: 3, initialDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 },
  /** One try: for probes that only want to know whether the backend answers now. */
  once: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, timeoutMs: 5_000 },
} as const satisfies Record<string, RetryPolicy>;

/** The backend did not answer a call within the policy's deadline (the call itself may still be pending). */
export class StorageTimeoutError extends Error {
  override readonly name = 'StorageTimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

export class BackendGuard {
  #closed = false;
  readonly #secrets: readonly string[];

  constructor(
    readonly backend: BackendKind,
    /** Masked. */
    readonly url: string,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
    /** The URL's passwords (`storagePasswords`): taken out of every driver error and message the guard passes on. */
    secrets: readonly string[] = [],
  ) {
    this.#secrets = secrets;
  }

  /** `text` without the URL's passwords, for anything a backend logs about a driver error. */
  readonly redact = (text: string): string => redactSecrets(text, this.#secrets);

  /** The error (and every error it wraps) without the URL's passwords, changed in place. */
  readonly scrub = <T>(error: T): T => redactError(error, this.#secrets);

  /** Later calls fail at once instead of waiting for a connection that was closed on purpose. */
  markClosed(): void {
    this.#closed = true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs a call on an open backend: transient failures are retried, others wrapped in a StorageError. */
  async run<T>(action: string, call: () => Promise<T>): Promise<T> {
    return this.#attempt(action, call, false);
  }

  /** Opens the backend: like `run`, but any failure means the backend is unavailable (wrong password, no file). */
  async connect<T>(call: () => Promise<T>): Promise<T> {
    return this.#attempt('connect', call, true);
  }

  async #attempt<T>(action: string, call: () => Promise<T>, connecting: boolean): Promise<T> {
    const attempts = Math.max(1, this.policy.attempts);
    const timeoutMs = this.policy.timeoutMs ?? DEFAULT_STORAGE_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      this.#throwIfClosed(action);
      try {
        return await beforeDeadline(call, deadline, timeoutMs);
      } catch (error) {
        this.scrub(error);
        this.#throwIfClosed(action, error);
        if (error instanceof StorageError) throw error;
        const transient = isTransient(error);
        if (!transient && !connecting) {
          throw new StorageError(`${this.backend} storage at ${this.url}: ${action} failed: ${describeCause(error)}`, {
            cause: error,
          });
        }
        const wait = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (attempt - 1));
        const outOfTime = error instanceof StorageTimeoutError || Date.now() + wait >= deadline;
        if (!transient || attempt >= attempts || outOfTime) {
          throw new StorageUnavailableError(this.backend, this.url, attempt, action, { cause: error });
        }
        this.logger.warn(
          { backend: this.backend, url: this.url, action, attempt, retryInMs: wait, error: describeCause(error) },
          'storage: backend did not answer, retrying',
        );
        await delay(wait);
      }
    }
  }

  #throwIfClosed(action: string, cause?: unknown): void {
    if (!this.#closed) return;
    const message = `${this.backend} storage at ${this.url} is closed (${action})`;
    throw cause === undefined ? new StorageError(message) : new StorageError(message, { cause });
  }
}

/**
 * The call's result, or a StorageTimeoutError once `deadline` passes. A call left behind keeps running in the
 * driver; its late result or rejection is absorbed here, so it never becomes an unhandled rejection.
 */
function beforeDeadline<T>(call: () => Promise<T>, deadline: number, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StorageTimeoutError(timeoutMs)), Math.max(0, deadline - Date.now()));
    const settle = () => clearTimeout(timer);
    try {
      call().then(resolve, reject).finally(settle);
    } catch (error) {
      settle();
      reject(error);
    }
  });
}

/** Socket and server-side codes that mean "not reachable right now", as the drivers report them. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  // PostgreSQL: server shutting down or starting, too many connections, cannot connect now.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** node-redis error classes (they set no `name`) for a client that is offline, reconnecting or timed out. */
const TRANSIENT_CLASSES = new Set([
  'ConnectionTimeoutError',
  'SocketTimeoutError',
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ReconnectStrategyError',
  'TimeoutError',
]);

/** pg's connection failures carry no code, only these messages; Redis replies while loading or failing over. */
const TRANSIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN) |Redis client is not connected/;

/** True when the error (or one it wraps) says the backend cannot be reached now, so trying again may work. */
export function isTransient(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  if (TRANSIENT_CLASSES.has(error.constructor.name) || TRANSIENT_MESSAGES.test(error.message)) return true;
  const inner: unknown[] = [error.cause];
  if (error instanceof AggregateError) inner.push(...error.errors);
  if ('originalError' in error) inner.push(error.originalError);
  if ('socketError' in error) inner.push(error.socketError);
  return inner.some((e) => isTransient(e, depth + 1));
}
