// What story grouping compares: a weighted bag of content words and, kept apart, a bag of named things
// (capitalised names, places, dates, numbers with what they count). Names tell two events of one kind apart.

import { datelineOf } from './clean.js';
import { daysInText } from './dates-in-text.js';
import {
  contentTerms,
  contentTermsOf,
  entriesNow,
  fnv1a,
  isContentWord,
  isWordChar,
  mix32,
  type SentenceTokens,
  STOPWORDS,
  stem,
  stemOf,
  termId,
  termIdOf,
  type WordRun,
  wordRun,
} from './text.js';
import { otherLanguageOf } from './text-language.js';

/**
 * Weighted content terms or names by the id grouping files them under (termId of a stem, nameId of a name): each id
 * once, in the order first met, with the first key that gave it (two keys that share an id are one entry, as
 * grouping counts them).
 */
export interface IdBag {
  readonly ids: Uint32Array;
  readonly keys: readonly string[];
  readonly weights: Float64Array;
}

export interface TextFeatures {
  terms: IdBag;
  entities: IdBag;
  /**
   * When the lead says the event happened, as days (UTC day numbers) resolved against the publish date: "on Friday",
   * "yesterday", "March 3" in the title and first sentences.
   */
  days: number[];
  /** What of those could not be resolved (no publish date): weekdays ("fri") and days without a year ("apr 11"). */
  anchors: string[];
  /**
   * The latest year (1990-2099) the text names: a lower bound of its date, kept for texts without a publish date
   * (a dated text's own year says more). Null: dated, or names none.
   */
  latestYear: number | null;
  /** Months the first sentences name without a year ("in August", "his February visit"): the season of the story. */
  months: string[];
  /**
   * What the lead counts, as "stem=value" ("dead=12", "peopl=12", "magnitud=6.1"): the toll, the size, the score.
   * Two events of one kind told in one template differ here.
   */
  counts: string[];
  /** The text's language when it is not English ('es', 'de'...): its words say nothing to English ones. */
  language: string | null;
}

const COUNT_WORDS: Readonly<Record<string, number>> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
};
/** The number words and their values as text, looked up by a Map (an object read by arbitrary words is a slow
 * dictionary lookup, and it also answered the names every object inherits: "constructor" read as a count). */
const COUNT_WORD_VALUES = new Map<string, string>(Object.entries(COUNT_WORDS).map(([w, n]) => [w, String(n)]));
/**
 * What a text must hold for leadCounts to find a number in it: an ASCII digit or a number word in any ASCII case (the
 * other characters that lower-case to ASCII, the Kelvin sign and a dotted capital I, can be in no number word).
 */
const COUNT_CUE = new RegExp(`[0-9]|${Object.keys(COUNT_WORDS).join('|')}`, 'i');
/** Words between a number and what it counts: "at least 12 people", "more than 30 dead". */
const COUNT_FILLERS = new Set(['more', 'than', 'about', 'nearly', 'almost', 'least', 'some', 'over', 'around']);
/** What a number before these says is an age, a time or a rank, not a count of the event. */
const NOT_COUNTED = new Set([
  'year',
  'years',
  'old',
  'am',
  'pm',
  'a.m',
  'p.m',
  'percent',
  'per',
  'st',
  'nd',
  'rd',
  'th',
  // a day of a month ("28 November"), a clock time's zone ("13:59 GMT"): dates and times, not counts
  ...['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october'],
  ...['november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'],
  ...['gmt', 'utc', 'bst', 'cet', 'est', 'edt', 'cst', 'cdt', 'pst', 'pdt', 'et', 'pt'],
]);
const NUMBER = /^\d+(?:\.\d+)?$/;
const YEAR_NUMBER = /^(?:19|20)\d\d$/;

