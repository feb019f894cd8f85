// Page fetches of one feed's poll, bounded: a few at once, a cap per poll, a deadline. Real HTTP on 127.0.0.1 (the
// feed server and a server whose pages never answer), the real fetcher and extractor, in-memory stores. Every test
// counts what was stored across polls: an item whose page was not fetched waits, it is never lost.
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import { httpPageFetcher } from '../../src/feeds/fetch-page.js';
import { feedSource, httpFeedFetcher } from '../../src/feeds/poll-feed.js';
import type { PageFetchBounds } from '../../src/pipeline/page-fetches.js';
import { type FeedPollReport, type IngestDeps, pollFeeds } from '../../src/pipeline/poll-feeds.js';
import type { Logger } from '../../src/ports.js';
import { body, conditional, type FeedServer, startFeedServer } from '../fakes/feed-server.js';
import { MemoryArticles, MemoryFeeds } from '../fakes/memory-stores.js';
import { type StuckServer, startStuckServer } from '../fakes/stuck-server.js';

/** Slack for timers and a busy 2-core machine: a bound is met when the poll ends within bound + this. */
const SLACK_MS = 3_000;
const NOW = new Date('2025-03-03T10:00:00Z');

interface Logged {
  readonly obj: unknown;
  readonly msg: string | undefined;
}

