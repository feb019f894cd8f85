// How long a Discord REST call may take and how often it is tried. discord.js waits 15 s per request and retries
// a timeout or a 5xx three times (a minute against a Discord that hangs), and waits out any rate limit however long.
// Here one call ends within 24 s, a rate limit longer than the budget fails it at once (RateLimitError), and a
// down Discord fails that channel's digest, which is retried at the next slot.
import type { RateLimitData, RESTOptions } from 'discord.js';

export interface DiscordRequestPolicy {
  /** One HTTP request, from sending to the answer's headers. */
  readonly timeoutMs: number;
  /** Further tries after a timeout, a reset connection or a 5xx (discord.js retries them at once). */
  readonly retries: number;
  /** A rate-limit wait (429 Retry-After, or an exhausted bucket) is waited out up to this long; longer ones fail. */
  readonly maxRetryAfterMs: number;
}

export const discordRequestPolicies = {
  /** Three tries of 8 s at most: 24 s against a Discord that never answers; rate limits waited up to 8 s. */
  fewRetriesWithinHalfAMinute: { timeoutMs: 8_000, retries: 2, maxRetryAfterMs: 8_000 },
  /** The same shape in milliseconds, for tests. */
  fastForTests: { timeoutMs: 300, retries: 2, maxRetryAfterMs: 1_000 },
} as const satisfies Record<string, DiscordRequestPolicy>;

const OFFSET_ALLOWANCE_MS = 100;

/** The longest a call can take while Discord fails or hangs (each rate-limit wait adds at most maxRetryAfterMs). */
export function worstCaseMs(policy: DiscordRequestPolicy): number {
  return (policy.retries + 1) * policy.timeoutMs;
}

/** The discord.js REST options that carry `policy`. */
export function discordRestOptions(
  policy: DiscordRequestPolicy = discordRequestPolicies.fewRetriesWithinHalfAMinute,
): Pick<RESTOptions, 'timeout' | 'retries' | 'rejectOnRateLimit'> {
  return {
    timeout: policy.timeoutMs,
    retries: policy.retries,
    // discord.js adds its 50 ms offset to the server's wait: "8 s" must still count as 8 s
    rejectOnRateLimit: (limit: RateLimitData) => limit.retryAfter > policy.maxRetryAfterMs + OFFSET_ALLOWANCE_MS,
  };
}
