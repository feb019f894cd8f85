// Incremental story grouping. Each article arrives once, gets TF-IDF vectors with IDF fixed at arrival, finds
// candidate neighbours through an inverted index of its strongest terms and names, and joins the story of its
// most similar neighbour (max-link) when that similarity, damped by the time between them, clears a threshold;
// otherwise it starts a story. Earlier decisions never change, so story ids are stable across runs.
import type { BackgroundVocabulary } from './background.js';
import type { Bag, TextFeatures } from './features.js';

export interface GroupingOptions {
  /** Join the best story when the similarity to its closest member reaches this. */
  threshold: number;
  /** Weight of the names channel in the combined similarity (the words channel gets the rest). */
  entityShare: number;
  /** Days over which similarity halves (1 / (1 + (days / scale)^2)). */
  timeScaleDays: number;
  /** Articles further apart than this are never compared. */
  windowDays: number;
  /** How many typical articles the background vocabulary stands for (its weight against the stream's counts). */
  backgroundDocuments: number;
  /**
   * The background never outweighs the stream by more than this factor: in a small, focused batch (five articles
   * on one envoy) the batch itself says which words name the topic and which tell its events apart.
   */
  backgroundRatio: number;
  /** Similarity factor (1 - x) when both texts name months (without a year) and none in common. */
  monthWeight: number;
  /** Smoothing of the stream-spread factor (n - df + k) / (n + k); large values switch it off. */
  spreadSmoothing: number;
  /** Similarity factor when both leads name the day of the event: agreeing (1 + x), disagreeing (1 - x). */
  anchorWeight: number;
}

export const DEFAULT_GROUPING: GroupingOptions = {
  threshold: 0.25,
  entityShare: 0.5,
  timeScaleDays: 10,
  windowDays: 45,
  backgroundDocuments: 3000,
  backgroundRatio: 10,
  anchorWeight: 0.2,
  spreadSmoothing: 1,
  monthWeight: 0.4,
};

interface SparseVector {
  ids: Int32Array;
  weights: Float32Array;
}

interface Member {
  terms: SparseVector;
  entities: SparseVector;
  anchors: readonly string[];
  months: readonly string[];
  time: number | null;
  story: number;
}

const MAX_TERMS = 60;
const MAX_ENTITIES = 40;
/** Strongest terms/names an article is filed under in the inverted index, and looks up. */
const INDEX_TERMS = 16;
const INDEX_ENTITIES = 12;
const QUERY_TERMS = 10;
const QUERY_ENTITIES = 8;
/** Newest postings scanned per term: the index stays a bounded read at any stream length. */
const MAX_POSTINGS = 80;
/** Candidates (most shared index terms first) whose similarity is computed. */
const MAX_COMPARED = 25;
const DAY_MS = 86_400_000;
/** Below this many articles nobody can tell a subject word from an event word. */
const MIN_SPREAD_DOCUMENTS = 4;

export class StoryGrouper {
  private readonly options: GroupingOptions;
  private readonly vocabulary = { t: new Map<string, number>(), e: new Map<string, number>() };
  private vocabularySize = 0;
  private df: Float64Array<ArrayBuffer> = new Float64Array(1024);
  /** Background document probability of each vocabulary entry (0 without a background). */
  private bgdf: Float64Array<ArrayBuffer> = new Float64Array(1024);
  private readonly background: BackgroundVocabulary | undefined;
  /** Vocabulary entries more than half of the stream's articles use: damped in similarity (spreadCosine). */
  private readonly common = new Set<number>();
  private readonly postings: number[][] = [];
  private readonly members: Member[] = [];
  private readonly storyMembers: number[][] = [];
  private documents = 0;

  constructor(options: Partial<GroupingOptions> = {}, background?: BackgroundVocabulary) {
    this.options = { ...DEFAULT_GROUPING, ...options };
    this.background = background;
  }

  get storyCount(): number {
    return this.storyMembers.length;
  }

  membersOf(story: number): readonly number[] {
    return this.storyMembers[story] ?? [];
  }

