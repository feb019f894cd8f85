// In-memory implementations of the store ports, for pipeline tests that are about decisions, not storage.
// The keyv-backed stores have their own contract suite (test/storage).
import type {
  ArticleStore,
  DeliveryIntent,
  DeliveryLedger,
  DeliveryRecord,
  DigestParent,
  FeedHealth,
  FeedStateStore,
  IngestEntry,
  ItemVersion,
  ProcessedRecord,
  RestoredArticle,
  SeenMark,
  StoredArticle,
  StoryGrowth,
  StoryRecord,
  StoryStore,
} from '../../src/ports.js';

export class MemoryArticles implements ArticleStore {
  readonly byId = new Map<string, StoredArticle>();
  readonly log: IngestEntry[] = [];
  async putMany(articles: readonly StoredArticle[], at: Date): Promise<string[]> {
    const seq = this.log.length + 1;
    const added: string[] = [];
    for (const a of articles) {
      if (this.byId.has(a.id)) continue;
      this.byId.set(a.id, { ...a, seq });
      added.push(a.id);
    }
    if (added.length > 0) this.log.push({ seq, at: at.toISOString(), articleIds: added });
    return added;
  }
  async get(id: string): Promise<StoredArticle | undefined> {
    return this.byId.get(id);
  }
  async getMany(ids: readonly string[]): Promise<StoredArticle[]> {
    return ids.map((id) => this.byId.get(id)).filter((a): a is StoredArticle => a !== undefined);
  }
  async head(): Promise<number> {
    return this.log.length;
  }
  async readLog(afterSeq: number, upTo: number): Promise<IngestEntry[]> {
    return this.log.filter((e) => e.seq > afterSeq && e.seq <= upTo);
  }
  async firstSeqSince(at: Date): Promise<number> {
    const day = at.toISOString().slice(0, 10);
    return this.log.find((e) => e.at.slice(0, 10) >= day)?.seq ?? this.log.length + 1;
  }
  async listPublished(from: Date, to: Date): Promise<StoredArticle[]> {
    return [...this.byId.values()]
      .filter((a) => Date.parse(a.publishedAt) >= from.getTime() && Date.parse(a.publishedAt) < to.getTime())
      .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  }
  async prune(before: Date): Promise<string[]> {
    const day = before.toISOString().slice(0, 10);
    const removed: string[] = [];
    for (const entry of this.log) {
      if (entry.at.slice(0, 10) >= day) continue;
      for (const id of entry.articleIds) if (this.byId.delete(id)) removed.push(id);
    }
    return removed;
  }
}

export class MemoryFeeds implements FeedStateStore {
  readonly health = new Map<string, FeedHealth>();
  readonly seenIds = new Map<string, Map<string, SeenMark>>();
  async get(url: string): Promise<FeedHealth | undefined> {
    return this.health.get(url);
  }
  async put(health: FeedHealth): Promise<void> {
    this.health.set(health.url, health);
  }
  async list(): Promise<FeedHealth[]> {
    return [...this.health.values()];
  }
  async seen(url: string, itemIds: readonly string[]): Promise<Set<string>> {
    return new Set((await this.seenMarks(url, itemIds)).keys());
  }
  async seenMarks(url: string, itemIds: readonly string[]): Promise<Map<string, SeenMark>> {
    const known = this.seenIds.get(url) ?? new Map<string, SeenMark>();
    return new Map(
      itemIds.flatMap((id) => {
        const mark = known.get(id);
        return mark ? [[id, mark] as const] : [];
      }),
    );
  }
  async markSeen(
    url: string,
    itemIds: readonly string[],
    at: Date,
    versions?: ReadonlyMap<string, ItemVersion>,
  ): Promise<void> {
    const known = this.seenIds.get(url) ?? new Map<string, SeenMark>();
    const day = at.toISOString().slice(0, 10);
    for (const id of itemIds) {
      const version = versions?.get(id);
      known.set(id, version ? { day, version } : { day });
    }
    this.seenIds.set(url, known);
  }
  async pruneSeen(before: Date): Promise<number> {
    const day = before.toISOString().slice(0, 10);
    let n = 0;
    for (const known of this.seenIds.values()) {
      for (const [id, mark] of known) {
        if (mark.day < day) {
          known.delete(id);
          n++;
        }
      }
    }
    return n;
  }
}

