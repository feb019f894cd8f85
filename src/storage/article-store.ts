// Articles and the ingest log: every store call that adds articles logs their ids under the next sequence number,
// so "what came in since N" is a read of keys N+1.., never a scan, and nothing is a list that is rewritten.
//
// Keys (in the store's namespace):
//   article:<id>      the StoredArticle, with the sequence number it was logged under
//   log:<seq>         { seq, at, articleIds } for one call, written once
//   head              the last sequence number whose entry is complete (the commit mark)
//   day:YYYY-MM-DD    the first sequence number logged that UTC day, written once a day
//   days              the UTC days that have log entries, sorted (one entry a day): where prune starts
//
// Write order keeps a crash harmless: articles (carrying seq = head + 1), then the log entry, then the head. An
// article is logged only when the entry of its seq lists it: one whose seq is above the head, or whose seq another
// call has taken since (the crashed call never wrote its entry, or wrote it and not the head), was written by a
// call that did not finish, and the next call with it stores it again under its own sequence number, so it is
// never lost and never logged twice. Prune deletes a day's articles
// before its log entries and the log before its day mark, so it can always be run again.
//
// Appends are serialised across every process on the store (a lease in the store around the head's read-increment-
// write), so workers polling in parallel never log two calls under one sequence number.
import type { ArticleStore, IngestEntry, Locks, Logger, StoredArticle } from '../ports.js';
import { StorageDataError } from './errors.js';
import { keyPart, utcDay } from './keys.js';
import { decode, type Kv } from './kv.js';
import { SharedMutex } from './mutex.js';
import { ingestEntrySchema, numberSchema, storedArticleSchema, stringListSchema } from './schemas.js';

const HEAD = 'head';
const CATALOGUE = 'days';
/** Log entries read per round trip. */
const LOG_CHUNK = 200;
const DAY_MS = 86_400_000;

const articleKey = (id: string): string => `article:${keyPart(id)}`;
const logKey = (seq: number): string => `log:${seq}`;
const dayKey = (day: string): string => `day:${day}`;

export class KvArticleStore implements ArticleStore {
  readonly #writes: SharedMutex;

  constructor(
    private readonly kv: Kv,
    private readonly logger: Logger,
    /** Shared with the other processes on the store: the log's head is read, incremented and written under it. */
    locks: Locks | null = null,
  ) {
    this.#writes = new SharedMutex(locks, 'articles');
  }

