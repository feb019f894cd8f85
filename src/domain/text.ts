// Text primitives shared by every step: normalising, sentence splitting, tokenising, hashing.
// Pure and allocation-conscious: these run on every article of a 100k batch.

/** A line shortened for a message to at most `max` characters, an ellipsis marking the cut. */
export function clipped(line: string, max = 60): string {
  return line.length <= max ? line : `${line.slice(0, max - 3)}…`;
}

/** Whitespace collapsed, trimmed. */
export function squash(text: string): string {
  return squashedSlice(text, 0, text.length);
}

/** squash(text.slice(start, end)), the slice taken once (most lines need no change: it is the answer then). */
function squashedSlice(text: string, start: number, end: number): string {
  // check by char codes before paying for a regex replace
  let previousSpace = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32;
    if (
      (space && previousSpace) ||
      c < 32 ||
      c === 0xa0 ||
      c === 0x3000 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029
    ) {
      return text.slice(start, end).replace(/\s+/g, ' ').trim();
    }
    previousSpace = space;
  }
  const line = text.slice(start, end);
  return previousSpace ? line.trimEnd() : line;
}

/** A letter or digit, by char code: ASCII alphanumerics, and every code point from Latin-1 letters up except
 * the general-punctuation and symbol blocks. Cheaper than a Unicode-property regex on hot paths. */
export function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (!(c >= 0xc0)) return c === 0xaa || c === 0xb5 || c === 0xba; // also false for NaN (past the end)
  if (c === 0xd7 || c === 0xf7) return false;
  return !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && c !== 0xfeff;
}

/** Comparison key: lower case, letters and digits only, single spaces. Two lines with the same key say the same. */
export function comparisonKey(text: string): string {
  const lower = text.toLowerCase();
  const words: string[] = [];
  let word = '';
  let runStart = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if (i < lower.length && isWordChar(c)) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart < 0) continue;
    word += lower.slice(runStart, i);
    runStart = -1;
    // an apostrophe inside a word joins its halves ("don't", "Witkoff’s" in either quote style)
    if ((c === 0x2019 || c === 0x27) && isWordChar(lower.charCodeAt(i + 1))) continue;
    words.push(word);
    word = '';
  }
  return words.join(' ');
}

/**
 * A 53-bit hash of a text's comparison key, computed without building the key: equal keys, equal hashes.
 * Used where only equality matters (repeated paragraphs, exact duplicates) on hot paths.
 */
export function comparisonHash(text: string): number {
  // most text is ASCII and general punctuation, which lower-cases char by char: no lower-case copy is made for it
  return hashComparisonWords(text, true) ?? (hashComparisonWords(text.toLowerCase(), false) as number);
}

/**
 * comparisonHash over `text`. With `foldAscii`, ASCII capitals are lower-cased on the way and the answer is null at
 * the first char outside ASCII and general punctuation (the caller lower-cases the whole text then); without it,
 * the text is lower case already.
 */
function hashComparisonWords(text: string, foldAscii: boolean): number | null {
  let h1 = 0x811c9dc5;
  let h2 = 0x1b873593;
  let inWord = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (foldAscii) {
      if (c >= 0x80 && !(c >= 0x2000 && c <= 0x206f)) return null;
      if (c >= 65 && c <= 90) c += 32;
    }
    if (isWordChar(c)) {
      if (!inWord && started) {
        h1 = Math.imul(h1 ^ 32, 0x01000193);
        h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      }
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      inWord = true;
      started = true;
    } else if (!((c === 0x2019 || c === 0x27) && inWord && isWordChar(text.charCodeAt(i + 1)))) {
      // (an ASCII capital is a word char in either case; a next char outside the fast path's set ends it anyway)
      inWord = false;
    }
  }
  return (mix32(h1) >>> 0) * 0x200000 + (mix32(h2) & 0x1fffff);
}

/** Lines of a text (ended by \r\n, \n or \r), squashed, empty ones dropped. */
export function nonEmptyLines(text: string): string[] {
  const out: string[] = [];
  if (text.includes('\r')) {
    for (const raw of text.split(/\r?\n|\r/)) {
      const line = squash(raw);
      if (line) out.push(line);
    }
    return out;
  }
  // most texts end their lines with \n alone: found by indexOf, each line sliced once, no array of raw lines
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = squashedSlice(text, start, end);
    if (line) out.push(line);
    start = end + 1;
  }
  return out;
}

