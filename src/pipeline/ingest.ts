// Ingest processing: every logged article goes through the story engine once, in log order, and what it decided
// is stored (processing results, story records, the batch's story growth) before the batch is marked done. At
// start-up the engine is restored from the stored results of its window, never by cleaning text again.
//
// Consecutive log entries are processed together (one read and one write of each kind), each entry still getting
// its own growth record. Crash safety: results are written before story records, story records before growth
// records, growth before the processed mark. Entries cut short are processed again; their articles that already
// have results are not processed twice (the engine takes the stored results back), and growth is recomputed from
// all of an entry's results, so it comes out the same.

import { standInOf } from '../domain/publish-date.js';
import { searchTerms } from '../domain/search-terms.js';
import { type EngineOptions, type Placement, StoryEngine } from '../domain/story-engine.js';
import { grownStory } from '../domain/story-record.js';
import { clipped } from '../domain/text.js';
import type {
  ArticleStore,
  Clock,
  IngestEntry,
  Lease,
  Logger,
  Metrics,
  ProcessedRecord,
  RestoredArticle,
  SearchDoc,
  SearchIndex,
  StoredArticle,
  StoryGrowth,
  StoryRecord,
  StoryStore,
} from '../ports.js';
import { yieldToLoop } from './yield.js';

const DAY_MS = 86_400_000;
/** Articles processed between two yields to the event loop (about 10-20 ms of work). */
const SLICE = 16;
/** Log entries read per round trip. */
const ENTRIES_PER_READ = 100;

export interface IngestDeps {
  readonly articles: ArticleStore;
  readonly stories: StoryStore;
  /** Where processed articles are indexed for `/digest` searches. */
  readonly search: SearchIndex;
  readonly engine: EngineOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Days of ingest the engine holds (candidates for grouping and copies). */
  readonly windowDays: number;
  /** Counts the articles processed, as each group of batches is committed. */
  readonly metrics?: Metrics | undefined;
}

export interface IngestReport {
  readonly batches: number;
  readonly articles: number;
  readonly rejected: number;
  readonly copies: number;
  readonly newStories: number;
  readonly grownStories: number;
}

export class StoryIngest {
  readonly #deps: IngestDeps;
  #engine: StoryEngine;
  #restored: Promise<number> | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  /** The last log entry the engine has seen (restored or processed here); processes sharing a store catch up. */
  #engineSeq = 0;

  constructor(deps: IngestDeps) {
    this.#deps = deps;
    this.#engine = new StoryEngine(deps.engine);
  }

  /** Articles the engine holds now. */
  get windowSize(): number {
    return this.#engine.size;
  }

  /** Restores the engine from stored results (once): how many articles it put back. */
  restore(): Promise<number> {
    this.#restored ??= this.#restore();
    return this.#restored;
  }

