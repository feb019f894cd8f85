// From an ArticleInput to a PreparedArticle (clean paragraphs, sentences, title, warnings) or a Rejection.

import { endsLikeSentence } from './boilerplate.js';
import { cleanText, datelineOf, findDate, isTimestampOnly, lineHash } from './clean.js';
import { htmlToText, stripSiteSuffix } from './html-text.js';
import { describeQa, detectQaShape, isQuestionLine, isTranscriptLine, type QaShape } from './qa-rewrite.js';
import { collapseRepeats, describeRepeats, isSelfRepeating } from './repeats.js';
import {
  ComparisonStream,
  comparisonHash,
  contentTerms,
  fnv1a,
  hasMoreWordsThan,
  isQuestion,
  readSentence,
  type SentenceReading,
  splitSentences,
  squash,
  type WordEntries,
  wordCountUpTo,
} from './text.js';
import { otherLanguageOf } from './text-language.js';
import type { ArticleInput, ArticleWarning, Rejection } from './types.js';
import { dateFromUrl } from './url-date.js';
import { titleText, visibleText } from './visible-text.js';

export interface Sentence {
  text: string;
  paragraph: number;
  /** Position in the article, 0 = first sentence. */
  index: number;
  words: number;
  /**
   * The lower-case word tokens (tokenize) as word-memo entries, read once for the steps that read every word
   * (fingerprint, topics, features, language): each asks the memo what it needs of a token (text.ts entriesNow). The
   * builder releases them once the article is placed.
   */
  wordEntries: WordEntries;
  /** Content terms (stemmed, no stopwords): what summaries compare. Read from the text when first asked for. */
  readonly terms: readonly string[];
  /** Fit to be quoted in a summary: a whole declarative sentence of reasonable length. */
  quotable: boolean;
}

export interface PreparedArticle {
  /** Position in the input, used to order articles without dates. */
  order: number;
  /** The text's language when it is not English ('es', 'de'); null for English and texts too short to tell. */
  language: string | null;
  id: string;
  title: string;
  /** Where the title came from: the input, a headline line in the text, or the lead sentence. */
  titleFrom: 'input' | 'headline' | 'lead';
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  /** publishedAt in ms since the epoch, or null. */
  time: number | null;
  paragraphs: string[];
  /** comparisonHash of the paragraphs joined by line breaks: two articles with the same key are exact copies. */
  exactKey: number;
  sentences: Sentence[];
  words: number;
  qaRewrite: boolean;
  warnings: ArticleWarning[];
}

export type Prepared = { ok: true; article: PreparedArticle } | { ok: false; rejection: Rejection };

export interface PrepareContext {
  order: number;
  /** rawTextOf(input), when the caller has it already. */
  raw?: RawText | undefined;
  /** Lines this article's source prints on many of its pages. */
  sourceBoilerplate?: ReadonlySet<number> | undefined;
}

/** Below this many words of body after cleaning, there is no article to digest. */
export const MIN_BODY_WORDS = 15;
/** An error page with at most this much text left is an error page, not an article with a glitch on top. */
const ERROR_PAGE_MAX_WORDS = 60;

export interface RawText {
  text: string;
  title: string | null;
  publishedAt: string | null;
}

/** The article's text: its `text`, else the text of its `html`, with what the page's metadata says. */
export function rawTextOf(input: ArticleInput): RawText {
  if (input.text !== undefined && input.text.trim() !== '') return { text: input.text, title: null, publishedAt: null };
  if (input.html !== undefined && input.html.trim() !== '') {
    const doc = htmlToText(input.html);
    return { text: doc.text, title: doc.title, publishedAt: doc.publishedAt };
  }
  return { text: '', title: null, publishedAt: null };
}