/** Numbers of the lead with what they count: "12 people", "three dead", "magnitude 6.1", "6.1-magnitude quake". */
function leadCounts(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    if (!COUNT_CUE.test(text)) continue;
    const words = text
      .toLowerCase()
      .split(/[\s\u2013\u2014-]+/)
      .map(trimToLettersAndDigits);
    for (let i = 0; i < words.length; i++) {
      const w = words[i] ?? '';
      // NUMBER starts with an ASCII digit: other words need no regex to fail it
      const first = w.charCodeAt(0);
      const value =
        first >= 48 && first <= 57 && NUMBER.test(w) ? (YEAR_NUMBER.test(w) ? undefined : w) : COUNT_WORD_VALUES.get(w);
      if (value === undefined) continue;
      if (words[i - 1] === 'magnitude') out.add(`magnitud=${value}`);
      let j = i + 1;
      while (j < words.length && COUNT_FILLERS.has(words[j] ?? '')) j++;
      const next = words[j] ?? '';
      if (next.length < 3 || NOT_COUNTED.has(next) || STOPWORDS.has(next) || !/^\p{L}+$/u.test(next)) continue;
      out.add(`${stem(next)}=${value}`);
    }
  }
  return [...out].sort();
}

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** A word without what is neither a letter nor a digit at either end; most words start and end with ASCII ones. */
function trimToLettersAndDigits(w: string): string {
  if (isAsciiAlphanumeric(w.charCodeAt(0)) && isAsciiAlphanumeric(w.charCodeAt(w.length - 1))) return w;
  return w.replace(EDGE_PUNCTUATION, '');
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

const BARE_MONTH =
  /\b(january|february|march|april|june|july|august|september|october|november|december)\b(?!\s+\d)(?!,?\s+\d{4})/gi;

/** Month names written without a day or a year: "in August", "his February visit". */
function bareMonths(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    // by exec() from the text's start, as matchAll() would, without a clone of the pattern per text
    BARE_MONTH.lastIndex = 0;
    for (let m = BARE_MONTH.exec(text); m !== null; m = BARE_MONTH.exec(text)) {
      out.add((m[1] ?? '').toLowerCase().slice(0, 3));
    }
  }
  return [...out];
}

const YEAR = /\b(?:199\d|20\d\d)\b/g;

function latestYear(sentences: readonly FeatureSentence[]): number | null {
  let latest: number | null = null;
  for (const s of sentences) {
    YEAR.lastIndex = 0;
    for (let m = YEAR.exec(s.text); m !== null; m = YEAR.exec(s.text)) {
      const year = Number(m[0]);
      if (latest === null || year > latest) latest = year;
    }
  }
  return latest;
}

/** Sentences from the top whose names are collected. */
const ENTITY_SENTENCES = 15;
/** Sentences of the lead that may name the day of the event. */
const ANCHOR_SENTENCES = 2;
/**
 * Sentences whose bare months say when the story is ("his February visit"). Deeper in a long article months are
 * background (last November's election) that two reports of one event need not share.
 */
const MONTH_SENTENCES = 10;
/** Sentences of the lead whose counts ("12 killed") say which event it reports. */
const COUNT_SENTENCES = 2;

const TITLE_WEIGHT = 3;
const LEAD_WEIGHT = 2;
/** Words of body text that count as the lead. */
const LEAD_WORDS = 60;

const NUMBER_WORDS = new Set([
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'dozen',
  'dozens',
  'hundreds',
  'thousands',
]);
const NUMBER_WORD_LENGTHS = [...NUMBER_WORDS].map((w) => w.length);
const SHORTEST_NUMBER_WORD = Math.min(...NUMBER_WORD_LENGTHS);
const LONGEST_NUMBER_WORD = Math.max(...NUMBER_WORD_LENGTHS);
/** 1 at the char code of each number word's first letter (all lower-case ASCII). */
const NUMBER_WORD_INITIALS = new Uint8Array(128);
for (const w of NUMBER_WORDS) NUMBER_WORD_INITIALS[w.charCodeAt(0)] = 1;

/**
 * NUMBER_WORDS.has(word.toLowerCase()), without lower-casing the words that cannot be one: too short or long, or
 * starting with another letter (the number words are lower-case ASCII; `| 0x20` lower-cases an ASCII capital, and
 * no other character lower-cases to an ASCII letter that starts one, nor changes length into one).
 */
function isNumberWord(word: string): boolean {
  if (
    word.length < SHORTEST_NUMBER_WORD ||
    word.length > LONGEST_NUMBER_WORD ||
    NUMBER_WORD_INITIALS[word.charCodeAt(0) | 0x20] !== 1
  ) {
    return false;
  }
  // an ASCII word is compared with the number words of its initial char by char, its capitals folded: no copy
  for (const candidate of NUMBER_WORDS_BY_INITIAL[word.charCodeAt(0) | 0x20] ?? []) {
    if (sameFoldedAscii(word, candidate)) return true;
  }
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) >= 0x80) return NUMBER_WORDS.has(word.toLowerCase());
  return false;
}

/** The number words by the char code of their first letter. */
const NUMBER_WORDS_BY_INITIAL: string[][] = [];
for (const w of NUMBER_WORDS) {
  const initial = w.charCodeAt(0);
  NUMBER_WORDS_BY_INITIAL[initial] = [...(NUMBER_WORDS_BY_INITIAL[initial] ?? []), w];
}

