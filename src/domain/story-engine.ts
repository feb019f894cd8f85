// The story engine: each article is processed once, when it arrives: cleaned, rejected or kept, checked against
// the copies index, classified, and placed in a story with a permanent id. The digest builder runs it over one
// batch; ingest runs it for months, restoring it at start-up from what it stored (ProcessedArticle.features) and
// evicting what left its window, so its memory follows the window, not the store. Pure: times are arguments.
import {
  type EdgeLineKeys,
  edgeLineKeys,
  type PreparedArticle,
  prepareArticle,
  rawTextOf,
  SourceLineStats,
} from './article.js';
import type { BackgroundVocabulary } from './background.js';
import { DuplicateIndex, type DuplicateMatch, describeCopy, describeRevision } from './duplicates.js';
import { type TextFeatures, textFeatures } from './features.js';
import { type Fingerprint, fingerprintOfHashes } from './fingerprint.js';
import { type GroupingOptions, type MemberVectors, StoryGrouper } from './stories.js';
import { fnv1a, NO_WORD_ENTRIES, wordHashesOf } from './text.js';
import { type CompiledTopics, classifyTopics } from './topics.js';
import type { ArticleInput, ArticleWarning, DuplicateKind } from './types.js';

export interface EngineOptions {
  topics: CompiledTopics;
  grouping?: Partial<GroupingOptions>;
  background?: BackgroundVocabulary;
}

/** What later articles are compared with, kept compact so it can be stored and restored. */
export interface ArticleFeatures {
  exactKey: number;
  print: Fingerprint;
  /** Grouping vectors; null for a copy (copies join their original's story and are never compared). */
  vectors: MemberVectors | null;
  /** Publish time used for grouping, ms. */
  time: number | null;
  edge: EdgeLineKeys | null;
}

/** One article after processing. Field names are stored: add fields, never rename them. */
export interface ProcessedArticle {
  id: string;
  /** Null when the article was rejected. */
  storyId: string | null;
  /** Why it was rejected (error page, no text), else null. */
  rejected: string | null;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  topics: string[];
  duplicateOf: string | null;
  duplicateKind: DuplicateKind | null;
  warnings: ArticleWarning[];
  words: number;
  qaRewrite: boolean;
  /** The cleaned text, one paragraph a line: what summaries quote. */
  paragraphs: string[];
  features: ArticleFeatures | null;
}

/** What restoring an article needs of its stored result: no text, only what later articles are compared with. */
export type RestoredArticle = Pick<ProcessedArticle, 'id' | 'storyId' | 'rejected' | 'source' | 'title' | 'features'>;

/** processBatch's answer for one input: the stored part, and what only the caller of this run needs. */
export interface Placement {
  processed: ProcessedArticle;
  /** The prepared article (sentences with their terms), for summaries; null when rejected. */
  prepared: PreparedArticle | null;
  /** Grouper member number (originals only), for similarity(). */
  member: number | null;
  /** The story's number in this engine (changes across restarts; the story id does not). */
  story: number | null;
  /** True when the article started its story. */
  startedStory: boolean;
}

/**
 * What placing an article reads of its words, read as soon as it is prepared: everything here depends on the
 * article alone (the topics on the engine's fixed configuration), so it is the same whenever it is read.
 */
interface ArticleReading {
  readonly print: Fingerprint;
  readonly topics: string[];
  readonly features: TextFeatures;
}

interface WindowEntry {
  readonly id: string;
  /** Ingest time, ms: what the window is measured in. */
  readonly at: number;
  readonly member: number | null;
  readonly item: number | null;
  readonly exactKey: number;
  readonly edge: EdgeLineKeys | null;
}

interface Original {
  readonly id: string;
  readonly story: number;
  readonly source: string | null;
  readonly title: string;
  /** Publish time (ms), null when unknown. */
  readonly time: number | null;
}

/**
 * A text published this long before the one it matches is not its copy: it came in late (a slower feed, a later
 * poll), and calling the first publication a copy of the reprint would blame the wrong outlet.
 */
const EARLIER_BY_MS = 15 * 60_000;

export class StoryEngine {
  private readonly topics: CompiledTopics;
  private readonly grouper: StoryGrouper;
  private readonly duplicates = new DuplicateIndex();
  private readonly sourceLines = new SourceLineStats();
  private readonly originals = new Map<number, Original>();
  private readonly storyIds = new Map<number, string>();
  private readonly storyNumbers = new Map<string, number>();
  private readonly window: WindowEntry[] = [];
  private windowStart = 0;
  private readonly inWindow = new Set<string>();
  private nextItem = 0;
  private order = 0;

  constructor(options: EngineOptions) {
    this.topics = options.topics;
    this.grouper = new StoryGrouper(options.grouping, options.background);
  }

  /** Articles in the window (processed, restored, not yet evicted). */
  get size(): number {
    return this.inWindow.size;
  }

  has(id: string): boolean {
    return this.inWindow.has(id);
  }

  /** Similarity of two members (placement.member), with time damping. */
  similarity(a: number, b: number): number {
    return this.grouper.similarity(a, b);
  }