export function prepareArticle(input: ArticleInput, ctx: PrepareContext): Prepared {
  const id = String(input.id);
  const raw = ctx.raw ?? rawTextOf(input);
  if (raw.text.trim() === '')
    return { ok: false, rejection: { id, reason: 'no article text: the input has neither text nor html' } };

  const written = input.title === undefined ? '' : titleText(input.title);
  const given = written !== '' ? written : raw.title === null ? null : titleText(raw.title) || null;
  // feeds that gather several outlets write "Headline - Outlet"
  const givenTitle = given === null ? null : stripSiteSuffix(given, nonBlank(input.source));
  const cleaned = cleanText(visibleText(raw.text), {
    knownTitle: givenTitle ?? undefined,
    sourceBoilerplate: ctx.sourceBoilerplate,
    url: nonBlank(input.url),
  });
  // cleanText's paragraphs are lines nonEmptyLines squashed
  const repeats = collapseRepeats(cleaned.paragraphs, true);
  const paragraphs = repeats.paragraphs;
  // the sentences' word counts add up to the paragraphs': a word never spans the space between two sentences
  let words = 0;
  for (const readings of repeats.readings) for (const reading of readings) words += reading.words;

  if (cleaned.nonArticle !== null) return { ok: false, rejection: { id, reason: cleaned.nonArticle.reason } };
  if (cleaned.roundup !== null) return { ok: false, rejection: { id, reason: cleaned.roundup.reason } };
  if (cleaned.notAReport !== null) return { ok: false, rejection: { id, reason: cleaned.notAReport.reason } };
  if (cleaned.errorLines.length > 0 && words <= ERROR_PAGE_MAX_WORDS) {
    const quoted = cleaned.errorLines.slice(0, 3).join(' / ');
    return {
      ok: false,
      rejection: { id, reason: `error page, not an article: "${quoted}" with ${words} words of text` },
    };
  }
  if (words < MIN_BODY_WORDS) {
    return {
      ok: false,
      rejection: {
        id,
        reason: `too little article text after cleaning: ${words} words (at least ${MIN_BODY_WORDS} needed)`,
      },
    };
  }

  const warnings: ArticleWarning[] = [];
  if (isSelfRepeating(repeats)) warnings.push({ kind: 'self-repeat', message: describeRepeats(repeats) });
  const qa = detectQaShape(paragraphs);
  if (qa.isRewrite) warnings.push({ kind: 'qa-rewrite', message: describeQa(qa) });
  if (cleaned.opinion !== null) {
    warnings.push({
      kind: 'opinion',
      message: `An opinion piece (${cleaned.opinion}): listed with its story, never quoted as its news.`,
    });
  }
  if (cleaned.errorLines.length > 0) {
    warnings.push({
      kind: 'boilerplate-removed',
      message: `An error-page message was glued on top of the article ("${cleaned.errorLines.join(' / ').slice(0, 80)}"); it was removed.`,
    });
  }

  const sentences = sentencesOf(paragraphs, repeats.sentences, repeats.readings, qa);
  const lead = sentences.find((s) => s.quotable) ?? sentences[0];
  let title: string;
  let titleFrom: PreparedArticle['titleFrom'];
  if (givenTitle && !isTimestampOnly(givenTitle)) {
    title = givenTitle;
    titleFrom = 'input';
  } else if (cleaned.headline) {
    title = cleaned.headline;
    titleFrom = 'headline';
  } else {
    title = shorten(lead?.text ?? id, 160);
    titleFrom = 'lead';
  }

  const publishedAt =
    validIso(input.publishedAt) ??
    validIso(raw.publishedAt) ??
    cleaned.dateline ??
    leadDate(givenTitle, paragraphs) ??
    dateFromUrl(input.url);
  const source = nonBlank(input.source) ?? cleaned.datelineSource;
  return {
    ok: true,
    article: {
      order: ctx.order,
      language: otherLanguageOf(sentences),
      id,
      title,
      titleFrom,
      url: nonBlank(input.url),
      source,
      publishedAt,
      time: publishedAt === null ? null : Date.parse(publishedAt),
      paragraphs,
      exactKey: repeats.key ?? bodyKey(paragraphs),
      sentences,
      words,
      qaRewrite: qa.isRewrite,
      warnings,
    },
  };
}

/** comparisonHash of an article's paragraphs as one text. */
function bodyKey(paragraphs: readonly string[]): number {
  return comparisonHash(paragraphs.join('\n'));
}

