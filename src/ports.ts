// What the pipeline needs from the outside world. Adapters (storage/, feeds/, slack/, discord/, the console
// publisher) implement these; the pipeline and the composition root are the only places that see both sides.
import type { ChannelOverrides, SubscribedFeed } from './domain/channel-filter.js';
import type { FeedHealth, PolledFeed } from './domain/feed-health.js';
import type { ProcessedArticle, RestoredArticle } from './domain/story-engine.js';
import type { StoryRecord } from './domain/story-record.js';
import type { ArticleInput, Digest, DigestStory } from './domain/types.js';

/** The warning kinds a stored result may hold (the domain's list: a store validates what it reads against it). */
export { WARNING_KINDS } from './domain/types.js';

export type { ChannelOverrides, FeedHealth, PolledFeed, RestoredArticle, StoryRecord, SubscribedFeed };

export interface Clock {
  now(): Date;
}

/** Runs tasks on cron schedules, each in its time zone, until stopped (node-cron in jobs/cron.ts; a fake in tests). */
export interface Timetable {
  every(name: string, cron: string, timezone: string, task: () => void): void;
  /** No task fires after this resolves. */
  stop(): Promise<void>;
}

/** The subset of pino the code uses, so tests can pass a recording logger. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** An article as stored: the builder's input plus where and when it came from. */
export interface StoredArticle extends ArticleInput {
  readonly id: string;
  /** The feed's configured name (or URL when unnamed). */
  readonly feed: string;
  /** ISO time the poll stored it. */
  readonly fetchedAt: string;
  /** ISO; the feed's date, else fetchedAt (also when the feed's date was impossible). Always set. */
  readonly publishedAt: string;
  /** The date the feed gave when it was impossible (in the future, before 1990) and fetchedAt stands in. */
  readonly claimedPublishedAt?: string | undefined;
  /** Stored by a feed's first poll: searchable, but never part of a scheduled digest. */
  readonly backfill: boolean;
  /** The ingest sequence number it was logged under (set by the store). */
  readonly seq?: number | undefined;
}

/** One entry of the ingest log: the articles one store call added, in order. Sequence numbers only grow. */
export interface IngestEntry {
  readonly seq: number;
  /** ISO time of the write. */
  readonly at: string;
  readonly articleIds: readonly string[];
}

export interface ArticleStore {
  /**
   * Stores the articles whose ids are new and logs them, in order, under the next sequence number: the ids that
   * were new. An article written by a call that crashed before its log entry counts as new again.
   */
  putMany(articles: readonly StoredArticle[], at: Date): Promise<string[]>;
  get(id: string): Promise<StoredArticle | undefined>;
  /** The articles found, in the order asked. */
  getMany(ids: readonly string[]): Promise<StoredArticle[]>;
  /** The last sequence number logged (0 before any). */
  head(): Promise<number>;
  /** Log entries with afterSeq < seq <= upTo, oldest first (missing ones skipped). */
  readLog(afterSeq: number, upTo: number): Promise<IngestEntry[]>;
  /** The first sequence number logged on or after the UTC day of `at` (head + 1 when none). */
  firstSeqSince(at: Date): Promise<number>;
  /** Articles published in [from, to), oldest first; read through the log from the day of `from`. */
  listPublished(from: Date, to: Date): Promise<StoredArticle[]>;
  /** Deletes articles logged on UTC days before the day of `before`, and their log: the ids removed. */
  prune(before: Date): Promise<string[]>;
}

/**
 * What a feed item held when it was stored: the length of its title and content as the feed sent them, and its
 * words. An item listed again under the same id with more words (a live blog's new entries, a wire's re-issue) is
 * stored again as a revision of itself; one that is no longer is not read again at all.
 */
export interface ItemVersion {
  /** Characters of the item's title and content as sent. */
  readonly length: number;
  readonly words: number;
  /** When this version was stored (ms since the epoch, to the minute); 0 when not known. */
  readonly storedAt: number;
}

/** The UTC day (YYYY-MM-DD) an item was last marked seen, and the version stored (absent for older marks). */
export interface SeenMark {
  readonly day: string;
  readonly version?: ItemVersion;
}

