// Polling every due feed with bounded concurrency: new items become stored articles (full text fetched when the
// feed gave only a snippet), seen items are never stored twice, and each feed's health is written back.

import { canonicalLink } from '../domain/canonical-link.js';
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
import { publishDateOf, standInOf } from '../domain/publish-date.js';
import { fnv1a, wordCount } from '../domain/text.js';
import type {
  ArticleStore,
  Clock,
  FeedItem,
  FeedSource,
  FeedStateStore,
  ItemVersion,
  Logger,
  Metrics,
  SeenMark,
  StoredArticle,
} from '../ports.js';
import {
  DEFAULT_PAGE_FETCH_BOUNDS,
  fetchPages,
  leftTheFeed,
  type Page,
  type PageEnricher,
  type PageFetchBounds,
} from './page-fetches.js';

export type { PageEnricher, PageFetchBounds } from './page-fetches.js';

export interface IngestDeps {
  readonly feeds: FeedStateStore;
  readonly articles: ArticleStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly source: FeedSource;
  readonly enrich?: PageEnricher | undefined;
  /** How many pages one feed's poll fetches, how many at once, and by when. Default DEFAULT_PAGE_FETCH_BOUNDS. */
  readonly pageFetches?: PageFetchBounds | undefined;
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
  const startedAt = performance.now();
  const log = deps.logger.child({ feed: feed.name });
  const base = { feed: feed.name, url: feed.url, newArticles: 0, backfill: false };
  const health = await deps.feeds.get(feed.url);
  const due = isDue(health, deps.clock.now());
  // a paused feed is polled only when its probe is due, forced runs included
  if (health?.pausedAt && !due) return { ...base, outcome: 'paused', error: health.lastError ?? 'paused' };
  if (!force && !due) return { ...base, outcome: 'not-due' };
  const report = await pollDue(feed, health, deps, log, base, startedAt);
  const change = healthChange(health, (await deps.feeds.get(feed.url)) ?? initialHealth(feed));
  return change === null ? report : { ...report, change };
}

