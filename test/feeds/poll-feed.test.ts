import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import { FeedHttpStatusError, FeedParseError } from '../../src/feeds/errors.js';
import type { FetchTextResult } from '../../src/feeds/http-fetch.js';
import {
  backoffMs,
  DEFAULT_POLL_POLICY,
  type FeedFetcher,
  healthChange,
  httpFeedFetcher,
  initialHealth,
  isDue,
  nextHealth,
  type PollResult,
  pollFeed,
  resumeHealth,
} from '../../src/feeds/poll-feed.js';
import type { Clock, FeedHealth, Logger } from '../../src/ports.js';
import { conditional, type FeedServer, startFeedServer } from '../fakes/feed-server.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = new Date('2024-06-04T12:00:00.000Z');
const FEED = { url: 'https://news.example/feed.xml', name: 'Example', intervalMs: 15 * MIN };
const context = { now: NOW, intervalMs: FEED.intervalMs, policy: DEFAULT_POLL_POLICY };
const later = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();
const fail = (retryAfterMs: number | null = null): PollResult => ({ kind: 'failed', message: 'boom', retryAfterMs });
const fresh = initialHealth(FEED);
const failing = (n: number): FeedHealth => ({ ...fresh, consecutiveFailures: n, lastError: 'old', initialized: true });

describe('nextHealth', () => {
  it.each([
    // failures before -> delay until the next poll
    [0, 30 * MIN],
    [1, 1 * HOUR],
    [2, 2 * HOUR],
    [3, 4 * HOUR],
    [4, 8 * HOUR],
    [5, 16 * HOUR],
    [6, 24 * HOUR], // 32 h capped
    [8, 24 * HOUR],
  ])('after %i failures, the next one backs off %i ms', (before, delay) => {
    const health = nextHealth(failing(before), fail(), context);
    expect(health.consecutiveFailures).toBe(before + 1);
    expect(health.nextPollAt).toBe(later(delay));
    expect(health.lastError).toBe('boom');
    expect(health.lastErrorAt).toBe(NOW.toISOString());
    expect(health.pausedAt).toBeNull();
  });

  it.each([
    ['Retry-After longer than the backoff wins', 0, 3 * HOUR, 3 * HOUR],
    ['backoff longer than Retry-After wins', 3, 10 * MIN, 4 * HOUR],
    ['Retry-After beyond the 24 h backoff cap is honoured', 7, 36 * HOUR, 36 * HOUR],
    ['Retry-After is held to 7 days', 0, 30 * 24 * HOUR, 7 * 24 * HOUR],
  ])('%s', (_name, before, retryAfterMs, delay) => {
    expect(nextHealth(failing(before), fail(retryAfterMs), context).nextPollAt).toBe(later(delay));
  });

  it('pauses after the configured number of failures', () => {
    const policy = { ...DEFAULT_POLL_POLICY, pauseAfterFailures: 3 };
    const second = nextHealth(failing(1), fail(), { ...context, policy });
    expect(second.pausedAt).toBeNull();
    const third = nextHealth(second, fail(), { ...context, policy });
    const probe = new Date(NOW.getTime() + DEFAULT_POLL_POLICY.probeMs).toISOString();
    expect(third).toMatchObject({
      consecutiveFailures: 3,
      pausedAt: NOW.toISOString(),
      nextPollAt: probe,
      lastError: 'boom',
    });
    // paused: not polled until its probe is due, then once (half-open)
    expect(isDue(third, new Date(NOW.getTime() + DEFAULT_POLL_POLICY.probeMs - 1))).toBe(false);
    expect(isDue(third, new Date(probe))).toBe(true);
    // a failed probe keeps it paused since the first pause and waits for the next probe
    const later = new Date(Date.parse(probe));
    const fourth = nextHealth(third, fail(), { ...context, now: later, policy });
    expect(fourth.pausedAt).toBe(NOW.toISOString());
    expect(fourth.nextPollAt).toBe(new Date(later.getTime() + DEFAULT_POLL_POLICY.probeMs).toISOString());
    // a feed paused before probes existed (no next poll) waits for an operator
    expect(isDue({ ...third, nextPollAt: null }, new Date(NOW.getTime() + 365 * 24 * HOUR))).toBe(false);
  });

  it.each([
    ['healthy stays quiet', 0, null, 0, null, null],
    ['the third failure in a row: failing', 2, null, 3, null, 'failing'],
    ['the fourth: already told', 3, null, 4, null, null],
    ['paused now', 9, null, 10, 'p', 'paused'],
    ['still paused after a probe', 10, 'p', 11, 'p', null],
    ['a success after failing: recovered', 5, null, 0, null, 'recovered'],
    ['a success after a pause: recovered', 10, 'p', 0, null, 'recovered'],
    ['one failure then success: nothing to say', 1, null, 0, null, null],
  ])('healthChange: %s', (_, failuresBefore, pausedBefore, failuresAfter, pausedAfter, change) => {
    const before = { ...failing(failuresBefore), pausedAt: pausedBefore };
    const after = { ...failing(failuresAfter), pausedAt: pausedAfter };
    expect(healthChange(before, after)).toBe(change);
  });

  it('a success resets failures, stores validators and schedules the next poll at the interval', () => {
    const health = nextHealth(
      { ...failing(4), pausedAt: null },
      { kind: 'fetched', validators: { etag: '"e"', lastModified: 'Tue, 04 Jun 2024 10:00:00 GMT' }, items: 7 },
      context,
    );
    expect(health).toEqual({
      ...fresh,
      lastSuccessAt: NOW.toISOString(),
      lastError: 'old', // kept: `newsdigest feeds` shows the last error even after recovery
      consecutiveFailures: 0,
      nextPollAt: later(15 * MIN),
      items: 7,
      etag: '"e"',
      lastModified: 'Tue, 04 Jun 2024 10:00:00 GMT',
      initialized: true,
    });
  });

  it('a 304 keeps validators and items, and also counts as recovery', () => {
    const before = { ...failing(2), etag: '"e"', lastModified: 'x', items: 5 };
    const health = nextHealth(before, { kind: 'not-modified' }, context);
    expect(health).toMatchObject({ consecutiveFailures: 0, etag: '"e"', lastModified: 'x', items: 5 });
    expect(health.nextPollAt).toBe(later(15 * MIN));
    expect(health.lastSuccessAt).toBe(NOW.toISOString());
  });

  it('backoffMs never overflows', () => {
    expect(backoffMs(5000, 15 * MIN, 24 * HOUR)).toBe(24 * HOUR);
  });

  it('resumeHealth clears a pause', () => {
    const paused = { ...failing(10), pausedAt: NOW.toISOString() };
    expect(isDue(paused, NOW)).toBe(false);
    expect(isDue(resumeHealth(paused), NOW)).toBe(true);
    expect(resumeHealth(paused).consecutiveFailures).toBe(0);
  });

  it.each([
    [undefined, true],
    [fresh, true],
    [{ ...fresh, nextPollAt: later(-1) }, true],
    [{ ...fresh, nextPollAt: later(0) }, true],
    [{ ...fresh, nextPollAt: later(1) }, false],
    [{ ...fresh, pausedAt: NOW.toISOString() }, false],
  ])('isDue(%j)', (health, due) => {
    expect(isDue(health, NOW)).toBe(due);
  });
});