export interface FeedStateStore {
  get(url: string): Promise<FeedHealth | undefined>;
  put(health: FeedHealth): Promise<void>;
  list(): Promise<FeedHealth[]>;
  /** Item identities already stored for this feed (guid, canonical link or title+date hash). */
  seen(url: string, itemIds: readonly string[]): Promise<Set<string>>;
  /** When each of these item identities was last marked seen, and the version stored then; absent when never. */
  seenMarks(url: string, itemIds: readonly string[]): Promise<Map<string, SeenMark>>;
  /**
   * Marks item identities seen on the day of `at`, with the version of their content that was stored (an id
   * without one in `versions` is marked without a version: it is never taken again as a revision).
   */
  markSeen(
    url: string,
    itemIds: readonly string[],
    at: Date,
    versions?: ReadonlyMap<string, ItemVersion>,
  ): Promise<void>;
  /** Forgets item identities last marked before the day of `before`: how many. */
  pruneSeen(before: Date): Promise<number>;
}

/** Where a story was posted in a channel, so updates go into its thread and nothing is posted twice. */
export interface DeliveryRecord {
  readonly channel: string;
  readonly storyId: string;
  readonly articleIds: readonly string[];
  /** Platform message id of the story's post, and the thread it lives in. */
  readonly messageId: string;
  readonly threadId: string | null;
  readonly postedAt: string;
  /**
   * The story's title when it was first posted in this channel: its updates wear it, so the thread they go to and
   * the digest that lists them name the story as the channel first saw it. Absent in records written before it.
   */
  readonly title?: string | undefined;
}

export interface DeliveryLedger {
  get(channel: string, storyId: string): Promise<DeliveryRecord | undefined>;
  record(delivery: DeliveryRecord): Promise<void>;
  /** The end of the window the channel's last digest covered, ISO. */
  lastDigestAt(channel: string): Promise<string | undefined>;
  setLastDigestAt(channel: string, iso: string): Promise<void>;
  /** The last ingest sequence number the channel's digests have covered. */
  cursor(channel: string): Promise<number | undefined>;
  setCursor(channel: string, seq: number): Promise<void>;
  /** Deletes the channel's records of these stories (they were pruned), and their intents. */
  forget(channel: string, storyIds: readonly string[]): Promise<void>;
  /** The last intent written for this item (a story id, or DIGEST_PARENT_ITEM) in the channel. */
  intent(channel: string, item: string): Promise<DeliveryIntent | undefined>;
  recordIntent(intent: DeliveryIntent): Promise<void>;
  /** The parent message of the channel's digest whose window starts at `window`, if it is the latest recorded. */
  parent(channel: string, window: string): Promise<DigestParent | undefined>;
  /** Records a digest's parent; it replaces the channel's earlier digest's (only the latest can be resumed). */
  recordParent(parent: DigestParent): Promise<void>;
}

/** The item name of a digest's parent message in intents (no story id looks like it). */
export const DIGEST_PARENT_ITEM = '#digest-parent';

/**
 * Written down just before a message is sent (docs/adr/009-exactly-once-delivery.md): an intent without a result
 * for the same window means an earlier attempt may have been accepted, so the retry looks for it first.
 */
export interface DeliveryIntent {
  readonly channel: string;
  /** A story id, or DIGEST_PARENT_ITEM. */
  readonly item: string;
  /** The start of the digest's window: an intent of another window is not a retry of this one. */
  readonly window: string;
  /** Deterministic per channel, item and window (20 characters); each message of the item adds `.<part>`. */
  readonly nonce: string;
  readonly at: string;
}

/** Where a digest's parent message is, so a digest cut short goes on in the same message and thread. */
export interface DigestParent {
  readonly channel: string;
  readonly window: string;
  readonly messageId: string;
  /** The digest's thread once started (Discord starts it after the parent; Slack's is the parent's ts). */
  readonly threadId: string | null;
  readonly at: string;
}

/** An article's processing result as stored: what the story engine decided, and where the article came from. */
export interface ProcessedRecord extends ProcessedArticle {
  readonly seq: number;
  readonly feed: string;
  readonly fetchedAt: string;
  readonly backfill: boolean;
  /** Set when the feed's date was impossible and the fetch time stands in (shown to readers). */
  readonly claimedPublishedAt: string | null;
}

/** Which stories one ingest batch made grow, and by which articles (originals that are not backfill). */
export interface StoryGrowth {
  readonly seq: number;
  readonly at: string;
  readonly stories: readonly { readonly storyId: string; readonly articleIds: readonly string[] }[];
}

