// The digest builder: clean -> collapse repeats -> de-duplicate -> classify -> group into stories -> summarise.
// Incremental: add() batches as they come; result() describes everything added so far. Pure: the clock is an
// argument, and nothing here reads or writes outside the object.

import type { PreparedArticle } from './article.js';
import type { BackgroundVocabulary } from './background.js';
import type { GroupingOptions } from './stories.js';
import { StoryEngine } from './story-engine.js';
import { centralityOf, isNotReporting, storyFace } from './story-face.js';
import { summarizeStory } from './summarize.js';
import type { CompiledTopics } from './topics.js';
import type { ArticleInput, Digest, DigestArticle, DigestStory, DuplicateKind, Rejection } from './types.js';

export interface BuilderOptions {
  topics: CompiledTopics;
  grouping?: Partial<GroupingOptions>;
  /** General-English word statistics; without them IDF comes from the articles alone. */
  background?: BackgroundVocabulary;
}

interface Entry {
  article: PreparedArticle;
  topics: string[];
  /** Id of the original this copies, or null. */
  duplicateOf: string | null;
  duplicateKind: DuplicateKind | null;
  /** Grouper member number (originals only). */
  member: number | null;
  story: number;
}

export class DigestBuilder {
  private readonly topics: CompiledTopics;
  private readonly engine: StoryEngine;
  private readonly entries: Entry[] = [];
  private readonly entryOfMember = new Map<number, Entry>();
  private readonly stories: number[] = [];
  private readonly rejected: { order: number; rejection: Rejection }[] = [];
  private inputs = 0;

  constructor(options: BuilderOptions) {
    this.topics = options.topics;
    this.engine = new StoryEngine(options);
  }

  /** Adds a batch. Articles are processed oldest first (input order where dates are missing). */
  add(inputs: readonly ArticleInput[]): this {
    const placements = this.engine.processBatch(inputs, 0);
    const first = this.inputs;
    this.inputs += inputs.length;
    placements.forEach((p, i) => {
      if (p.prepared === null || p.story === null) {
        const reason = p.processed.rejected ?? 'not processed';
        this.rejected.push({ order: first + i, rejection: { id: p.processed.id, reason } });
        return;
      }
      const entry: Entry = {
        article: p.prepared,
        topics: p.processed.topics,
        duplicateOf: p.processed.duplicateOf,
        duplicateKind: p.processed.duplicateKind,
        member: p.member,
        story: p.story,
      };
      this.entries.push(entry);
      if (p.member !== null) this.entryOfMember.set(p.member, entry);
      if (p.startedStory) this.stories.push(p.story);
    });
    return this;
  }

  /** The digest of everything added so far. `now` is an ISO time: the builder never reads the clock. */
  result(now: string): Digest {
    const copiesByStory = new Map<number, Entry[]>();
    for (const e of this.entries) {
      if (e.duplicateOf === null) continue;
      const list = copiesByStory.get(e.story);
      if (list) list.push(e);
      else copiesByStory.set(e.story, [e]);
    }
    const storyIds = new Map<number, string>();
    const described: { story: DigestStory; outlets: number }[] = [];
    for (const s of [...this.stories].sort((x, y) => x - y)) {
      const d = this.describeStory(s, copiesByStory.get(s) ?? []);
      if (d) {
        storyIds.set(s, d.story.id);
        described.push(d);
      }
    }
    described.sort(byImportance);
    const stories = described.map((d) => d.story);

    const articles: DigestArticle[] = [...this.entries]
      .sort((a, b) => a.article.order - b.article.order)
      .map((e) => ({
        id: e.article.id,
        title: e.article.title,
        url: e.article.url,
        source: e.article.source,
        publishedAt: e.article.publishedAt,
        topics: e.topics,
        storyId: e.duplicateOf === null ? (storyIds.get(e.story) ?? null) : null,
        duplicateOf: e.duplicateOf,
        duplicateKind: e.duplicateKind,
        warnings: [...e.article.warnings],
        words: e.article.words,
      }));
    const rejected = [...this.rejected].sort((a, b) => a.order - b.order).map((r) => r.rejection);
    return { generatedAt: new Date(now).toISOString(), articles, stories, rejected };
  }

  private describeStory(story: number, copies: readonly Entry[]): { story: DigestStory; outlets: number } | null {
    const originals = this.engine
      .membersOf(story)
      .map((m) => this.entryOfMember.get(m))
      .filter((e): e is Entry => e !== undefined);
    if (originals.length === 0) return null;
    const everyone = [...originals, ...copies];

    const centrality = centralityOf(originals, (x, y) => this.engine.similarity(x.member ?? -1, y.member ?? -1));
    const face = storyFace(originals, {
      notReporting: (e) => isNotReporting(e.article),
      title: (e) => e.article.title,
      centrality: (e) => centrality.get(e) ?? 0,
    });
    if (!face) return null;
    const { best, titled } = face;
    const quoted = face.quoted.map((e) => e.article);

    const times = everyone.map((e) => e.article.publishedAt).filter((t): t is string => t !== null);
    times.sort();
    const outlets = new Set(everyone.map((e) => e.article.source ?? `article:${e.article.id}`)).size;
    const described: DigestStory = {
      id: `s${story + 1}`,
      title: titled.article.title,
      topics: storyTopics(everyone, this.topics),
      articles: originals.map((e) => e.article.id),
      bestSource: best.article.id,
      summary: summarizeStory(quoted, undefined, titled.article.title),
      sources: [...new Set(everyone.map((e) => e.article.source).filter((s): s is string => s !== null))],
      firstPublishedAt: times[0] ?? null,
      lastPublishedAt: times.at(-1) ?? null,
    };
    return { story: described, outlets };
  }
}

export function createDigestBuilder(options: BuilderOptions): DigestBuilder {
  return new DigestBuilder(options);
}

/** One batch in, one digest out. */
export function buildDigest(inputs: readonly ArticleInput[], options: BuilderOptions & { now: string }): Digest {
  return createDigestBuilder(options).add(inputs).result(options.now);
}

/** Topics at least a third of the story's articles carry, in configuration order. */
function storyTopics(entries: readonly Entry[], topics: CompiledTopics): string[] {
  const counts = new Map<string, number>();
  for (const e of entries) for (const t of e.topics) counts.set(t, (counts.get(t) ?? 0) + 1);
  const needed = Math.max(1, entries.length / 3);
  return topics.topics.map((t) => t.name).filter((name) => (counts.get(name) ?? 0) >= needed);
}

/** Distinct outlets first (an article without a source counts as its own), then the newest, then the bigger story. */
function byImportance(x: { story: DigestStory; outlets: number }, y: { story: DigestStory; outlets: number }): number {
  const a = x.story;
  const b = y.story;
  return (
    y.outlets - x.outlets ||
    (b.lastPublishedAt ?? '').localeCompare(a.lastPublishedAt ?? '') ||
    b.articles.length - a.articles.length ||
    Number(a.id.slice(1)) - Number(b.id.slice(1))
  );
}