  /** Adds an article; returns its member number and the story it joined or started. */
  add(features: TextFeatures, time: number | null): { member: number; story: number; similarity: number } {
    this.documents++;
    const termIds = this.count(features.terms, 't');
    const entityIds = this.count(features.entities, 'e');
    this.updateCommon(termIds.keys());
    this.updateCommon(entityIds.keys());
    const terms = this.vectorize(termIds, MAX_TERMS);
    const entities = this.vectorize(entityIds, MAX_ENTITIES);
    const member: Member = { terms, entities, anchors: features.anchors, months: features.months, time, story: -1 };

    const best = this.bestStory(member);
    const index = this.members.length;
    if (best !== null && best.similarity >= this.options.threshold) {
      member.story = best.story;
      this.storyMembers[best.story]?.push(index);
    } else {
      member.story = this.storyMembers.length;
      this.storyMembers.push([index]);
    }
    this.members.push(member);
    this.file(index, terms, INDEX_TERMS);
    this.file(index, entities, INDEX_ENTITIES);
    return { member: index, story: member.story, similarity: best?.similarity ?? 0 };
  }

  /** Similarity of two members, with time damping. */
  similarity(a: number, b: number): number {
    const x = this.members[a];
    const y = this.members[b];
    return x && y ? this.memberSimilarity(x, y) : 0;
  }

  private memberSimilarity(x: Member, y: Member): number {
    const words = this.spreadCosine(x.terms, y.terms);
    let sim = words;
    if (x.entities.ids.length > 0 && y.entities.ids.length > 0) {
      const share = this.options.entityShare;
      sim = (1 - share) * words + share * this.spreadCosine(x.entities, y.entities);
    }
    if (x.anchors.length > 0 && y.anchors.length > 0 && this.options.anchorWeight > 0) {
      const agree = x.anchors.some((a) => y.anchors.includes(a));
      sim *= agree ? 1 + this.options.anchorWeight : 1 - this.options.anchorWeight;
    }
    if (x.months.length > 0 && y.months.length > 0 && !x.months.some((m) => y.months.includes(m))) {
      sim *= 1 - this.options.monthWeight;
    }
    if (x.time !== null && y.time !== null) {
      const days = Math.abs(x.time - y.time) / DAY_MS / this.options.timeScaleDays;
      sim /= 1 + days * days;
    }
    return sim;
  }

  private bestStory(member: Member): { story: number; similarity: number } | null {
    const hits = new Map<number, number>();
    const window = this.options.windowDays * DAY_MS;
    const common = this.documents >= 50 ? this.documents * 0.2 : Number.POSITIVE_INFINITY;
    const scan = (vector: SparseVector, limit: number) => {
      for (const id of topIds(vector, limit)) {
        if ((this.df[id] ?? 0) > common) continue;
        const list = this.postings[id];
        if (!list) continue;
        for (let i = list.length - 1, seen = 0; i >= 0 && seen < MAX_POSTINGS; i--, seen++) {
          const other = list[i] ?? 0;
          const t = this.members[other]?.time ?? null;
          if (member.time !== null && t !== null && Math.abs(member.time - t) > window) continue;
          hits.set(other, (hits.get(other) ?? 0) + 1);
        }
      }
    };
    scan(member.terms, QUERY_TERMS);
    scan(member.entities, QUERY_ENTITIES);
    if (hits.size === 0) return null;
    const candidates = [...hits.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, MAX_COMPARED);
    let best: { story: number; similarity: number } | null = null;
    for (const [other] of candidates) {
      const m = this.members[other];
      if (!m) continue;
      const similarity = this.memberSimilarity(member, m);
      if (best === null || similarity > best.similarity) best = { story: m.story, similarity };
    }
    return best;
  }

