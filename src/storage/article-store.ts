// Articles, with a per-UTC-day index so a time window reads only its own days.
//
// Keys (in the store's namespace):
//   article:<id>       the StoredArticle
//   day:YYYY-MM-DD     ids of the articles published that UTC day, in arrival order
//   days               the days that have an index, sorted: lets prune find old days without a scan
//
// Write order keeps every crash harmless: a put writes the day index before the article, so a crash in between
// leaves an id without an article (reads skip it; the next put of that id completes it). Prune deletes articles
// before their index, and the index before its catalogue entry, so it can always be run again.
//
// Idempotent put is check-then-set, which keyv cannot make atomic (it has no set-if-absent). Within a process a
// per-day lock serialises puts, so two polls storing the same item cannot both report it new. Two processes on one
// store could race on the same new id; both would write the same feed item and the day index might drop one of
// two ids written at the same instant. One bot process per store is the supported deployment, so that is accepted.
import type { ArticleStore, Logger, StoredArticle } from '../ports.js';
import { StorageDataError } from './errors.js';
import { keyPart, utcDay, utcDayCount, utcDaysOf } from './keys.js';
import { decode, type Kv } from './kv.js';
import { KeyedMutex } from './mutex.js';
import { storedArticleSchema, stringListSchema } from './schemas.js';

/** Windows longer than this read the day catalogue instead of asking for every calendar day. */
const MAX_CALENDAR_DAYS = 400;
const CATALOGUE = 'days';

const articleKey = (id: string): string => `article:${keyPart(id)}`;
const dayKey = (day: string): string => `day:${day}`;

export class KvArticleStore implements ArticleStore {
  readonly #locks = new KeyedMutex();

  constructor(
    private readonly kv: Kv,
    private readonly logger: Logger,
  ) {}

