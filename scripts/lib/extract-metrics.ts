// Scores for article extraction, ported from the two benchmarks' own scripts (described in their READMEs in
// ../shared/eval). Pure functions.

/** One page of the Zyte benchmark: shares of true positives, false positives and false negatives, summing to 1. */
export interface ShingleCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface ExtractScore {
  precision: number;
  recall: number;
  f1: number;
}

// Python's `\w` on str: letters, digits (every numeric category) and the underscore.
const TOKEN = /[\p{L}\p{N}_]+/gu;

/** Multiset of 4-token shingles. A text of 1-3 tokens is one short shingle; an empty text has none. */
export function shingleCounts(text: string, n = 4): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const out = new Map<string, number>();
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const shingle = tokens.slice(i, i + n);
    if (shingle.length === 0) continue;
    const key = shingle.join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** tp/fp/fn over shingle multisets, normalised so a long page weighs no more than a short one. */
export function shingleMatch(truth: string, predicted: string): ShingleCounts {
  const t = shingleCounts(truth);
  const p = shingleCounts(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, pc] of p) {
    const tc = t.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fp += Math.max(0, pc - tc);
  }
  for (const [key, tc] of t) fn += Math.max(0, tc - (p.get(key) ?? 0));
  const s = tp + fp + fn;
  return s > 0 ? { tp: tp / s, fp: fp / s, fn: fn / s } : { tp, fp, fn };
}

function precisionOf({ tp, fp, fn }: ShingleCounts): number {
  if (fp === 0 && fn === 0) return 1;
  return tp === 0 && fp === 0 ? 0 : tp / (tp + fp);
}

function recallOf({ tp, fp, fn }: ShingleCounts): number {
  if (fp === 0 && fn === 0) return 1;
  return tp === 0 && fn === 0 ? 0 : tp / (tp + fn);
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const f1Of = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/** Precision averaged over pages that predicted something, recall over pages with a truth, F1 of the two means. */
export function shingleScore(pages: readonly ShingleCounts[]): ExtractScore {
  const precision = mean(pages.filter((c) => c.tp + c.fp > 0).map(precisionOf));
  const recall = mean(pages.filter((c) => c.tp + c.fn > 0).map(recallOf));
  return { precision, recall, f1: f1Of(precision, recall) };
}

/** Trafilatura's segment counts for one page or summed over many. */
export interface SegmentCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** `with` segments found are tp, `without` segments found are fp; whitespace-normalised substring matching. */
export function segmentMatch(
  segments: { with: readonly string[]; without: readonly string[] },
  predicted: string | null,
): SegmentCounts {
  const text = predicted === null ? null : norm(predicted);
  const found = (s: string): boolean => text?.includes(norm(s)) ?? false;
  const tp = segments.with.filter(found).length;
  const fp = segments.without.filter(found).length;
  return { tp, fp, fn: segments.with.length - tp, tn: segments.without.length - fp };
}

/** Micro-averaged over pages. */
export function segmentScore(pages: readonly SegmentCounts[]): ExtractScore & { accuracy: number } {
  const sum = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const c of pages) {
    sum.tp += c.tp;
    sum.fp += c.fp;
    sum.fn += c.fn;
    sum.tn += c.tn;
  }
  const precision = sum.tp + sum.fp ? sum.tp / (sum.tp + sum.fp) : 0;
  const recall = sum.tp + sum.fn ? sum.tp / (sum.tp + sum.fn) : 0;
  const total = sum.tp + sum.fp + sum.fn + sum.tn;
  return { precision, recall, f1: f1Of(precision, recall), accuracy: total ? (sum.tp + sum.tn) / total : 0 };
}

/** The value below which `q` of the sorted values fall (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Title, byline and date as an extractor reports them. */
export interface PredictedMeta {
  title: string | null;
  byline: string | null;
  /** ISO 8601. */
  publishedAt: string | null;
}

/** Annotated values; '' where the annotators found none. */
export interface GoldMeta {
  title: string;
  author: string;
  date: string;
}

/** Agreements over the pages whose gold value is set: [agreed, annotated]. */
export interface MetaAgreement {
  title: [number, number];
  byline: [number, number];
  date: [number, number];
}

const letters = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * Title: equal letters and digits. Byline: one contains the other (gold "Jane Roe" vs "Jane Roe, Reuters").
 * Date: the same calendar day (gold is a YYYY-MM-DD day; ours is UTC, so a story published late in the evening
 * in the Americas can fall a day apart and counts as a miss).
 */
export function metaAgreement(pages: readonly { gold: GoldMeta; predicted: PredictedMeta | null }[]): MetaAgreement {
  const out: MetaAgreement = { title: [0, 0], byline: [0, 0], date: [0, 0] };
  for (const { gold, predicted } of pages) {
    if (gold.title) {
      out.title[1]++;
      if (predicted?.title && letters(predicted.title) === letters(gold.title)) out.title[0]++;
    }
    if (gold.author && gold.author !== 'Unknown') {
      out.byline[1]++;
      const g = letters(gold.author);
      const p = letters(predicted?.byline ?? '');
      if (p && (p.includes(g) || g.includes(p))) out.byline[0]++;
    }
    if (gold.date) {
      out.date[1]++;
      if (predicted?.publishedAt?.slice(0, 10) === gold.date) out.date[0]++;
    }
  }
  return out;
}
