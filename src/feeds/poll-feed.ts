// One poll of one feed, as the pipeline calls it: fetch (conditionally), parse, and work out the feed's next
// health record. The health transition is a pure function of (previous health, what happened, now), so backoff,
// Retry-After and pausing are tested as tables; `pollFeed` only does the I/O around it.
import type { Clock, FeedHealth, Logger } from '../ports.js';
import { FeedError, FeedHttpStatusError } from './errors.js';
import type { ParsedFeed } from './feed-types.js';
import { type FetchTextOptions, type FetchTextResult, fetchText, type Validators } from './http-fetch.js';
import { parseFeed } from './parse-feed.js';

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
  /** Consecutive failures after which polling stops (`pausedAt`) until someone resumes the feed. */
  readonly pauseAfterFailures: number;
  /** Retry-After is honoured up to this long, so a hostile or broken server cannot park a feed for years. */
  readonly maxRetryAfterMs: number;
}

const HOUR = 3_600_000;
export const DEFAULT_POLL_POLICY: PollPolicy = {
  maxBackoffMs: 24 * HOUR,
  pauseAfterFailures: 10,
  maxRetryAfterMs: 7 * 24 * HOUR,
};

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
  if (health.pausedAt !== null) return false;
  return health.nextPollAt === null || Date.parse(health.nextPollAt) <= now.getTime();
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
  if (failures >= policy.pauseAfterFailures) return { ...failed, pausedAt: now.toISOString(), nextPollAt: null };
  const retryAfter = result.retryAfterMs === null ? 0 : Math.min(result.retryAfterMs, policy.maxRetryAfterMs);
  const delay = Math.max(backoffMs(failures, intervalMs, policy.maxBackoffMs), retryAfter);
  return { ...failed, pausedAt: null, nextPollAt: at(delay) };
}

/** How a feed is fetched: `fetchText` with the guard and limits bound, or a fake in tests. */
export type FeedFetcher = (url: string, validators: Validators) => Promise<FetchTextResult>;

/** A FeedFetcher over `fetchText`, with everything but the validators fixed. */
export function httpFeedFetcher(options: Omit<FetchTextOptions, 'validators'>): FeedFetcher {
  return (url, validators) => fetchText(url, { ...options, validators });
}

export interface PollDeps {
  readonly fetch: FeedFetcher;
  readonly clock: Clock;
  readonly policy?: Partial<PollPolicy>;
  readonly parse?: (text: string, options: { url: string }) => Promise<ParsedFeed>;
  /** Told what a poll dropped without failing (item links with a refused scheme). */
  readonly logger?: Logger;
}

export type PollOutcome =
  | {
      readonly kind: 'updated';
      readonly health: FeedHealth;
      readonly feed: ParsedFeed;
      /** The feed had never been polled successfully: its items are backfill, not news. */
      readonly firstPoll: boolean;
      /** Where the text came from after redirects (a permanent move shows here). */
      readonly url: string;
      /** Item links dropped for their scheme in this poll (file:, ftp:, data: ...), for the feed's health. */
      readonly refusedLinks: number;
    }
  | { readonly kind: 'not-modified'; readonly health: FeedHealth }
  | {
      readonly kind: 'failed';
      readonly health: FeedHealth;
      /** A FeedError for a bad feed; anything else is a bug worth logging loudly. */
      readonly error: Error;
    };

/** Polls one feed. Never throws: every failure becomes a `failed` outcome with the feed's next health. */
export async function pollFeed(feed: PolledFeed, health: FeedHealth | undefined, deps: PollDeps): Promise<PollOutcome> {
  const previous = health ?? initialHealth(feed);
  const policy = { ...DEFAULT_POLL_POLICY, ...deps.policy };
  const context = (): TransitionContext => ({ now: deps.clock.now(), intervalMs: feed.intervalMs, policy });
  try {
    const response = await deps.fetch(feed.url, { etag: previous.etag, lastModified: previous.lastModified });
    if (response.notModified) {
      return { kind: 'not-modified', health: nextHealth(previous, { kind: 'not-modified' }, context()) };
    }
    const parsed = await (deps.parse ?? parseFeed)(response.text, { url: response.url });
    const result: PollResult = { kind: 'fetched', validators: response.validators, items: parsed.items.length };
    const refused = parsed.refusedLinks ?? [];
    if (refused.length > 0) {
      const schemes = [...new Set(refused.map((r) => r.scheme))];
      deps.logger?.warn(
        {
          feed: feed.name,
          url: feed.url,
          refusedLinks: refused.length,
          schemes,
          items: refused.slice(0, 10).map((r) => r.item),
        },
        'item links dropped: only http and https links are followed; the items are kept without their link',
      );
    }
    return {
      kind: 'updated',
      health: nextHealth(previous, result, context()),
      feed: parsed,
      firstPoll: !previous.initialized,
      url: response.url,
      refusedLinks: refused.length,
    };
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const result: PollResult = {
      kind: 'failed',
      message: error instanceof FeedError ? error.message : `${error.name}: ${error.message}`,
      retryAfterMs: error instanceof FeedHttpStatusError ? error.retryAfterMs : null,
    };
    return { kind: 'failed', health: nextHealth(previous, result, context()), error };
  }
}
