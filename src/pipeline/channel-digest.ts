// One channel's digest from stored stories: every story that gained an article since the channel's cursor (an
// ingest sequence number, not a time window), however old the article's date and however long the bot was down.
// New to the channel: a new post; posted before: an update in that post's thread. Summaries are computed for
// the stories shown only. The cursor moves after delivery (deliver.ts), to `upTo`.
import {
  type ChannelFilter,
  type ChannelFilterConfig,
  channelFilter,
  isOpen,
  isVisible,
  storyPasses,
} from '../domain/channel-filter.js';
import { describeStoredStory, type StoryRecord, storyTopics } from '../domain/story-record.js';
import { fnv1a } from '../domain/text.js';
import type { Digest, DigestArticle, DigestStory } from '../domain/types.js';
import type {
  ChannelDigest,
  ChannelOverrides,
  ChannelSettingsStore,
  DeliveryLedger,
  DeliveryRecord,
  ProcessedRecord,
  StoryDelivery,
  StoryStore,
} from '../ports.js';
import { yieldToLoop } from './yield.js';

export interface ChannelSpec {
  /** The channel's id in the configuration (also the delivery ledger's key). */
  readonly id: string;
  /** Topic names wanted; empty means every story. */
  readonly topics: readonly string[];
  readonly maxStories: number;
  /** How far back a channel's first digest reaches. */
  readonly lookbackHours: number;
  /** Feeds followed, keywords, exclusions, muted outlets, as configured; absent: every story of its topics. */
  readonly filter?: ChannelFilterConfig;
}

export interface StoryReader {
  readonly stories: StoryStore;
  readonly ledger: DeliveryLedger;
  /** Topic names in configuration order. */
  readonly topicOrder: readonly string[];
  /** What editors changed from chat (subscriptions, mutes), merged over each channel's filter. */
  readonly settings?: ChannelSettingsStore;
  /** Names of the global list's feeds: what a channel without its own list follows. */
  readonly globalFeeds?: readonly string[];
  /** True when the config lists no channel-only feed (chat subscriptions are checked apart). */
  readonly onlyGlobalFeeds?: boolean;
  /** Configured feeds' names by URL: a subscription to a URL the config lists too is polled, and named, as config's. */
  readonly configuredNames?: ReadonlyMap<string, string>;
}

/** A channel digest and where the channel's cursor goes once it is delivered. */
export interface PlannedDigest {
  readonly digest: ChannelDigest;
  readonly upTo: number;
  /** Stories that grew but did not fit (maxStories): told in the digest, never dropped silently. */
  readonly overflow: number;
}

/** Originals of a story read for its summary: the first ones and the newest ones. */
const SUMMARY_MEMBERS = 40;
const HOUR_MS = 3_600_000;

/**
 * The stories a channel should receive now. Reads the growth log from the channel's cursor (or, for a channel's
 * first digest, the growth of the last `lookbackHours`) up to the last processed batch.
 */
export async function planChannelDigest(
  channel: ChannelSpec,
  reader: StoryReader,
  now: Date,
  cache: DigestCache = new DigestCache(reader),
): Promise<PlannedDigest> {
  const upTo = await reader.stories.processedSeq();
  const cursor = await reader.ledger.cursor(channel.id);
  const since = cursor === undefined ? new Date(now.getTime() - channel.lookbackHours * HOUR_MS).toISOString() : null;
  const growth = await cache.growth(cursor ?? 0, upTo);
  const grown = new Set<string>();
  for (const g of growth) {
    if (since !== null && g.at < since) continue;
    for (const s of g.stories) grown.add(s.storyId);
  }
  const records = await cache.stories([...grown]);
  const wanted = new Set(channel.topics);
  const from = growth[0]?.at ?? now.toISOString();
  // a digest cut short is planned again with the same window: what it posted in its thread stays in the plan (the
  // delivery skips it), so the parent's counts are corrected to the whole digest (ADR 009)
  const thread = (await reader.ledger.parent(channel.id, from))?.threadId ?? null;
  const filter = await cache.filterOf(channel);
  const deliveries: { record: StoryRecord; earlier: DeliveryRecord | undefined }[] = [];
  for (const whole of records) {
    if (wanted.size > 0 && !storyTopics(whole, reader.topicOrder).some((t) => wanted.has(t))) continue;
    // the story as this channel may see it: without articles of feeds it does not follow or outlets it muted
    const record = filter === null ? whole : await cache.visiblePart(whole, filter);
    if (record === null) continue;
    const found = await reader.ledger.get(channel.id, record.id);
    const complete = found !== undefined && unposted(record, found).originals === 0;
    const postedHere = complete && thread !== null && found.threadId === thread;
    if (complete && !postedHere) continue;
    // posted here and complete: planned as the new story it was; grown since: an update, as for any earlier post
    deliveries.push({ record, earlier: postedHere ? undefined : found });
  }
  deliveries.sort((a, b) => byImportance(a.record, b.record));
  const shown = deliveries.slice(0, channel.maxStories);
  const overflow = deliveries.length - shown.length;

  const stories: StoryDelivery[] = [];
  const articles = new Map<string, DigestArticle>();
  for (const { record, earlier } of shown) {
    const newArticleIds = earlier ? unposted(record, earlier).ids : [];
    const described = await cache.describe(record, newArticleIds);
    if (!described) continue;
    for (const a of described.articles) articles.set(a.id, a);
    if (!earlier) stories.push({ kind: 'new', story: described.story });
    else {
      // the story's best source may have changed since it was posted (a more central report came in): its update
      // is named as its thread was, so the reader finds the story they saw, and links to the report of that name
      const story = namedAs(described, earlier.title);
      stories.push({ kind: 'update', story, newArticleIds, earlier });
    }
  }
  const digest: Digest = {
    generatedAt: now.toISOString(),
    articles: [...articles.values()],
    stories: stories.map((s) => s.story),
    rejected: [],
  };
  return {
    digest: {
      channel: channel.id,
      from,
      to: now.toISOString(),
      digest,
      stories,
      ...(overflow > 0
        ? { overflow: { stories: overflow, since: earliestOf(deliveries.slice(shown.length), from) } }
        : {}),
    },
    upTo,
    overflow,
  };
}