const clock: Clock = { now: () => NOW };
const RSS = '<rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>One</title></item></channel></rss>';

function fetcher(...answers: (FetchTextResult | Error)[]): FeedFetcher & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const fn = async (...args: unknown[]): Promise<FetchTextResult> => {
    calls.push(args);
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return Object.assign(fn, { calls });
}

const ok = (text: string, etag: string | null = '"v1"'): FetchTextResult => ({
  notModified: false,
  url: FEED.url,
  status: 200,
  text,
  contentType: 'application/rss+xml',
  encoding: 'utf-8',
  validators: { etag, lastModified: null },
});

describe('pollFeed', () => {
  it('first poll: parsed items, flagged as backfill; later polls send validators and handle 304', async () => {
    const fetch = fetcher(ok(RSS), ok(RSS), { notModified: true, url: FEED.url });
    const first = await pollFeed(FEED, undefined, { fetch, clock });
    expect(first.kind).toBe('updated');
    if (first.kind !== 'updated') return;
    expect(first.firstPoll).toBe(true);
    expect(first.feed.items.map((i) => i.id)).toEqual(['1']);
    expect(first.health).toMatchObject({ feed: 'Example', initialized: true, etag: '"v1"', items: 1 });
    expect(fetch.calls[0]).toEqual([FEED.url, { etag: null, lastModified: null }]);

    const second = await pollFeed(FEED, first.health, { fetch, clock });
    expect(second.kind === 'updated' && second.firstPoll).toBe(false);
    expect(fetch.calls[1]).toEqual([FEED.url, { etag: '"v1"', lastModified: null }]);

    const third = await pollFeed(FEED, second.health, { fetch, clock });
    expect(third.kind).toBe('not-modified');
    expect(third.health.etag).toBe('"v1"');
  });

  it('says which item links it dropped for their scheme, and keeps the items', async () => {
    const items = [
      ['f', 'file:///etc/passwd'],
      ['t', 'ftp://files.example/story.txt'],
      ['d', 'data:text/html,<script>alert(1)</script>'],
      ['h', 'https://news.example/fine'],
    ]
      .map(([id, link]) => `<item><guid>${id}</guid><title>Item ${id}</title><link>${link}</link></item>`)
      .join('');
    const warnings: { obj: object | string; msg: string | undefined }[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn: (obj, msg) => void warnings.push({ obj, msg }),
      error() {},
      child: () => logger,
    };
    const feed = `<rss version="2.0"><channel><title>T</title>${items}</channel></rss>`;
    const outcome = await pollFeed(FEED, undefined, { fetch: fetcher(ok(feed)), clock, logger });
    if (outcome.kind !== 'updated') throw new Error(`expected an update, got ${outcome.kind}`);
    expect(outcome.feed.items.map((i) => [i.id, i.link])).toEqual([
      ['f', null],
      ['t', null],
      ['d', null],
      ['h', 'https://news.example/fine'],
    ]);
    expect(outcome.refusedLinks).toBe(3);
    expect(warnings).toEqual([
      {
        obj: {
          feed: 'Example',
          url: FEED.url,
          refusedLinks: 3,
          schemes: ['file:', 'ftp:', 'data:'],
          items: ['f', 't', 'd'],
        },
        msg: expect.stringContaining('only http and https links are followed'),
      },
    ]);
  });

  it('a 429 with Retry-After schedules the next poll no earlier than asked', async () => {
    const fetch = fetcher(new FeedHttpStatusError(FEED.url, 429, 5 * HOUR));
    const outcome = await pollFeed(FEED, undefined, { fetch, clock });
    expect(outcome.kind).toBe('failed');
    expect(outcome.health.nextPollAt).toBe(later(5 * HOUR));
    expect(outcome.health.lastError).toContain('HTTP 429');
  });

  it('a parse failure is a failed poll and keeps the old validators', async () => {
    const fetch = fetcher(ok('<html><body>Oops</body></html>', '"new"'));
    const before = { ...fresh, etag: '"old"', initialized: true };
    const outcome = await pollFeed(FEED, before, { fetch, clock });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error).toBeInstanceOf(FeedParseError);
    expect(outcome.health).toMatchObject({ etag: '"old"', consecutiveFailures: 1 });
    expect(outcome.health.lastError).toContain('HTML page');
  });

  it('an unexpected exception is recorded with its class name, never thrown', async () => {
    const fetch = fetcher(new RangeError('bug'));
    const outcome = await pollFeed(FEED, undefined, { fetch, clock, policy: { pauseAfterFailures: 1 } });
    expect(outcome.kind).toBe('failed');
    expect(outcome.health).toMatchObject({ lastError: 'RangeError: bug', pausedAt: NOW.toISOString() });
  });

  describe('over HTTP', () => {
    let server: FeedServer;
    beforeAll(async () => {
      server = await startFeedServer({ '/feed': conditional(RSS, '"etag-1"', 'Mon, 03 Jun 2024 00:00:00 GMT') });
    });
    afterAll(async () => {
      await server.close();
    });

    it('polls a real server: 200 with validators, then a 304 that reads no body', async () => {
      const guard = new AddressGuard({ allow: [server.hostPort] });
      const agent = guard.createAgent({ connectTimeoutMs: 1000 });
      const fetch = httpFeedFetcher({ guard, userAgent: 'test', dispatcher: agent, timeoutMs: 2000 });
      const feed = { ...FEED, url: server.url('/feed') };
      try {
        const first = await pollFeed(feed, undefined, { fetch, clock });
        expect(first.kind).toBe('updated');
        expect(first.health.etag).toBe('"etag-1"');
        const second = await pollFeed(feed, first.health, { fetch, clock });
        expect(second.kind).toBe('not-modified');
        expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"etag-1"');
      } finally {
        await agent.close();
      }
    });
  });
});
