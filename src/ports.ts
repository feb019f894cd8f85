// What the pipeline needs from the outside world. Adapters (storage/, feeds/, slack/, discord/, the console
// publisher) implement these; the pipeline and the composition root are the only places that see both sides.
import type { ArticleInput, Digest, DigestStory } from './domain/types.js';

export interface Clock {
  now(): Date;
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
  /** ISO; the feed's date, else fetchedAt. Always set, so time-window reads are exact. */
  readonly publishedAt: string;
  /** Stored by a feed's first poll: searchable, but never part of a scheduled digest. */
  readonly backfill: boolean;
}

export interface ArticleStore {
  /** Stores an article unless one with its id exists; true when it was new. */
  put(article: StoredArticle): Promise<boolean>;
  /** Stores several at once (one index write per day): the ids that were new, in the given order. */
  putMany(articles: readonly StoredArticle[]): Promise<string[]>;
  get(id: string): Promise<StoredArticle | undefined>;
  /** Articles published in [from, to), oldest first. A bounded read (per-day index), not a scan. */
  listPublished(from: Date, to: Date): Promise<StoredArticle[]>;
  /** Deletes articles published before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export interface FeedHealth {
  readonly feed: string;
  readonly url: string;
  readonly lastSuccessAt: string | null;
  readonly lastErrorAt: string | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  /** When the feed may be polled next (backoff or Retry-After), ISO. */
  readonly nextPollAt: string | null;
  /** Set when the feed kept failing and polling stopped. */
  readonly pausedAt: string | null;
  readonly items: number;
  /** HTTP validators for conditional GET. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** False until the first successful poll stored its items as backfill. */
  readonly initialized: boolean;
}

export interface FeedStateStore {
  get(url: string): Promise<FeedHealth | undefined>;
  put(health: FeedHealth): Promise<void>;
  list(): Promise<FeedHealth[]>;
  /** Item identities already stored for this feed (guid, canonical link or title+date hash). */
  seen(url: string, itemIds: readonly string[]): Promise<Set<string>>;
  markSeen(url: string, itemIds: readonly string[]): Promise<void>;
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
}

export interface DeliveryLedger {
  get(channel: string, storyId: string): Promise<DeliveryRecord | undefined>;
  record(delivery: DeliveryRecord): Promise<void>;
  /** The end of the window the channel's last digest covered, ISO. */
  lastDigestAt(channel: string): Promise<string | undefined>;
  setLastDigestAt(channel: string, iso: string): Promise<void>;
}

/** Story ids across runs: which story each article joined, so a later run extends earlier stories. */
export interface StoryStore {
  assignments(articleIds: readonly string[]): Promise<Map<string, string>>;
  assign(entries: readonly { articleId: string; storyId: string }[]): Promise<void>;
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
}

export interface PublishedStory {
  readonly storyId: string;
  readonly messageId: string;
  readonly threadId: string | null;
}

export interface Publisher {
  /** Posts the digest; calls `onPosted` after each story so a crash never re-posts what was posted. */
  publish(digest: ChannelDigest, onPosted: (posted: PublishedStory) => Promise<void>): Promise<void>;
}
