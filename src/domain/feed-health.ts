// A feed's health over time, as pure rules: when it is due, how long it backs off after failures, when Retry-After
// is honoured, when it is paused. Tested as tables; feeds/poll-feed.ts does the I/O around them.

export interface FeedHealth {
  readonly feed: string;
  readonly url: string;
  readonly lastSuccessAt: string | null;
  readonly lastErrorAt: string | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  /** When the feed may be polled next (backoff or Retry-After), ISO. */
  readonly nextPollAt: string | null;
  /** Set when the feed kept failing and polling stopped. */
  readonly pausedAt: string | null;
  readonly items: number;
  /** HTTP validators for conditional GET. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** False until the first successful poll stored its items as backfill. */
  readonly initialized: boolean;
  /** What the last poll found wrong with the items themselves (impossible dates), or null. */
  readonly lastWarning?: string | null | undefined;
}

export interface PolledFeed {
  readonly url: string;
  /** The configured name; the URL when unnamed. */
  readonly name: string;
  /** The feed's poll interval, and the base of its backoff. */
  readonly intervalMs: number;
}

export interface PollPolicy {
  /** The longest backoff between two failing polls. */
  readonly maxBackoffMs: number;
  /** Consecutive failures after which the feed is paused (`pausedAt`): polled only to probe, every `probeMs`. */
  readonly pauseAfterFailures: number;
  /** How often a paused feed is tried once more (half-open); a success resumes it. */
  readonly probeMs: number;
  /** Retry-After is honoured up to this long, so a hostile or broken server cannot park a feed for years. */
  readonly maxRetryAfterMs: number;
}

const HOUR = 3_600_000;
export const DEFAULT_POLL_POLICY: PollPolicy = {
  maxBackoffMs: 24 * HOUR,
  pauseAfterFailures: 10,
  probeMs: 6 * HOUR,
  maxRetryAfterMs: 7 * 24 * HOUR,
};

/** HTTP validators for conditional GET. */
export interface Validators {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** What a poll produced, reduced to what the health record needs. */
export type PollResult =
  | { readonly kind: 'fetched'; readonly validators: Validators; readonly items: number }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'failed'; readonly message: string; readonly retryAfterMs: number | null };

export interface TransitionContext {
  readonly now: Date;
  readonly intervalMs: number;
  readonly policy: PollPolicy;
}

export function initialHealth(feed: Pick<PolledFeed, 'url' | 'name'>): FeedHealth {
  return {
    feed: feed.name,
    url: feed.url,
    lastSuccessAt: null,
    lastErrorAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    pausedAt: null,
    items: 0,
    etag: null,
    lastModified: null,
    initialized: false,
  };
}

/** Whether a feed should be polled at `now`: not paused, and its next poll time (if any) has come. */
export function isDue(health: FeedHealth | undefined, now: Date): boolean {
  if (health === undefined) return true;
  // a paused feed is due only for its probe (nextPollAt); one paused before probes existed waits for a resume
  if (health.pausedAt !== null && health.nextPollAt === null) return false;
  return health.nextPollAt === null || Date.parse(health.nextPollAt) <= now.getTime();
}

/** What changed for the feed with this poll, worth telling an operator once (not on every poll). */
export type HealthChange = 'failing' | 'paused' | 'recovered' | null;

/** Failures in a row after which a feed is reported as failing. */
export const FAILING_AFTER = 3;

export function healthChange(before: FeedHealth | undefined, after: FeedHealth): HealthChange {
  const wasBad = before !== undefined && (before.pausedAt !== null || before.consecutiveFailures >= FAILING_AFTER);
  if (after.consecutiveFailures === 0) return wasBad ? 'recovered' : null;
  if (after.pausedAt !== null && (before?.pausedAt ?? null) === null) return 'paused';
  if (after.consecutiveFailures === FAILING_AFTER && after.pausedAt === null) return 'failing';
  return null;
}

/** Clears a pause so the next tick polls the feed again (an operator fixed the URL, or the site came back). */
export function resumeHealth(health: FeedHealth): FeedHealth {
  return { ...health, pausedAt: null, consecutiveFailures: 0, nextPollAt: null };
}

/** Delay before the next poll after `failures` consecutive failures: interval x 2^failures, capped. */
export function backoffMs(failures: number, intervalMs: number, maxBackoffMs: number): number {
  // Cap the exponent first: 2^1100 is Infinity, and nothing useful lies past the cap anyway.
  const factor = 2 ** Math.min(failures, 52);
  return Math.min(maxBackoffMs, intervalMs * factor);
}

/** The pure state transition: previous health + what the poll produced + now -> next health. */
export function nextHealth(health: FeedHealth, result: PollResult, context: TransitionContext): FeedHealth {
  const { now, intervalMs, policy } = context;
  const at = (ms: number): string => new Date(now.getTime() + ms).toISOString();
  if (result.kind !== 'failed') {
    // a 304 is a success too: the feed answered and nothing changed
    const succeeded = {
      ...health,
      lastSuccessAt: now.toISOString(),
      consecutiveFailures: 0,
      pausedAt: null,
      nextPollAt: at(intervalMs),
    };
    if (result.kind === 'not-modified') return succeeded;
    return {
      ...succeeded,
      items: result.items,
      etag: result.validators.etag,
      lastModified: result.validators.lastModified,
      initialized: true,
    };
  }
  const failures = health.consecutiveFailures + 1;
  const failed = {
    ...health,
    consecutiveFailures: failures,
    lastError: result.message,
    lastErrorAt: now.toISOString(),
  };
  if (failures >= policy.pauseAfterFailures) {
    // paused (or still paused after a probe): tried again once every probeMs until it answers
    return { ...failed, pausedAt: health.pausedAt ?? now.toISOString(), nextPollAt: at(policy.probeMs) };
  }
  const retryAfter = result.retryAfterMs === null ? 0 : Math.min(result.retryAfterMs, policy.maxRetryAfterMs);
  const delay = Math.max(backoffMs(failures, intervalMs, policy.maxBackoffMs), retryAfter);
  return { ...failed, pausedAt: null, nextPollAt: at(delay) };
}
