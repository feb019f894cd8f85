// Polling every due feed with bounded concurrency: new items become stored articles (full text fetched when the
// feed gave only a snippet), seen items are never stored twice, and each feed's health is written back.

import {
  type FeedHealth,
  type HealthChange,
  healthChange,
  initialHealth,
  isDue,
  type PolledFeed,
} from '../domain/feed-health.js';
import { htmlToText } from '../domain/html-text.js';
import { plural } from '../domain/plural.js';
import { publishDateOf } from '../domain/publish-date.js';
import { fnv1a, wordCount } from '../domain/text.js';
import type {
  ArticleStore,
  Clock,
  FeedItem,
  FeedSource,
  FeedStateStore,
  Logger,
  Metrics,
  StoredArticle,
} from '../ports.js';

/** Full text for an item whose feed gave only a snippet; null when the page could not be had or read. */
export type PageEnricher = (item: FeedItem) => Promise<{ text: string; title?: string | null } | null>;

export interface IngestDeps {
  readonly feeds: FeedStateStore;
  readonly articles: ArticleStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly source: FeedSource;
  readonly enrich?: PageEnricher | undefined;
  /** Feeds polled at once. */
  readonly concurrency: number;
  /** Below this many words an item's text is a snippet and its page is fetched. */
  readonly snippetWords: number;
  /** Seen marks older than this are renewed while the feed still lists the item (below retention). */
  readonly seenRefreshDays: number;
  /** Counts each poll's outcome and the articles it stored. */
  readonly metrics?: Metrics | undefined;
}

export interface FeedPollReport {
  readonly feed: string;
  readonly url: string;
  readonly outcome: 'stored' | 'not-modified' | 'failed' | 'not-due' | 'paused';
  readonly newArticles: number;
  readonly backfill: boolean;
  readonly error?: string;
  /** The failure's kind (its error class name): a bounded label for metrics, never the message. */
  readonly errorKind?: string;
  /** What changed for the feed with this poll (failing, paused, recovered), to tell the admin channel once. */
  readonly change?: Exclude<HealthChange, null>;
}

/** A stable article id from the feed and the item's identity: the same item gets the same id in every poll. */
export function articleId(feedUrl: string, itemId: string): string {
  return `a${fnv1a(feedUrl).toString(36)}-${fnv1a(itemId).toString(36)}${fnv1a(itemId, 0x9747b28c).toString(36)}`;
}

/** How far a round of polls has come: feeds done of all, articles stored, feeds failed. */
export interface PollProgress {
  readonly done: number;
  readonly total: number;
  readonly articles: number;
  readonly failed: number;
}

export async function pollFeeds(
  feeds: readonly PolledFeed[],
  deps: IngestDeps,
  options: { force?: boolean; onProgress?: (progress: PollProgress) => void } = {},
): Promise<FeedPollReport[]> {
  const reports: FeedPollReport[] = [];
  let next = 0;
  let articles = 0;
  let failed = 0;
  const worker = async () => {
    while (next < feeds.length) {
      const feed = feeds[next++];
      if (!feed) continue;
      const report = await pollOne(feed, deps, options.force === true);
      reports.push(report);
      if (report.outcome !== 'not-due') deps.metrics?.feedPolled(report.outcome, report.errorKind);
      deps.metrics?.articlesStored(report.newArticles);
      articles += report.newArticles;
      if (report.outcome === 'failed') failed++;
      options.onProgress?.({ done: reports.length, total: feeds.length, articles, failed });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency, feeds.length)) }, worker));
  return reports;
}

async function pollOne(feed: PolledFeed, deps: IngestDeps, force: boolean): Promise<FeedPollReport> {
  const log = deps.logger.child({ feed: feed.name });
  const base = { feed: feed.name, url: feed.url, newArticles: 0, backfill: false };
  const health = await deps.feeds.get(feed.url);
  const due = isDue(health, deps.clock.now());
  // a paused feed is polled only when its probe is due, forced runs included
  if (health?.pausedAt && !due) return { ...base, outcome: 'paused', error: health.lastError ?? 'paused' };
  if (!force && !due) return { ...base, outcome: 'not-due' };
  const report = await pollDue(feed, health, deps, log, base);
  const change = healthChange(health, (await deps.feeds.get(feed.url)) ?? initialHealth(feed));
  return change === null ? report : { ...report, change };
}