export interface StoryStore {
  /** The last ingest sequence number whose batch is processed and committed (0 before any). */
  processedSeq(): Promise<number>;
  getProcessed(articleIds: readonly string[]): Promise<Map<string, ProcessedRecord>>;
  /** The compact part of the results (no text): what the story engine is restored from at start-up. */
  getRestorable(articleIds: readonly string[]): Promise<Map<string, RestoredArticle>>;
  putProcessed(records: readonly ProcessedRecord[]): Promise<void>;
  getStories(storyIds: readonly string[]): Promise<Map<string, StoryRecord>>;
  putStories(stories: readonly StoryRecord[]): Promise<void>;
  /** Records the growth of consecutive batches, then marks the last one's sequence number processed. */
  commitGrowth(growth: readonly StoryGrowth[]): Promise<void>;
  /** Growth entries with afterSeq < seq <= upTo, oldest first. */
  readGrowth(afterSeq: number, upTo: number): Promise<StoryGrowth[]>;
  /** Deletes the processing results of these articles. */
  forgetArticles(articleIds: readonly string[]): Promise<void>;
  /** Deletes growth entries with seq < beforeSeq; returns the story ids they named. */
  pruneGrowth(beforeSeq: number): Promise<string[]>;
  deleteStories(storyIds: readonly string[]): Promise<void>;
}

/** What editors changed per channel from chat (subscriptions, muted outlets): the config file is the base. */
export interface ChannelSettingsStore {
  get(channel: string): Promise<ChannelOverrides | undefined>;
  /** Every channel that has settings. */
  list(): Promise<ChannelOverrides[]>;
  /**
   * Applies `change` to the channel's settings (empty ones when none) and stores the result, one change at a time
   * per channel in this process: the stored result. A change that returns its input unchanged writes nothing.
   */
  update(channel: string, change: (current: ChannelOverrides) => ChannelOverrides): Promise<ChannelOverrides>;
}

/** Every store the pipeline uses, on one backend. */
export interface Stores {
  readonly articles: ArticleStore;
  readonly feeds: FeedStateStore;
  readonly deliveries: DeliveryLedger;
  readonly stories: StoryStore;
  readonly channelSettings: ChannelSettingsStore;
  /** The backend's own full-text index (SQLite FTS5, PostgreSQL tsvector + GIN, Redis sorted sets). */
  readonly search: SearchIndex;
  /** Locks shared by every process on this store (leases in the backend). */
  readonly locks: Locks;
}

/** One story as a channel receives it: new, or an update to an earlier post. */
export type StoryDelivery =
  | { readonly kind: 'new'; readonly story: DigestStory }
  | {
      readonly kind: 'update';
      readonly story: DigestStory;
      /** The articles the earlier post did not have. */
      readonly newArticleIds: readonly string[];
      readonly earlier: DeliveryRecord;
    };

export interface ChannelDigest {
  readonly channel: string;
  /** The window the digest covers, ISO. */
  readonly from: string;
  readonly to: string;
  readonly digest: Digest;
  readonly stories: readonly StoryDelivery[];
  /** Set when there is nothing new and the channel asked to hear so ("quiet day"): one line, no thread. */
  readonly notice?: string;
  /** Stories that grew but did not fit in this digest (the channel's maxStories), and since when to ask for them. */
  readonly overflow?: { readonly stories: number; readonly since: string };
}

export interface PublishedStory {
  readonly storyId: string;
  readonly messageId: string;
  readonly threadId: string | null;
  /** The post was found in the channel (an earlier attempt's, accepted before a crash), not posted now. */
  readonly found?: boolean;
}

/**
 * What a publisher writes down around each message of a scheduled digest, and what it is told about earlier
 * attempts at the same window (docs/adr/009-exactly-once-delivery.md).
 */
export interface DeliveryJournal {
  /** The start of the digest's window, the key of its parent and of its messages' nonces. */
  readonly window: string;
  /** Every story of the window, also those an earlier attempt posted: what the parent's counts say. */
  readonly planned: readonly StoryDelivery[];
  /** The parent an earlier attempt at this window posted and recorded. */
  parent(): Promise<{ readonly messageId: string; readonly threadId: string | null } | undefined>;
  recordParent(messageId: string, threadId: string | null): Promise<void>;
  /**
   * Writes down the intent to post `item` (a story id or DIGEST_PARENT_ITEM) before it is sent. `earlier` is set
   * when an attempt at this same window wrote it before: the message may be up already, so look for it first.
   */
  intend(item: string): Promise<{ readonly nonce: string; readonly earlier: { readonly at: string } | null }>;
  /**
   * Called right before each request that sends a message goes out (after any pacing wait): rejects when this
   * process may no longer send for the channel (its digest lock lapsed while it was stalled).
   */
  beforeSend(): Promise<void>;
}

