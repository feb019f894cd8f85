// Slack's 429s, honoured exactly: the WebClient is told to reject rate-limited calls (rejectRateLimitedCalls), and
// the call is retried after the Retry-After Slack sent, no sooner and no later. The WebClient's own retry would
// wait Retry-After and then its backoff on top (3.0, 5.9, 16.9 s for "Retry-After: 2").
import { webApi } from '@slack/bolt';

export interface RetryAfterOptions {
  /** Rate-limited attempts retried before giving up with the WebAPIRateLimitedError. */
  readonly retries?: number;
  /** The longest single wait accepted; a longer Retry-After gives up at once (the digest retries next run). */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Within the request policy's budget (request-policy.ts): a slot's digest never waits minutes on one call. */
const DEFAULTS = { retries: 3, maxWaitMs: 8_000 };

export async function withRetryAfter<T>(call: () => Promise<T>, options: RetryAfterOptions = {}): Promise<T> {
  const retries = options.retries ?? DEFAULTS.retries;
  const maxWaitMs = options.maxWaitMs ?? DEFAULTS.maxWaitMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof webApi.WebAPIRateLimitedError) || attempt >= retries) throw error;
      const waitMs = error.retryAfter * 1000;
      if (waitMs > maxWaitMs) throw error;
      await sleep(waitMs);
    }
  }
}