function sentencesOf(
  paragraphs: readonly string[],
  split: readonly string[][],
  readings: readonly SentenceReading[][],
  qa: QaShape,
): Sentence[] {
  const out: Sentence[] = [];
  paragraphs.forEach((paragraph, p) => {
    // a rewrite's question headings and an interview's exchanges are never quoted as the story's news
    const unquotable = (qa.isRewrite && isQuestionLine(paragraph)) || (qa.isInterview && isTranscriptLine(paragraph));
    (split[p] ?? splitSentences(paragraph)).forEach((written, s) => {
      const reading = readings[p]?.[s] ?? readSentence(written, new ComparisonStream());
      // a finished sentence with an emoji after it ("...since work began. 🌊") is still a finished sentence (no
      // pictograph is below U+00A9: most sentences end below it and skip the regex)
      const text =
        written.charCodeAt(written.length - 1) >= 0xa9 ? written.replace(TRAILING_PICTOGRAPHS, '$1') : written;
      const words = reading.words;
      const quotable =
        !unquotable &&
        words >= 6 &&
        words <= 70 &&
        endsLikeSentence(text) &&
        !isQuestion(text) &&
        /^["'“‘(\p{Lu}\p{N}]/u.test(text);
      out.push(new PreparedSentence(text, p, out.length, words, reading.wordEntries, quotable, written));
    });
  });
  return out;
}

/**
 * A sentence of a prepared article. Its content terms are only read by summaries, for the few articles a digest
 * quotes: they are read from the written sentence when first asked for, not kept for every sentence ingested.
 */
class PreparedSentence implements Sentence {
  #terms: readonly string[] | null = null;

  constructor(
    readonly text: string,
    readonly paragraph: number,
    readonly index: number,
    readonly words: number,
    public wordEntries: WordEntries,
    readonly quotable: boolean,
    /** The sentence as the text wrote it (`text` may have left trailing pictographs out): what its terms are of. */
    private readonly written: string,
  ) {}

  get terms(): readonly string[] {
    this.#terms ??= contentTerms(this.written);
    return this.#terms;
  }
}

/**
 * A prepared article again from what processing stored of it (its cleaned paragraphs): for summaries of stored
 * stories. Nothing is cleaned twice; sentences are split and tokenised as they were the first time.
 */
export function restorePrepared(
  stored: {
    readonly id: string;
    readonly title: string;
    readonly url: string | null;
    readonly source: string | null;
    readonly publishedAt: string | null;
    readonly paragraphs: readonly string[];
    readonly words: number;
    readonly qaRewrite: boolean;
  },
  order: number,
): PreparedArticle {
  const paragraphs = [...stored.paragraphs];
  const split = paragraphs.map((p) => splitSentences(p));
  const stream = new ComparisonStream();
  const readings = split.map((sentences) => sentences.map((sentence) => readSentence(sentence, stream)));
  const time = stored.publishedAt === null ? null : Date.parse(stored.publishedAt);
  const sentences = sentencesOf(paragraphs, split, readings, {
    ...detectQaShape(paragraphs),
    isRewrite: stored.qaRewrite,
  });
  return {
    order,
    language: otherLanguageOf(sentences),
    id: stored.id,
    title: stored.title,
    titleFrom: 'input',
    url: stored.url,
    source: stored.source,
    publishedAt: stored.publishedAt,
    time: time === null || Number.isNaN(time) ? null : time,
    paragraphs,
    exactKey: bodyKey(paragraphs),
    // the paragraphs are the ones read at ingest: their shape and language are read again the same way
    sentences,
    words: stored.words,
    qaRewrite: stored.qaRewrite,
    warnings: [],
  };
}

/** Emoji (and their joiners and variation selectors) after a sentence's closing mark. */
const TRAILING_PICTOGRAPHS =
  /([.!?]["'”’)]?)(?:\s|\u200d|\ufe0f)*(?:\p{Extended_Pictographic}(?:\s|\u200d|\ufe0f)*)+$/u;

/** Lead dateline such as "(MENAFN) " or "WASHINGTON (Reuters) - " removed for display; the rest is verbatim. */
export function withoutDateline(sentence: string): string {
  const dateline = datelineOf(sentence);
  return dateline ? sentence.slice(dateline.end) : sentence;
}

/** Without a publish date, a full date written in the title or the first lines stands in for it ("Updated: July 7, 2012"). */
function leadDate(title: string | null, paragraphs: readonly string[]): string | null {
  const head = `${title ?? ''}\n${paragraphs.slice(0, 2).join('\n')}`.slice(0, 400);
  return findDate(head);
}

function shorten(text: string, max: number): string {
  const t = withoutDateline(text);
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max / 2 ? space : max).replace(/[,;:\s]+$/, '')}…`;
}

function nonBlank(s: string | null | undefined): string | null {
  return s !== undefined && s !== null && s.trim() !== '' ? s.trim() : null;
}

function validIso(s: string | null | undefined): string | null {
  if (s === undefined || s === null || s.trim() === '') return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * Lines a source prints at the top or bottom of many of its pages (navigation, promos, sign-offs) are
 * boilerplate even when their wording is new to us. Counted per source over distinct article bodies; only the
 * short lines near either edge are counted, which is where such lines stand and keeps the tally small.
 */
export class SourceLineStats {
  private readonly counts = new Map<string, Map<number, number>>();
  /** Per source, the line hashes that reached their count: kept as counts change, never recomputed. */
  private readonly boilerplate = new Map<string, Set<number>>();
  /**
   * How many times each distinct body of a source was added (a body counts once however often it comes), and
   * whether its lines were counted (a later version of a story already counted is not).
   */
  private readonly bodies = new Map<string, { times: number; counted: boolean }>();
  /** Per source, the content keys of the latest bodies counted, newest last (at most RECENT_BODIES). */
  private readonly recent = new Map<string, { body: number; content: readonly number[] }[]>();

  /** Counts the edge lines of one article's raw text (see rawTextOf) under its source. */
  add(sourceName: string | undefined, text: string): void {
    const keys = edgeLineKeys(sourceName, text);
    if (keys) this.addKeys(keys);
  }

  /** Counts what edgeLineKeys() found in an article (start-up restores the tally from these). */
  addKeys(keys: EdgeLineKeys): void {
    const bodyKey = `${keys.source}\u0000${keys.body}`;
    const seen = this.bodies.get(bodyKey);
    if (seen !== undefined) {
      seen.times++;
      return;
    }
    // a re-issued version of a story shares its edge lines with the first: they are reporting, not furniture
    const recent = this.recent.get(keys.source) ?? [];
    const content = keys.content ?? [];
    if (recent.some((r) => sameStory(r.content, content))) {
      this.bodies.set(bodyKey, { times: 1, counted: false });
      return;
    }
    this.bodies.set(bodyKey, { times: 1, counted: true });
    if (content.length > 0) {
      recent.push({ body: keys.body, content });
      if (recent.length > RECENT_BODIES) recent.shift();
      this.recent.set(keys.source, recent);
    }
    let tally = this.counts.get(keys.source);
    if (!tally) {
      tally = new Map();
      this.counts.set(keys.source, tally);
    }
    for (const key of keys.lines) {
      const n = (tally.get(key) ?? 0) + 1;
      tally.set(key, n);
      if (n === needed(key)) {
        let set = this.boilerplate.get(keys.source);
        if (!set) {
          set = new Set();
          this.boilerplate.set(keys.source, set);
        }
        set.add(key % LONG_LINE);
      }
    }
  }

  /** Takes an article's lines out of the tally again (it left the window the stats cover). */
  removeKeys(keys: EdgeLineKeys): void {
    const bodyKey = `${keys.source}\u0000${keys.body}`;
    const seen = this.bodies.get(bodyKey);
    if (seen === undefined) return;
    if (seen.times > 1) {
      seen.times--;
      return;
    }
    this.bodies.delete(bodyKey);
    if (!seen.counted) return;
    const recent = this.recent.get(keys.source);
    if (recent !== undefined) {
      const at = recent.findIndex((r) => r.body === keys.body);
      if (at >= 0) recent.splice(at, 1);
      if (recent.length === 0) this.recent.delete(keys.source);
    }
    const tally = this.counts.get(keys.source);
    if (!tally) return;
    for (const key of keys.lines) {
      const n = (tally.get(key) ?? 0) - 1;
      if (n > 0) tally.set(key, n);
      else tally.delete(key);
      if (n === needed(key) - 1) {
        // the short and the long form of a hash are one line: it stays while either still qualifies
        const other = key >= LONG_LINE ? key - LONG_LINE : key + LONG_LINE;
        if ((tally.get(other) ?? 0) < needed(other)) this.boilerplate.get(keys.source)?.delete(key % LONG_LINE);
      }
    }
    if (tally.size === 0) {
      this.counts.delete(keys.source);
      this.boilerplate.delete(keys.source);
    }
  }

  /** Hashes of short edge lines seen in 2+ articles of the source, or longer ones seen in 3+. */
  boilerplateOf(source: string | undefined): ReadonlySet<number> | undefined {
    const s = nonBlank(source);
    if (s === null) return undefined;
    const set = this.boilerplate.get(s);
    return set && set.size > 0 ? set : undefined;
  }
}

/** Articles of a source a line must top or tail before it counts as the source's boilerplate. */
function needed(key: number): number {
  return key >= LONG_LINE ? 3 : 2;
}

/** What SourceLineStats counts of one article: its source, a hash of its body, its short edge lines' keys. */
export interface EdgeLineKeys {
  readonly source: string;
  readonly body: number;
  readonly lines: readonly number[];
  /**
   * Hashes of the text's first paragraphs of reporting (more than 25 words): two bodies of one source that share
   * them are versions of one story (a wire's "UPDATE 2"), not two pages that share furniture. Absent in records
   * stored before it was kept.
   */
  readonly content?: readonly number[];
}

/** The edge-line keys of an article's raw text, or null when it has no source to learn them under. */
export function edgeLineKeys(sourceName: string | undefined, text: string): EdgeLineKeys | null {
  const source = nonBlank(sourceName);
  if (source === null) return null;
  const seen = new Set<number>();
  for (const line of edgeLines(text, EDGE_LINES)) {
    // counted no further than the word past 25: longer lines are left out
    const words = wordCountUpTo(line, 25);
    if (words > 25) continue;
    // Longer lines need more pages before they count: two versions of one story share their lead.
    seen.add(lineHash(line) + (words > 12 ? LONG_LINE : 0));
  }
  return { source, body: fnv1a(text), lines: [...seen], content: contentLineKeys(text) };
}

/** Paragraphs of reporting whose hashes tell versions of one story apart from other pages (see EdgeLineKeys). */
const CONTENT_LINES = 6;
const CONTENT_LINE_WORDS = 25;

function contentLineKeys(text: string): number[] {
  const out: number[] = [];
  for (let start = 0; start < text.length && out.length < CONTENT_LINES; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (line.length > CONTENT_LINE_WORDS * 3 && hasMoreWordsThan(line, CONTENT_LINE_WORDS)) out.push(lineHash(line));
    start = end + 1;
  }
  return out;
}

/** Two bodies are versions of one story when they share two paragraphs of reporting (one, if either has one). */
function sameStory(a: readonly number[], b: readonly number[]): boolean {
  const needed = Math.min(2, a.length, b.length);
  if (needed === 0) return false;
  let shared = 0;
  for (const x of a) if (b.includes(x) && ++shared >= needed) return true;
  return false;
}

const EDGE_LINES = 6;
/** Bodies per source whose content keys later versions are compared with. */
const RECENT_BODIES = 32;

/** The first and last `n` non-empty lines of a text, without splitting the middle. */
function edgeLines(text: string, n: number): string[] {
  const head: string[] = [];
  let start = 0;
  while (head.length < n && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = squash(text.slice(start, end));
    if (line) head.push(line);
    start = end + 1;
  }
  const tail: string[] = [];
  let stop = text.length;
  while (tail.length < n && stop > start) {
    const begin = text.lastIndexOf('\n', stop - 1) + 1;
    const line = squash(text.slice(Math.max(begin, start), stop));
    if (line) tail.unshift(line);
    stop = begin - 1;
  }
  return [...head, ...tail];
}
const LONG_LINE = 2 ** 32;
