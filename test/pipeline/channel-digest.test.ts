import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import type { BuilderOptions } from '../../src/domain/digest.js';
import { compileTopics } from '../../src/domain/topics.js';
import type { ArticleInput } from '../../src/domain/types.js';
import { buildChannelDigest, type ChannelSpec } from '../../src/pipeline/channel-digest.js';
import { deliverDigest } from '../../src/pipeline/deliver.js';
import type { Logger, StoredArticle } from '../../src/ports.js';
import { MemoryArticles, MemoryLedger, MemoryStories } from '../fakes/memory-stores.js';
import { RecordingPublisher } from '../fakes/recording-publisher.js';
import { FIXTURE_ARTICLES, GENEVA_COASTLINE, ISTANBUL_LEDGER } from '../fixtures/articles.js';

/** A later report on the Geneva meeting by another outlet, in its own words: it must extend the Geneva story. */
const GENEVA_FOLLOW_UP: ArticleInput = {
  id: 'geneva-harbor',
  title: 'Geneva envoys weigh 30-day energy truce as Kyiv demands a seat at the table',
  text: [
    'GENEVA (Harbor Ledger) — A 30-day halt to strikes on energy infrastructure in Ukraine was the main proposal on the table when US envoy Dara Lindqvist and Russian envoy Oleg Varnakov met for five hours at the Villa Beaulac in Geneva on Sunday.',
    'Marcus Feld, Lindqvist’s chief aide, said the Americans had handed over a written draft and maps of the front line, and that Varnakov’s team asked for time to study them before a second round.',
    'Olena Vashchuk, a spokeswoman for Ukraine’s foreign ministry, said Kyiv had been briefed by telephone and would not accept ceasefire terms settled over its head.',
  ].join('\n'),
  url: 'https://coastline.example/ledger/2025/03/05/geneva-energy-truce',
  source: 'Harbor Ledger',
  publishedAt: '2025-03-05T18:00:00Z',
};

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function stored(a: ArticleInput, backfill = false): StoredArticle {
  const publishedAt = a.publishedAt ?? '2025-03-01T00:00:00Z';
  return { ...a, id: a.id, feed: a.source ?? 'feed', fetchedAt: publishedAt, publishedAt, backfill };
}

const channel: ChannelSpec = { id: 'desk', topics: ['Ukraine talks'], maxStories: 10 };
let builder: BuilderOptions;

beforeAll(async () => {
  builder = { topics: compileTopics(await loadTopicsFile('config/topics.yaml')) };
});

async function run(
  articles: MemoryArticles,
  stores: { stories: MemoryStories; ledger: MemoryLedger },
  publisher: RecordingPublisher,
  from: string,
  to: string,
) {
  const digest = await buildChannelDigest({
    channel,
    articles: await articles.listPublished(new Date('2025-02-01T00:00:00Z'), new Date(to)),
    from: new Date(from),
    to: new Date(to),
    builder,
    stories: stores.stories,
    ledger: stores.ledger,
  });
  return deliverDigest(digest, publisher, stores.ledger, silent, () => to);
}

describe('channel digests over runs', () => {
  it('posts new stories, then an update to the earlier post when a story gains a source, never twice', async () => {
    const articles = new MemoryArticles();
    const stores = { stories: new MemoryStories(), ledger: new MemoryLedger() };
    const publisher = new RecordingPublisher();
    for (const a of FIXTURE_ARTICLES.filter((x) => (x.publishedAt ?? '') < '2025-03-06')) await articles.put(stored(a));

    await run(articles, stores, publisher, '2025-03-01T00:00:00Z', '2025-03-06T00:00:00Z');
    const first = publisher.posts.map((p) => p.kind);
    expect(first.every((k) => k === 'new')).toBe(true);
    const geneva = publisher.posts.find((p) => p.title === GENEVA_COASTLINE.title);
    expect(geneva).toBeDefined();
    expect(publisher.posts.some((p) => /prisoner|Muscat|nuclear/i.test(p.title))).toBe(false); // not this desk's topics

    // the follow-up arrives after the first digest; so does the Istanbul round
    await articles.put(stored(GENEVA_FOLLOW_UP));
    for (const a of FIXTURE_ARTICLES.filter((x) => (x.publishedAt ?? '') >= '2025-03-06'))
      await articles.put(stored(a));
    publisher.posts.length = 0;
    await run(articles, stores, publisher, '2025-03-05T12:00:00Z', '2025-03-20T00:00:00Z');
    const update = publisher.posts.find((p) => p.kind === 'update');
    expect(update?.storyId).toBe(geneva?.storyId);
    expect(update?.newArticleIds).toEqual(['geneva-harbor']);
    expect(update?.threadId).not.toBeNull();
    expect(publisher.posts.filter((p) => p.kind === 'new').map((p) => p.title)).toContain(ISTANBUL_LEDGER.title);

    // a restart that builds the same digest again posts nothing
    publisher.posts.length = 0;
    await run(articles, stores, publisher, '2025-03-05T12:00:00Z', '2025-03-20T00:00:00Z');
    expect(publisher.posts).toEqual([]);
  });

  it('keeps backfill out of the digest', async () => {
    const articles = new MemoryArticles();
    const stores = { stories: new MemoryStories(), ledger: new MemoryLedger() };
    const publisher = new RecordingPublisher();
    for (const a of FIXTURE_ARTICLES) await articles.put(stored(a, true));
    await run(articles, stores, publisher, '2025-03-01T00:00:00Z', '2025-03-20T00:00:00Z');
    expect(publisher.posts).toEqual([]);
  });

  it('resumes after a crash mid-digest at the first unposted story', async () => {
    const articles = new MemoryArticles();
    const stores = { stories: new MemoryStories(), ledger: new MemoryLedger() };
    const publisher = new RecordingPublisher();
    for (const a of FIXTURE_ARTICLES) await articles.put(stored(a));
    publisher.failAfter = 1;
    await expect(run(articles, stores, publisher, '2025-03-01T00:00:00Z', '2025-03-20T00:00:00Z')).rejects.toThrow(
      /crashed/,
    );
    expect(publisher.posts).toHaveLength(1);
    await run(articles, stores, publisher, '2025-03-01T00:00:00Z', '2025-03-20T00:00:00Z');
    const ids = publisher.posts.map((p) => p.storyId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(1);
  });

  it('gives a story the same id in every run', async () => {
    const articles = new MemoryArticles();
    const stories = new MemoryStories();
    for (const a of FIXTURE_ARTICLES) await articles.put(stored(a));
    const ids = async () => {
      const d = await buildChannelDigest({
        channel: { ...channel, topics: [] },
        articles: await articles.listPublished(new Date('2025-02-01'), new Date('2025-04-01')),
        from: new Date('2025-03-01'),
        to: new Date('2025-04-01'),
        builder,
        stories,
        ledger: new MemoryLedger(),
      });
      return d.digest.stories.map((s) => `${s.id}:${[...s.articles].sort().join(',')}`).sort();
    };
    const once = await ids();
    await articles.put(stored(GENEVA_FOLLOW_UP));
    const twice = await ids();
    const genevaBefore = once.find((s) => s.includes('geneva-coastline'))?.split(':')[0];
    const genevaAfter = twice.find((s) => s.includes('geneva-coastline'))?.split(':')[0];
    expect(genevaAfter).toBe(genevaBefore);
    expect(twice.find((s) => s.includes('geneva-harbor'))?.split(':')[0]).toBe(genevaBefore);
  });
});