async function pollDue(
  feed: PolledFeed,
  health: FeedHealth | undefined,
  deps: IngestDeps,
  log: Logger,
  base: { feed: string; url: string; newArticles: number; backfill: boolean },
  startedAt: number,
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
  // an item that waited for its page and has left the feed since is stored all the same
  const listed = [...items, ...leftTheFeed(deps.feeds, feed.url, items)];
  // the poll's one instant: items are stored, dated and marked seen as of it
  const at = deps.clock.now();
  const nowMs = at.getTime();
  const now = at.toISOString();
  const marks = await deps.feeds.seenMarks(
    feed.url,
    listed.map((i) => i.id),
  );
  // an item listed again under a new id (feeds whose ids change at every poll): its link says it was stored
  const linkKeys = linkKeysOf(items);
  const relisted = await matchByLink(deps.feeds, feed.url, listed, marks, linkKeys);
  const fresh = listed.filter((i) => !marks.has(i.id));
  const revisions = grownItems(items, marks, nowMs);
  // an item the feed still lists is marked again before retention would forget it (and store it anew)
  const refreshBefore = utcDay(new Date(nowMs - deps.seenRefreshDays * DAY_MS));
  const stale = items.filter((i) => (marks.get(i.id)?.day ?? '9999') < refreshBefore);
  const snippets = new Map(fresh.map((i) => [i.id, snippetOf(i)]));
  const { enrich } = deps;
  const needPages = fresh.filter((i) => i.link && wordCount(snippets.get(i.id) ?? '') < deps.snippetWords);
  const plan = enrich
    ? await fetchPages(
        deps.feeds,
        feed.url,
        needPages,
        { enrich, bounds: deps.pageFetches ?? DEFAULT_PAGE_FETCH_BOUNDS, log },
        startedAt,
      )
    : { pages: new Map<string, Page>(), waiting: new Set<string>() };
  const ready = fresh.filter((i) => !plan.waiting.has(i.id));
  const articles: StoredArticle[] = [];
  for (const item of ready) {
    const article = toArticle(
      item,
      snippets.get(item.id) ?? '',
      plan.pages.get(item.id) ?? null,
      feed,
      outcome.firstPoll,
      now,
    );
    if (article) articles.push(article);
  }
  // a grown item is a new article beside its earlier version (the story engine finds it a revision of that one),
  // dated when it was seen grown: the feed's date is still the first version's
  for (const { item, snippet, version } of revisions) {
    const article = toArticle({ ...item, publishedAt: now }, snippet, null, feed, false, now);
    // one version an hour at most: the minute it was stored names it
    const minute = Math.floor(version.storedAt / 60_000).toString(36);
    if (article) articles.push({ ...article, id: articleId(feed.url, `${item.id}#${minute}`) });
  }
  const badDates = articles.filter((a) => a.claimedPublishedAt !== undefined);
  const stored = (await deps.articles.putMany(articles, at)).length;
  // only after the articles are safely stored: a crash before this line re-reads them next time, never loses them.
  // Each mark keeps the version of the item that was stored, so its next growth is measured from that one.
  const versions = new Map<string, ItemVersion>();
  for (const item of ready) versions.set(item.id, versionOf(item, snippets.get(item.id) ?? '', nowMs));
  for (const { item, version } of revisions) versions.set(item.id, version);
  for (const item of stale) {
    const kept = versions.has(item.id) ? undefined : marks.get(item.id)?.version;
    if (kept !== undefined) versions.set(item.id, kept);
  }
  const marked = [...ready, ...revisions.map((r) => r.item), ...stale];
  // each marked item's link too (with its version), so a later listing under another id is known by it
  const markedIds = marked.map((i) => i.id);
  for (const item of marked) {
    const key = linkKeys.get(item.id);
    if (key === undefined) continue;
    markedIds.push(key);
    const version = versions.get(item.id);
    if (version !== undefined) versions.set(key, version);
  }
  await deps.feeds.markSeen(feed.url, markedIds, at, versions);
  const notes: string[] = [];
  if (badDates.length > 0) {
    notes.push(
      `${plural(badDates.length, 'item')} with an impossible date (e.g. ${badDates[0]?.claimedPublishedAt}): shown with ${standInOf(badDates)}`,
    );
  }
  if (outcome.movedTo !== undefined) {
    notes.push(`moved permanently to ${outcome.movedTo}: put that address in the config`);
  }
  if (relisted > 0) {
    notes.push(
      `${plural(relisted, 'item')} listed again under ${relisted === 1 ? 'a new id' : 'new ids'}: known by ${relisted === 1 ? 'its link' : 'their links'}, not stored again`,
    );
  }
  const refused = outcome.refusedLinks ?? 0;
  if (refused > 0) notes.push(`${plural(refused, 'item link')} not http(s): the items are kept without their link`);
  const warning = notes.length > 0 ? notes.join('; ') : null;
  if (warning) log.warn({ items: badDates.length }, warning);
  // items waiting for their page must be in the next poll's answer: no conditional GET until they are in
  const validators = plan.waiting.size > 0 ? { etag: null, lastModified: null } : {};
  await deps.feeds.put({ ...outcome.health, ...validators, lastWarning: warning });
  log.info(
    { items: items.length, new: stored, backfill: outcome.firstPoll, waitingForPages: plan.waiting.size },
    'feed polled',
  );
  return { ...base, outcome: 'stored', newArticles: stored, backfill: outcome.firstPoll };
}

/** Seen marks of links are kept under this prefix beside item ids (no guid, link or hash starts with it). */
const LINK_MARK = 'link:';

/**
 * The key an item's link is marked under, by item id: only for items whose id is not their link already (a guid),
 * whose link names a page (not a site's front page), and whose link no other listed item shares (feeds that link
 * every item to one page).
 */
function linkKeysOf(items: readonly FeedItem[]): Map<string, string> {
  const byLink = new Map<string, string[]>();
  for (const item of items) {
    if (item.link === null) continue;
    const link = canonicalLink(item.link);
    if (link === item.id || !namesAPage(link)) continue;
    const ids = byLink.get(link) ?? [];
    ids.push(item.id);
    byLink.set(link, ids);
  }
  const keys = new Map<string, string>();
  for (const [link, ids] of byLink) if (ids.length === 1 && ids[0] !== undefined) keys.set(ids[0], LINK_MARK + link);
  return keys;
}