/** What a story gained since a channel's post of it: its articles (originals and copies) and how many originals. */
export function unposted(record: StoryRecord, earlier: DeliveryRecord): { ids: string[]; originals: number } {
  const known = new Set(earlier.articleIds);
  return {
    ids: [...record.articles, ...record.copies].filter((id) => !known.has(id)),
    originals: record.articles.filter((id) => !known.has(id)).length,
  };
}

/**
 * What channels digested together share: growth entries, story records and story descriptions are read and
 * computed once, however many channels show them.
 */
export class DigestCache {
  readonly #growth = new Map<string, Awaited<ReturnType<StoryStore['readGrowth']>>>();
  readonly #records = new Map<string, StoryRecord>();
  readonly #described = new Map<string, { story: DigestStory; articles: DigestArticle[] } | null>();
  /** Stored results by article id, read once for every filter and description of the run. */
  readonly #processed = new Map<string, ProcessedRecord>();
  #settings: Promise<ChannelOverrides[]> | undefined;

  constructor(private readonly reader: StoryReader) {}

  /** The channel's filter, config and chat settings merged; null when it lets every story of its topics through. */
  async filterOf(channel: ChannelSpec): Promise<ChannelFilter | null> {
    if (!channel.filter && !this.reader.settings) return null;
    this.#settings ??= this.reader.settings?.list() ?? Promise.resolve([]);
    const settings = await this.#settings;
    const found = settings.find((s) => s.channel === channel.id);
    const names = this.reader.configuredNames;
    const own =
      found && names
        ? { ...found, subscriptions: found.subscriptions.map((s) => ({ ...s, name: names.get(s.url) ?? s.name })) }
        : found;
    const subscribed = settings.some((s) => s.subscriptions.length > 0);
    const config = channel.filter ?? { feeds: null, keywords: [], exclusions: [], mutedSources: [] };
    // without the global list's names, a channel on the global list cannot be told from others: no feed check
    const everyFeedIsGlobal =
      (this.reader.onlyGlobalFeeds !== false && !subscribed) || this.reader.globalFeeds === undefined;
    const filter = channelFilter(config, own, this.reader.globalFeeds ?? [], everyFeedIsGlobal);
    return isOpen(filter) ? null : filter;
  }

  /**
   * The story without the articles the filter hides, or null when the filter keeps it out of the channel: no
   * visible article, no keyword, or an exclusion. Its sources are those of the visible articles.
   */
  async visiblePart(record: StoryRecord, filter: ChannelFilter): Promise<StoryRecord | null> {
    const ids = [...record.articles, ...record.copies];
    const processed = await this.processed(ids);
    const visible = ids
      .map((id) => processed.get(id))
      .filter((p): p is ProcessedRecord => p !== undefined && p.rejected === null && isVisible(p, filter));
    if (!storyPasses(visible, filter)) return null;
    if (visible.length === ids.length) return record;
    const kept = new Set(visible.map((p) => p.id));
    const sources = [...new Set(visible.flatMap((p) => (p.source === null ? [] : [p.source])))];
    const articles = record.articles.filter((id) => kept.has(id));
    if (articles.length === 0) return null;
    return { ...record, articles, copies: record.copies.filter((id) => kept.has(id)), sources };
  }

