// Feed health and the item ids each feed has already delivered.
//
// Keys (in the store's namespace):
//   health:<url-hash>                 the FeedHealth
//   feeds                             the URLs that have a health record, so list() reads no more than those
//   seen:<url-hash>:<item-hash>       the UTC day it was last marked, then the stored version's length, words
//                                     and minute when known ("2026-12-02 2480 412 tqv9k0"): one key per item
//   seen-log:<day>:<n>                the seen keys one markSeen call wrote that day, written once (for prune)
//   seen-log-count:<day>              how many seen-log entries the day has
//   seen-days                         the days with seen-log entries, sorted (one entry a day)
//
// Prune drops a day's seen keys unless they were marked again later (a feed still listing an old item has it
// marked again, see the poll), then the day's logs.
import type { FeedHealth, FeedStateStore, ItemVersion, Locks, SeenMark } from '../ports.js';
import { hashPart, utcDay } from './keys.js';
import { decode, type Kv } from './kv.js';
import { SharedMutex } from './mutex.js';
import { feedHealthSchema, numberSchema, stringListSchema } from './schemas.js';

const CATALOGUE = 'feeds';
const SEEN_DAYS = 'seen-days';
const seenLogKey = (day: string, n: number): string => `seen-log:${day}:${n}`;
const seenCountKey = (day: string): string => `seen-log-count:${day}`;

const healthKey = (url: string): string => `health:${hashPart(url)}`;
const seenKey = (feedHash: string, itemId: string): string => `seen:${feedHash}:${hashPart(itemId)}`;

export class KvFeedStateStore implements FeedStateStore {
  readonly #locks: SharedMutex;
  /** URLs known to be in the catalogue already, so a routine put costs one write. */
  readonly #catalogued = new Set<string>();

  constructor(
    private readonly kv: Kv,
    /** Shared with the other processes on the store: the catalogue and the seen logs are read-modify-written. */
    locks: Locks | null = null,
  ) {
    this.#locks = new SharedMutex(locks, 'feeds');
  }

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
    return new Set((await this.seenMarks(url, itemIds)).keys());
  }

  async seenMarks(url: string, itemIds: readonly string[]): Promise<Map<string, SeenMark>> {
    const feed = hashPart(url);
    const ids = [...new Set(itemIds)];
    const values = await this.kv.getMany(ids.map((id) => seenKey(feed, id)));
    const out = new Map<string, SeenMark>();
    ids.forEach((id, i) => {
      const value = values[i];
      if (value !== undefined && value !== null) out.set(id, decodeSeenMark(value));
    });
    return out;
  }

  async markSeen(
    url: string,
    itemIds: readonly string[],
    at: Date,
    versions?: ReadonlyMap<string, ItemVersion>,
  ): Promise<void> {
    const feed = hashPart(url);
    const day = utcDay(at);
    const ids = [...new Set(itemIds)];
    if (ids.length === 0) return;
    const keys = ids.map((id) => seenKey(feed, id));
    await this.kv.setMany(ids.map((id, i) => ({ key: keys[i] ?? '', value: encodeSeenMark(day, versions?.get(id)) })));
    await this.#locks.run(SEEN_DAYS, async () => {
      const n = decode(numberSchema, seenCountKey(day), await this.kv.get(seenCountKey(day))) ?? 0;
      await this.kv.set(seenLogKey(day, n), keys);
      await this.kv.set(seenCountKey(day), n + 1);
      const days = decode(stringListSchema, SEEN_DAYS, await this.kv.get(SEEN_DAYS)) ?? [];
      if (!days.includes(day)) await this.kv.set(SEEN_DAYS, [...days, day].sort());
    });
  }

  async pruneSeen(before: Date): Promise<number> {
    const cutoff = utcDay(before);
    let removed = 0;
    await this.#locks.run(SEEN_DAYS, async () => {
      const days = decode(stringListSchema, SEEN_DAYS, await this.kv.get(SEEN_DAYS)) ?? [];
      for (const day of days.filter((d) => d < cutoff)) {
        const n = decode(numberSchema, seenCountKey(day), await this.kv.get(seenCountKey(day))) ?? 0;
        for (let i = 0; i < n; i++) {
          const keys = decode(stringListSchema, seenLogKey(day, i), await this.kv.get(seenLogKey(day, i))) ?? [];
          const values = await this.kv.getMany(keys);
          const old = keys.filter((_, k) => values[k] !== undefined && decodeSeenMark(values[k]).day === day);
          await this.kv.deleteMany(old);
          removed += old.length;
          await this.kv.delete(seenLogKey(day, i));
        }
        await this.kv.delete(seenCountKey(day));
      }
      await this.kv.set(
        SEEN_DAYS,
        days.filter((d) => d >= cutoff),
      );
    });
    return removed;
  }

  async #catalogue(): Promise<string[]> {
    return decode(stringListSchema, CATALOGUE, await this.kv.get(CATALOGUE)) ?? [];
  }
}

function encodeSeenMark(day: string, version: ItemVersion | undefined): string {
  if (version === undefined) return day;
  const minute = Math.floor(version.storedAt / 60_000);
  return `${day} ${version.length} ${version.words} ${minute.toString(36)}`;
}

function decodeSeenMark(value: unknown): SeenMark {
  // stores from before days were kept hold 1: seen, on an unknown day (the oldest possible); marks from before
  // versions were kept hold the day alone
  if (typeof value !== 'string') return { day: '0000-00-00' };
  const [day = '0000-00-00', length, words, minute] = value.split(' ');
  const chars = Number(length);
  const count = Number(words);
  if (!Number.isInteger(chars) || chars < 0 || !Number.isInteger(count) || count < 0) return { day };
  const at = minute === undefined ? 0 : Number.parseInt(minute, 36) * 60_000;
  return { day, version: { length: chars, words: count, storedAt: Number.isFinite(at) ? at : 0 } };
}