/** Words in a text: runs of letters and digits (inner apostrophes, dots and hyphens kept in the word). */
let lastCounted = '';
let lastCount = 0;

export function wordCount(text: string): number {
  // line classifiers ask about the same line several times in a row
  if (text === lastCounted) return lastCount;
  const n = wordCountUpTo(text, Number.POSITIVE_INFINITY);
  lastCounted = text;
  lastCount = n;
  return n;
}

/** What an ASCII char is to a word count: WORD_CHAR (isWordChar), JOINER (' . -: inside a word) or neither (0). */
const WORD_CHAR = 1;
const JOINER = 2;
const ASCII_WORD_KIND = (() => {
  const kinds = new Uint8Array(128);
  for (let c = 0; c < 128; c++) kinds[c] = isWordChar(c) ? WORD_CHAR : c === 39 || c === 46 || c === 45 ? JOINER : 0;
  return kinds;
})();

/**
 * min(wordCount(text), cap + 1): counts no further than the word that passes `cap`. ASCII chars are classified by
 * one table read (every line's words are counted, most of them ASCII); the rest as isWordChar says, with the
 * typographic apostrophe the one joiner among them.
 */
export function wordCountUpTo(text: string, cap: number): number {
  let n = 0;
  let inWord = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? (ASCII_WORD_KIND[c] ?? 0) : isWordChar(c) ? WORD_CHAR : c === 0x2019 ? JOINER : 0;
    if (kind === WORD_CHAR) {
      if (!inWord && ++n > cap) return n;
      inWord = true;
    } else if (!(inWord && kind === JOINER && isWordChar(text.charCodeAt(i + 1)))) {
      inWord = false;
    }
  }
  return n;
}

/** wordCount(text) > limit, reading no further than the word that passes the limit. */
export function hasMoreWordsThan(text: string, limit: number): boolean {
  return wordCountUpTo(text, limit) > limit;
}

// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'gen',
  'gov',
  'sen',
  'rep',
  'lt',
  'col',
  'capt',
  'sgt',
  'maj',
  'adm',
  'cmdr',
  'pres',
  'rev',
  'hon',
  'messrs',
  'no',
  'vs',
  'etc',
  'inc',
  'ltd',
  'co',
  'corp',
  'jan',
  'feb',
  'mar',
  'apr',
  'aug',
  'sept',
  'sep',
  'oct',
  'nov',
  'dec',
  'mt',
  'ft',
  'approx',
  'dept',
  'est',
  'fig',
  'al',
]);

/** " ' ” ’ ) ]: what may close a sentence after its end mark. */
export function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 0x201d || c === 0x2019 || c === 41 || c === 93;
}

/** . ! ? and the closers: what may stand between a sentence's end mark and the space after it. */
function isEndMarkOrCloser(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || isCloser(c);
}

/** A letter (any script) or a full stop at text[i]; ASCII by char code, the rest by a Unicode class. */
function isLetterOrDot(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return c === 46 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return /[\p{L}.]/u.test(text[i] ?? '');
}

/** text[at] matches [\p{Lu}\p{N}"'“‘([] (one code unit; false past the end): ASCII by char code, the rest by the class. */
function startsLikeSentence(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 34 || c === 39 || c === 40 || c === 91;
  return /[\p{Lu}\p{N}"'“‘([]/u.test(text[at] ?? '');
}

/** A one-char string that is a capital letter (\p{Lu}): ASCII by char code, the rest by the class. */
function isCapital(char: string): boolean {
  const c = char.charCodeAt(0);
  return c < 0x80 ? c >= 65 && c <= 90 : /\p{Lu}/u.test(char);
}

/**
 * Splits a paragraph into sentences. Handles initials and dotted abbreviations ("U.S.", "J.D. Vance"),
 * titles ("Mr."), decimals, and closing quotes after the end mark. Returns trimmed sentences in order.
 */
export function splitSentences(paragraph: string): string[] {
  return splitSquashedSentences(squash(paragraph));
}

/**
 * splitSentences of a text that squash() leaves as it is (a line nonEmptyLines gave, as cleanText's paragraphs are):
 * no pass to check it again.
 */
export function splitSquashedSentences(text: string): string[] {
  if (!text) return [];
  const out: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) continue; // . ! ?
    // swallow runs of end marks and closing quotes/brackets
    let j = i + 1;
    while (j < n && isEndMarkOrCloser(text.charCodeAt(j))) j++;
    if (j < n && text.charCodeAt(j) !== 32) continue; // "3.5", "U.S.-led", "e.g.,"
    if (j >= n) break;
    // what follows must look like a sentence start
    if (!startsLikeSentence(text, j + 1)) continue;
    if (c === 46) {
      // the word before the full stop, scanned backwards: letters and inner dots ("U.S", "J.D", "Mr")
      let w = i;
      while (w > start && isLetterOrDot(text, w - 1)) w--;
      const lastWord = text.slice(w, i);
      if (lastWord.length === 1 && isCapital(lastWord)) continue; // initial: "J. Smith"
      // "U.S", "J.D" (the word holds no astral letter: isLetterOrDot reads one code unit at a time)
      if (lastWord.length >= 3 && lastWord.charCodeAt(1) === 46 && /^(?:\p{L}\.)+\p{L}$/u.test(lastWord)) continue;
      if (ABBREVIATIONS.has(lastWord.toLowerCase())) continue;
    }
    const sentence = text.slice(start, j).trim();
    if (sentence) out.push(sentence);
    start = j + 1;
    i = j;
  }
  const tail = text.slice(start).trim();
  if (tail) out.push(tail);
  return out;
}

