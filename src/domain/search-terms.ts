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
  return foldEnding(stem(token));
}

/** A stem without the first of FOLDS it ends with. */
function foldEnding(s: string): string {
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
  if (!/\P{ASCII}/u.test(token)) return token;
  return token
    .normalize('NFKD')
    .replace(/[ßıøđłæœþ]/g, (c) => UNACCENTED[c] ?? c)
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Each token's search term (null: none), remembered: tokens repeat across an article and across articles, and the
 * ingest indexes every article's whole text. Bounded: emptied when it fills.
 */
const termOfToken = new Map<string, string | null>();
const TERM_MEMO_CAP = 100_000;

/** The search term of one token: null for a stopword, a one-letter token, or one with fewer than two letters. */
function termOf(token: string): string | null {
  let term = termOfToken.get(token);
  if (term === undefined) {
    const letters = token.length < 2 || STOPWORDS.has(token) ? '' : unaccented(token);
    // accents go before stemming, as in a query typed without them
    term = letters.length < 2 ? null : searchStem(letters);
    if (termOfToken.size >= TERM_MEMO_CAP) termOfToken.clear();
    termOfToken.set(token, term);
  }
  return term;
}

/** The search terms of a text, in order (phrases are runs of them). */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const term = termOf(token);
    if (term !== null) out.push(term);
  }
  return out;
}