export class MemoryLedger implements DeliveryLedger {
  readonly records = new Map<string, DeliveryRecord>();
  readonly last = new Map<string, string>();
  readonly cursors = new Map<string, number>();
  async get(channel: string, storyId: string): Promise<DeliveryRecord | undefined> {
    return this.records.get(`${channel}\u0000${storyId}`);
  }
  async record(delivery: DeliveryRecord): Promise<void> {
    this.records.set(`${delivery.channel}\u0000${delivery.storyId}`, delivery);
  }
  async lastDigestAt(channel: string): Promise<string | undefined> {
    return this.last.get(channel);
  }
  async setLastDigestAt(channel: string, iso: string): Promise<void> {
    this.last.set(channel, iso);
  }
  async cursor(channel: string): Promise<number | undefined> {
    return this.cursors.get(channel);
  }
  async setCursor(channel: string, seq: number): Promise<void> {
    this.cursors.set(channel, seq);
  }
  async forget(channel: string, storyIds: readonly string[]): Promise<void> {
    for (const id of storyIds) {
      this.records.delete(`${channel}\u0000${id}`);
      this.intents.delete(`${channel}\u0000${id}`);
    }
  }
  readonly intents = new Map<string, DeliveryIntent>();
  readonly parents = new Map<string, DigestParent>();
  async intent(channel: string, item: string): Promise<DeliveryIntent | undefined> {
    return this.intents.get(`${channel}\u0000${item}`);
  }
  async recordIntent(intent: DeliveryIntent): Promise<void> {
    this.intents.set(`${intent.channel}\u0000${intent.item}`, intent);
  }
  async parent(channel: string, window: string): Promise<DigestParent | undefined> {
    const parent = this.parents.get(channel);
    return parent?.window === window ? parent : undefined;
  }
  async recordParent(parent: DigestParent): Promise<void> {
    this.parents.set(parent.channel, parent);
  }
}

export class MemoryStories implements StoryStore {
  readonly processed = new Map<string, ProcessedRecord>();
  readonly stories = new Map<string, StoryRecord>();
  readonly growth = new Map<number, StoryGrowth>();
  done = 0;
  async processedSeq(): Promise<number> {
    return this.done;
  }
  async getProcessed(ids: readonly string[]): Promise<Map<string, ProcessedRecord>> {
    return pick(this.processed, ids);
  }
  async getRestorable(ids: readonly string[]): Promise<Map<string, RestoredArticle>> {
    return pick(this.processed, ids);
  }
  async putProcessed(records: readonly ProcessedRecord[]): Promise<void> {
    for (const r of records) this.processed.set(r.id, r);
  }
  async getStories(ids: readonly string[]): Promise<Map<string, StoryRecord>> {
    return pick(this.stories, ids);
  }
  async putStories(stories: readonly StoryRecord[]): Promise<void> {
    for (const s of stories) this.stories.set(s.id, s);
  }
  async commitGrowth(growth: readonly StoryGrowth[]): Promise<void> {
    for (const g of growth) this.growth.set(g.seq, g);
    this.done = growth.at(-1)?.seq ?? this.done;
  }
  async readGrowth(afterSeq: number, upTo: number): Promise<StoryGrowth[]> {
    return [...this.growth.values()].filter((g) => g.seq > afterSeq && g.seq <= upTo).sort((a, b) => a.seq - b.seq);
  }
  async forgetArticles(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.processed.delete(id);
  }
  async pruneGrowth(beforeSeq: number): Promise<string[]> {
    const named = new Set<string>();
    for (const [seq, g] of this.growth) {
      if (seq >= beforeSeq) continue;
      for (const s of g.stories) named.add(s.storyId);
      this.growth.delete(seq);
    }
    return [...named];
  }
  async deleteStories(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.stories.delete(id);
  }
}

function pick<T>(map: ReadonlyMap<string, T>, ids: readonly string[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const id of ids) {
    const v = map.get(id);
    if (v !== undefined) out.set(id, v);
  }
  return out;
}