const STOPWORDS_LIST =
  'a about above after again against all also am an and any are aren as at be because been before being below ' +
  'between both but by can cannot could couldn did didn do does doesn doing don down during each few for from ' +
  'further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn ' +
  'it its itself just let ll me more most mustn my myself no nor not now of off on once only or other ought our ' +
  'ours ourselves out over own re s same shan she should shouldn so some such t than that the their theirs them ' +
  'themselves then there these they this those through to too under until up ve very was wasn we were weren ' +
  'what when where which while who whom why will with won would wouldn you your yours yourself yourselves ' +
  'said says say saying told according also would could may might must shall one two new many much ' +
  'like just even still however since among within without upon whether yet though although ' +
  'mr mrs ms per via amid around across another every several including since last first';
export const STOPWORDS: ReadonlySet<string> = new Set(STOPWORDS_LIST.split(' '));

/**
 * Lower-case word tokens: runs of letters and digits. An apostrophe inside a word joins it ("don't" -> "dont")
 * except a possessive 's, which is dropped ("Witkoff's" -> "witkoff"). A char loop: this runs on every word.
 */
export function tokenize(text: string): string[] {
  const n = scanWords(text);
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) out[k] = memo.words[scanned[k] ?? 0] ?? '';
  return out;
}

/** A text's tokens with what the steps that read every word ask of each, looked up once per distinct word. */
export interface WordRun {
  /** tokenize(text). */
  tokens: string[];
  /** stem() of each token. */
  stems: string[];
  /** contentTermsOf(tokens): the stems of the tokens that are not stopwords or one letter long. */
  terms: string[];
  /** fnv1a() of each token: what shingles are made of. */
  hashes: number[];
  /** termId() of each of `terms`: what story grouping files them under. */
  termIds: number[];
}

export function wordRun(text: string): WordRun {
  return runOfScanned(scanWords(text));
}

/** The WordRun of the first `n` entries of `scanned`. */
function runOfScanned(n: number): WordRun {
  const tokens = new Array<string>(n);
  const stems = new Array<string>(n);
  const terms: string[] = [];
  // plain arrays: a typed array per sentence costs more to make than it saves
  const termIds: number[] = [];
  const hashes = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const e = scanned[k] ?? 0;
    const s = memo.stems[e] ?? '';
    tokens[k] = memo.words[e] ?? '';
    stems[k] = s;
    hashes[k] = memo.hashes[e] ?? 0;
    if ((memo.kinds[e] ?? 0) & CONTENT_WORD) {
      terms.push(s);
      termIds.push(memo.termIds[e] ?? 0);
    }
  }
  return { tokens, stems, terms, hashes, termIds };
}

/** A sentence read once: what repeats, word counts and every later step ask of it. */
export interface SentenceReading {
  /** comparisonHash(text). */
  key: number;
  /** wordCount(text). */
  words: number;
  /** The tokens (tokenize(text)) as word-memo entries. */
  wordEntries: WordEntries;
}

/**
 * A text's tokens as word-memo entries, in order: what the steps that read every word (fingerprint, topics,
 * features, language) ask of each token is read from the memo by its entry (wordOf, stemOf, wordHashOf, termIdOf,
 * isContentWord) rather than copied into arrays of its own, four a sentence. The entries hold while the memo has not
 * started over since they were read (its generation): entriesNow() reads the text again when it has.
 */