  /**
   * Cosine with every entry damped by how much of the stream uses it now, (n - df + k) / (n + k): a word most
   * articles of the stream use names the stream's subject, not an event (the probabilistic-IDF idea). In a broad
   * stream the factor is ~1; in a focused batch (five articles on one envoy's meetings) it leaves what differs.
   */
  private spreadCosine(a: SparseVector, b: SparseVector): number {
    // Vectors are unit length; only the few "common" entries (df > n/2) change. Correct for those alone.
    let dot = cosine(a, b);
    if (this.common.size === 0) return dot;
    const k = this.options.spreadSmoothing;
    const n = this.documents;
    let na = 1;
    let nb = 1;
    for (const id of this.common) {
      const f = (n - (this.df[id] ?? 0) + k) / (n + k);
      const loss = 1 - f * f;
      const wa = weightOf(a, id);
      const wb = weightOf(b, id);
      na -= wa * wa * loss;
      nb -= wb * wb * loss;
      dot -= wa * wb * loss;
    }
    return na > 1e-9 && nb > 1e-9 ? dot / Math.sqrt(na * nb) : 0;
  }

  /** Keeps `common` = entries more than half the stream uses (once the stream is big enough to say). */
  private updateCommon(newIds: Iterable<number>): void {
    const n = this.documents;
    if (n < MIN_SPREAD_DOCUMENTS) return;
    for (const id of newIds) if ((this.df[id] ?? 0) * 2 > n) this.common.add(id);
    for (const id of this.common) if ((this.df[id] ?? 0) * 2 <= n) this.common.delete(id);
  }

  private count(bag: Bag, namespace: 't' | 'e'): Map<number, number> {
    const out = new Map<number, number>();
    const vocabulary = this.vocabulary[namespace];
    for (const [key, tf] of bag) {
      let id = vocabulary.get(key);
      if (id === undefined) {
        id = this.vocabularySize++;
        vocabulary.set(key, id);
        if (id >= this.df.length) {
          this.df = grown(this.df);
          this.bgdf = grown(this.bgdf);
        }
        if (this.background) {
          const p = namespace === 't' ? this.background.termProbability(key) : this.background.nameProbability(key);
          this.bgdf[id] = p;
        }
      }
      this.df[id] = (this.df[id] ?? 0) + 1;
      out.set(id, tf);
    }
    return out;
  }

  /** Sublinear TF x IDF (IDF as of now: fixed at arrival), strongest `limit` kept, L2-normalised, sorted by id. */
  private vectorize(counts: Map<number, number>, limit: number): SparseVector {
    const entries: [number, number][] = [];
    const backgroundDocs = this.background
      ? Math.min(this.options.backgroundDocuments, this.options.backgroundRatio * this.documents)
      : 0;
    const documents = this.documents + backgroundDocs;
    for (const [id, tf] of counts) {
      const df = this.df[id] ?? 1;
      const idf = Math.log(1 + documents / (df + backgroundDocs * (this.bgdf[id] ?? 0)));
      entries.push([id, (1 + Math.log(tf)) * idf]);
    }
    entries.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const kept = entries.slice(0, limit).sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [, w] of kept) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    const ids = new Int32Array(kept.length);
    const weights = new Float32Array(kept.length);
    kept.forEach(([id, w], i) => {
      ids[i] = id;
      weights[i] = w / norm;
    });
    return { ids, weights };
  }

  private file(member: number, vector: SparseVector, limit: number): void {
    for (const id of topIds(vector, limit)) {
      let list = this.postings[id];
      if (!list) {
        list = [];
        this.postings[id] = list;
      }
      list.push(member);
    }
  }
}

function grown(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** Weight of an entry of a vector sorted by id (binary search), 0 when absent. */
function weightOf(v: SparseVector, id: number): number {
  let lo = 0;
  let hi = v.ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = v.ids[mid] ?? 0;
    if (x === id) return v.weights[mid] ?? 0;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Ids of the `limit` heaviest entries of a vector. */
function topIds(v: SparseVector, limit: number): number[] {
  if (v.ids.length <= limit) return Array.from(v.ids);
  const order = Array.from(v.ids.keys()).sort((a, b) => (v.weights[b] ?? 0) - (v.weights[a] ?? 0));
  return order.slice(0, limit).map((i) => v.ids[i] ?? 0);
}

export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  const na = a.ids.length;
  const nb = b.ids.length;
  while (i < na && j < nb) {
    const x = a.ids[i] ?? 0;
    const y = b.ids[j] ?? 0;
    if (x === y) {
      dot += (a.weights[i] ?? 0) * (b.weights[j] ?? 0);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return dot;
}
