import { describe, expect, it } from 'vitest';
import { initialHealth } from '../../src/domain/feed-health.js';
import { FeedHttpStatusError } from '../../src/feeds/errors.js';
import { type FeedFetcher, feedSource } from '../../src/feeds/poll-feed.js';
import { articleId, type IngestDeps, type PollProgress, pollFeeds } from '../../src/pipeline/poll-feeds.js';
import type { Logger } from '../../src/ports.js';
import { MemoryArticles, MemoryFeeds } from '../fakes/memory-stores.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const FEED = { url: 'https://wire.example/rss', name: 'Coastline Wire', intervalMs: 15 * 60_000 };

function rss(items: { guid: string; title: string; body: string; date: string; link?: string }[]): string {
  const xmlItems = items
    .map(
      (
        i,
      ) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${i.link ?? `https://wire.example/${i.guid}`}</link>
<pubDate>${new Date(i.date).toUTCString()}</pubDate><description><![CDATA[${i.body}]]></description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${xmlItems}</channel></rss>`;
}

/** A feed server's 200 answer with this RSS text (and an ETag when given). */
function rssAnswer(url: string, text: string, etag: string | null = null) {
  return {
    notModified: false,
    url,
    status: 200,
    text,
    contentType: 'application/rss+xml',
    encoding: 'utf-8',
    validators: { etag, lastModified: null },
  };
}

const LONG = Array.from(
  { length: 8 },
  (_, k) =>
    `<p>Paragraph ${k + 1} of the report says the envoys met for several hours and agreed to meet again soon.</p>`,
).join('');

function setup(fetch: FeedFetcher, enrich?: IngestDeps['enrich']) {
  let now = new Date('2025-03-03T10:00:00Z');
  const articles = new MemoryArticles();
  const deps: IngestDeps = {
    feeds: new MemoryFeeds(),
    articles,
    clock: { now: () => now },
    logger: silent,
    source: feedSource({ fetch, clock: { now: () => now } }),
    enrich,
    concurrency: 4,
    snippetWords: 120,
    seenRefreshDays: 10,
  };
  return { deps, articles, advance: (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000)) };
}

describe('pollFeeds', () => {
  it('reports its progress after each feed: done of all, articles stored, failures', async () => {
    const body = rss([{ guid: 'one', title: 'Envoys meet', body: LONG, date: '2025-03-02T10:00:00Z' }]);
    const { deps } = setup(async (url) => {
      if (url.endsWith('/broken')) throw new Error('connection refused');
      return rssAnswer(url, body);
    });
    const feeds = ['/a', '/b', '/broken'].map((path) => ({ ...FEED, url: `https://feeds.example${path}`, name: path }));
    const seen: PollProgress[] = [];
    await pollFeeds(feeds, { ...deps, concurrency: 1 }, { onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([
      { done: 1, total: 3, articles: 1, failed: 0 },
      { done: 2, total: 3, articles: 2, failed: 0 },
      { done: 3, total: 3, articles: 2, failed: 1 },
    ]);
  });

  it('stores a new feed as backfill, never stores an item twice, and later items as news', async () => {
    let body = rss([{ guid: 'one', title: 'Envoys meet', body: LONG, date: '2025-03-02T10:00:00Z' }]);
    const { deps, advance } = setup(async (url) => rssAnswer(url, body));
    const first = await pollFeeds([FEED], deps);
    expect(first[0]).toMatchObject({ outcome: 'stored', newArticles: 1, backfill: true });
    const stored = await deps.articles.get(articleId(FEED.url, 'one'));
    expect(stored?.backfill).toBe(true);
    expect(stored?.text?.split('\n')).toHaveLength(8);

    advance(1);
    expect((await pollFeeds([FEED], deps))[0]?.outcome).toBe('not-due');

    advance(20);
    body = rss([
      { guid: 'one', title: 'Envoys meet', body: LONG, date: '2025-03-02T10:00:00Z' },
      { guid: 'two', title: 'Second round set', body: LONG, date: '2025-03-03T10:10:00Z' },
    ]);
    const second = await pollFeeds([FEED], deps);
    expect(second[0]).toMatchObject({ outcome: 'stored', newArticles: 1, backfill: false });
    expect((await deps.articles.get(articleId(FEED.url, 'two')))?.backfill).toBe(false);
  });

  it('stores an item listed again with more to read as a revision of itself; a retouched item is not news', async () => {
    const entry = (n: number) =>
      `<p>${n}:00 GMT</p><p>Entry ${n}: the envoy said the talks in Berlin went on into the evening with the advisers.</p>`;
    const live = (entries: number, extra = '') =>
      rss([
        {
          guid: 'live',
          title: 'Live: envoy in Berlin',
          body: Array.from({ length: entries }, (_, k) => entry(k + 9)).join('') + extra,
          date: '2025-03-03T09:00:00Z',
        },
      ]);
    let body = live(3);
    const { deps, articles, advance } = setup(async (url) => rssAnswer(url, body));
    await pollFeeds([FEED], deps);
    const first = await deps.articles.get(articleId(FEED.url, 'live'));
    expect(first?.backfill).toBe(true);

    // a fixed word and a new time stamp: changed, but nothing new to read
    advance(20);
    body = live(3, '<p>Updated 10:05</p>').replace('went on', 'carried on');
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ outcome: 'stored', newArticles: 0 });

    // two new entries, an hour after the first version: stored beside it, under its own id, dated when seen grown
    advance(45);
    body = live(5);
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ outcome: 'stored', newArticles: 1 });
    const ids = [...articles.byId.keys()];
    expect(ids).toHaveLength(2);
    const revision = await deps.articles.get(ids.find((id) => id !== first?.id) ?? '');
    expect(revision).toMatchObject({
      url: 'https://wire.example/live',
      backfill: false,
      publishedAt: '2025-03-03T11:05:00.000Z',
    });
    expect(revision?.text).toContain('Entry 13');

    // listed again unchanged: nothing more
    advance(20);
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 0 });
    // growing again within the hour: it waits, and the next version holds all that was added meanwhile
    advance(20);
    body = live(6);
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 0 });
    advance(25);
    body = live(7);
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 1 });
    expect(articles.byId.size).toBe(3);
    const latest = [...articles.byId.values()].find((a) => a.text?.includes('Entry 15'));
    expect(latest?.text).toContain('Entry 14');
  });

  it('never takes an item marked before versions were kept for a revision', async () => {
    const { deps, articles, advance } = setup(async (url) =>
      rssAnswer(url, rss([{ guid: 'old', title: 'Envoys meet', body: LONG + LONG, date: '2025-03-02T10:00:00Z' }])),
    );
    await deps.feeds.markSeen(FEED.url, ['old'], new Date('2025-03-02T12:00:00Z'));
    await deps.feeds.put({ ...initialHealth(FEED), lastSuccessAt: '2025-03-02T12:00:00Z' });
    advance(1);
    expect((await pollFeeds([FEED], deps, { force: true }))[0]).toMatchObject({ newArticles: 0 });
    expect(articles.byId.size).toBe(0);
  });

  it('knows items listed again under new ids by their links, stores none of them again, and says so', async () => {
    // a feed whose CMS gives every item a new guid at every poll; the links stay
    let poll = 0;
    const listing = (titles: readonly string[]) =>
      rss(
        titles.map((title, i) => ({
          guid: `item-${i}-${poll}`,
          title,
          body: LONG,
          date: '2025-03-03T09:00:00Z',
          link: `https://wire.example/2025/03/03/story-${i}`,
        })),
      );
    let titles = ['Envoys meet', 'Talks resume', 'Ceasefire holds'];
    const { deps, articles, advance } = setup(async (url) => {
      poll++;
      return rssAnswer(url, listing(titles));
    });
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 3 });
    advance(20);
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 0 });
    expect((await deps.feeds.get(FEED.url))?.lastWarning).toBe(
      '3 items listed again under new ids: known by their links, not stored again',
    );
    // a new story at a new address is news, under whatever id
    advance(20);
    titles = [...titles, 'Prisoners exchanged'];
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 1 });
    expect(articles.byId.size).toBe(4);
  });

  it('does not match by link a feed that links every item to its front page', async () => {
    let items = [
      { guid: 'a', title: 'Envoys meet', body: LONG, date: '2025-03-03T09:00:00Z', link: 'https://wire.example/' },
    ];
    const { deps, advance } = setup(async (url) => rssAnswer(url, rss(items)));
    await pollFeeds([FEED], deps);
    advance(20);
    items = [{ ...items[0], guid: 'b', title: 'Talks resume' } as (typeof items)[0]];
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ newArticles: 1 });
    expect((await deps.feeds.get(FEED.url))?.lastWarning ?? null).toBeNull();
  });

  it('says when a feed answers only through a permanent redirect, with its new address', async () => {
    const body = rss([{ guid: 'one', title: 'Envoys meet', body: LONG, date: '2025-03-02T10:00:00Z' }]);
    const { deps } = setup(async () => ({
      ...rssAnswer('https://new.example/rss', body),
      movedTo: 'https://new.example/rss',
    }));
    expect((await pollFeeds([FEED], deps))[0]).toMatchObject({ outcome: 'stored', newArticles: 1 });
    expect((await deps.feeds.get(FEED.url))?.lastWarning).toBe(
      'moved permanently to https://new.example/rss: put that address in the config',
    );
  });

  it('records failures with backoff and keeps polling other feeds', async () => {
    const other = { ...FEED, url: 'https://other.example/rss', name: 'Other' };
    const { deps } = setup(async (url) => {
      if (url === FEED.url) throw new FeedHttpStatusError(url, 503, 120_000);
      return rssAnswer(url, rss([{ guid: 'x', title: 'News', body: LONG, date: '2025-03-03T09:00:00Z' }]), '"v1"');
    });
    const reports = await pollFeeds([FEED, other], deps);
    expect(reports.find((r) => r.url === FEED.url)?.outcome).toBe('failed');
    expect(reports.find((r) => r.url === other.url)?.outcome).toBe('stored');
    const health = await deps.feeds.get(FEED.url);
    expect(health?.consecutiveFailures).toBe(1);
    expect(Date.parse(health?.nextPollAt ?? '')).toBeGreaterThanOrEqual(Date.parse('2025-03-03T10:02:00Z'));
    expect((await deps.feeds.get(other.url))?.etag).toBe('"v1"');
  });

  it('fetches the page of a snippet, and keeps the snippet when that fails', async () => {
    const items = [
      { guid: 'a', title: 'Short one', body: 'Envoys met today.', date: '2025-03-03T09:00:00Z' },
      { guid: 'b', title: 'Refused one', body: 'Talks resumed.', date: '2025-03-03T09:30:00Z' },
    ];
    const { deps } = setup(
      async (url) => rssAnswer(url, rss(items)),
      async (item) => {
        if (item.id === 'b') throw new Error('address refused: 169.254.169.254 is link-local');
        return { text: 'The envoys met for five hours in Geneva on Sunday.\nThey will meet again within weeks.' };
      },
    );
    await pollFeeds([FEED], deps);
    expect((await deps.articles.get(articleId(FEED.url, 'a')))?.text).toContain('five hours in Geneva');
    expect((await deps.articles.get(articleId(FEED.url, 'b')))?.text).toBe('Talks resumed.');
  });
});