/** word.toLowerCase() === lower for an ASCII `word` and a lower-case ASCII `lower` (false when word is not ASCII). */
function sameFoldedAscii(word: string, lower: string): boolean {
  if (word.length !== lower.length) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
const CONNECTORS = new Set(['of', 'de', 'del', 'la', 'al', 'bin', 'van', 'von', 'da', 'le']);
/** The longest of CONNECTORS. */
const LONGEST_CONNECTOR = Math.max(...[...CONNECTORS].map((c) => c.length));

/**
 * CONNECTORS.has(word.toLowerCase()), without a lower-case copy of the longer words (lower-casing never shortens a
 * word, so one longer than every connector is none).
 */
function isConnector(word: string): boolean {
  return word.length <= LONGEST_CONNECTOR && CONNECTORS.has(word.toLowerCase());
}
/** Words of a name that say what someone is, not who: kept in the whole name, not filed on their own. */
const ROLE_WORDS = new Set([
  'president',
  'vice',
  'prime',
  'minister',
  'secretary',
  'state',
  'foreign',
  'special',
  'envoy',
  'general',
  'chief',
  'spokesperson',
  'spokesman',
  'spokeswoman',
  'senator',
  'governor',
  'mayor',
  'king',
  'queen',
  'prince',
  'former',
  'new',
  'north',
  'south',
  'east',
  'west',
  'united',
  'national',
  'news',
]);
/** Capitalised words that say nothing about which event this is. */
const NOT_NAMES = new Set([
  'the',
  'a',
  'an',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'but',
  'and',
  'in',
  'on',
  'at',
  'as',
  'if',
  'while',
  'this',
  'that',
  'these',
  'those',
  'his',
  'her',
  'their',
  'its',
  'after',
  'before',
  'when',
  'there',
  'what',
  'why',
  'how',
  'who',
  'mr',
  'mrs',
  'ms',
  'dr',
  'president',
  'minister',
  'officials',
  'sen',
  'rep',
  'gov',
]);

/** , ; : . ! ? ) " ”: what ends a clause (and a run of name words) at the end of a word. */
function isClauseEnd(c: number): boolean {
  return c === 44 || c === 59 || c === 58 || c === 46 || c === 33 || c === 63 || c === 41 || c === 34 || c === 0x201d;
}

/** A word without surrounding punctuation and without a possessive 's. */
function trimWord(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && !isWordChar(raw.charCodeAt(start))) start++;
  while (end > start && !isWordChar(raw.charCodeAt(end - 1))) end--;
  if (end - start > 2 && (raw[end - 1] === 's' || raw[end - 1] === 'S')) {
    const apostrophe = raw.charCodeAt(end - 2);
    if (apostrophe === 39 || apostrophe === 0x2019) end -= 2;
  }
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

/** Starts with a capital letter and holds only letters, apostrophes, dots and hyphens after it. */
function isCapitalised(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 65 || (c > 90 && c < 0xc0)) return false; // not A-Z, not a letter with accents
  if (c >= 0xc0) {
    const first = word[0] ?? '';
    if (first === first.toLowerCase() || first !== first.toUpperCase()) return false;
  }
  for (let i = 1; i < word.length; i++) {
    const d = word.charCodeAt(i);
    if (!(isWordChar(d) && !(d >= 48 && d <= 57)) && d !== 39 && d !== 0x2019 && d !== 46 && d !== 45) return false;
  }
  return true;
}

/** A space-separated word of the text that starts with a lower-case letter. */
function startsLowerCase(w: string): boolean {
  const c = w.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 0xdf && w[0] !== w[0]?.toUpperCase());
}

/**
 * The words (trimWord) a text writes in lower case somewhere: a capitalised first word that is one of them is no
 * name. Only a few words a text are ever asked about, so each is looked for in the text when asked (and the answer
 * kept) rather than every word of the text collected in a set.
 */
class LowerCaseWords {
  private readonly answers = new Map<string, boolean>();

  constructor(private readonly sentences: readonly { readonly text: string }[]) {}

  has(word: string): boolean {
    let known = this.answers.get(word);
    if (known === undefined) {
      known = this.search(word);
      this.answers.set(word, known);
    }
    return known;
  }

