// Near-duplicate fingerprints: word 5-shingles, a one-permutation MinHash signature (one hash per shingle,
// binned, empty bins filled by rotation), and an LSH table over bands of the signature. No all-pairs work.
import { fnv1a, mix32 } from './text.js';

export const SIGNATURE_BINS = 64;
const BIN_SHIFT = 26; // 32 - log2(64): the top 6 bits pick the bin
const VALUE_MASK = 0x1ffffff; // 25 bits of value, so rotation offsets fit in 32 bits
const ROTATION_STEP = 0x2000000;
const EMPTY = 0xffffffff;
export const SHINGLE_WORDS = 5;

export interface Fingerprint {
  signature: Uint32Array;
  /** Distinct shingles in the text, for containment estimates. */
  shingles: number;
  /**
   * For short texts only, the sorted distinct shingle hashes themselves: with few shingles the binned signature
   * is mostly filled-in bins and its estimate is too rough, so short pairs are compared exactly.
   */
  exact: Uint32Array | null;
}

/** Texts with fewer distinct shingles than this keep them for exact comparison. */
export const EXACT_BELOW = SIGNATURE_BINS * 2;

/**
 * Shingle hashes of a token sequence: every run of SHINGLE_WORDS tokens (the whole text if shorter), hashed. The
 * tokens may come in pieces (one array a sentence); shingles run across the pieces as across one text.
 */
export function shingleHashes(tokens: readonly string[] | readonly (readonly string[])[]): Uint32Array {
  return shinglesOfWordHashes(wordHashesOf(tokens));
}

/** fnv1a() of every token, the pieces in one array. */
function wordHashesOf(tokens: readonly string[] | readonly (readonly string[])[]): Uint32Array {
  const pieces = (typeof tokens[0] === 'string' ? [tokens] : tokens) as readonly (readonly string[])[];
  let total = 0;
  for (const piece of pieces) total += piece.length;
  const th = new Uint32Array(total);
  let k = 0;
  for (const piece of pieces) for (const token of piece) th[k++] = fnv1a(token);
  return th;
}

/** The pieces (one a sentence) of word hashes as one array. */
function joined(pieces: readonly (readonly number[])[]): Uint32Array {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  const th = new Uint32Array(total);
  let k = 0;
  for (const piece of pieces) for (let i = 0; i < piece.length; i++) th[k++] = piece[i] ?? 0;
  return th;
}

function shinglesOfWordHashes(th: Uint32Array): Uint32Array {
  const total = th.length;
  const n = Math.max(0, total - SHINGLE_WORDS + 1);
  if (n === 0) {
    if (total === 0) return new Uint32Array(0);
    let h = 0;
    for (let i = 0; i < th.length; i++) h = Math.imul(h ^ (th[i] ?? 0), 0x9e3779b1);
    return Uint32Array.of(mix32(h));
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x2545f491;
    for (let j = 0; j < SHINGLE_WORDS; j++) h = Math.imul(h ^ (th[i + j] ?? 0), 0x9e3779b1) + j;
    out[i] = mix32(h);
  }
  return out;
}

/** Fingerprint of a text given as its tokens (see text.ts tokenize), whole or one array a sentence. */
export function fingerprint(tokens: readonly string[] | readonly (readonly string[])[]): Fingerprint {
  return fingerprintOfShingles(shingleHashes(tokens));
}

/** The same fingerprint from the tokens' fnv1a() hashes (text.ts wordRun), one array a sentence. */
export function fingerprintOfWordHashes(pieces: readonly (readonly number[])[]): Fingerprint {
  return fingerprintOfShingles(shinglesOfWordHashes(joined(pieces)));
}

/** The same fingerprint from the fnv1a() hashes of all the text's tokens in one array (text.ts wordHashesOf). */
export function fingerprintOfHashes(hashes: Uint32Array): Fingerprint {
  return fingerprintOfShingles(shinglesOfWordHashes(hashes));
}

/**
 * A set of shingle hashes for counting the distinct ones, reused from text to text: open addressing, a slot taken
 * when its stamp is the current text's, so that nothing is cleared between texts. Grown as needed.
 */
const distinctScratch = {
  keys: new Uint32Array(2048),
  stamps: new Uint32Array(2048),
  stamp: 0,
  /** The distinct hashes, in the order first met. */
  found: new Uint32Array(1024),
};

/** How many distinct values `hashes` holds; the first that many of distinctScratch.found are they. */
function countDistinct(hashes: Uint32Array): number {
  const n = hashes.length;
  const d = distinctScratch;
  if (d.keys.length < n * 2) {
    const size = 2 ** Math.ceil(Math.log2(n * 2));
    d.keys = new Uint32Array(size);
    d.stamps = new Uint32Array(size);
    d.found = new Uint32Array(size);
    d.stamp = 0;
  }
  if (d.stamp === 0xffffffff) {
    d.stamps.fill(0);
    d.stamp = 0;
  }
  const stamp = ++d.stamp;
  const { keys, stamps, found } = d;
  const mask = keys.length - 1;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const x = hashes[i] ?? 0;
    // shingle hashes are mixed already: their low bits spread well
    let s = x & mask;
    while (stamps[s] === stamp && keys[s] !== x) s = (s + 1) & mask;
    if (stamps[s] === stamp) continue;
    stamps[s] = stamp;
    keys[s] = x;
    found[distinct++] = x;
  }
  return distinct;
}