  async put(article: StoredArticle): Promise<boolean> {
    const day = utcDay(publishedInstant(article));
    return this.#locks.run(dayKey(day), async () => {
      if ((await this.kv.get(articleKey(article.id))) !== undefined) return false;
      const ids = await this.#dayIds(day);
      if (!ids.includes(article.id)) {
        if (ids.length === 0) await this.#addToCatalogue(day);
        await this.kv.set(dayKey(day), [...ids, article.id]);
      }
      await this.kv.set(articleKey(article.id), article);
      return true;
    });
  }

  async putMany(articles: readonly StoredArticle[]): Promise<string[]> {
    const byDay = new Map<string, StoredArticle[]>();
    for (const a of articles) {
      const day = utcDay(publishedInstant(a));
      byDay.set(day, [...(byDay.get(day) ?? []), a]);
    }
    const added = new Set<string>();
    for (const [day, batch] of byDay) {
      await this.#locks.run(dayKey(day), async () => {
        const existing = await this.kv.getMany(batch.map((a) => articleKey(a.id)));
        const fresh: StoredArticle[] = [];
        const seen = new Set<string>();
        batch.forEach((a, i) => {
          if (existing[i] === undefined && !seen.has(a.id)) fresh.push(a);
          seen.add(a.id);
        });
        if (fresh.length === 0) return;
        const ids = await this.#dayIds(day);
        const known = new Set(ids);
        const newIds = fresh.map((a) => a.id).filter((id) => !known.has(id));
        if (newIds.length > 0) {
          if (ids.length === 0) await this.#addToCatalogue(day);
          await this.kv.set(dayKey(day), [...ids, ...newIds]);
        }
        // same order as put: the index first, so a crash leaves ids without articles, never articles without ids
        await this.kv.setMany(fresh.map((a) => ({ key: articleKey(a.id), value: a })));
        for (const a of fresh) added.add(a.id);
      });
    }
    return articles.map((a) => a.id).filter((id, i, all) => added.has(id) && all.indexOf(id) === i);
  }

  async get(id: string): Promise<StoredArticle | undefined> {
    const key = articleKey(id);
    return decode(storedArticleSchema, key, await this.kv.get(key));
  }

  async listPublished(from: Date, to: Date): Promise<StoredArticle[]> {
    const start = checkedTime(from, 'from');
    const end = checkedTime(to, 'to');
    if (end <= start) return [];
    const days =
      utcDayCount(from, to) <= MAX_CALENDAR_DAYS
        ? utcDaysOf(from, to)
        : (await this.#catalogue()).filter((day) => day >= utcDay(from) && day <= utcDay(new Date(end - 1)));
    const indexes = await this.kv.getMany(days.map(dayKey));
    const ids = [
      ...new Set(indexes.flatMap((value, i) => decode(stringListSchema, dayKey(days[i] ?? ''), value) ?? [])),
    ];
    const articles = await this.#articles(ids);
    return articles
      .map((article) => ({ article, at: Date.parse(article.publishedAt) }))
      .filter(({ at }) => at >= start && at < end)
      .sort((a, b) => a.at - b.at || compare(a.article.id, b.article.id))
      .map(({ article }) => article);
  }

  async prune(before: Date): Promise<number> {
    const cutoff = checkedTime(before, 'before');
    const cutoffDay = utcDay(before);
    let removed = 0;
    for (const day of await this.#catalogue()) {
      if (day > cutoffDay) break;
      removed += await this.#locks.run(dayKey(day), () =>
        day < cutoffDay ? this.#dropDay(day) : this.#pruneDay(day, cutoff),
      );
    }
    return removed;
  }

  /** Deletes a whole day: its articles, its index, its catalogue entry. Counts the ids the index held. */
  async #dropDay(day: string): Promise<number> {
    const ids = await this.#dayIds(day);
    await this.kv.deleteMany(ids.map(articleKey));
    await this.kv.delete(dayKey(day));
    await this.#removeFromCatalogue(day);
    return ids.length;
  }

  /** The cut-off day itself: only its articles published before the cut-off go. */
  async #pruneDay(day: string, cutoff: number): Promise<number> {
    const ids = await this.#dayIds(day);
    const present = new Map((await this.#articles(ids)).map((a) => [a.id, Date.parse(a.publishedAt)]));
    const old = ids.filter((id) => (present.get(id) ?? Number.NEGATIVE_INFINITY) < cutoff);
    if (old.length === 0) return 0;
    if (old.length === ids.length) return this.#dropDay(day);
    await this.kv.deleteMany(old.map(articleKey));
    const gone = new Set(old);
    await this.kv.set(
      dayKey(day),
      ids.filter((id) => !gone.has(id)),
    );
    return old.filter((id) => present.has(id)).length;
  }

  async #dayIds(day: string): Promise<string[]> {
    const key = dayKey(day);
    return decode(stringListSchema, key, await this.kv.get(key)) ?? [];
  }

  /** Articles by id, skipping ids without an article (a put cut short) and logging any that do not decode. */
  async #articles(ids: readonly string[]): Promise<StoredArticle[]> {
    const values = await this.kv.getMany(ids.map(articleKey));
    const articles: StoredArticle[] = [];
    values.forEach((value, i) => {
      const key = articleKey(ids[i] ?? '');
      try {
        const article = decode(storedArticleSchema, key, value);
        if (article !== undefined) articles.push(article);
      } catch (error) {
        this.logger.warn({ key, error: error instanceof Error ? error.message : String(error) }, 'storage: skipped');
      }
    });
    return articles;
  }

  async #catalogue(): Promise<string[]> {
    return decode(stringListSchema, CATALOGUE, await this.kv.get(CATALOGUE)) ?? [];
  }

  async #addToCatalogue(day: string): Promise<void> {
    await this.#locks.run(CATALOGUE, async () => {
      const days = await this.#catalogue();
      if (days.includes(day)) return;
      await this.kv.set(CATALOGUE, [...days, day].sort());
    });
  }

  async #removeFromCatalogue(day: string): Promise<void> {
    await this.#locks.run(CATALOGUE, async () => {
      const days = await this.#catalogue();
      if (!days.includes(day)) return;
      await this.kv.set(
        CATALOGUE,
        days.filter((d) => d !== day),
      );
    });
  }
}

function publishedInstant(article: StoredArticle): Date {
  const at = new Date(article.publishedAt);
  if (Number.isNaN(at.getTime())) {
    throw new StorageDataError(
      `Article ${article.id} has publishedAt ${JSON.stringify(article.publishedAt)}, not an ISO date`,
      articleKey(article.id),
    );
  }
  return at;
}

function checkedTime(date: Date, name: string): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError(`${name} is an invalid Date`);
  return time;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