  /**
   * Whether some sentence writes `word` in lower case: the space-separated words of the sentences are those of their
   * text joined by spaces, read sentence by sentence without the joined copy.
   */
  private search(word: string): boolean {
    if (word.includes(' ')) return false;
    for (const s of this.sentences) if (writesInLowerCase(s.text, word)) return true;
    return false;
  }
}

/** Whether a space-separated word of `text` starts with a lower-case letter and is `word` (no space in it) trimmed. */
function writesInLowerCase(text: string, word: string): boolean {
  if (word === '') return text.split(' ').some((w) => startsLowerCase(w) && trimWord(w) === '');
  // every place the word is written, judged by the whole space-separated word around it; not where a word char
  // stands before it (trimmed, that word keeps the char, so it is `word` only if `word` is written where it starts,
  // which is met first)
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    const before = at === 0 ? 32 : text.charCodeAt(at - 1);
    const start = before === 32 ? at : text.lastIndexOf(' ', at - 1) + 1;
    const end = spaceAfter(text, at + word.length);
    const w = text.slice(start, end);
    if (startsLowerCase(w) && trimWord(w) === word) return true;
  }
  return false;
}

/** Named things in one sentence: capitalised runs (not a lone sentence-initial word), years, counted numbers. */
function entitiesOf(sentence: string, lowerWords: LowerCaseWords): string[] {
  // the words split at white space, joined by single spaces: entitiesOfText splits them at those again
  return entitiesOfText(sentence.split(/\s+/).join(' '), lowerWords);
}

/**
 * entitiesOf the words text.split(' ') gives, read in place: a word is cut out of the text only when it can matter.
 * One that starts with a lower-case ASCII letter no number word starts with, outside a run of name words, is
 * neither a name, a connector inside a name, a year nor a count: it is passed over without a string of its own.
 */
function entitiesOfText(text: string, lowerWords: LowerCaseWords): string[] {
  const out: string[] = [];
  const run: string[] = [];
  let runStartsSentence = false;
  const n = text.length;
  for (let start = 0, i = 0; start <= n; i++) {
    const end = spaceAfter(text, start);
    const first = text.charCodeAt(start);
    if (run.length === 0 && first >= 97 && first <= 122 && !startsWithNumberWord(text, start, end)) {
      start = end + 1;
      continue;
    }
    const raw = text.slice(start, end);
    const word = trimWord(raw);
    const endsClause = isClauseEnd(raw.charCodeAt(raw.length - 1));
    if (word.length > 1 && isCapitalised(word)) {
      if (i === 0) {
        const lower = word.toLowerCase();
        if (STOPWORDS.has(lower) || NOT_NAMES.has(lower) || lowerWords.has(lower)) {
          start = end + 1;
          continue;
        }
      }
      if (run.length === 0) runStartsSentence = i === 0;
      run.push(word);
    } else if (run.length > 0 && isConnector(word) && !endsClause) {
      run.push(word);
    } else {
      flushRun(run, runStartsSentence, lowerWords, out);
      const c = word.charCodeAt(0);
      const numeric = c >= 48 && c <= 57;
      if (numeric && word.length === 4 && /^(?:1[89]|20)\d\d$/.test(word)) out.push(word);
      if ((numeric && /^\d+(?:[.,]\d+)?$/.test(word)) || isNumberWord(word)) {
        const next = trimWord(end < n ? wordAt(text, end + 1) : '').toLowerCase();
        if (next && !STOPWORDS.has(next) && /^\p{L}+$/u.test(next)) out.push(`${word.toLowerCase()} ${stem(next)}`);
      }
    }
    if (endsClause) flushRun(run, runStartsSentence, lowerWords, out);
    start = end + 1;
  }
  flushRun(run, runStartsSentence, lowerWords, out);
  return out;
}

/**
 * Whether text[start, end) (a word starting with a lower-case ASCII letter) starts with a number word, ASCII capitals
 * folded: what the word must do for isNumberWord to take it once trimmed (trimWord leaves a letter at its start), so
 * the words that do not are passed over without a string of their own ("the", "from", "said").
 */
function startsWithNumberWord(text: string, start: number, end: number): boolean {
  const candidates = NUMBER_WORDS_BY_INITIAL[text.charCodeAt(start)];
  if (candidates === undefined) return false;
  next: for (const candidate of candidates) {
    if (candidate.length > end - start) continue;
    for (let k = 1; k < candidate.length; k++) {
      const c = text.charCodeAt(start + k);
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== candidate.charCodeAt(k)) continue next;
    }
    return true;
  }
  return false;
}

/**
 * Where the first space at or after `from` is, else the text's length: text.indexOf(' ', from) for the short
 * distances between words, read in place rather than by a call into the runtime per word.
 */
