// What search indexes and looks up: the builder's tokens and stems (text.ts), folded one step further so that a
// word and the words made from it meet ("negotiations", "negotiators", "negotiated" -> "negoti"). Stopwords and
// one-letter tokens are left out, as in grouping. Pure.
import { STOPWORDS, stem, tokenize } from './text.js';

/** Endings folded after stem(), longest first; each only on words long enough that the rest still means something. */
const FOLDS: readonly (readonly [string, number])[] = [
  ['ation', 8],
  ['ator', 7],
  ['ition', 8],
  ['ment', 8],
  ['at', 8],
];

export function searchStem(token: string): string {
  const s = stem(token);
  for (const [ending, minLength] of FOLDS) {
    if (s.length >= minLength && s.endsWith(ending)) return s.slice(0, -ending.length);
  }
  return s;
}

/** The search terms of a text, in order (phrases are runs of them). */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOPWORDS.has(token)) continue;
    out.push(searchStem(token));
  }
  return out;
}