  async putMany(articles: readonly StoredArticle[], at: Date): Promise<string[]> {
    for (const a of articles) publishedInstant(a);
    return this.#writes.run('log', async (lease) => {
      const head = await this.head();
      const existing = await this.kv.getMany(articles.map((a) => articleKey(a.id)));
      const logged = await this.#loggedAmong(articles, existing, head);
      const fresh: StoredArticle[] = [];
      const seen = new Set<string>();
      for (const a of articles) {
        if (seen.has(a.id)) continue;
        seen.add(a.id);
        if (!logged.has(a.id)) fresh.push(a);
      }
      if (fresh.length === 0) return [];
      const seq = head + 1;
      const iso = at.toISOString();
      // a process that stalled past its lease must not write under a seq another process has taken since: the
      // articles would look committed (seq <= head) without being in that entry
      await lease.confirm();
      await this.kv.setMany(fresh.map((a) => ({ key: articleKey(a.id), value: { ...a, seq } })));
      const entry: IngestEntry = { seq, at: iso, articleIds: fresh.map((a) => a.id) };
      await lease.confirm();
      await this.kv.set(logKey(seq), entry);
      await this.#markDay(utcDay(at), seq);
      await this.kv.set(HEAD, seq);
      return entry.articleIds.slice();
    });
  }

  /**
   * The ids among `articles` already stored and logged. A stored article is logged when the entry of its seq lists
   * it: a seq above the head is a call that did not finish, and so is a seq at or below it whose entry does not
   * list the article (the call died before its entry; another call has since logged its own under that number).
   * Only stored articles cost a read of their entries, and an entry is read once for all its articles.
   */
  async #loggedAmong(
    articles: readonly StoredArticle[],
    existing: readonly unknown[],
    head: number,
  ): Promise<Set<string>> {
    const seqOf = new Map<string, number>();
    articles.forEach((a, i) => {
      const stored = existing[i] as { seq?: unknown } | undefined | null;
      if (stored === undefined || stored === null) return;
      // stored before the log carried seqs: taken as logged, as it always was
      const seq = typeof stored.seq === 'number' ? stored.seq : 0;
      if (seq <= head) seqOf.set(a.id, seq);
    });
    const seqs = [...new Set(seqOf.values())].filter((seq) => seq > 0);
    const values = await this.kv.getMany(seqs.map(logKey));
    const listed = new Map<number, ReadonlySet<string>>();
    seqs.forEach((seq, i) => {
      const entry = decode(ingestEntrySchema, logKey(seq), values[i]);
      listed.set(seq, new Set(entry?.articleIds ?? []));
    });
    const logged = new Set<string>();
    for (const [id, seq] of seqOf) {
      // an entry pruned since (its day is gone) leaves its articles to that prune: they are not stored again
      const ids = listed.get(seq);
      if (seq === 0 || ids === undefined || ids.size === 0 || ids.has(id)) logged.add(id);
    }
    return logged;
  }

  async get(id: string): Promise<StoredArticle | undefined> {
    const key = articleKey(id);
    return decode(storedArticleSchema, key, await this.kv.get(key));
  }

  async getMany(ids: readonly string[]): Promise<StoredArticle[]> {
    const values = await this.kv.getMany(ids.map(articleKey));
    const articles: StoredArticle[] = [];
    values.forEach((value, i) => {
      const key = articleKey(ids[i] ?? '');
      try {
        const article = decode(storedArticleSchema, key, value);
        if (article !== undefined) articles.push(article);
      } catch (error) {
        this.logger.warn({ key, err: error }, 'storage: skipped an article that does not decode');
      }
    });
    return articles;
  }

  async head(): Promise<number> {
    return decode(numberSchema, HEAD, await this.kv.get(HEAD)) ?? 0;
  }

  async readLog(afterSeq: number, upTo: number): Promise<IngestEntry[]> {
    const out: IngestEntry[] = [];
    for (let from = Math.max(0, afterSeq) + 1; from <= upTo; from += LOG_CHUNK) {
      const seqs = range(from, Math.min(upTo, from + LOG_CHUNK - 1));
      const values = await this.kv.getMany(seqs.map(logKey));
      values.forEach((value, i) => {
        const entry = decode(ingestEntrySchema, logKey(seqs[i] ?? 0), value);
        if (entry !== undefined) out.push(entry);
      });
    }
    return out;
  }

  async firstSeqSince(at: Date): Promise<number> {
    const wanted = utcDay(checked(at, 'at'));
    const days = await this.#catalogue();
    const day = days.find((d) => d >= wanted);
    if (day === undefined) return (await this.head()) + 1;
    return decode(numberSchema, dayKey(day), await this.kv.get(dayKey(day))) ?? (await this.head()) + 1;
  }

  async listPublished(from: Date, to: Date): Promise<StoredArticle[]> {
    const start = checked(from, 'from').getTime();
    const end = checked(to, 'to').getTime();
    if (end <= start) return [];
    // an article is logged after it was published (a date in the future is replaced by the fetch time; a day's
    // margin covers the tolerated skew), so the log from the day before `from` holds every article of the window
    const first = await this.firstSeqSince(new Date(start - DAY_MS));
    const entries = await this.readLog(first - 1, await this.head());
    const articles = await this.getMany(entries.flatMap((e) => e.articleIds));
    return articles
      .map((article) => ({ article, at: Date.parse(article.publishedAt) }))
      .filter(({ at }) => at >= start && at < end)
      .sort((a, b) => a.at - b.at || compare(a.article.id, b.article.id))
      .map(({ article }) => article);
  }

  async prune(before: Date): Promise<string[]> {
    const cutoffDay = utcDay(checked(before, 'before'));
    const removed: string[] = [];
    await this.#writes.run('log', async () => {
      const days = await this.#catalogue();
      const keep = days.findIndex((d) => d >= cutoffDay);
      const old = keep === -1 ? days : days.slice(0, keep);
      if (old.length === 0) return;
      const end = keep === -1 ? (await this.head()) + 1 : await this.#firstSeqOf(days[keep] ?? '');
      const start = await this.#firstSeqOf(old[0] ?? '');
      for (let from = start; from < end; from += LOG_CHUNK) {
        const upTo = Math.min(end - 1, from + LOG_CHUNK - 1);
        const entries = await this.readLog(from - 1, upTo);
        const ids = entries.flatMap((e) => e.articleIds);
        await this.kv.deleteMany(ids.map(articleKey));
        await this.kv.deleteMany(range(from, upTo).map(logKey));
        removed.push(...ids);
      }
      await this.kv.deleteMany(old.map(dayKey));
      await this.kv.set(CATALOGUE, keep === -1 ? [] : days.slice(keep));
    });
    return removed;
  }

  async #firstSeqOf(day: string): Promise<number> {
    return decode(numberSchema, dayKey(day), await this.kv.get(dayKey(day))) ?? 1;
  }

  /** Writes the day's first sequence number the first time the day is logged. */
  async #markDay(day: string, seq: number): Promise<void> {
    const days = await this.#catalogue();
    if (days.includes(day)) return;
    await this.kv.set(dayKey(day), seq);
    await this.kv.set(CATALOGUE, [...days, day].sort());
  }

  async #catalogue(): Promise<string[]> {
    return decode(stringListSchema, CATALOGUE, await this.kv.get(CATALOGUE)) ?? [];
  }
}

/** Refuses an article whose publishedAt is not a date (the poll always sets one). */
function publishedInstant(article: StoredArticle): number {
  const at = Date.parse(article.publishedAt);
  if (Number.isNaN(at)) {
    throw new StorageDataError(
      `Article ${article.id} has publishedAt ${JSON.stringify(article.publishedAt)}, not an ISO date`,
      articleKey(article.id),
    );
  }
  return at;
}

function checked(date: Date, name: string): Date {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name} is an invalid Date`);
  return date;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