function spaceAfter(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n && text.charCodeAt(i) !== 32) i++;
  return i;
}

/** The space-separated word of `text` that starts at `start`. */
function wordAt(text: string, start: number): string {
  const end = text.indexOf(' ', start);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * Files a run of capitalised words (and connectors) as a name and its parts, into `out`, and empties the run. A
 * function of its own, not a closure made for every sentence.
 */
function flushRun(run: string[], runStartsSentence: boolean, lowerWords: LowerCaseWords, out: string[]): void {
  while (run.length > 0 && isConnector(run.at(-1) ?? '')) run.pop();
  if (run.length > 0) {
    const key = run.join(' ').toLowerCase();
    const single = run.length === 1;
    // a lone capitalised first word is only a name if the text never writes it in lower case
    if (!(single && runStartsSentence && (STOPWORDS.has(key) || lowerWords.has(key))) && !NOT_NAMES.has(key)) {
      out.push(key);
      if (!single) {
        for (const w of run) {
          const part = w.toLowerCase();
          if (!CONNECTORS.has(part) && !ROLE_WORDS.has(part) && !NOT_NAMES.has(part)) out.push(part);
        }
      }
    }
  }
  run.length = 0;
}

/**
 * A lead's dateline outlet, as the content terms it adds and the lead without it for names: "GENEVA (Wire) - Iranian
 * and US negotiators..." keeps "GENEVA" (where) and loses "(Wire) -". Null without a dateline naming an outlet.
 */
function outletTermsOf(lead: string | undefined): { terms: ReadonlySet<string>; rest: string } | null {
  if (lead === undefined) return null;
  const dateline = datelineOf(lead);
  if (dateline === null || dateline.outlet === null) return null;
  const head = lead.slice(0, dateline.end);
  const open = head.lastIndexOf('(');
  const place = open > 0 ? head.slice(0, open).trim() : '';
  return {
    terms: new Set(contentTerms(dateline.outlet)),
    rest: `${place}${place ? ', ' : ''}${lead.slice(dateline.end)}`,
  };
}

/**
 * What feature extraction reads of a sentence: its text (for capitals) and its tokens, as strings (tokenize) or as the
 * word-memo entries a prepared sentence keeps.
 */
export type FeatureSentence = { readonly text: string } & SentenceTokens & {
    /** Content terms of the sentence (contentTermsOf), when already known. */
    readonly terms?: readonly string[];
    /** termId() of each of `terms`, when already known. */
    readonly termIds?: readonly number[];
  };

/** How many tokens a sentence has. */
function tokenCount(sentence: SentenceTokens): number {
  return 'tokens' in sentence ? sentence.tokens.length : sentence.wordEntries.entries.length;
}

/** Hash seed of names, so a word and a name spelled alike stay apart (terms are termId, fnv1a's own seed). */
const NAME_SEED = 0x5bd1e995;

/** The id story grouping files a (lower-case) name under: a 32-bit hash, as termId is for a term. */
export function nameId(name: string): number {
  return fnv1a(name, NAME_SEED);
}

/**
 * textFeatures' tally of terms or names by id, reused from article to article (its arrays grow as needed): an
 * open-addressing table from id to entry, so that a key met again costs a probe of a typed array rather than a Map
 * lookup by string.
 */
class IdTally {
  private slots = new Int32Array(1024).fill(-1);
  /** The slot of each entry, to empty the table again entry by entry. */
  private slotOf = new Int32Array(512);
  private ids = new Uint32Array(512);
  private weights = new Float64Array(512);
  private keys: string[] = [];
  private size = 0;

  add(id: number, key: string, weight: number): void {
    const mask = this.slots.length - 1;
    let s = mix32(id) & mask;
    for (let e = this.slots[s] ?? -1; e !== -1; e = this.slots[s] ?? -1) {
      if (this.ids[e] === id) {
        this.weights[e] = (this.weights[e] ?? 0) + weight;
        return;
      }
      s = (s + 1) & mask;
    }
    const e = this.size++;
    this.slots[s] = e;
    this.slotOf[e] = s;
    this.ids[e] = id;
    this.weights[e] = weight;
    this.keys.push(key);
    if (this.size === this.ids.length) this.grow();
  }

  /** The tally as a bag of its own; the table is empty again. */
  take(): IdBag {
    const n = this.size;
    const bag = { ids: this.ids.slice(0, n), keys: this.keys, weights: this.weights.slice(0, n) };
    this.keys = [];
    this.empty();
    return bag;
  }

  /** Forgets every entry (only the slots they took are touched). */
  empty(): void {
    for (let e = 0; e < this.size; e++) this.slots[this.slotOf[e] ?? 0] = -1;
    this.size = 0;
    this.keys.length = 0;
  }

  /** Twice the entries and slots (kept at most half full); the entries keep their numbers. */
  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Uint32Array(size);
    ids.set(this.ids);
    const weights = new Float64Array(size);
    weights.set(this.weights);
    this.ids = ids;
    this.weights = weights;
    this.slotOf = new Int32Array(size);
    this.slots = new Int32Array(size * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      let s = mix32(this.ids[e] ?? 0) & mask;
      while ((this.slots[s] ?? -1) !== -1) s = (s + 1) & mask;
      this.slots[s] = e;
      this.slotOf[e] = s;
    }
  }
}