  /**
   * Processes every logged batch not yet processed. Calls are queued: one runs at a time. `lease`, when the caller
   * holds the store's ingest lock, is confirmed before each write of results (a process stalled past its lease
   * must not write over another's).
   */
  processPending(lease?: Lease): Promise<IngestReport> {
    const run = this.#chain.then(() => this.#processPendingOrReset(lease));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * A run that fails part way (a store write refused, the lease lost) leaves the engine holding placements the
   * store never got: the engine is dropped and restored from the store on the next run, which then places those
   * articles again instead of taking them for done.
   */
  async #processPendingOrReset(lease: Lease | undefined): Promise<IngestReport> {
    try {
      return await this.#processPending(lease);
    } catch (error) {
      this.#engine = new StoryEngine(this.#deps.engine);
      this.#restored = null;
      this.#engineSeq = 0;
      this.#deps.logger.warn(
        { err: error },
        'ingest stopped part way: the story engine restores from the store next run',
      );
      throw error;
    }
  }

  async #restore(): Promise<number> {
    const { articles, stories, clock, logger } = this.#deps;
    const started = performance.now();
    const from = await articles.firstSeqSince(new Date(clock.now().getTime() - this.#deps.windowDays * DAY_MS));
    const restored = await this.#restoreRange(from - 1, await stories.processedSeq());
    logger.info({ articles: restored, ms: Math.round(performance.now() - started) }, 'story engine restored');
    return restored;
  }

  /** Puts the stored results of log entries (after, upTo] back into the engine, and remembers how far it got. */
  async #restoreRange(after: number, upTo: number): Promise<number> {
    const { articles, stories } = this.#deps;
    let restored = 0;
    for (let from = after; from < upTo; from += ENTRIES_PER_READ) {
      const entries = await articles.readLog(from, Math.min(upTo, from + ENTRIES_PER_READ));
      const ids = entries.flatMap((e) => e.articleIds);
      const records = await stories.getRestorable(ids);
      const batch: { processed: RestoredArticle; at: number }[] = [];
      for (const entry of entries) {
        const at = Date.parse(entry.at);
        for (const id of entry.articleIds) {
          const processed = records.get(id);
          if (processed) batch.push({ processed, at });
        }
      }
      this.#engine.restore(batch);
      restored += batch.length;
      await yieldToLoop();
    }
    this.#engineSeq = Math.max(this.#engineSeq, upTo);
    return restored;
  }

  async #processPending(lease: Lease | undefined): Promise<IngestReport> {
    await this.restore();
    const { articles, stories } = this.#deps;
    const totals = { batches: 0, articles: 0, rejected: 0, copies: 0, newStories: 0, grownStories: 0 };
    const head = await articles.head();
    let done = await stories.processedSeq();
    if (this.#engineSeq < done) {
      // another process sharing the store processed these entries: the engine takes their results first
      const caughtUp = await this.#restoreRange(this.#engineSeq, done);
      this.#deps.logger.info({ articles: caughtUp, upTo: done }, 'story engine caught up with other workers');
    }
    while (done < head) {
      const entries = await articles.readLog(done, Math.min(head, done + ENTRIES_PER_READ));
      if (entries.length === 0) break;
      const report = await this.#processEntries(entries, lease);
      this.#deps.metrics?.articlesProcessed(report);
      for (const key of Object.keys(report) as (keyof typeof report)[]) totals[key] += report[key];
      totals.batches += entries.length;
      done = entries.at(-1)?.seq ?? head;
      this.#engineSeq = Math.max(this.#engineSeq, done);
    }
    if (totals.articles > 0) this.#deps.logger.info(totals, 'ingest processed');
    return totals;
  }

  /**
   * Processes consecutive log entries with one read and one write of each kind: the engine places each entry's
   * articles in order, story records grow entry by entry, and every entry gets its own growth record.
   */
  async #processEntries(
    entries: readonly IngestEntry[],
    lease: Lease | undefined,
  ): Promise<Omit<IngestReport, 'batches'>> {
    const { articles, stories } = this.#deps;
    const ids = entries.flatMap((e) => e.articleIds);
    const raw = new Map((await articles.getMany(ids)).map((a) => [a.id, a]));
    const existing = await stories.getProcessed(ids);
    const counts = { articles: 0, rejected: 0, copies: 0, newStories: 0, grownStories: 0 };
    const fresh: ProcessedRecord[] = [];
    const perEntry: { entry: IngestEntry; records: ProcessedRecord[] }[] = [];
    for (const entry of entries) {
      const at = Date.parse(entry.at);
      this.#engine.evictBefore(at - this.#deps.windowDays * DAY_MS);
      const records = entry.articleIds
        .map((id) => existing.get(id))
        .filter((r): r is ProcessedRecord => r !== undefined && r.seq === entry.seq);
      // results a crashed run stored for this entry: the engine takes them back before it places the rest
      const unknown = records.filter((r) => !this.#engine.has(r.id));
      if (unknown.length > 0) this.#engine.restore(unknown.map((processed) => ({ processed, at })));
      const todo = entry.articleIds
        .map((id) => raw.get(id))
        .filter((a): a is StoredArticle => a !== undefined && !existing.has(a.id) && !this.#engine.has(a.id));
      for (let i = 0; i < todo.length; i += SLICE) {
        const slice = todo.slice(i, i + SLICE);
        const placements = this.#engine.processBatch(slice.map(engineInput), at);
        placements.forEach((p, k) => {
          const record = recordOf(p, slice[k], entry.seq);
          records.push(record);
          fresh.push(record);
          if (p.processed.rejected !== null) counts.rejected++;
          else if (p.processed.duplicateOf !== null) counts.copies++;
          if (p.startedStory) counts.newStories++;
        });
        await yieldToLoop();
      }
      counts.articles += todo.length;
      perEntry.push({ entry, records });
    }
    await lease?.confirm();
    await stories.putProcessed(fresh);
    // why an article never reached chat, for whoever looks: the one line that says so
    for (const r of fresh) {
      if (r.rejected === null) continue;
      this.#deps.logger.info(
        { feed: r.feed, article: r.id, url: r.url, title: clipped(r.title, 120), reason: r.rejected },
        'article rejected',
      );
    }
    await this.#deps.search.add(fresh.flatMap(searchDocOf));

    const storyIds = new Set(perEntry.flatMap(({ records }) => records.map((r) => r.storyId)));
    storyIds.delete(null);
    const current = await stories.getStories([...storyIds] as string[]);
    const changed = new Map<string, StoryRecord>();
    const growth: StoryGrowth[] = [];
    for (const { entry, records } of perEntry) {
      const byStory = groupByStory(records);
      for (const [id, added] of byStory) {
        const before = current.get(id);
        const after = grownStory(before, id, added, entry.seq, entry.at);
        if (after !== before) {
          current.set(id, after);
          changed.set(id, after);
        }
      }
      const grown = [...byStory]
        .map(([storyId, added]) => ({
          storyId,
          articleIds: added.filter((r) => r.duplicateOf === null && !r.backfill).map((r) => r.id),
        }))
        .filter((g) => g.articleIds.length > 0);
      counts.grownStories += grown.length;
      growth.push({ seq: entry.seq, at: entry.at, stories: grown });
    }
    await lease?.confirm();
    await stories.putStories([...changed.values()]);
    await stories.commitGrowth(growth);
    return counts;
  }
}

