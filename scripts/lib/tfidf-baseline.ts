// The reference point for story grouping: plain TF-IDF cosine, single pass, centroid linkage.
// IDF is fitted on the evaluated set itself and the threshold is an oracle (best of a sweep against gold), so the
// numbers flatter the baseline; the builder has to beat them with one fixed parameter set.
import { bcubed, type Partition, type Prf, pairwise } from './metrics.js';

/** Sparse vector: parallel arrays of term ids and weights, L2-normalised. */
interface SparseVector {
  terms: Int32Array;
  weights: Float64Array;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(TOKEN)) if (m[0].length > 1) out.push(m[0]);
  return out;
}

export interface BaselineDoc {
  id: string;
  text: string;
}

/** TF (raw counts) x IDF (ln N/df), L2-normalised, with IDF from the documents themselves. */
export function tfidfVectors(docs: readonly BaselineDoc[]): SparseVector[] {
  const vocab = new Map<string, number>();
  const df: number[] = [];
  const counts = docs.map((d) => {
    const tf = new Map<number, number>();
    for (const t of tokens(d.text)) {
      let id = vocab.get(t);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(t, id);
        df.push(0);
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    for (const id of tf.keys()) df[id] = (df[id] ?? 0) + 1;
    return tf;
  });
  const n = docs.length;
  return counts.map((tf) => {
    const terms = new Int32Array(tf.size);
    const weights = new Float64Array(tf.size);
    let i = 0;
    let norm = 0;
    for (const [id, c] of tf) {
      const w = c * Math.log(n / (df[id] ?? 1));
      terms[i] = id;
      weights[i] = w;
      norm += w * w;
      i++;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] ?? 0) / norm;
    return { terms, weights };
  });
}

/**
 * Each document joins the cluster whose centroid (sum of member vectors) is most cosine-similar, if that similarity
 * is at least `threshold`; otherwise it starts a cluster. Dot products go through an inverted index of centroids.
 */
export function singlePass(vectors: readonly SparseVector[], threshold: number): number[] {
  const postings = new Map<number, Map<number, number>>(); // term -> cluster -> centroid weight
  const normSq: number[] = [];
  const assignment: number[] = [];
  for (const v of vectors) {
    const dots = new Map<number, number>();
    for (let k = 0; k < v.terms.length; k++) {
      const list = postings.get(v.terms[k] ?? -1);
      if (!list) continue;
      const w = v.weights[k] ?? 0;
      for (const [cluster, cw] of list) dots.set(cluster, (dots.get(cluster) ?? 0) + w * cw);
    }
    let best = -1;
    let bestSim = -1;
    for (const [cluster, dot] of dots) {
      const sim = dot / Math.sqrt(normSq[cluster] ?? 1);
      if (sim > bestSim) {
        bestSim = sim;
        best = cluster;
      }
    }
    const cluster = best >= 0 && bestSim >= threshold ? best : normSq.length;
    if (cluster === normSq.length) normSq.push(0);
    let ns = normSq[cluster] ?? 0;
    for (let k = 0; k < v.terms.length; k++) {
      const term = v.terms[k] ?? -1;
      const w = v.weights[k] ?? 0;
      let list = postings.get(term);
      if (!list) {
        list = new Map();
        postings.set(term, list);
      }
      const old = list.get(cluster) ?? 0;
      list.set(cluster, old + w);
      ns += 2 * old * w + w * w;
    }
    normSq[cluster] = ns;
    assignment.push(cluster);
  }
  return assignment;
}

export interface OracleResult {
  threshold: number;
  bcubed: Prf;
  pairwise: Prf;
  clusters: number;
  /** The whole sweep, IDF fitting included. */
  ms: number;
}

/** Sweeps t = 0.05..0.95 (step 0.05) and keeps the threshold with the best B-cubed F1 against `gold`. */
export function oracleBaseline(docs: readonly BaselineDoc[], gold: Partition): OracleResult {
  const start = performance.now();
  const vectors = tfidfVectors(docs);
  let best: OracleResult | null = null;
  for (let step = 1; step <= 19; step++) {
    const threshold = Math.round(step * 5) / 100;
    const assignment = singlePass(vectors, threshold);
    const pred = new Map(docs.map((d, i) => [d.id, `c${assignment[i] ?? -1}`]));
    const b = bcubed(pred, gold);
    if (best === null || b.f1 > best.bcubed.f1) {
      best = { threshold, bcubed: b, pairwise: pairwise(pred, gold), clusters: new Set(assignment).size, ms: 0 };
    }
  }
  if (best === null) throw new Error('empty sweep');
  return { ...best, ms: performance.now() - start };
}
