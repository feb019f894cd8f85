// One poll of one feed, as the pipeline calls it through the FeedSource port: fetch (conditionally), parse, and work
// out the feed's next health record with the pure rules of domain/feed-health.ts (backoff, Retry-After, pausing).
import {
  DEFAULT_POLL_POLICY,
  initialHealth,
  nextHealth,
  type PolledFeed,
  type PollPolicy,
  type PollResult,
  type TransitionContext,
} from '../domain/feed-health.js';
import type { Clock, FeedHealth, FeedPoll, FeedSource, Logger } from '../ports.js';
import { type FeedCredentials, hasMaskedCredentials } from './credentials.js';
import { FeedError, FeedHttpStatusError } from './errors.js';
import type { ParsedFeed } from './feed-types.js';
import { type FetchTextOptions, type FetchTextResult, fetchText, type Validators } from './http-fetch.js';
import { parseFeed } from './parse-feed.js';

export type { PolledFeed, PollPolicy, PollResult, TransitionContext } from '../domain/feed-health.js';
export {
  backoffMs,
  DEFAULT_POLL_POLICY,
  healthChange,
  initialHealth,
  isDue,
  nextHealth,
  resumeHealth,
} from '../domain/feed-health.js';

/** How a feed is fetched: `fetchText` with the guard and limits bound, or a fake in tests. */
export type FeedFetcher = (url: string, validators: Validators) => Promise<FetchTextResult>;

/**
 * A FeedFetcher over `fetchText`, with everything but the validators fixed. A feed known by a URL with masked
 * credentials (`user:***@`) is fetched with its entry in `credentialsByFeed` (`feedCredentials(config.feeds)`),
 * and not at all without one.
 */
export function httpFeedFetcher(
  options: Omit<FetchTextOptions, 'validators'> & { readonly credentialsByFeed?: FeedCredentials },
): FeedFetcher {
  const { credentialsByFeed, ...fetchOptions } = options;
  return async (url, validators) => {
    const credentials = credentialsByFeed?.get(url);
    if (credentials !== undefined) return fetchText(url, { ...fetchOptions, validators, credentials });
    if (hasMaskedCredentials(url)) {
      throw new FeedError(`${url} was not requested: its user name and password were not handed to the fetcher`, url);
    }
    return fetchText(url, { ...fetchOptions, validators });
  };
}

export interface PollDeps {
  readonly fetch: FeedFetcher;
  readonly clock: Clock;
  readonly policy?: Partial<PollPolicy>;
  readonly parse?: (text: string, options: { url: string }) => Promise<ParsedFeed>;
  /** Told what a poll dropped without failing (item links with a refused scheme). */
  readonly logger?: Logger;
}

/**
 * The port's FeedPoll, with what only the feeds adapter knows so far: how many item links it dropped for their
 * scheme (file:, ftp:, data: ...). A FeedPoll still, so the pipeline reads it unchanged until the port carries it.
 */
export type PollOutcome =
  | Exclude<FeedPoll, { kind: 'updated' }>
  | (Extract<FeedPoll, { kind: 'updated' }> & {
      readonly feed: ParsedFeed;
      /** Item links dropped for their scheme in this poll, for the feed's health. */
      readonly refusedLinks: number;
    });

/** The FeedSource port over pollFeed. */
export function feedSource(deps: PollDeps): FeedSource {
  return { poll: (feed, health) => pollFeed(feed, health, deps) };
}

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
      ...(response.movedTo !== undefined ? { movedTo: response.movedTo } : {}),
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