export interface WordEntries {
  readonly entries: readonly number[];
  /** The memo's generation when the entries were handed out. */
  readonly generation: number;
}

/**
 * A sentence's tokens as the steps that read every word take them: as strings (tokenize), or as the word-memo entries
 * its reading kept (with its text, to read it again if the memo started over since).
 */
export type SentenceTokens =
  | { readonly tokens: readonly string[] }
  | { readonly text: string; readonly wordEntries: WordEntries };

/** The tokens of a sentence as strings (tokenize's), however it holds them. */
export function tokensOf(sentence: SentenceTokens): readonly string[] {
  if ('tokens' in sentence) return sentence.tokens;
  return entriesNow(sentence.text, sentence.wordEntries).map(wordOf);
}

/** Entries that name no token (a released sentence's). */
export const NO_WORD_ENTRIES: WordEntries = Object.freeze({ entries: Object.freeze([]), generation: -1 });

/**
 * The entries of `words`, the tokens of `text`, as they hold now: the same tokens read again when the memo started
 * over since (then an empty text, whose entries were released, reads as no tokens). Valid until the next text is
 * scanned: read what is needed of them before scanning another.
 */
export function entriesNow(text: string, words: WordEntries): readonly number[] {
  if (words.generation === memo.generation || words.entries.length === 0) return words.entries;
  const n = scanWords(text);
  return Array.from(scanned.subarray(0, n));
}

/** The token of a memo entry (tokenize's form). */
export function wordOf(entry: number): string {
  return memo.words[entry] ?? '';
}

/** stem() of a memo entry's token. */
export function stemOf(entry: number): string {
  return memo.stems[entry] ?? '';
}

/** fnv1a() of a memo entry's token. */
export function wordHashOf(entry: number): number {
  return memo.hashes[entry] ?? 0;
}

/** termId() of a memo entry's stem. */
export function termIdOf(entry: number): number {
  return memo.termIds[entry] ?? 0;
}

/** fnv1a() of every token of the sentences, in order, in one array: what a fingerprint's shingles are made of. */
export function wordHashesOf(
  sentences: readonly { readonly text: string; readonly wordEntries: WordEntries }[],
): Uint32Array {
  let total = 0;
  for (const s of sentences) total += s.wordEntries.entries.length;
  const out = new Uint32Array(total);
  let k = 0;
  for (const s of sentences) for (const entry of entriesNow(s.text, s.wordEntries)) out[k++] = memo.hashes[entry] ?? 0;
  return out;
}

/** Whether a memo entry's token is a content word (neither a stopword nor one letter long): contentTermsOf keeps it. */
export function isContentWord(entry: number): boolean {
  return ((memo.kinds[entry] ?? 0) & CONTENT_WORD) !== 0;
}

/** Whether a memo entry's token is one of STOPWORDS. */
export function isStopword(entry: number): boolean {
  return ((memo.kinds[entry] ?? 0) & STOPWORD) !== 0;
}

/** How often the memo started over so far: an entry handed out in another generation names another token now. */
export function wordMemoGeneration(): number {
  return memo.generation;
}

/** The first `n` entries of `scanned` as a sentence's reading keeps them. */
function entriesOfScanned(n: number): WordEntries {
  const entries = new Array<number>(n);
  for (let k = 0; k < n; k++) entries[k] = scanned[k] ?? 0;
  return { entries, generation: memo.generation };
}

/**
 * comparisonHash() of several texts (sentences, paragraphs) read in order as one text joined by white space, kept
 * by readSentence() as it reads them: the hash of the whole costs no pass of its own.
 */
export class ComparisonStream {
  h1 = 0x811c9dc5;
  h2 = 0x1b873593;
  started = false;
  /** False once a text was read another way (outside ASCII and general punctuation): the hash is unknown then. */
  whole = true;

  /** comparisonHash of everything read, or null when it is not known. */
  get hash(): number | null {
    return this.whole ? comparisonHashOf(this.h1, this.h2) : null;
  }
}

function comparisonHashOf(h1: number, h2: number): number {
  return (mix32(h1) >>> 0) * 0x200000 + (mix32(h2) & 0x1fffff);
}

/**
 * comparisonHash(text), wordCount(text) and the tokens of a sentence (as word-memo entries), in one pass when the
 * text is ASCII and general punctuation (most is: its lower case is the ASCII capitals folded, char by char); `stream` is carried on
 * over it. Other text is read by those three functions, and the stream's hash is unknown from then on.
 */