export interface Publisher {
  /**
   * Posts the digest; calls `onPosted` after each story so a crash never re-posts what was posted. With a
   * `journal`, writes an intent before each message and looks for the post before sending it again.
   */
  publish(
    digest: ChannelDigest,
    onPosted: (posted: PublishedStory) => Promise<void>,
    journal?: DeliveryJournal,
  ): Promise<void>;
}

/** The answer to a `/digest` search, as the chat adapters render it. */
export type QueryAnswer =
  | {
      readonly kind: 'digest';
      readonly digest: Digest;
      /** Articles that matched. */
      readonly matched: number;
      readonly description: string;
      /** Stories that matched beyond those shown (narrow the query to see them). */
      readonly moreStories?: number;
      /** Where the asking channel already got a story: its post, and how many articles came since. */
      readonly posted?: ReadonlyMap<string, StoryPost>;
    }
  | { readonly kind: 'empty'; readonly message: string };

export interface StoryPost {
  readonly channel: string;
  readonly messageId: string;
  readonly threadId: string | null;
  readonly postedAt: string;
  readonly newArticles: number;
}

/** One item of a feed, whatever its format on the wire. */
export interface FeedItem {
  /** Identity across polls: guid / id, else canonical link, else `sha256:` of title and date. */
  readonly id: string;
  readonly title: string | null;
  /** Absolute http(s) URL, resolved against the feed URL. */
  readonly link: string | null;
  /** ISO 8601, or null when the feed gave no readable date. */
  readonly publishedAt: string | null;
  readonly author: string | null;
  /** The fullest HTML body the feed carries (content:encoded, Atom content, content_html, description). */
  readonly contentHtml: string | null;
  /** Plain text of the content: JSON Feed content_text, else the HTML body with its tags removed. */
  readonly contentText: string | null;
  /** A short description next to a fuller body (Atom summary, RSS description beside content:encoded). */
  readonly summary: string | null;
}

/** What one poll of a feed gave: its items, nothing new, or a failure; with the feed's next health either way. */
export type FeedPoll =
  | {
      readonly kind: 'updated';
      readonly health: FeedHealth;
      readonly feed: { readonly items: readonly FeedItem[] };
      /** The feed had never been polled successfully: its items are backfill, not news. */
      readonly firstPoll: boolean;
      /** Where the text came from after redirects (a permanent move shows here). */
      readonly url: string;
      /** Set when the feed answered only through permanent redirects (301, 308): its new address. */
      readonly movedTo?: string;
      /** Item links dropped for their scheme (file:, ftp:, data: ...): the items are kept without their link. */
      readonly refusedLinks?: number;
    }
  | { readonly kind: 'not-modified'; readonly health: FeedHealth }
  | {
      readonly kind: 'failed';
      readonly health: FeedHealth;
      /** A FeedError for a bad feed; anything else is a bug worth logging loudly. */
      readonly error: Error;
    };

/** Where feeds come from: one poll of one feed. Never throws: a failure is a `failed` poll. */
export interface FeedSource {
  poll(feed: PolledFeed, health: FeedHealth | undefined): Promise<FeedPoll>;
}

/** One article as the search index holds it. */
export interface SearchDoc {
  readonly id: string;
  readonly storyId: string;
  /** ms since the epoch. */
  readonly publishedAt: number;
  readonly source: string | null;
  readonly topics: readonly string[];
  /** searchTerms() of its title and text, space-separated, in order. */
  readonly terms: string;
}

/** A search, in index terms (searchStem()). */
/** The kinds of work the run loop hands out: each has its own bounded lane, so one cannot hold up another. */
export type JobKind = 'poll' | 'ingest' | 'digest' | 'prune';

export interface Job {
  readonly kind: JobKind;
  /**
   * Idempotency key: adding a job whose id is still waiting (or, on a shared queue, kept as done for a while) is a
   * no-op. A digest's id names its channel and slot, so two schedulers firing the same slot add it once.
   */
  readonly id: string;
  readonly data: Readonly<Record<string, string>>;
}

