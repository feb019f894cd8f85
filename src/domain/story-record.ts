// Stories as lasting records: what a story is after each ingest batch (members, copies, sources, topics, dates,
// revision), and what a stored story looks like to a reader (title, best source, summary). Pure.

import { type PreparedArticle, restorePrepared } from './article.js';
import { isOpinion } from './opinion.js';
import { cosine } from './stories.js';
import type { ProcessedArticle } from './story-engine.js';
import { centralityOf, isNotReporting, storyFace } from './story-face.js';
import { summarizeStory } from './summarize.js';
import type { DigestStory } from './types.js';

/** A story as stored: it grows, its id never changes. Field names are stored: add fields, never rename them. */
export interface StoryRecord {
  readonly id: string;
  /** Goes up by one each time the story gains an article. */
  readonly revision: number;
  readonly createdSeq: number;
  readonly updatedSeq: number;
  /** ISO time of the last growth: what retention measures. */
  readonly updatedAt: string;
  /** Originals, in arrival order. */
  readonly articles: readonly string[];
  /** Copies folded into it (exact or near duplicates of its originals). */
  readonly copies: readonly string[];
  readonly sources: readonly string[];
  /** How many of its articles (originals and copies) carry each topic. */
  readonly topicCounts: Readonly<Record<string, number>>;
  readonly firstPublishedAt: string | null;
  readonly lastPublishedAt: string | null;
}

/** The story after it gained `added` (processed in batch `seq` at `at`); articles it has already are ignored. */
export function grownStory(
  previous: StoryRecord | undefined,
  storyId: string,
  added: readonly ProcessedArticle[],
  seq: number,
  at: string,
): StoryRecord {
  const articles = [...(previous?.articles ?? [])];
  const copies = [...(previous?.copies ?? [])];
  const known = new Set([...articles, ...copies]);
  const sources = [...(previous?.sources ?? [])];
  const topicCounts: Record<string, number> = { ...(previous?.topicCounts ?? {}) };
  let first = previous?.firstPublishedAt ?? null;
  let last = previous?.lastPublishedAt ?? null;
  let gained = 0;
  for (const a of added) {
    if (known.has(a.id) || a.storyId !== storyId) continue;
    known.add(a.id);
    gained++;
    (a.duplicateOf === null ? articles : copies).push(a.id);
    if (a.source !== null && !sources.includes(a.source)) sources.push(a.source);
    for (const t of a.topics) topicCounts[t] = (topicCounts[t] ?? 0) + 1;
    if (a.publishedAt !== null) {
      if (first === null || a.publishedAt < first) first = a.publishedAt;
      if (last === null || a.publishedAt > last) last = a.publishedAt;
    }
  }
  if (previous && gained === 0) return previous;
  return {
    id: storyId,
    revision: (previous?.revision ?? 0) + 1,
    createdSeq: previous?.createdSeq ?? seq,
    updatedSeq: seq,
    updatedAt: at,
    articles,
    copies,
    sources,
    topicCounts,
    firstPublishedAt: first,
    lastPublishedAt: last,
  };
}

/** Topics at least a third of the story's articles carry, in the order given (the configuration's). */
export function storyTopics(record: StoryRecord, order: readonly string[]): string[] {
  const total = record.articles.length + record.copies.length;
  const needed = Math.max(1, total / 3);
  return order.filter((name) => (record.topicCounts[name] ?? 0) >= needed);
}

const NO_IDS: ReadonlySet<string> = new Set();
/** Fresh members an update's summary reads beside the story's usual ones. */
const MAX_FRESH_QUOTED = 3;

/**
 * A stored story as readers see it, from its originals' processing results (those still stored): the most
 * central original reporting is the best source, a title that is not a question, a summary of verbatim sentences.
 */
export function describeStoredStory(
  record: StoryRecord,
  originals: readonly ProcessedArticle[],
  topicOrder: readonly string[],
  /** Members a thread has not seen (an update): the summary quotes them too and says something of theirs. */
  fresh: ReadonlySet<string> = NO_IDS,
): DigestStory | null {
  const members = originals.filter((a) => a.rejected === null && a.storyId === record.id);
  if (members.length === 0) return null;
  const centrality = centralityOf(members, vectorSimilarity);
  const face = storyFace(members, {
    notReporting: isNotReporting,
    title: (a) => a.title,
    centrality: (a) => centrality.get(a) ?? 0,
  });
  if (!face) return null;
  const { best, titled } = face;
  // an update quotes what its new reports add; a new opinion piece is listed, not quoted
  const freshMembers = members
    .filter((a) => fresh.has(a.id) && !face.quoted.includes(a) && !isOpinion(a.warnings))
    .slice(0, MAX_FRESH_QUOTED);
  const quoted: PreparedArticle[] = [...face.quoted, ...freshMembers].map((a, order) => restorePrepared(a, order));
  return {
    id: record.id,
    title: titled.title,
    topics: storyTopics(record, topicOrder),
    articles: members.map((a) => a.id),
    bestSource: best.id,
    summary: summarizeStory(quoted, undefined, titled.title, fresh),
    sources: [...record.sources],
    firstPublishedAt: record.firstPublishedAt,
    lastPublishedAt: record.lastPublishedAt,
  };
}

/** Words and names alike, as grouping weighs them, from the vectors stored at ingest (0 without them). */
function vectorSimilarity(a: ProcessedArticle, b: ProcessedArticle): number {
  const x = a.features?.vectors;
  const y = b.features?.vectors;
  if (!x || !y) return 0;
  return 0.5 * cosine(x.terms, y.terms) + 0.5 * cosine(x.entities, y.entities);
}