export function readSentence(text: string, stream: ComparisonStream): SentenceReading {
  const reading = readAsciiSentence(text, stream);
  if (reading !== null) return reading;
  stream.whole = false;
  const key = comparisonHash(text);
  const words = wordCount(text);
  return { key, words, wordEntries: entriesOfScanned(scanWords(text)) };
}

/** readSentence in one pass, or null at the first char outside ASCII and general punctuation. */
function readAsciiSentence(text: string, stream: ComparisonStream): SentenceReading | null {
  const n = text.length;
  memo.reserve(n);
  // comparisonHash of the sentence (h1, h2) and of the stream (b1, b2): words joined by single spaces
  let h1 = 0x811c9dc5;
  let h2 = 0x1b873593;
  let b1 = stream.h1;
  let b2 = stream.h2;
  let inKeyWord = false;
  let keyStarted = false;
  let streamStarted = stream.started;
  // wordCount: inner apostrophes, dots and hyphens keep a word going
  let words = 0;
  let inCountedWord = false;
  // scanWords: runs of word chars, joined at inner apostrophes, a possessive 's dropped
  let count = 0;
  let joinedRuns = '';
  let h = 0x811c9dc5;
  let runStart = -1;
  let skipPossessiveS = false;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x80) {
      if (!(c >= 0x2000 && c <= 0x206f)) return null;
    } else if (c >= 65 && c <= 90) c += 32;
    if (isWordChar(c)) {
      if (!inKeyWord) {
        if (keyStarted) {
          h1 = Math.imul(h1 ^ 32, 0x01000193);
          h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
        }
        if (streamStarted) {
          b1 = Math.imul(b1 ^ 32, 0x01000193);
          b2 = Math.imul(b2 ^ 32, 0x5bd1e995);
        }
      }
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      b1 = Math.imul(b1 ^ c, 0x01000193);
      b2 = Math.imul(b2 ^ c, 0x5bd1e995);
      inKeyWord = true;
      keyStarted = true;
      streamStarted = true;
      if (!inCountedWord) words++;
      inCountedWord = true;
      if (skipPossessiveS) {
        skipPossessiveS = false;
        continue;
      }
      if (runStart < 0) runStart = i;
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    // (a next char outside ASCII and general punctuation ends the pass when it is reached)
    const next = text.charCodeAt(i + 1);
    const beforeWord = isWordChar(next);
    const apostrophe = c === 0x27 || c === 0x2019;
    if (!(apostrophe && inKeyWord && beforeWord)) inKeyWord = false;
    if (!(inCountedWord && (apostrophe || c === 46 || c === 45) && beforeWord)) inCountedWord = false;
    if (runStart < 0) continue;
    if (apostrophe && beforeWord) {
      if (!((next === 115 || next === 83) && !isWordChar(text.charCodeAt(i + 2)))) {
        joinedRuns += text.slice(runStart, i).toLowerCase();
        runStart = -1;
        continue;
      }
      skipPossessiveS = true;
    }
    count = pushScanned(count, text, runStart, i, joinedRuns, h >>> 0);
    joinedRuns = '';
    h = 0x811c9dc5;
    runStart = -1;
  }
  if (runStart >= 0) count = pushScanned(count, text, runStart, n, joinedRuns, h >>> 0);
  stream.h1 = b1;
  stream.h2 = b2;
  stream.started = streamStarted;
  return { key: comparisonHashOf(h1, h2), words, wordEntries: entriesOfScanned(count) };
}

/** Appends the memo entry of the token text[start, end) (ASCII, lower-cased on the way) after `joinedRuns`. */
function pushScanned(count: number, text: string, start: number, end: number, joinedRuns: string, h: number): number {
  roomInScanned(count);
  scanned[count] =
    joinedRuns === ''
      ? memo.ofAsciiRange(text, start, end, h)
      : memo.ofWord(joinedRuns + text.slice(start, end).toLowerCase(), h);
  return count + 1;
}

/**
 * Every distinct token met so far, with its stem, kind (content word, stopword) and hash, in an open-addressing table keyed by
 * the token's FNV-1a hash (computed while scanning): a token seen before costs no string and no Map lookup. A memo,
 * not state: it only ever answers what stem(), STOPWORDS and fnv1a() would. Bounded: emptied at WORD_MEMO_CAP, and
 * only before a text is scanned (reserve): the entries a scan has handed out must stay what they were until it
 * ends. A single text with more distinct tokens than the cap grows the table for that scan alone.
 *
 * A lookup reads one slot record and the token's chars in one pool: the table outgrows the caches, and reading the
 * entry's hash, its string and the string's chars from three places cost a cache miss each. The slots double as the
 * entries fill half of them, so the table is as large as the words it holds need, not as the cap would.
 */