  /** The stored results of `ids`, each read from the store once in the run. */
  private async processed(ids: readonly string[]): Promise<ReadonlyMap<string, ProcessedRecord>> {
    const missing = ids.filter((id) => !this.#processed.has(id));
    if (missing.length > 0) {
      for (const [id, p] of await this.reader.stories.getProcessed(missing)) this.#processed.set(id, p);
    }
    return this.#processed;
  }

  async growth(after: number, upTo: number) {
    const key = `${after}:${upTo}`;
    let found = this.#growth.get(key);
    if (!found) {
      found = await this.reader.stories.readGrowth(after, upTo);
      this.#growth.set(key, found);
    }
    return found;
  }

  async stories(ids: readonly string[]): Promise<StoryRecord[]> {
    const missing = ids.filter((id) => !this.#records.has(id));
    if (missing.length > 0)
      for (const [id, r] of await this.reader.stories.getStories(missing)) this.#records.set(id, r);
    return ids.map((id) => this.#records.get(id)).filter((r): r is StoryRecord => r !== undefined);
  }

  async describe(
    record: StoryRecord,
    /** Members the channel's thread has not seen (an update): its summary says something of theirs. */
    fresh: readonly string[] = [],
  ): Promise<{ story: DigestStory; articles: DigestArticle[] } | null> {
    // a story a channel sees part of is described from that part (its own best source and summary)
    const key = `${record.id}@${record.revision}:${fnv1a([...record.articles, ...record.copies, '|', ...fresh].join(' ')).toString(36)}`;
    if (this.#described.has(key)) return this.#described.get(key) ?? null;
    const originals =
      record.articles.length <= SUMMARY_MEMBERS
        ? record.articles
        : [...record.articles.slice(0, SUMMARY_MEMBERS / 2), ...record.articles.slice(-SUMMARY_MEMBERS / 2)];
    const processed = await this.processed([...originals, ...record.copies]);
    const members = originals.map((id) => processed.get(id)).filter((p): p is ProcessedRecord => p !== undefined);
    const story = describeStoredStory(record, members, this.reader.topicOrder, new Set(fresh));
    const described = story
      ? {
          // every original, so the ledger records them all (a summary reads a sample of a very big story)
          story: { ...story, articles: [...record.articles] },
          articles: [...record.articles, ...record.copies]
            .map((id) => processed.get(id))
            .filter((p): p is ProcessedRecord => p !== undefined)
            .map(digestArticleOf),
        }
      : null;
    this.#described.set(key, described);
    await yieldToLoop();
    return described;
  }
}

function digestArticleOf(p: ProcessedRecord): DigestArticle {
  return {
    id: p.id,
    title: p.title,
    url: p.url,
    source: p.source,
    publishedAt: p.publishedAt,
    topics: [...p.topics],
    storyId: p.duplicateOf === null ? p.storyId : null,
    duplicateOf: p.duplicateOf,
    duplicateKind: p.duplicateKind,
    warnings: [...p.warnings],
    words: p.words,
  };
}

/**
 * Where a search must start to find every story left out: the earliest publish date among them (a story that grew
 * through a late article is found by its older members too), else the first growth's time.
 */
function earliestOf(left: readonly { record: StoryRecord }[], fallback: string): string {
  let earliest = fallback;
  for (const { record } of left) {
    const first = record.firstPublishedAt;
    if (first !== null && first < earliest) earliest = first;
  }
  return earliest;
}

/** Distinct outlets first, then the newest, then the bigger story, then the older id (a stable order). */
function byImportance(a: StoryRecord, b: StoryRecord): number {
  return (
    b.sources.length - a.sources.length ||
    (b.lastPublishedAt ?? '').localeCompare(a.lastPublishedAt ?? '') ||
    b.articles.length - a.articles.length ||
    a.createdSeq - b.createdSeq ||
    a.id.localeCompare(b.id)
  );
}

/**
 * The story under the title it was first posted with (as it is when none was recorded); its link (the best source)
 * the report that bears that title when the story still holds it, so a title never leads to another outlet's article.
 */
export function namedAs(
  described: { story: DigestStory; articles: readonly DigestArticle[] },
  title: string | undefined,
): DigestStory {
  if (title === undefined) return described.story;
  const members = new Set(described.story.articles);
  const titled = described.articles.find((a) => members.has(a.id) && a.title.trim() === title.trim());
  return { ...described.story, title, ...(titled ? { bestSource: titled.id } : {}) };
}