function namesAPage(link: string): boolean {
  try {
    const { pathname, search } = new URL(link);
    return pathname.replace(/\/+$/, '') !== '' || search !== '';
  } catch {
    return false;
  }
}

/**
 * Takes the marks of listed items that are unknown by id but known by link into `marks` (under their new ids):
 * how many there were. Reads only the links of items the ids did not find.
 */
async function matchByLink(
  feeds: FeedStateStore,
  feedUrl: string,
  listed: readonly FeedItem[],
  marks: Map<string, SeenMark>,
  linkKeys: ReadonlyMap<string, string>,
): Promise<number> {
  const unknown = listed.filter((i) => !marks.has(i.id) && linkKeys.has(i.id));
  if (unknown.length === 0) return 0;
  const byLink = await feeds.seenMarks(
    feedUrl,
    unknown.map((i) => linkKeys.get(i.id) ?? ''),
  );
  let matched = 0;
  for (const item of unknown) {
    const mark = byLink.get(linkKeys.get(item.id) ?? '');
    if (mark === undefined) continue;
    marks.set(item.id, mark);
    matched++;
  }
  return matched;
}

/**
 * A listed item is a revision of itself when its content changed since the version stored and it has this many
 * more words (and a twentieth more): a live blog's new entry, a wire's re-issue with a paragraph added. A fixed
 * typo, a changed ad or time stamp, a shortened text are not news.
 */
const REVISION_MIN_NEW_WORDS = 20;
const REVISION_MIN_GROWTH = 0.05;
/**
 * A version is stored at most this often per item: a live blog polled every few minutes gets one later version an
 * hour holding all that was added, not a copy of its whole text at every poll (storage stays bounded).
 */
const REVISION_MIN_INTERVAL_MS = 60 * 60_000;

interface GrownItem {
  readonly item: FeedItem;
  readonly snippet: string;
  readonly version: ItemVersion;
}

/**
 * The items the feed lists again with more to read than the version stored (marks without a version never). Only
 * an item that is longer than before is read (its text and words): the rest of a feed that lists its items again,
 * unchanged or retouched, costs a length and a lookup.
 */
function grownItems(items: readonly FeedItem[], marks: ReadonlyMap<string, SeenMark>, now: number): GrownItem[] {
  const grown: GrownItem[] = [];
  for (const item of items) {
    const stored = marks.get(item.id)?.version;
    if (stored === undefined || now - stored.storedAt < REVISION_MIN_INTERVAL_MS) continue;
    if (lengthOf(item) <= stored.length) continue;
    const snippet = snippetOf(item);
    const version = versionOf(item, snippet, now);
    const needed = Math.max(REVISION_MIN_NEW_WORDS, Math.ceil(stored.words * REVISION_MIN_GROWTH));
    if (version.words >= stored.words + needed) grown.push({ item, snippet, version });
  }
  return grown;
}

/** Characters of what the feed says of the item: its title and content as sent, before any cleaning. */
function lengthOf(item: FeedItem): number {
  return (item.title?.length ?? 0) + (item.contentHtml ?? item.contentText ?? '').length;
}

function versionOf(item: FeedItem, snippet: string, now: number): ItemVersion {
  return { length: lengthOf(item), words: wordCount(snippet), storedAt: now };
}

/** One paragraph a line, whatever the feed sent: html through our converter, plain text as it is. */
function snippetOf(item: FeedItem): string {
  return item.contentHtml ? htmlToText(item.contentHtml).text : (item.contentText ?? '');
}

function toArticle(
  item: FeedItem,
  snippet: string,
  page: Page,
  feed: PolledFeed,
  backfill: boolean,
  now: string,
): StoredArticle | null {
  let text = snippet;
  let title = item.title;
  if (page && wordCount(page.text) > wordCount(text)) {
    text = page.text;
    title = title ?? page.title ?? null;
  }
  if (!text && !title) return null;
  const date = publishDateOf(item.publishedAt, now, item.link);
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