export const WORD_MEMO_CAP = 1 << 16;

/** Bits of WordMemo.kinds. */
const CONTENT_WORD = 1;
const STOPWORD = 2;

/** Int32 cells per slot: the entry (-1 when empty), the token's hash, where its chars start in the pool, its length. */
const SLOT_CELLS = 4;
/** Slots of an empty memo (a power of two). */
const FIRST_SLOTS = 1 << 12;

class WordMemo {
  /** At least twice as many slots as entries: at most half full. */
  slots = newSlots(FIRST_SLOTS);
  hashes = new Uint32Array(WORD_MEMO_CAP);
  /** What each word is: CONTENT_WORD (contentTermsOf keeps it) or STOPWORD bits. */
  kinds = new Uint8Array(WORD_MEMO_CAP);
  /** termId() of each word's stem. */
  termIds = new Uint32Array(WORD_MEMO_CAP);
  words: string[] = [];
  stems: string[] = [];
  /** How often the memo started over: entries handed out before name other tokens now. */
  generation = 0;
  /** The chars of every entry's word, one after another (grown as needed, emptied with the memo). */
  chars = new Uint16Array(WORD_MEMO_CAP * 8);
  charsUsed = 0;

  /** Makes room for a text of `length` chars before it is scanned: empties the memo now if it could fill up. */
  reserve(length: number): void {
    // tokens are separated by at least one char: a text holds at most (length + 1) / 2 of them
    if (this.words.length + (length + 1) / 2 > WORD_MEMO_CAP || this.hashes.length > WORD_MEMO_CAP) this.clear();
  }

  /** Entry of the token lower[start, end) (one run of word chars) with hash h. */
  ofRange(lower: string, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length / SLOT_CELLS - 1;
    const length = end - start;
    const hash = h | 0;
    for (let s = mix32(h) & mask; ; s = (s + 1) & mask) {
      const at = s * SLOT_CELLS;
      const e = slots[at] ?? -1;
      if (e === -1) return this.insert(s, lower.slice(start, end), h);
      if (
        slots[at + 1] === hash &&
        slots[at + 3] === length &&
        this.sameChars(slots[at + 2] ?? 0, lower, start, length)
      )
        return e;
    }
  }

  /** ofRange of ASCII text not yet lower-cased: its capitals are folded as they are compared. */
  ofAsciiRange(text: string, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length / SLOT_CELLS - 1;
    const length = end - start;
    const hash = h | 0;
    for (let s = mix32(h) & mask; ; s = (s + 1) & mask) {
      const at = s * SLOT_CELLS;
      const e = slots[at] ?? -1;
      if (e === -1) return this.insert(s, text.slice(start, end).toLowerCase(), h);
      if (
        slots[at + 1] === hash &&
        slots[at + 3] === length &&
        this.sameFoldedChars(slots[at + 2] ?? 0, text, start, length)
      )
        return e;
    }
  }

  /** Entry of a token built from several runs (joined at apostrophes), with hash h. */
  ofWord(word: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length / SLOT_CELLS - 1;
    const length = word.length;
    const hash = h | 0;
    for (let s = mix32(h) & mask; ; s = (s + 1) & mask) {
      const at = s * SLOT_CELLS;
      const e = slots[at] ?? -1;
      if (e === -1) return this.insert(s, word, h);
      if (slots[at + 1] === hash && slots[at + 3] === length && this.sameChars(slots[at + 2] ?? 0, word, 0, length))
        return e;
    }
  }

  get size(): number {
    return this.words.length;
  }

  /** The pool's chars from `from` are lower[start, start + length). */
  private sameChars(from: number, lower: string, start: number, length: number): boolean {
    const chars = this.chars;
    for (let k = 0; k < length; k++) if (chars[from + k] !== lower.charCodeAt(start + k)) return false;
    return true;
  }

  /** The pool's chars from `from` are text[start, start + length) with ASCII capitals lower-cased. */
  private sameFoldedChars(from: number, text: string, start: number, length: number): boolean {
    const chars = this.chars;
    for (let k = 0; k < length; k++) {
      const c = text.charCodeAt(start + k);
      if (chars[from + k] !== (c >= 65 && c <= 90 ? c + 32 : c)) return false;
    }
    return true;
  }

