// Background word statistics: how common a word is in general English, so that the first articles of a stream
// (when the stream's own document frequencies mean little) already weigh "Friday" above "president" and an
// unknown surname above both. The counts come from outside (an adapter loads them); this turns them into
// document probabilities.
import { stem } from './text.js';

export interface BackgroundVocabulary {
  /** Probability that a typical article contains this stemmed content term. */
  termProbability(stemmed: string): number;
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
  const probability = (count: number | undefined) =>
    count === undefined || total === 0 ? 0 : 1 - Math.exp((-count / total) * ARTICLE_WORDS);
  // each word's and stem's probability, computed once here rather than at every lookup
  const wordProbability = new Map<string, number>();
  for (const [w, count] of words) wordProbability.set(w, probability(count));
  const stemProbability = new Map<string, number>();
  for (const [s, count] of stems) stemProbability.set(s, probability(count));
  const known = (p: number | undefined) => p ?? 0;
  return {
    termProbability: (stemmed) => known(stemProbability.get(stemmed)),
    nameProbability: (name) => {
      // a multi-word name is as rare as its rarest word
      let p = 1;
      if (isPlainAscii(name)) {
        // split at spaces and hyphens by char codes: the regex split below gives the same parts for these names
        let start = 0;
        for (let i = 0; i <= name.length; i++) {
          const c = i < name.length ? name.charCodeAt(i) : 32;
          if (c !== 32 && c !== 45) continue;
          if (i > start) p = Math.min(p, known(wordProbability.get(name.slice(start, i))));
          start = i + 1;
        }
      } else {
        for (const part of name.split(/[\s-]+/)) if (part) p = Math.min(p, known(wordProbability.get(part)));
      }
      return p === 1 ? 0 : p;
    },
  };
}

/** ASCII without the control characters \s matches (tab to carriage return): spaces and hyphens split it alone. */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || (c >= 9 && c <= 13)) return false;
  }
  return true;
}
