// Cleaning: from whatever a feed or file gave us to the article's own paragraphs, with the title, byline and date
// found on the way. Works on the shape of lines (position, length, punctuation, page-furniture vocabulary).
import {
  bylineOf,
  endsLikeSentence,
  isBlockLabel,
  isErrorLine,
  isFurnitureAnywhere,
  isHeadlineShaped,
  isSectionLabel,
  legalScore,
} from './boilerplate.js';
import { judgeNonArticle, type NonArticleVerdict } from './non-article.js';
import { judgeNotAReport, type NotAReportVerdict } from './not-a-report.js';
import { opinionLabel } from './opinion.js';
import { judgeRoundup, type RoundupVerdict } from './roundup.js';
import { comparisonHash, comparisonKey, nonEmptyLines, wordCount } from './text.js';

/** Hash of a line's comparison key: how lines are counted across a source's pages. */
export function lineHash(line: string): number {
  return comparisonHash(line) % 0x100000000;
}

export interface CleanedText {
  /** Title found in the text (a headline-shaped first line), if any. */
  headline: string | null;
  byline: string | null;
  /** A date line found near the top, as ISO, if any. */
  dateline: string | null;
  /** Outlet named in a lead dateline such as "(Reuters) -" or "(MENAFN)". */
  datelineSource: string | null;
  /** The article's lines, each squashed (squash leaves it as it is): what collapseRepeats splits without checking. */
  paragraphs: string[];
  /** Error-page lines found glued on top, verbatim. */
  errorLines: string[];
  /** How many lines were removed as page furniture. */
  removedLines: number;
  /** Set when the page as a whole is not an article (an error, maintenance, paywall, cookie or login page). */
  nonArticle: NonArticleVerdict | null;
  /** Set when the page is a newsletter roundup of several unrelated stories. */
  roundup: RoundupVerdict | null;
  /** Set when the page is one of the kinds not-a-report.ts reads (paid content, show notes, a gallery, a recipe...). */
  notAReport: NotAReportVerdict | null;
  /** What labels the text an opinion piece (title, section label, disclaimer or address), else null. */
  opinion: string | null;
}

export interface CleanOptions {
  /** The title the input already carries; a first line that repeats it is dropped. */
  readonly knownTitle?: string | undefined;
  /** Line hashes (lineHash) of what this article's source prints on many pages: removed wherever they stand. */
  readonly sourceBoilerplate?: ReadonlySet<number> | undefined;
  /** The article's address: an opinion section in it labels the text. */
  readonly url?: string | null | undefined;
}

/** A line with enough words and a sentence ending to be article text rather than furniture. */
function isContentLine(line: string): boolean {
  return wordCount(line) >= 12 && endsLikeSentence(line) && legalScore(line) < 2;
}

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_LINE = new RegExp(
  `^(?:(?:published|updated|posted|last updated|date)\\s*(?:on|at)?\\s*:?\\s*)?(?:\\w+day,?\\s+)?(?:(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2})(?:[ ,T|-]+.{0,30})?$`,
  'i',
);

/** Reads a date line ("Published April 11, 2025 10:32 AM", "2025-04-11") as an ISO date at UTC midnight. */
export function parseDateLine(line: string): string | null {
  if (wordCount(line) > 12 || !DATE_LINE.test(line)) return null;
  return findDate(line);
}

/** Words a timestamp line is made of besides numbers: what it says (posted, updated), months, days, zones. */
const TIMESTAMP_WORDS = new RegExp(
  `\\b(?:${MONTHS}|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day|published|updated|posted|last|date|article|on|at|gmt|utc|bst|cet|cest|[ecmp][sd]?t|am|pm|[ap]\\.\\s?m)\\b\\.?`,
  'gi',
);

/**
 * A line that only says when ("APR 28", "18 September 2013 Last updated at 13:59 GMT", "Article posted on
 * 08.07.2012"): some pages and feeds give it where the headline belongs. It names no event, so it is no title.
 */
export function isTimestampOnly(line: string): boolean {
  if (!/\d/.test(line) || line.length > 120) return false;
  return !/\p{L}{2,}/u.test(line.replace(TIMESTAMP_WORDS, ' '));
}

