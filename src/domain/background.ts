// Background word statistics: how common a word is in general English, so that the first articles of a stream
// (when the stream's own document frequencies mean little) already weigh "Friday" above "president" and an
// unknown surname above both. The counts come from outside (an adapter loads them); this turns them into
// document probabilities.
import { fnv1a, stem } from './text.js';

export interface BackgroundVocabulary {
  /**
   * Probability that a typical article contains this stemmed content term. `id`, when the caller has it, is
   * termId(stemmed) (story grouping's id of the term), which saves hashing it again.
   */
  termProbability(stemmed: string, id?: number): number;
  /** Probability that a typical article names this (lower-case) entity. */
  nameProbability(name: string): number;
}

/** Words in a typical news article: turns a corpus frequency into the chance an article uses the word. */
const ARTICLE_WORDS = 500;

export function createBackground(counts: Iterable<readonly [string, number]>): BackgroundVocabulary {
  const words = new Map<string, number>();
  const stems = new Map<string, number>();
  let total = 0;
  for (const [word, count] of counts) {
    if (!(count > 0)) continue;
    const w = word.toLowerCase();
    total += count;
    words.set(w, (words.get(w) ?? 0) + count);
    const s = stem(w);
    stems.set(s, (stems.get(s) ?? 0) + count);
  }
  const probability = (count: number) => (total === 0 ? 0 : 1 - Math.exp((-count / total) * ARTICLE_WORDS));
  // each word's and stem's probability, computed once here rather than at every lookup
  const wordProbability = new ProbabilityTable(words, probability);
  const stemProbability = new ProbabilityTable(stems, probability);
  return {
    termProbability: (stemmed, id = fnv1a(stemmed)) => stemProbability.of(stemmed, 0, stemmed.length, id),
    nameProbability: (name) => {
      // a multi-word name is as rare as its rarest word
      let p = 1;
      if (isPlainAscii(name)) {
        // split at spaces and hyphens by char codes (the regex split below gives the same parts for these names),
        // each part hashed as it is read and looked up in place
        let start = 0;
        let hash = FNV_SEED;
        for (let i = 0; i <= name.length; i++) {
          const c = i < name.length ? name.charCodeAt(i) : 32;
          if (c !== 32 && c !== 45) {
            hash = Math.imul(hash ^ c, FNV_PRIME);
            continue;
          }
          if (i > start) p = Math.min(p, wordProbability.of(name, start, i, hash >>> 0));
          start = i + 1;
          hash = FNV_SEED;
        }
      } else {
        for (const part of name.split(/[\s-]+/)) {
          if (part) p = Math.min(p, wordProbability.of(part, 0, part.length, fnv1a(part)));
        }
      }
      return p === 1 ? 0 : p;
    },
  };
}

/** fnv1a's seed and prime, for hashing a name's words as they are read. */
const FNV_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** A slot's hash cell when no word holds it (hashes are 32-bit unsigned, never negative). */
const EMPTY = -1;
/** Cells of a slot: the word's fnv1a hash, its probability, and where its characters are in the pool. */
const CELLS = 3;
/** A word's place in the pool: start x PLACE + length (exact in a double for any pool under 2^32 characters). */
const PLACE = 2 ** 21;

/**
 * Probabilities of words by their characters: an open-addressing table keyed by fnv1a of the word (for a stem, its
 * story-grouping id), each slot holding the probability and where the word's characters are in one pool, which
 * confirm the word. A lookup reads one slot and the word's characters: a name's words need no string of their own,
 * and no Map entry, key and boxed value are visited. Answers as Map.get(word) ?? 0 would.
 */
class ProbabilityTable {
  private readonly cells: Float64Array;
  private readonly pool: Uint16Array;
  private readonly mask: number;
  /** 32 - log2(slots): a word's first slot is the top bits of its hash times the golden ratio. */
  private readonly shift: number;

  constructor(counts: ReadonlyMap<string, number>, probability: (count: number) => number) {
    const bits = Math.ceil(Math.log2(Math.max(16, counts.size * 2)));
    const slots = 2 ** bits;
    this.mask = slots - 1;
    this.shift = 32 - bits;
    this.cells = new Float64Array(slots * CELLS);
    for (let s = 0; s < slots; s++) this.cells[CELLS * s] = EMPTY;
    let chars = 0;
    for (const word of counts.keys()) chars += word.length;
    this.pool = new Uint16Array(chars);
    let at = 0;
    for (const [word, count] of counts) {
      // a word of 2^21 characters or more (none in a vocabulary of words) is not held
      if (word.length >= PLACE) continue;
      const hash = fnv1a(word);
      let s = this.slotOf(hash);
      while (this.cells[CELLS * s] !== EMPTY) s = (s + 1) & this.mask;
      this.cells[CELLS * s] = hash;
      this.cells[CELLS * s + 1] = probability(count);
      this.cells[CELLS * s + 2] = at * PLACE + word.length;
      for (let i = 0; i < word.length; i++) this.pool[at++] = word.charCodeAt(i);
    }
  }

  /** The probability of the word text[start, end), whose fnv1a is `hash`; 0 for a word it does not hold. */
  of(text: string, start: number, end: number, hash: number): number {
    const cells = this.cells;
    for (let s = this.slotOf(hash); ; s = (s + 1) & this.mask) {
      const h = cells[CELLS * s];
      if (h === EMPTY) return 0;
      if (h === hash && this.holds(cells[CELLS * s + 2] ?? 0, text, start, end)) return cells[CELLS * s + 1] ?? 0;
    }
  }

  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  /** Whether the pooled word at `place` is text[start, end). */
  private holds(place: number, text: string, start: number, end: number): boolean {
    const length = place % PLACE;
    if (length !== end - start) return false;
    const from = (place - length) / PLACE;
    for (let i = 0; i < length; i++) if (this.pool[from + i] !== text.charCodeAt(start + i)) return false;
    return true;
  }
}

/** ASCII without the control characters \s matches (tab to carriage return): spaces and hyphens split it alone. */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || (c >= 9 && c <= 13)) return false;
  }
  return true;
}
