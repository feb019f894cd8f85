// Feed health and the item ids each feed has already delivered.
//
// Keys (in the store's namespace):
//   health:<url-hash>                 the FeedHealth
//   feeds                             the URLs that have a health record, so list() reads no more than those
//   seen:<url-hash>:<item-hash>       1: one key per seen item, so a lookup is one key and nothing grows in place
import type { FeedHealth, FeedStateStore } from '../ports.js';
import { hashPart } from './keys.js';
import { decode, type Kv } from './kv.js';
import { KeyedMutex } from './mutex.js';
import { feedHealthSchema, stringListSchema } from './schemas.js';

const CATALOGUE = 'feeds';

const healthKey = (url: string): string => `health:${hashPart(url)}`;
const seenKey = (feedHash: string, itemId: string): string => `seen:${feedHash}:${hashPart(itemId)}`;

export class KvFeedStateStore implements FeedStateStore {
  readonly #locks = new KeyedMutex();
  /** URLs known to be in the catalogue already, so a routine put costs one write. */
  readonly #catalogued = new Set<string>();

  constructor(private readonly kv: Kv) {}

  async get(url: string): Promise<FeedHealth | undefined> {
    const key = healthKey(url);
    return decode(feedHealthSchema, key, await this.kv.get(key));
  }

  async put(health: FeedHealth): Promise<void> {
    await this.kv.set(healthKey(health.url), health);
    if (this.#catalogued.has(health.url)) return;
    await this.#locks.run(CATALOGUE, async () => {
      const urls = await this.#catalogue();
      if (!urls.includes(health.url)) await this.kv.set(CATALOGUE, [...urls, health.url]);
      this.#catalogued.add(health.url);
    });
  }

  async list(): Promise<FeedHealth[]> {
    const urls = await this.#catalogue();
    const values = await this.kv.getMany(urls.map(healthKey));
    return values.flatMap((value, i) => decode(feedHealthSchema, healthKey(urls[i] ?? ''), value) ?? []);
  }

  async seen(url: string, itemIds: readonly string[]): Promise<Set<string>> {
    const feed = hashPart(url);
    const ids = [...new Set(itemIds)];
    const values = await this.kv.getMany(ids.map((id) => seenKey(feed, id)));
    return new Set(ids.filter((_, i) => values[i] !== undefined && values[i] !== null));
  }

  async markSeen(url: string, itemIds: readonly string[]): Promise<void> {
    const feed = hashPart(url);
    await this.kv.setMany([...new Set(itemIds)].map((id) => ({ key: seenKey(feed, id), value: 1 })));
  }

  async #catalogue(): Promise<string[]> {
    return decode(stringListSchema, CATALOGUE, await this.kv.get(CATALOGUE)) ?? [];
  }
}