async function pollDue(
  feed: PolledFeed,
  health: FeedHealth | undefined,
  deps: IngestDeps,
  log: Logger,
  base: { feed: string; url: string; newArticles: number; backfill: boolean },
): Promise<FeedPollReport> {
  const outcome = await deps.source.poll(feed, health);
  if (outcome.kind === 'failed') {
    await deps.feeds.put(outcome.health);
    log.warn({ err: outcome.error, failures: outcome.health.consecutiveFailures }, 'feed poll failed');
    return { ...base, outcome: 'failed', error: outcome.error.message, errorKind: outcome.error.name };
  }
  if (outcome.kind === 'not-modified') {
    await deps.feeds.put(outcome.health);
    return { ...base, outcome: 'not-modified' };
  }

  const items = outcome.feed.items;
  const seen = await deps.feeds.seenDays(
    feed.url,
    items.map((i) => i.id),
  );
  const fresh = items.filter((i) => !seen.has(i.id));
  // an item the feed still lists is marked again before retention would forget it (and store it anew)
  const refreshBefore = utcDay(new Date(deps.clock.now().getTime() - deps.seenRefreshDays * DAY_MS));
  const stale = items.filter((i) => (seen.get(i.id) ?? '9999') < refreshBefore);
  const now = deps.clock.now().toISOString();
  const articles: StoredArticle[] = [];
  for (const item of fresh) {
    const article = await toArticle(item, feed, outcome.firstPoll, now, deps, log);
    if (article) articles.push(article);
  }
  const badDates = articles.filter((a) => a.claimedPublishedAt !== undefined);
  const stored = (await deps.articles.putMany(articles, deps.clock.now())).length;
  // only after the articles are safely stored: a crash before this line re-reads them next time, never loses them
  await deps.feeds.markSeen(
    feed.url,
    [...fresh, ...stale].map((i) => i.id),
    deps.clock.now(),
  );
  const notes: string[] = [];
  if (badDates.length > 0) {
    notes.push(
      `${plural(badDates.length, 'item')} with an impossible date (e.g. ${badDates[0]?.claimedPublishedAt}): shown with the time they were fetched`,
    );
  }
  const refused = outcome.refusedLinks ?? 0;
  if (refused > 0) notes.push(`${plural(refused, 'item link')} not http(s): the items are kept without their link`);
  const warning = notes.length > 0 ? notes.join('; ') : null;
  if (warning) log.warn({ items: badDates.length }, warning);
  await deps.feeds.put({ ...outcome.health, lastWarning: warning });
  log.info({ items: items.length, new: stored, backfill: outcome.firstPoll }, 'feed polled');
  return { ...base, outcome: 'stored', newArticles: stored, backfill: outcome.firstPoll };
}

async function toArticle(
  item: FeedItem,
  feed: PolledFeed,
  backfill: boolean,
  now: string,
  deps: IngestDeps,
  log: Logger,
): Promise<StoredArticle | null> {
  // one paragraph a line, whatever the feed sent: html through our converter, plain text as it is
  let text = item.contentHtml ? htmlToText(item.contentHtml).text : (item.contentText ?? '');
  let title = item.title;
  if (deps.enrich && item.link && wordCount(text) < deps.snippetWords) {
    try {
      const page = await deps.enrich(item);
      if (page && wordCount(page.text) > wordCount(text)) {
        text = page.text;
        title = title ?? page.title ?? null;
      }
    } catch (error) {
      // the snippet is kept: a refused or broken page never loses the item
      log.warn({ url: item.link, err: error }, 'page not fetched');
    }
  }
  if (!text && !title) return null;
  const date = publishDateOf(item.publishedAt, now);
  return {
    id: articleId(feed.url, item.id),
    ...(title ? { title } : {}),
    text: text || (title ?? ''),
    ...(item.link ? { url: item.link } : {}),
    source: feed.name,
    feed: feed.name,
    fetchedAt: now,
    publishedAt: date.publishedAt,
    ...(date.claimed !== null ? { claimedPublishedAt: date.claimed } : {}),
    backfill,
  };
}

const DAY_MS = 86_400_000;

function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