  membersOf(story: number): readonly number[] {
    return this.grouper.membersOf(story);
  }

  vectorsOf(member: number): MemberVectors | undefined {
    return this.grouper.vectorsOf(member);
  }

  /**
   * Processes a batch as the builder always has: every article's edge lines are counted first (so a batch teaches
   * its own boilerplate), then each is prepared, then they are placed oldest first. `at` is the ingest time (ms)
   * the window is measured in. Returns one placement per input, in input order; an id already in the window is
   * rejected as a repeat.
   */
  processBatch(inputs: readonly ArticleInput[], at: number): Placement[] {
    const raws = inputs.map(rawTextOf);
    const edges = inputs.map((input, i) => edgeLineKeys(input.source, raws[i]?.text ?? ''));
    for (const edge of edges) if (edge) this.sourceLines.addKeys(edge);
    const out: (Placement | undefined)[] = new Array(inputs.length);
    const prepared: { index: number; article: PreparedArticle; reading: ArticleReading }[] = [];
    const batchIds = new Set<string>();
    inputs.forEach((input, index) => {
      const order = this.order++;
      const id = String(input.id);
      const edge = edges[index] ?? null;
      if (this.inWindow.has(id) || batchIds.has(id)) {
        if (edge) this.sourceLines.removeKeys(edge);
        out[index] = rejectedPlacement(input, `an article with id "${id}" was already added`);
        return;
      }
      batchIds.add(id);
      const result = prepareArticle(input, {
        order,
        raw: raws[index],
        sourceBoilerplate: this.sourceLines.boilerplateOf(input.source),
      });
      if (result.ok) {
        prepared.push({ index, article: result.article, reading: this.read(result.article) });
        return;
      }
      out[index] = rejectedPlacement(input, result.rejection.reason);
      this.remember({ id, at, member: null, item: null, exactKey: 0, edge });
    });
    for (const { index, article, reading } of chronological(prepared)) {
      out[index] = this.place(article, reading, at, edges[index] ?? null);
    }
    return out.map((p, i) => p ?? rejectedPlacement(inputs[i] ?? { id: '?' }, 'not processed'));
  }

  /**
   * Reads what placing the article needs while its word entries are fresh (read before the next article is: the word
   * memo may start over then), then lets them go: held until the batch is placed, the per-word arrays they replace
   * were most of its memory, and the collector copied them from space to space meanwhile.
   */
  private read(article: PreparedArticle): ArticleReading {
    const print = fingerprintOfHashes(wordHashesOf(article.sentences));
    const topics = classifyTopics(
      { title: article.title, paragraphs: article.paragraphs, sentences: article.sentences },
      this.topics,
    ).map((m) => m.name);
    // copies are never grouped, but which are copies is known only as they are placed; their features are few
    const features = textFeatures(article.title, article.sentences, article.time, article.language);
    releaseTokens(article);
    return { print, topics, features };
  }

  private place(article: PreparedArticle, reading: ArticleReading, at: number, edge: EdgeLineKeys | null): Placement {
    const exactKey = article.exactKey;
    const { print, topics } = reading;
    const match = this.duplicates.find(exactKey, print);
    const original = match === null ? undefined : this.originals.get(match.original);
    // a later version with news of its own is placed like any report (its new sentences can be summarised), and
    // says what it revises
    if (match?.revision === true && original !== undefined) article.warnings.push(revisionWarning(original));
    // the earlier publication placed after its reprint is no copy of it: placed like any report (the two are
    // alike enough to share a story)
    const earlier = article.time !== null && original?.time != null && article.time < original.time - EARLIER_BY_MS;
    const copy = match?.revision === true || earlier ? null : match;
    if (copy !== null && original !== undefined) {
      article.warnings.push(copyWarning(copy, original));
      const processed = processedOf(article, topics, {
        storyId: this.storyIds.get(original.story) ?? null,
        duplicateOf: original.id,
        duplicateKind: copy.kind,
        features: { exactKey, print, vectors: null, time: article.time, edge },
      });
      this.remember({ id: article.id, at, member: null, item: null, exactKey, edge });
      return { processed, prepared: article, member: null, story: original.story, startedStory: false };
    }
    const item = this.nextItem++;
    this.duplicates.add(item, exactKey, print);
    const placed = this.grouper.add(reading.features, article.time, article.source);
    const startedStory = !this.storyIds.has(placed.story);
    const storyId = this.storyIds.get(placed.story) ?? this.newStoryId(article.id, placed.story);
    this.originals.set(item, {
      id: article.id,
      story: placed.story,
      source: article.source,
      title: article.title,
      time: article.time,
    });
    const processed = processedOf(article, topics, {
      storyId,
      duplicateOf: null,
      duplicateKind: null,
      features: { exactKey, print, vectors: placed.vectors, time: article.time, edge },
    });
    this.remember({ id: article.id, at, member: placed.member, item, exactKey, edge });
    return { processed, prepared: article, member: placed.member, story: placed.story, startedStory };
  }