function recordingLogger(lines: Logged[]): Logger {
  const log = (obj: unknown, msg?: string) => {
    lines.push({ obj, msg });
  };
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

/** An RSS feed of `count` snippet-only items whose links are `${linkBase}/<n>`. */
function snippetFeed(count: number, linkBase: string, prefix = 'item'): string {
  const items = Array.from(
    { length: count },
    (_, n) =>
      `<item><guid>${prefix}-${n}</guid><title>Story ${n}</title><link>${linkBase}/${n}</link>` +
      `<pubDate>${NOW.toUTCString()}</pubDate><description>Short teaser ${n}.</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${items.join('')}</channel></rss>`;
}

const ARTICLE_PAGE = `<!doctype html><html><head><title>Envoys meet</title></head><body><article><h1>Envoys meet</h1>${Array.from(
  { length: 8 },
  (_, k) =>
    `<p>Paragraph ${k + 1} of the report says the envoys met for several hours in the harbour town and agreed to meet again before the end of the month.</p>`,
).join('')}</article></body></html>`;

let feeds: FeedServer;
let stuck: StuckServer;
let guard: AddressGuard;
let agent: Agent;

beforeAll(async () => {
  stuck = await startStuckServer({ kind: 'hang' });
  feeds = await startFeedServer({ '/full': body(snippetFeed(0, '')) });
  guard = new AddressGuard({ allow: [feeds.hostPort, stuck.origin.replace('http://', '')] });
  agent = guard.createAgent({ connectTimeoutMs: 1_000 });
});

afterAll(async () => {
  await agent.close();
  await feeds.close();
  await stuck.close();
});

function ingest(options: { pageTimeoutMs: number; bounds: PageFetchBounds; lines?: Logged[] }): IngestDeps {
  const clock = { now: () => NOW };
  const limits = { guard, dispatcher: agent, userAgent: 'test', timeoutMs: options.pageTimeoutMs };
  return {
    feeds: new MemoryFeeds(),
    articles: new MemoryArticles(),
    clock,
    logger: recordingLogger(options.lines ?? []),
    source: feedSource({ fetch: httpFeedFetcher({ ...limits, timeoutMs: 5_000 }), clock }),
    enrich: httpPageFetcher(limits),
    pageFetches: options.bounds,
    concurrency: 4,
    snippetWords: 120,
    seenRefreshDays: 10,
  };
}

/** Polls `polled` once, forced, and times it. */
async function timedPoll(
  polled: readonly { url: string; name: string }[],
  deps: IngestDeps,
): Promise<{ ms: number; reports: FeedPollReport[] }> {
  const started = performance.now();
  const reports = await pollFeeds(
    polled.map((f) => ({ ...f, intervalMs: 15 * 60_000 })),
    deps,
    { force: true },
  );
  return { ms: Math.round(performance.now() - started), reports };
}

describe('page fetches of one poll', () => {
  it('30 hanging pages: 20 fetched 4 at a time, the poll ends in timeout x 5, the other feed is not delayed, none lost', async () => {
    feeds.handle(
      '/hanging',
      conditional(snippetFeed(30, `${stuck.origin}/page`), '"v1"', 'Mon, 03 Mar 2025 09:00:00 GMT'),
    );
    feeds.handle('/other', body(snippetFeed(3, feeds.url('/article'), 'other')));
    feeds.handle('/article/0', body(ARTICLE_PAGE, { contentType: 'text/html' }));
    feeds.handle('/article/1', body(ARTICLE_PAGE, { contentType: 'text/html' }));
    feeds.handle('/article/2', body(ARTICLE_PAGE, { contentType: 'text/html' }));
    const pageTimeoutMs = 600;
    const bounds = { concurrency: 4, perPoll: 20, waitPolls: 3, deadlineMs: 60_000 };
    const lines: Logged[] = [];
    const deps = ingest({ pageTimeoutMs, bounds, lines });
    const hanging = { url: feeds.url('/hanging'), name: 'hanging' };
    const other = { url: feeds.url('/other'), name: 'other' };
    const before = stuck.requests.length;

    // one round of polls, two feeds at once: the first report in is the other feed's, timed by its progress
    const started = performance.now();
    let otherMs = Number.NaN;
    const reports = await pollFeeds(
      [hanging, other].map((f) => ({ ...f, intervalMs: 900_000 })),
      deps,
      {
        force: true,
        onProgress: (p) => {
          if (p.done === 1) otherMs = Math.round(performance.now() - started);
        },
      },
    );
    const pollMs = Math.round(performance.now() - started);
    const [otherReport, first] = reports;
    expect(otherReport?.feed).toBe('other');
    const bound = pageTimeoutMs * Math.ceil(bounds.perPoll / bounds.concurrency);
    console.info(
      `30 hanging pages (timeout ${pageTimeoutMs} ms, 4 at once, 20 a poll): the feed's poll took ${pollMs} ms ` +
        `(bound ${bound} ms); the other feed's poll took ${otherMs} ms`,
    );
    expect(stuck.requests.length - before).toBe(20);
    expect(pollMs).toBeGreaterThanOrEqual(bound - 50);
    expect(pollMs).toBeLessThan(bound + SLACK_MS);
    expect(otherMs).toBeLessThan(1_000);
    expect(otherReport).toMatchObject({ outcome: 'stored', newArticles: 3 });
    // the 20 timed out: stored with their snippet; the 10 not tried wait, unstored and unseen
    expect(first).toMatchObject({ outcome: 'stored', newArticles: 20 });
    const waitLine = lines.find((l) => l.msg?.startsWith('pages not fetched'));
    expect(waitLine?.obj).toMatchObject({ fetched: 20, waiting: 10 });
    // the next poll must see the waiting items: no conditional GET while some wait
    expect((await deps.feeds.get(hanging.url))?.etag).toBeNull();

    const second = await timedPoll([hanging], deps);
    console.info(`the next poll fetched the 10 that waited in ${second.ms} ms`);
    expect(second.reports[0]).toMatchObject({ outcome: 'stored', newArticles: 10 });
    expect(stuck.requests.length - before).toBe(30);
    expect((await deps.feeds.get(hanging.url))?.etag).toBe('"v1"');
    const stored = (deps.articles as MemoryArticles).byId.size;
    expect(stored).toBe(33);
  }, 20_000);

  it('the poll deadline cuts page fetches off: the items wait, then are stored with their snippet, none lost', async () => {
    feeds.handle('/stalled', body(snippetFeed(30, `${stuck.origin}/stalled`, 'stalled')));
    const deadlineMs = 800;
    const bounds = { concurrency: 4, perPoll: 20, waitPolls: 2, deadlineMs };
    const lines: Logged[] = [];
    // pages that would take 20 s each: only the poll's deadline ends them
    const deps = ingest({ pageTimeoutMs: 20_000, bounds, lines });
    const stalled = { url: feeds.url('/stalled'), name: 'stalled' };
    const storedPerPoll: number[] = [];
    const pollMs: number[] = [];
    for (let poll = 0; poll < 3; poll++) {
      const { ms, reports } = await timedPoll([stalled], deps);
      pollMs.push(ms);
      storedPerPoll.push(reports[0]?.newArticles ?? -1);
    }
    console.info(`deadline ${deadlineMs} ms, every page hanging: polls took ${pollMs.join(', ')} ms`);
    for (const ms of pollMs) expect(ms).toBeLessThan(deadlineMs + SLACK_MS);
    // waitPolls 2: passed over twice, stored with the snippet at the third poll
    expect(storedPerPoll).toEqual([0, 0, 30]);
    expect(lines.filter((l) => l.msg?.startsWith('pages not fetched')).map((l) => l.obj)).toEqual([
      expect.objectContaining({ fetched: 0, waiting: 30, storedWithSnippet: 0, cutOff: 4 }),
      expect.objectContaining({ fetched: 0, waiting: 30, storedWithSnippet: 0, cutOff: 4 }),
      expect.objectContaining({ fetched: 0, waiting: 0, storedWithSnippet: 30, cutOff: 4 }),
    ]);
  }, 20_000);

  it('a 10,000-item feed: at most the cap of pages a poll, every item stored across polls', async () => {
    const count = 10_000;
    feeds.handle('/huge', body(snippetFeed(count, feeds.url('/huge-page'), 'huge')));
    let pageRequests = 0;
    for (let n = 0; n < count; n++) {
      feeds.handle(`/huge-page/${n}`, (_req, res) => {
        pageRequests++;
        res.writeHead(200, { 'content-type': 'text/html' }).end(ARTICLE_PAGE);
      });
    }
    const bounds = { concurrency: 4, perPoll: 20, waitPolls: 3, deadlineMs: 60_000 };
    const deps = ingest({ pageTimeoutMs: 5_000, bounds });
    const huge = { url: feeds.url('/huge'), name: 'huge' };
    const perPoll: { pages: number; stored: number; ms: number }[] = [];
    for (let poll = 0; poll < 5; poll++) {
      const before = pageRequests;
      const { ms, reports } = await timedPoll([huge], deps);
      perPoll.push({ pages: pageRequests - before, stored: reports[0]?.newArticles ?? -1, ms });
    }
    console.info(`10,000 snippet items, 20 pages a poll, 3 polls of waiting: ${JSON.stringify(perPoll)}`);
    for (const poll of perPoll) expect(poll.pages).toBeLessThanOrEqual(20);
    expect(perPoll.map((p) => p.stored)).toEqual([20, 20, 20, 20 + (count - 80), 0]);
    const articles = (deps.articles as MemoryArticles).byId;
    expect(articles.size).toBe(count);
    // the 80 whose page was fetched carry the page's text; the rest their snippet
    const full = [...articles.values()].filter((a) => a.text?.includes('Paragraph 8'));
    expect(full).toHaveLength(80);
  }, 60_000);

  it('an item that waited and has left the feed since is stored at the next poll', async () => {
    feeds.handle('/moving', body(snippetFeed(6, `${stuck.origin}/moving`, 'moving')));
    const bounds = { concurrency: 2, perPoll: 2, waitPolls: 5, deadlineMs: 60_000 };
    const deps = ingest({ pageTimeoutMs: 200, bounds });
    const moving = { url: feeds.url('/moving'), name: 'moving' };
    const first = await timedPoll([moving], deps);
    expect(first.reports[0]?.newArticles).toBe(2);
    // the feed now lists none of the six: the four that waited are stored all the same (2 pages, 2 over the cap)
    feeds.handle('/moving', body(snippetFeed(0, '')));
    const second = await timedPoll([moving], deps);
    const third = await timedPoll([moving], deps);
    expect([second.reports[0]?.newArticles, third.reports[0]?.newArticles]).toEqual([2, 2]);
    expect((deps.articles as MemoryArticles).byId.size).toBe(6);
  }, 20_000);
});
