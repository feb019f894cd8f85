// How long a Slack Web API call may take and how often it is tried. The WebClient's own defaults have no request
// timeout and retry for minutes (issue 11: `run --once` against a Slack that never answers still ran after 400 s),
// which holds a digest, and everything queued behind it, far past its slot. Here one call ends within 24 s at
// worst: a down Slack fails that channel's digest, which is retried at the next slot.
import type { webApi } from '@slack/bolt';

export interface SlackRequestPolicy {
  /** One HTTP request, from sending to the whole answer. */
  readonly timeoutMs: number;
  /** The WebClient's retries (node-retry options); `maxRetryTime` is when no further attempt is started. */
  readonly retryConfig: webApi.RetryOptions & { readonly maxRetryTime: number };
  /**
   * A 429's Retry-After is honoured up to this long (the WebClient pauses, then tries again). A longer one fails
   * the call at once as Slack's `ratelimited`, instead of pausing every call of the client for that long.
   */
  readonly maxRetryAfterMs: number;
}

export const slackRequestPolicies = {
  /** Up to four tries of 8 s each, 1, 2 and 4 s apart, none started after 12 s + its wait: 24 s at worst. */
  fewRetriesWithinHalfAMinute: {
    timeoutMs: 8_000,
    retryConfig: { retries: 3, factor: 2, minTimeout: 1_000, maxTimeout: 4_000, maxRetryTime: 12_000 },
    maxRetryAfterMs: 8_000,
  },
  /** The same shape in milliseconds, for tests. */
  fastForTests: {
    timeoutMs: 300,
    retryConfig: { retries: 2, factor: 1, minTimeout: 20, maxTimeout: 20, maxRetryTime: 2_000 },
    maxRetryAfterMs: 1_000,
  },
} as const satisfies Record<string, SlackRequestPolicy>;

/**
 * The longest one call can take under `policy`. An attempt lasts at most its timeout (or the longest Retry-After
 * pause); a retry is started only when the attempt before it ended before `maxRetryTime`. So the call ends by the
 * sooner of: every attempt and wait at its longest, or `maxRetryTime` + the longest wait + one more attempt.
 */
export function worstCaseMs(policy: SlackRequestPolicy): number {
  const { retries = 10, factor = 2, minTimeout = 1_000, maxTimeout = Number.POSITIVE_INFINITY } = policy.retryConfig;
  const random = policy.retryConfig.randomize ? 2 : 1;
  const waits = Array.from({ length: retries }, (_, i) =>
    Math.min(maxTimeout, random * Math.max(minTimeout, 1) * factor ** i),
  );
  const attemptMs = Math.max(policy.timeoutMs, policy.maxRetryAfterMs);
  const everyAttempt = (retries + 1) * attemptMs + waits.reduce((sum, wait) => sum + wait, 0);
  return Math.min(everyAttempt, policy.retryConfig.maxRetryTime + Math.max(0, ...waits) + attemptMs);
}

type SlackFetch = NonNullable<webApi.WebClientOptions['fetch']>;

/** The WebClient options that carry `policy`; `retryConfig` overrides the policy's retries (tests use rapid ones). */
export function slackClientOptions(
  policy: SlackRequestPolicy = slackRequestPolicies.fewRetriesWithinHalfAMinute,
  retryConfig: webApi.RetryOptions = policy.retryConfig,
): Pick<webApi.WebClientOptions, 'timeout' | 'retryConfig' | 'fetch'> {
  return { timeout: policy.timeoutMs, retryConfig, fetch: cappedRetryAfter(policy.maxRetryAfterMs) };
}

/**
 * `fetch` for the WebClient: a 429 whose Retry-After is longer than `maxMs` is answered as Slack answers a call it
 * refuses for rate limiting (`{ ok: false, error: "ratelimited" }`), which the WebClient throws at once.
 */
function cappedRetryAfter(maxMs: number): SlackFetch {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (response.status !== 429) return response;
    const seconds = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    if (Number.isNaN(seconds) || seconds * 1000 <= maxMs) return response;
    await response.body?.cancel().catch(() => undefined);
    return Response.json({ ok: false, error: 'ratelimited', retry_after: seconds });
  };
}