  private clear(): void {
    if (this.hashes.length > WORD_MEMO_CAP) {
      this.hashes = new Uint32Array(WORD_MEMO_CAP);
      this.kinds = new Uint8Array(WORD_MEMO_CAP);
      this.termIds = new Uint32Array(WORD_MEMO_CAP);
    }
    this.slots = newSlots(FIRST_SLOTS);
    if (this.chars.length > WORD_MEMO_CAP * 8) this.chars = new Uint16Array(WORD_MEMO_CAP * 8);
    this.charsUsed = 0;
    this.words = [];
    this.stems = [];
    this.generation++;
  }

  /** Doubles the room for entries in the middle of a scan (a text with more distinct tokens than the cap). */
  private growEntries(): void {
    const size = this.hashes.length * 2;
    const hashes = new Uint32Array(size);
    hashes.set(this.hashes);
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    const termIds = new Uint32Array(size);
    termIds.set(this.termIds);
    this.hashes = hashes;
    this.kinds = kinds;
    this.termIds = termIds;
  }

  /** Doubles the slots (entries keep their numbers; only the slots are laid out again). */
  private growSlots(): void {
    const old = this.slots;
    this.slots = newSlots((2 * old.length) / SLOT_CELLS);
    const slots = this.slots;
    const mask = slots.length / SLOT_CELLS - 1;
    for (let from = 0; from < old.length; from += SLOT_CELLS) {
      if (old[from] === -1) continue;
      let s = mix32(old[from + 1] ?? 0) & mask;
      while (slots[s * SLOT_CELLS] !== -1) s = (s + 1) & mask;
      slots.set(old.subarray(from, from + SLOT_CELLS), s * SLOT_CELLS);
    }
  }

  private insert(slot: number, word: string, h: number): number {
    let s = slot;
    if (this.words.length === this.hashes.length) this.growEntries();
    if (2 * (this.words.length + 1) > this.slots.length / SLOT_CELLS) {
      this.growSlots();
      const mask = this.slots.length / SLOT_CELLS - 1;
      s = mix32(h) & mask;
      while (this.slots[s * SLOT_CELLS] !== -1) s = (s + 1) & mask;
    }
    const e = this.words.length;
    const stemmed = stem(word);
    this.words.push(word);
    this.stems.push(stemmed);
    this.termIds[e] = termId(stemmed);
    this.hashes[e] = h;
    const stopword = STOPWORDS.has(word);
    this.kinds[e] = (word.length >= 2 && !stopword ? CONTENT_WORD : 0) | (stopword ? STOPWORD : 0);
    const from = this.pooled(word);
    const at = s * SLOT_CELLS;
    this.slots[at] = e;
    this.slots[at + 1] = h | 0;
    this.slots[at + 2] = from;
    this.slots[at + 3] = word.length;
    return e;
  }

  /** Copies a word's chars into the pool (grown as needed); returns where they start. */
  private pooled(word: string): number {
    const from = this.charsUsed;
    if (from + word.length > this.chars.length) {
      const grown = new Uint16Array(Math.max(this.chars.length * 2, from + word.length));
      grown.set(this.chars.subarray(0, from));
      this.chars = grown;
    }
    for (let k = 0; k < word.length; k++) this.chars[from + k] = word.charCodeAt(k);
    this.charsUsed = from + word.length;
    return from;
  }
}

/** A slot table of `slots` empty slots (SLOT_CELLS cells each, the entry cell -1). */
function newSlots(slots: number): Int32Array {
  const table = new Int32Array(slots * SLOT_CELLS);
  for (let at = 0; at < table.length; at += SLOT_CELLS) table[at] = -1;
  return table;
}

const memo = new WordMemo();
/** Entries of the tokens of the last scanWords() call; grown as needed. */
let scanned = new Int32Array(1024);

/** Grows `scanned` when it is full at `count`. */
function roomInScanned(count: number): void {
  if (count < scanned.length) return;
  const grown = new Int32Array(count * 2);
  grown.set(scanned);
  scanned = grown;
}

/** Distinct tokens the word memo holds now (for tests of its bound). */
export function wordMemoSize(): number {
  return memo.size;
}