const termTally = new IdTally();
const nameTally = new IdTally();

/** Adds each of `names` to the tally, by its id. */
function tallyNames(tally: IdTally, names: readonly string[], weight: number): void {
  for (const name of names) tally.add(nameId(name), name, weight);
}

/**
 * Adds a sentence's content terms to the tally: from the word memo by its entries, else by the ids it carries, else
 * by their own.
 */
function tallyTerms(
  tally: IdTally,
  sentence: FeatureSentence | WordRun,
  weight: number,
  /** Terms left out (a dateline's outlet). */
  skip?: ReadonlySet<string>,
) {
  if ('wordEntries' in sentence) {
    for (const entry of entriesNow(sentence.text, sentence.wordEntries)) {
      if (!isContentWord(entry)) continue;
      const term = stemOf(entry);
      if (skip?.has(term) !== true) tally.add(termIdOf(entry), term, weight);
    }
    return;
  }
  const terms = sentence.terms ?? contentTermsOf(sentence.tokens);
  const ids = sentence.termIds;
  if (ids !== undefined && ids.length === terms.length) {
    for (let k = 0; k < terms.length; k++) {
      const term = terms[k] ?? '';
      if (skip?.has(term) !== true) tally.add(ids[k] ?? 0, term, weight);
    }
  } else {
    for (const t of terms) if (skip?.has(t) !== true) tally.add(termId(t), t, weight);
  }
}

/**
 * Features of an article: title words x3, lead x2, body x1 (sublinear counts come later, with IDF). `published`
 * (ms) resolves the days the lead names.
 */
export function textFeatures(
  title: string,
  sentences: readonly FeatureSentence[],
  published: number | null = null,
  /** The text's language when it is not English (PreparedArticle.language); read from the sentences when not given. */
  language: string | null = otherLanguageOf(sentences),
): TextFeatures {
  // words the text writes in lower case somewhere: a capitalised first word that is one of them is no name
  const lowerWords = new LowerCaseWords(sentences);

  const tally = termTally;
  tally.empty();
  const names = nameTally;
  names.empty();
  tallyTerms(tally, wordRun(title), TITLE_WEIGHT);
  tallyNames(names, entitiesOf(title, lowerWords), TITLE_WEIGHT);
  let wordsSoFar = 0;
  // the outlet a lead's dateline names ("GENEVA (Wire) -") is who wrote it, not who or what it is about: every
  // report of that outlet would share it
  const byline = outletTermsOf(sentences[0]?.text);
  sentences.forEach((sentence, i) => {
    const weight = wordsSoFar < LEAD_WORDS ? LEAD_WEIGHT : 1;
    wordsSoFar += tokenCount(sentence);
    tallyTerms(tally, sentence, weight, i === 0 ? byline?.terms : undefined);
    // names cluster in the first paragraphs; past them a long article adds cost more than signal
    if (i < ENTITY_SENTENCES) {
      const text = i === 0 && byline !== null ? byline.rest : sentence.text;
      tallyNames(names, entitiesOfText(text, lowerWords), weight);
    }
  });
  const lead = daysInText([title, ...sentences.slice(0, ANCHOR_SENTENCES).map((s) => s.text)], published);
  const months = bareMonths([title, ...sentences.slice(0, MONTH_SENTENCES).map((s) => s.text)]);
  return {
    terms: tally.take(),
    entities: names.take(),
    days: lead.days,
    anchors: lead.words,
    months,
    latestYear: published === null ? latestYear(sentences) : null,
    counts: leadCounts([title, ...sentences.slice(0, COUNT_SENTENCES).map((s) => s.text)]),
    language,
  };
}