/** The fingerprint of a text's shingle hashes. */
function fingerprintOfShingles(hashes: Uint32Array): Fingerprint {
  const sig = new Uint32Array(SIGNATURE_BINS).fill(EMPTY);
  for (let i = 0; i < hashes.length; i++) {
    const x = hashes[i] ?? 0;
    const bin = x >>> BIN_SHIFT;
    const v = x & VALUE_MASK;
    if (v < (sig[bin] ?? EMPTY)) sig[bin] = v;
  }
  densify(sig);
  // distinct count by a set, not by sorting them all: only a short text's few are sorted, for its exact list
  const distinct = countDistinct(hashes);
  const exact = distinct < EXACT_BELOW ? distinctScratch.found.slice(0, distinct).sort() : null;
  return { signature: sig, shingles: distinct, exact };
}

/** Empty bins borrow the next non-empty bin's value, offset by the distance, so equal texts stay equal. */
function densify(sig: Uint32Array): void {
  const k = sig.length;
  let anyFull = false;
  for (let i = 0; i < k; i++) if (sig[i] !== EMPTY) anyFull = true;
  if (!anyFull) return;
  for (let i = 0; i < k; i++) {
    if (sig[i] !== EMPTY) continue;
    for (let d = 1; d < k; d++) {
      const v = sig[(i + d) % k] ?? EMPTY;
      if (v !== EMPTY && v < ROTATION_STEP) {
        sig[i] = v + d * ROTATION_STEP;
        break;
      }
    }
  }
}

/** Shared shingles of two sorted distinct hash lists. */
function sharedCount(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** Jaccard similarity of the two shingle sets: exact when both texts are short, else estimated. */
export function estimateJaccard(a: Fingerprint, b: Fingerprint): number {
  if (a.exact && b.exact) {
    const shared = sharedCount(a.exact, b.exact);
    const union = a.shingles + b.shingles - shared;
    return union === 0 ? 1 : shared / union;
  }
  let same = 0;
  for (let i = 0; i < SIGNATURE_BINS; i++) if (a.signature[i] === b.signature[i]) same++;
  return same / SIGNATURE_BINS;
}

/** Estimated share of the smaller text's shingles found in the larger one (1 = one text contains the other). */
export function estimateContainment(a: Fingerprint, b: Fingerprint, jaccard: number): number {
  const small = Math.min(a.shingles, b.shingles);
  if (small === 0) return 0;
  const intersection = (jaccard * (a.shingles + b.shingles)) / (1 + jaccard);
  return Math.min(1, intersection / small);
}

export const LSH_BANDS = 21;
export const LSH_ROWS = 3;

/** Hash keys of the signature's bands: two texts sharing any key are candidates. */
export function bandKeys(sig: Uint32Array): Uint32Array {
  const out = new Uint32Array(LSH_BANDS);
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = Math.imul(b + 1, 0x27d4eb2d);
    for (let r = 0; r < LSH_ROWS; r++) h = Math.imul(h ^ (sig[b * LSH_ROWS + r] ?? 0), 0x9e3779b1);
    out[b] = mix32(h);
  }
  return out;
}

/**
 * A multimap from 32-bit keys to item numbers in typed arrays (open addressing plus per-key chains): an LSH
 * table for 100k articles x 21 bands costs tens of megabytes instead of millions of Map entries.
 */
export class U32MultiMap {
  private keys: Uint32Array;
  private heads: Int32Array;
  private used = 0;
  private values = new Int32Array(1024);
  private next = new Int32Array(1024);
  private size = 0;

  constructor(initialSlots = 1024) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.keys = new Uint32Array(slots);
    this.heads = new Int32Array(slots).fill(-1);
  }

  add(key: number, value: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const slot = this.slotOf(key >>> 0);
    if (this.size === this.values.length) {
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.values = values;
      const next = new Int32Array(this.size * 2);
      next.set(this.next);
      this.next = next;
    }
    if (this.heads[slot] === -1) {
      this.keys[slot] = key >>> 0;
      this.used++;
    }
    this.values[this.size] = value;
    this.next[this.size] = this.heads[slot] ?? -1;
    this.heads[slot] = this.size;
    this.size++;
  }

  /** Calls fn for each value stored under key, newest first. */
  forEach(key: number, fn: (value: number) => void): void {
    let e = this.heads[this.slotOf(key >>> 0)] ?? -1;
    while (e !== -1) {
      fn(this.values[e] ?? 0);
      e = this.next[e] ?? -1;
    }
  }

  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let s = mix32(key) & mask;
    while (this.heads[s] !== -1 && this.keys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.heads = new Int32Array(oldKeys.length * 2).fill(-1);
    for (let i = 0; i < oldKeys.length; i++) {
      const head = oldHeads[i] ?? -1;
      if (head === -1) continue;
      const s = this.slotOf(oldKeys[i] ?? 0);
      this.keys[s] = oldKeys[i] ?? 0;
      this.heads[s] = head;
    }
  }
}
