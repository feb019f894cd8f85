// In-memory implementations of the store ports, for pipeline tests that are about decisions, not storage.
// The keyv-backed stores have their own contract suite (test/storage).
import type {
  ArticleStore,
  DeliveryLedger,
  DeliveryRecord,
  FeedHealth,
  FeedStateStore,
  StoredArticle,
  StoryStore,
} from '../../src/ports.js';

export class MemoryArticles implements ArticleStore {
  readonly byId = new Map<string, StoredArticle>();
  async put(article: StoredArticle): Promise<boolean> {
    if (this.byId.has(article.id)) return false;
    this.byId.set(article.id, article);
    return true;
  }
  async putMany(articles: readonly StoredArticle[]): Promise<string[]> {
    const added: string[] = [];
    for (const a of articles) if (await this.put(a)) added.push(a.id);
    return added;
  }
  async get(id: string): Promise<StoredArticle | undefined> {
    return this.byId.get(id);
  }
  async listPublished(from: Date, to: Date): Promise<StoredArticle[]> {
    return [...this.byId.values()]
      .filter((a) => Date.parse(a.publishedAt) >= from.getTime() && Date.parse(a.publishedAt) < to.getTime())
      .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  }
  async prune(before: Date): Promise<number> {
    let n = 0;
    for (const [id, a] of this.byId) {
      if (Date.parse(a.publishedAt) < before.getTime()) {
        this.byId.delete(id);
        n++;
      }
    }
    return n;
  }
}

export class MemoryFeeds implements FeedStateStore {
  readonly health = new Map<string, FeedHealth>();
  readonly seenIds = new Map<string, Set<string>>();
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
    const known = this.seenIds.get(url) ?? new Set();
    return new Set(itemIds.filter((id) => known.has(id)));
  }
  async markSeen(url: string, itemIds: readonly string[]): Promise<void> {
    const known = this.seenIds.get(url) ?? new Set<string>();
    for (const id of itemIds) known.add(id);
    this.seenIds.set(url, known);
  }
}

export class MemoryLedger implements DeliveryLedger {
  readonly records = new Map<string, DeliveryRecord>();
  readonly last = new Map<string, string>();
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
}

export class MemoryStories implements StoryStore {
  readonly byArticle = new Map<string, string>();
  async assignments(articleIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of articleIds) {
      const s = this.byArticle.get(id);
      if (s !== undefined) out.set(id, s);
    }
    return out;
  }
  async assign(entries: readonly { articleId: string; storyId: string }[]): Promise<void> {
    for (const e of entries) this.byArticle.set(e.articleId, e.storyId);
  }
}