/** The first full calendar date written in a text ("July 7, 2012", "5 Jan 2011", "2012-07-07"), as ISO. */
export function findDate(text: string): string | null {
  const line = text;
  const iso = /(\d{4})-(\d{2})-(\d{2})/.exec(line);
  if (iso) return toIso(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const md = new RegExp(`(${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`, 'i').exec(line);
  if (md?.[1]) return toIso(Number(md[3]), monthNumber(md[1]), Number(md[2]));
  const dm = new RegExp(`(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTHS})\\.?,?\\s+(\\d{4})`, 'i').exec(line);
  if (dm?.[2]) return toIso(Number(dm[3]), monthNumber(dm[2]), Number(dm[1]));
  return null;
}

function monthNumber(name: string): number {
  const i = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(
    name.slice(0, 3).toLowerCase(),
  );
  return i + 1;
}

function toIso(y: number, m: number, d: number): string | null {
  if (!(y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return null; // February 30th is no date
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00.000Z`;
}

/** A lead dateline: an optional place ("KYIV, Ukraine"), then the outlet in brackets, then a dash or the text. */
// "(Outlet) text" at the very start, or "PLACE, Country (Outlet) - text" where the dash is required: without it
// "Geneva (Switzerland) hosted..." would read as a dateline.
const DATELINE =
  /^(?:\((\p{Lu}[\p{L}&.]*(?:\s\p{Lu}[\p{L}&.]*){0,3})\)\s*(?:[-–—:]\s*)?|\p{Lu}[\p{L}.'-]*(?:[ ,]+\p{Lu}[\p{L}.'-]*){0,3},?\s\((\p{Lu}[\p{L}&.]*(?:\s\p{Lu}[\p{L}&.]*){0,3})\)\s*[-–—:]\s*)(?=\S)/u;

/**
 * A press-release dateline: "OSLO, Norway, Dec. 5, 2026 /PRNewswire/ --", the wire between slashes (a place and a
 * date before it), then a dash.
 */
const RELEASE_DATELINE = new RegExp(
  `^(?:\\p{Lu}[\\p{L}.'-]*(?:[ ,]+\\p{Lu}[\\p{L}.'-]*){0,4},\\s+)?(?:(?:${MONTHS})\\.?\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\s+(?:${MONTHS})\\.?\\s+\\d{4})\\s*/\\s*([^/]{2,40}?)\\s*/\\s*(?:--|[-–—])\\s*(?=\\S)`,
  'iu',
);

/** Where an article's text starts after a dateline, and the outlet the dateline names; null without one. */
export function datelineOf(text: string): { readonly end: number; readonly outlet: string | null } | null {
  const m = DATELINE.exec(text);
  if (m) return { end: m[0].length, outlet: (m[1] ?? m[2])?.trim() ?? null };
  const release = RELEASE_DATELINE.exec(text);
  return release ? { end: release[0].length, outlet: release[1]?.trim() ?? null } : null;
}

/** "WASHINGTON (Reuters) - ...", "(MENAFN) ..." or "OSLO, Dec. 5, 2026 /PRNewswire/ --" names the outlet. */
export function datelineSourceOf(paragraph: string): string | null {
  return datelineOf(paragraph)?.outlet ?? null;
}

/**
 * Separates the article from what surrounds it: error pages glued on top, section labels, reading times,
 * bylines and date lines before the body; share bars, comment counters, "More In..." lists, disclaimers and
 * copyright lines after it; furniture that stands between paragraphs.
 */
export function cleanText(raw: string, options: CleanOptions = {}): CleanedText {
  const lines = nonEmptyLines(raw);
  const knownTitleKey = options.knownTitle ? comparisonKey(options.knownTitle) : null;
  const sourceBoilerplate = options.sourceBoilerplate;
  const out: CleanedText = {
    headline: null,
    byline: null,
    dateline: null,
    datelineSource: null,
    paragraphs: [],
    errorLines: [],
    removedLines: 0,
    nonArticle: judgeNonArticle(lines),
    roundup: judgeRoundup(options.knownTitle ?? null, lines),
    notAReport: judgeNotAReport(options.knownTitle ?? null, lines),
    opinion: opinionLabel(options.knownTitle ?? null, options.url ?? null, lines),
  };

  // Top: everything before the first line of real text is preamble, except one headline.
  let start = 0;
  for (; start < lines.length; start++) {
    const line = lines[start] ?? '';
    if (isContentLine(line) && !isErrorLine(line)) break;
    if (isErrorLine(line)) {
      out.errorLines.push(line);
      continue;
    }
    const key = comparisonKey(line);
    if (knownTitleKey !== null && key === knownTitleKey) continue;
    const byline = bylineOf(line);
    if (byline) {
      out.byline ??= byline;
      continue;
    }
    const date = parseDateLine(line);
    if (date) {
      out.dateline ??= date;
      continue;
    }
    if (isSectionLabel(line) || isFurnitureAnywhere(line) || sourceBoilerplate?.has(lineHash(line))) {
      out.removedLines++;
      continue;
    }
    if (out.headline === null && knownTitleKey === null && isHeadlineShaped(line)) {
      out.headline = line;
      continue;
    }
    // A short line that is neither: a standfirst or a subhead. It belongs to the article.
    break;
  }

  // Bottom: from the end, drop furniture, disclaimers and the labels that introduce them.
  let end = lines.length;
  while (end > start) {
    const line = lines[end - 1] ?? '';
    const junk =
      isFurnitureAnywhere(line) ||
      legalScore(line) >= 2 ||
      isBlockLabel(line) ||
      isSectionLabel(line) ||
      (wordCount(line) <= 8 && !endsLikeSentence(line)) ||
      sourceBoilerplate?.has(lineHash(line)) === true;
    if (!junk) break;
    end--;
    out.removedLines++;
  }

  // Middle: furniture that stands anywhere, and lines the source prints on every page.
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? '';
    if (isFurnitureAnywhere(line) || sourceBoilerplate?.has(lineHash(line))) {
      out.removedLines++;
      continue;
    }
    // A disclaimer block in the middle: its label line goes with it.
    if (legalScore(line) >= 3) {
      out.removedLines++;
      const prev = out.paragraphs.at(-1);
      if (prev !== undefined && isBlockLabel(prev)) out.paragraphs.pop();
      continue;
    }
    out.paragraphs.push(line);
  }

  const lead = out.paragraphs[0];
  if (lead !== undefined) out.datelineSource = datelineSourceOf(lead);
  return out;
}