/** What the search index keeps of a processed article (rejected ones are not searchable). */
function searchDocOf(r: ProcessedRecord): SearchDoc[] {
  if (r.storyId === null || r.rejected !== null) return [];
  const at = Date.parse(r.publishedAt ?? r.fetchedAt);
  return [
    {
      id: r.id,
      storyId: r.storyId,
      publishedAt: Number.isNaN(at) ? 0 : at,
      source: r.source,
      topics: r.topics,
      terms: searchTerms(`${r.title}\n${r.paragraphs.join('\n')}`).join(' '),
    },
  ];
}

function groupByStory(records: readonly ProcessedRecord[]): Map<string, ProcessedRecord[]> {
  const byStory = new Map<string, ProcessedRecord[]>();
  for (const r of records) {
    if (r.storyId === null) continue;
    const list = byStory.get(r.storyId);
    if (list) list.push(r);
    else byStory.set(r.storyId, [r]);
  }
  return byStory;
}

function engineInput(a: StoredArticle) {
  return {
    id: a.id,
    title: a.title,
    text: a.text,
    html: a.html,
    url: a.url,
    source: a.source,
    publishedAt: a.publishedAt,
  };
}

function recordOf(p: Placement, article: StoredArticle | undefined, seq: number): ProcessedRecord {
  const claimed = article?.claimedPublishedAt ?? null;
  const warnings = [...p.processed.warnings];
  if (claimed !== null) {
    warnings.push({
      kind: 'date-replaced',
      message: `the feed dated it ${claimed}; shown with ${standInOf(article ? [article] : [])}`,
    });
  }
  return {
    ...p.processed,
    warnings,
    seq,
    feed: article?.feed ?? '',
    fetchedAt: article?.fetchedAt ?? '',
    backfill: article?.backfill ?? false,
    claimedPublishedAt: claimed,
  };
}
