// Ingest processing: every logged article goes through the story engine once, in log order, and what it decided
// is stored (processing results, story records, the batch's story growth) before the batch is marked done. At
// start-up the engine is restored from the stored results of its window, never by cleaning text again.
//
// Crash safety: results are written before the growth entry, the growth entry before the processed mark. A batch
// cut short is processed again; its articles that already have results are not processed twice (the restored
// engine holds them), and its growth entry is recomputed from all of its results, so it comes out the same.
import { type EngineOptions, type Placement, StoryEngine } from '../domain/story-engine.js';
import { grownStory } from '../domain/story-record.js';
import type {
  ArticleStore,
  Clock,
  IngestEntry,
  Logger,
  ProcessedRecord,
  StoredArticle,
  StoryGrowth,
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
  readonly engine: EngineOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Days of ingest the engine holds (candidates for grouping and copies). */
  readonly windowDays: number;
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
  readonly #engine: StoryEngine;
  #restored: Promise<number> | null = null;
  #chain: Promise<unknown> = Promise.resolve();

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

  /** Processes every logged batch not yet processed. Calls are queued: one runs at a time. */
  processPending(): Promise<IngestReport> {
    const run = this.#chain.then(() => this.#processPending());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #restore(): Promise<number> {
    const { articles, stories, clock, logger } = this.#deps;
    const started = performance.now();
    const from = await articles.firstSeqSince(new Date(clock.now().getTime() - this.#deps.windowDays * DAY_MS));
    const done = await stories.processedSeq();
    let restored = 0;
    for (let after = from - 1; after < done; after += ENTRIES_PER_READ) {
      const entries = await articles.readLog(after, Math.min(done, after + ENTRIES_PER_READ));
      const ids = entries.flatMap((e) => e.articleIds);
      const records = await stories.getProcessed(ids);
      const batch: { processed: ProcessedRecord; at: number }[] = [];
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
    logger.info({ articles: restored, ms: Math.round(performance.now() - started) }, 'story engine restored');
    return restored;
  }

  async #processPending(): Promise<IngestReport> {
    await this.restore();
    const { articles, stories } = this.#deps;
    const totals = { batches: 0, articles: 0, rejected: 0, copies: 0, newStories: 0, grownStories: 0 };
    const head = await articles.head();
    let done = await stories.processedSeq();
    while (done < head) {
      const entries = await articles.readLog(done, Math.min(head, done + ENTRIES_PER_READ));
      if (entries.length === 0) break;
      for (const entry of entries) {
        const report = await this.#processEntry(entry);
        totals.batches++;
        totals.articles += report.articles;
        totals.rejected += report.rejected;
        totals.copies += report.copies;
        totals.newStories += report.newStories;
        totals.grownStories += report.grownStories;
        done = entry.seq;
      }
    }
    if (totals.articles > 0) this.#deps.logger.info(totals, 'ingest processed');
    return totals;
  }

  async #processEntry(entry: IngestEntry): Promise<Omit<IngestReport, 'batches'>> {
    const { articles, stories } = this.#deps;
    const at = Date.parse(entry.at);
    this.#engine.evictBefore(at - this.#deps.windowDays * DAY_MS);
    const raw = await articles.getMany(entry.articleIds);
    const existing = await stories.getProcessed(entry.articleIds);
    const records: ProcessedRecord[] = [...existing.values()].filter((r) => r.seq === entry.seq);
    // results a crashed run stored for this batch: the engine takes them back before it places the rest
    this.#engine.restore(records.filter((r) => !this.#engine.has(r.id)).map((processed) => ({ processed, at })));
    const todo = raw.filter((a) => !existing.has(a.id) && !this.#engine.has(a.id));
    let rejected = 0;
    let copies = 0;
    const started = new Set<string>();
    for (let i = 0; i < todo.length; i += SLICE) {
      const slice = todo.slice(i, i + SLICE);
      const placements = this.#engine.processBatch(slice.map(engineInput), at);
      const fresh = placements.map((p, k) => recordOf(p, slice[k], entry.seq));
      for (const p of placements) {
        if (p.processed.rejected !== null) rejected++;
        else if (p.processed.duplicateOf !== null) copies++;
        if (p.startedStory && p.processed.storyId !== null) started.add(p.processed.storyId);
      }
      await stories.putProcessed(fresh);
      records.push(...fresh);
      await yieldToLoop();
    }
    const byStory = new Map<string, ProcessedRecord[]>();
    for (const r of records) {
      if (r.storyId === null) continue;
      const list = byStory.get(r.storyId);
      if (list) list.push(r);
      else byStory.set(r.storyId, [r]);
    }
    const previous = await stories.getStories([...byStory.keys()]);
    const changed = [...byStory].map(([id, added]) => grownStory(previous.get(id), id, added, entry.seq, entry.at));
    await stories.putStories(changed.filter((s) => s !== previous.get(s.id)));
    const growth: StoryGrowth = {
      seq: entry.seq,
      at: entry.at,
      stories: [...byStory]
        .map(([storyId, added]) => ({
          storyId,
          articleIds: added.filter((r) => r.duplicateOf === null && !r.backfill).map((r) => r.id),
        }))
        .filter((s) => s.articleIds.length > 0),
    };
    await stories.commitBatch(growth);
    return {
      articles: todo.length,
      rejected,
      copies,
      newStories: started.size,
      grownStories: growth.stories.length,
    };
  }
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
      message: `the feed dated it ${claimed}; shown with the time it was fetched`,
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