/** Scans `text` into `scanned` (memo entries, in order); returns how many tokens it has. */
function scanWords(text: string): number {
  memo.reserve(text.length);
  const lower = text.toLowerCase();
  const n = lower.length;
  let count = 0;
  let word = ''; // the runs of a word joined at apostrophes so far, else ''
  let h = 0x811c9dc5;
  let runStart = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 32;
    if (i < n && isWordChar(c)) {
      if (runStart < 0) runStart = i;
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    if (runStart < 0) continue;
    const end = i;
    if ((c === 0x27 || c === 0x2019) && isWordChar(lower.charCodeAt(i + 1))) {
      if (!(lower.charCodeAt(i + 1) === 115 && !isWordChar(lower.charCodeAt(i + 2)))) {
        word += lower.slice(runStart, end);
        runStart = -1;
        continue;
      }
      i++; // possessive 's: skip the s, end the word here
    }
    roomInScanned(count);
    const hash = h >>> 0;
    scanned[count++] =
      word === '' ? memo.ofRange(lower, runStart, end, hash) : memo.ofWord(word + lower.slice(runStart, end), hash);
    word = '';
    h = 0x811c9dc5;
    runStart = -1;
  }
  return count;
}

/**
 * A light English stemmer: enough to fold plurals and common verb endings so that "talks"/"talk",
 * "negotiations"/"negotiation", "exchanged"/"exchange" meet. Not Porter: predictable and cheap.
 */
const stemCache = new Map<string, string>();

export function stem(word: string): string {
  if (word.length <= 3) return word;
  let cached = stemCache.get(word);
  if (cached === undefined) {
    // a memo, not state: the same word always stems the same; bounded so a long run cannot grow it forever
    if (stemCache.size > 200_000) stemCache.clear();
    cached = stemUncached(word);
    stemCache.set(word, cached);
  }
  return cached;
}

function stemUncached(word: string): string {
  const w = word;
  if (w.length <= 3) return w;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) return w;
  }
  let base = w;
  if (w.endsWith('ies') && w.length > 4) base = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) base = w.slice(0, -2);
  else if (w.endsWith('ness') && w.length > 6) base = w.slice(0, -4);
  else if (w.endsWith('ing') && w.length > 5) base = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && !w.endsWith('eed')) base = undouble(w.slice(0, -2));
  else if (/(?:ch|sh|x|ss|zz)es$/.test(w)) base = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) base = w.slice(0, -1);
  // "exchange", "exchanged", "exchanging" all end as "exchang"
  return base.length > 4 && base.endsWith('e') ? base.slice(0, -1) : base;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1] ?? '')) return w.slice(0, -1);
  return w;
}

/** Content terms of a text: tokens minus stopwords and one-letter tokens, stemmed. */
export function contentTerms(text: string): string[] {
  // the word memo holds each token's stem and whether it is a content word: no stemming, no stopword lookups
  const n = scanWords(text);
  const terms: string[] = [];
  for (let k = 0; k < n; k++) {
    const e = scanned[k] ?? 0;
    if ((memo.kinds[e] ?? 0) & CONTENT_WORD) terms.push(memo.stems[e] ?? '');
  }
  return terms;
}

/** contentTerms of already tokenized text; with `stems` (stem of each token) nothing is stemmed again. */
export function contentTermsOf(tokens: readonly string[], stems?: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t.length < 2 || STOPWORDS.has(t)) continue;
    out.push(stems?.[i] ?? stem(t));
  }
  return out;
}

/**
 * The id story grouping files a content term (a stem) under: a 32-bit hash, so ids need no shared vocabulary to be
 * stored or restored. The word memo keeps it with each word, so a term is hashed once, not once an article.
 */
export function termId(stemmed: string): number {
  return fnv1a(stemmed);
}

/** 32-bit FNV-1a of a string. Deterministic across runs and platforms. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Final avalanche so that nearby inputs spread over all bits (murmur3 fmix32). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A question sentence: ends with a question mark, optionally followed by a closing quote or bracket. */
export function isQuestion(sentence: string): boolean {
  // read backwards by char codes: white space, one closer, white space, then the question mark
  let end = trimmedEnd(sentence);
  if (isCloser(sentence.charCodeAt(end - 1))) end = trimmedEnd(sentence, end - 1);
  return sentence.charCodeAt(end - 1) === 63;
}

/** Where a text (up to `from`) ends once trailing white space (what \s matches) is left out. */
export function trimmedEnd(text: string, from = text.length): number {
  let end = from;
  while (end > 0 && isWhiteSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** A char \s matches. */
function isWhiteSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
