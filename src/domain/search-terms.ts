// What search indexes and looks up: the builder's tokens and stems (text.ts), folded one step further so that a
// word and the words made from it meet ("negotiations", "negotiators", "negotiated" -> "negoti"), and without their
// accents, so that someone typing "erdogan" finds "Erdoğan". Stopwords, one-letter tokens and what holds no letter
// or digit (an emoji) are left out: every backend indexes letters and digits only. Pure.
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

/** Letters that decomposition leaves whole, as people type them without the accent. */
const UNACCENTED: Readonly<Record<string, string>> = {
  ß: 'ss',
  ı: 'i',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

/**
 * A token's letters and digits without accents ("erdoğan" -> "erdogan", "i̇stanbul" -> "istanbul", "straße" ->
 * "strasse"); an ASCII token as it is.
 */
export function unaccented(token: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
  if (!/[^\x00-\x7f]/.test(token)) return token;
  return token
    .normalize('NFKD')
    .replace(/[ßıøđłæœþ]/g, (c) => UNACCENTED[c] ?? c)
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The search terms of a text, in order (phrases are runs of them). */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOPWORDS.has(token)) continue;
    const letters = unaccented(token);
    if (letters.length < 2) continue;
    out.push(searchStem(letters));
  }
  return out;
}