/** Where the run loop's work waits for a worker: in this process (jobs/in-process-queue.ts) or on BullMQ. */
export interface JobQueue {
  /**
   * Queues the job unless one with its id is already there. False when this process knows it was not added (a
   * duplicate, or a full lane); a shared queue answers true for "queued, now or before".
   */
  add(job: Job): Promise<boolean>;
  /** Works jobs of this kind with the handler, at most `concurrency` at a time in this process. */
  work(kind: JobKind, concurrency: number, handler: (job: Job) => Promise<void>): void;
  /** Jobs waiting and running, by kind. */
  depths(): Promise<Record<JobKind, { waiting: number; running: number }>>;
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

/**
 * A held lock, as `work` sees it. A process frozen (SIGSTOP, a stalled VM) longer than the lock's lease wakes up
 * believing it still holds it while another process may; `confirm()` before an effect that must not happen twice
 * (a chat post, a log write) tells: it resolves when the lock is still this holder's (asking the store when the
 * last renewal is old) and rejects with a clear error when it may not be.
 */
export interface Lease {
  confirm(): Promise<void>;
}

/** Mutual exclusion across every process sharing the store: one ingest at a time, one digest per channel. */
export interface Locks {
  /**
   * Runs `work` holding the named lock, waiting up to `waitMs` for it; `{ held: false }` when it stayed taken.
   * The lock is kept alive while `work` runs and released after, also when it throws.
   */
  withLock<T>(
    name: string,
    waitMs: number,
    work: (lease: Lease) => Promise<T>,
  ): Promise<{ readonly held: true; readonly value: T } | { readonly held: false }>;
  close(): Promise<void>;
}

export interface SearchRequest {
  /** Terms that must all appear. */
  readonly all: readonly string[];
  /** Runs of terms that must appear in this order. */
  readonly phrases: readonly (readonly string[])[];
  /** Terms that must not appear. */
  readonly none: readonly string[];
  /** [since, until), ms. */
  readonly since: number;
  readonly until: number;
  /** Lower-case part of a topic name / an outlet name the article must have. */
  readonly topic: string | null;
  readonly source: string | null;
  readonly limit: number;
}

export interface SearchHit {
  readonly id: string;
  readonly storyId: string;
  readonly publishedAt: number;
  /** Higher is more relevant (comparable within one answer only). */
  readonly score: number;
}

export interface SearchIndex {
  add(docs: readonly SearchDoc[]): Promise<void>;
  /** The best `limit` hits (relevance, then recency) and how many matched in all. */
  search(request: SearchRequest): Promise<{ readonly hits: readonly SearchHit[]; readonly total: number }>;
  remove(ids: readonly string[]): Promise<void>;
}

/** A feed poll's outcome as counted: every poll that was due (or forced), and the paused feeds it skipped. */
export type PollOutcome = 'stored' | 'not-modified' | 'failed' | 'paused';

/**
 * What the bot counts as it works, for `/metrics` (prom-client in ops/metrics.ts, `noMetrics` in tests and the
 * one-shot commands). Calls are cheap and synchronous; they never throw and never block.
 */
export interface Metrics {
  /** One feed polled; `failure` is the kind of error when it failed (an error class name, never a message). */
  feedPolled(outcome: PollOutcome, failure?: string): void;
  /** New articles a poll stored. */
  articlesStored(count: number): void;
  /** Articles the story engine processed, and of them how many it rejected or found to be copies. */
  articlesProcessed(counts: { readonly articles: number; readonly rejected: number; readonly copies: number }): void;
  /** One channel's digest: delivered (posted or a notice), skipped (nothing new), failed. */
  digestDone(outcome: 'delivered' | 'skipped' | 'failed'): void;
  /** Stories posted (new or updates) on a platform. */
  storiesPosted(platform: string, count: number): void;
  /** Jobs waiting in a queue, set by the job layer whenever it knows (and at each scrape). */
  setQueueDepth(queue: string, depth: number): void;
  /**
   * Runs `read` before each scrape (e.g. the job layer setting every queue's depth), within the scrape's deadline;
   * a later call with the same name replaces it. A read still running is not started again.
   */
  beforeScrape(name: string, read: () => Promise<void> | void): void;
}
