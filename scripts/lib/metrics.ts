// Clustering scores against a gold partition, and reading a partition out of a Digest. Pure functions.
import type { Digest } from '../../src/domain/types.js';

/** Item id -> cluster label. */
export type Partition = ReadonlyMap<string, string>;

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

function f1Of(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

interface Contingency {
  /** Sizes of predicted clusters, gold clusters, and of each (predicted, gold) cell. */
  predSizes: Map<string, number>;
  goldSizes: Map<string, number>;
  cells: Map<string, { pred: string; gold: string; n: number }>;
  n: number;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Scores are over the gold items; a gold item missing from `pred` counts as a cluster of its own. */
function contingency(pred: Partition, gold: Partition): Contingency {
  const predSizes = new Map<string, number>();
  const goldSizes = new Map<string, number>();
  const cells = new Map<string, { pred: string; gold: string; n: number }>();
  for (const [id, g] of gold) {
    const p = pred.get(id) ?? `\u0000alone:${id}`;
    bump(predSizes, p);
    bump(goldSizes, g);
    const key = `${p}\u0000${g}`;
    const cell = cells.get(key);
    if (cell) cell.n += 1;
    else cells.set(key, { pred: p, gold: g, n: 1 });
  }
  return { predSizes, goldSizes, cells, n: gold.size };
}

/** B-cubed (Bagga & Baldwin): per-item precision and recall of its cluster, averaged over items. */
export function bcubed(pred: Partition, gold: Partition): Prf {
  const c = contingency(pred, gold);
  if (c.n === 0) return { precision: 1, recall: 1, f1: 1 };
  let p = 0;
  let r = 0;
  for (const cell of c.cells.values()) {
    const sq = cell.n * cell.n;
    p += sq / (c.predSizes.get(cell.pred) ?? 1);
    r += sq / (c.goldSizes.get(cell.gold) ?? 1);
  }
  const precision = p / c.n;
  const recall = r / c.n;
  return { precision, recall, f1: f1Of(precision, recall) };
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** Pairwise: precision and recall over item pairs put together. No pairs on a side counts as a perfect score. */
export function pairwise(pred: Partition, gold: Partition): Prf {
  const c = contingency(pred, gold);
  let together = 0;
  for (const cell of c.cells.values()) together += pairs(cell.n);
  let predPairs = 0;
  for (const n of c.predSizes.values()) predPairs += pairs(n);
  let goldPairs = 0;
  for (const n of c.goldSizes.values()) goldPairs += pairs(n);
  const precision = predPairs > 0 ? together / predPairs : 1;
  const recall = goldPairs > 0 ? together / goldPairs : 1;
  return { precision, recall, f1: f1Of(precision, recall) };
}

/** Number of distinct labels. */
export function clusterCount(partition: Partition): number {
  return new Set(partition.values()).size;
}

type DuplicateLinks = ReadonlyMap<string, { readonly duplicateOf: string | null }>;

/** Article id -> its duplicateOf link, for the chain helpers below. */
export function duplicateLinks(digest: Digest): DuplicateLinks {
  return new Map(digest.articles.map((a) => [a.id, a]));
}

/** The ids on `id`'s duplicateOf chain, nearest first (stops on cycles and unknown ids). */
export function duplicateChain(links: DuplicateLinks, id: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>([id]);
  let next = links.get(id)?.duplicateOf;
  while (next != null && !seen.has(next)) {
    chain.push(next);
    seen.add(next);
    next = links.get(next)?.duplicateOf;
  }
  return chain;
}

/**
 * The story of every article: its storyId, or its original's storyId when it is a duplicate.
 * Articles without a story (rejected, or a dangling chain) are left out, so the scores count them as singletons.
 */
export function groupingFromDigest(digest: Digest): Map<string, string> {
  const byId = new Map(digest.articles.map((a) => [a.id, a]));
  const out = new Map<string, string>();
  for (const a of digest.articles) {
    let story = a.storyId;
    if (story === null) {
      const original = duplicateChain(byId, a.id).at(-1);
      story = original === undefined ? null : (byId.get(original)?.storyId ?? null);
    }
    if (story !== null) out.set(a.id, story);
  }
  return out;
}

/** Lower-cased word k-shingles of a text (k words joined by a space). */
export function shingles(text: string, k = 5): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  if (words.length > 0 && words.length < k) out.add(words.join(' '));
  for (let i = 0; i + k <= words.length; i++) out.add(words.slice(i, i + k).join(' '));
  return out;
}

/** Jaccard similarity of the two texts' word 5-shingles: how much of the wording they share. */
export function shingleJaccard(a: string, b: string, k = 5): number {
  const sa = shingles(a, k);
  const sb = shingles(b, k);
  if (sa.size === 0 && sb.size === 0) return 1;
  let both = 0;
  for (const s of sa) if (sb.has(s)) both++;
  return both / (sa.size + sb.size - both);
}

/**
 * What a reader sees of splits and merges: gold events whose articles landed in more than one story (each story
 * is a new post in chat, so the event was posted as new more than once), and stories holding more than one event.
 */
export function chatView(
  pred: Partition,
  gold: Partition,
): { events: number; split: number; stories: number; mixed: number } {
  const storiesOf = new Map<string, Set<string>>();
  const eventsOf = new Map<string, Set<string>>();
  for (const [id, event] of gold) {
    const story = pred.get(id);
    if (story === undefined) continue;
    const s = storiesOf.get(event) ?? new Set<string>();
    s.add(story);
    storiesOf.set(event, s);
    const e = eventsOf.get(story) ?? new Set<string>();
    e.add(event);
    eventsOf.set(story, e);
  }
  let split = 0;
  for (const s of storiesOf.values()) if (s.size > 1) split++;
  let mixed = 0;
  for (const e of eventsOf.values()) if (e.size > 1) mixed++;
  return { events: storiesOf.size, split, stories: eventsOf.size, mixed };
}