  /**
   * Puts back articles processed earlier (oldest ingest first), from their stored features: no text is cleaned
   * again. `at` of each is its ingest time, ms.
   */
  restore(articles: readonly { processed: RestoredArticle; at: number }[]): void {
    for (const { processed: p, at } of articles) {
      if (this.inWindow.has(p.id)) continue;
      const f = p.features;
      if (f?.edge) this.sourceLines.addKeys(f.edge);
      if (p.rejected !== null || f === null || p.storyId === null) {
        this.remember({ id: p.id, at, member: null, item: null, exactKey: 0, edge: f?.edge ?? null });
        continue;
      }
      if (f.vectors === null) {
        this.remember({ id: p.id, at, member: null, item: null, exactKey: f.exactKey, edge: f.edge });
        continue;
      }
      let story = this.storyNumbers.get(p.storyId);
      if (story === undefined) {
        story = this.grouper.storyCount;
        this.storyNumbers.set(p.storyId, story);
        this.storyIds.set(story, p.storyId);
      }
      const member = this.grouper.restore(f.vectors, f.time, story, p.source);
      const item = this.nextItem++;
      this.duplicates.add(item, f.exactKey, f.print);
      this.originals.set(item, { id: p.id, story, source: p.source, title: p.title, time: f.time });
      this.remember({ id: p.id, at, member, item, exactKey: f.exactKey, edge: f.edge });
    }
    this.grouper.refresh();
  }

  /** Forgets every article ingested before `before` (ms); returns how many. */
  evictBefore(before: number): number {
    let evicted = 0;
    while (this.windowStart < this.window.length) {
      const entry = this.window[this.windowStart];
      if (!entry || entry.at >= before) break;
      this.windowStart++;
      evicted++;
      this.inWindow.delete(entry.id);
      if (entry.edge) this.sourceLines.removeKeys(entry.edge);
      if (entry.item !== null) {
        this.duplicates.remove(entry.item, entry.exactKey);
        this.originals.delete(entry.item);
      }
      if (entry.member !== null) {
        const story = this.grouper.storyOf(entry.member);
        this.grouper.evict(entry.member);
        if (story !== null && this.grouper.membersOf(story).length === 0) {
          const id = this.storyIds.get(story);
          this.storyIds.delete(story);
          if (id !== undefined) this.storyNumbers.delete(id);
        }
      }
    }
    if (this.windowStart > 1024 && this.windowStart * 2 > this.window.length) {
      this.window.splice(0, this.windowStart);
      this.windowStart = 0;
    }
    return evicted;
  }

  private remember(entry: WindowEntry): void {
    this.window.push(entry);
    this.inWindow.add(entry.id);
  }

  /** A permanent id from the article that started the story: the same on every machine and after a restart. */
  private newStoryId(articleId: string, story: number): string {
    const base = `st-${fnv1a(articleId).toString(36)}${fnv1a(articleId, 0x9747b28c).toString(36)}`;
    let id = base;
    for (let n = 2; this.storyNumbers.has(id); n++) id = `${base}-${n}`;
    this.storyIds.set(story, id);
    this.storyNumbers.set(id, story);
    return id;
  }
}

function copyWarning(copy: DuplicateMatch, original: Original): ArticleWarning {
  return { kind: 'duplicate', message: describeCopy(copy, original) };
}

function revisionWarning(original: Original): ArticleWarning {
  return { kind: 'revised', message: describeRevision(original) };
}

function processedOf(
  article: PreparedArticle,
  topics: string[],
  rest: Pick<ProcessedArticle, 'storyId' | 'duplicateOf' | 'duplicateKind' | 'features'>,
): ProcessedArticle {
  return {
    id: article.id,
    rejected: null,
    title: article.title,
    url: article.url,
    source: article.source,
    publishedAt: article.publishedAt,
    topics,
    warnings: [...article.warnings],
    words: article.words,
    qaRewrite: article.qaRewrite,
    paragraphs: article.paragraphs,
    ...rest,
  };
}

function rejectedPlacement(input: ArticleInput, reason: string): Placement {
  return {
    processed: {
      id: String(input.id),
      storyId: null,
      rejected: reason,
      title: input.title?.trim() || String(input.id),
      url: input.url ?? null,
      source: input.source ?? null,
      publishedAt: input.publishedAt ?? null,
      topics: [],
      duplicateOf: null,
      duplicateKind: null,
      warnings: [],
      words: 0,
      qaRewrite: false,
      paragraphs: [],
      features: null,
    },
    prepared: null,
    member: null,
    story: null,
    startedStory: false,
  };
}

/** Per-word entries are needed only while an article is placed; kept, they were most of a big batch's memory. */
function releaseTokens(article: PreparedArticle): void {
  for (const s of article.sentences) s.wordEntries = NO_WORD_ENTRIES;
}

/** Oldest first; an undated article keeps its place after the dated one before it in the input. */
function chronological<T extends { article: PreparedArticle }>(items: readonly T[]): T[] {
  let last = Number.NEGATIVE_INFINITY;
  const keyed = items.map((item) => {
    if (item.article.time !== null) last = item.article.time;
    return { item, t: item.article.time ?? last };
  });
  keyed.sort((x, y) => x.t - y.t || x.item.article.order - y.item.article.order);
  return keyed.map((k) => k.item);
}
