// Line classifiers: what a line of page text is, judged by its shape (length, punctuation, position cues,
// vocabulary of page furniture), never by the wording of particular sites.
import { isCloser, trimmedEnd, wordCount, wordCountUpTo } from './text.js';

/**
 * Ends like a sentence: a full stop, ! or ?, maybe followed by closing quotes or brackets, then only white space.
 * "..." does not count. Read backwards from the end by char codes: it runs on every line and every sentence.
 */
export function endsLikeSentence(line: string): boolean {
  const end = trimmedEnd(line);
  const last = line.charCodeAt(end - 1);
  if (last === 0x2026 || (last === 46 && line.charCodeAt(end - 2) === 46 && line.charCodeAt(end - 3) === 46)) {
    return false; // an ellipsis
  }
  let q = end;
  while (q > 0 && isCloser(line.charCodeAt(q - 1))) q--;
  const mark = line.charCodeAt(q - 1);
  return mark === 46 || mark === 33 || mark === 63;
}

const HTTP_STATUS_LINE =
  /^(?:error|http(?:\s*error)?|status)?\s*[45]\d\d\s*(?:[-:–—|]?\s*(?:error|not found|page not found|forbidden|access denied|unauthori[sz]ed|bad request|internal server error|server error|service unavailable|gone|bad gateway|gateway time-?out|too many requests)\b)?\s*[.!]?$/i;
/** Words that put an error message on a web page rather than in a news story. */
const PAGE_CUES = /\b(?:page|link|url|site|website|content|server|request(?:ed)?|try again|homepage|home page)\b/i;
const ERROR_VOCABULARY =
  /\b(?:error|not found|page (?:you|was|is)\b|(?:does ?n[o']?t|no longer) exists?|can(?:no|'|’)?t be (?:found|displayed)|could ?n[o']?t be found|access (?:is )?denied|forbidden|unavailable|oops|sorry|went wrong|broken link|removed or moved)\b/i;

/** What a news sentence has and an error page's message has not: someone said it, on a day. */
const REPORTED =
  /\b(?:said|says|told|according to|reported|announced|confirmed)\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
/** What an error page's message has: it speaks to its reader. */
const ADDRESSED = /\b(?:you|your|please)\b/i;

/** What a page exclaims when something went wrong. */
const DISMAY = /\b(?:sorry|oops|whoops|uh[- ]?oh|oh no|ouch|yikes|argh|aw,? snap|error)\b/i;

/** An HTTP error preamble or error-page line: "404", "Error 403 - Forbidden", "Sorry!!", "page can't be found". */
export function isErrorLine(line: string): boolean {
  const words = wordCount(line);
  if (words <= 8 && HTTP_STATUS_LINE.test(line)) return true;
  // "Sorry!!", "Oops!", "Whoops!": an apology or a dismay, not any exclaimed line ("BREAKING NEWS!!", "RESIGNED!"
  // over a wire flash of twenty words)
  if (words <= 3 && /!{1,3}\s*$/.test(line) && !/[.?]/.test(line) && DISMAY.test(line)) return true;
  if (!ERROR_VOCABULARY.test(line) || /["“”]/.test(line)) return false;
  // "Error 404 - Not Found", "Oops! Something went wrong": short; longer lines must speak of the page itself, to
  // its reader, not report an error ("A website error exposed the data of two million customers, the regulator
  // said on Tuesday": a lead)
  if (words <= 6) return true;
  return words <= 30 && PAGE_CUES.test(line) && !(REPORTED.test(line) && !ADDRESSED.test(line));
}

/** "2 minutes, 13 seconds Read", "5 min read", "Reading time: 4 minutes", "3-minute read". */
export function isReadingTime(line: string): boolean {
  return readingTime(line, wordCount(line));
}

/** isReadingTime of a line of `words` words (or more than 40 when words is 41). */
function readingTime(line: string, words: number): boolean {
  if (words > 7 || /[.!?]\s*$/.test(line)) return false;
  return (
    /\b\d+\s*[- ]?(?:min(?:ute)?s?|secs?|seconds?|hours?|hrs?)\b.*\bread\b/i.test(line) ||
    /\bread(?:ing)?\s+time\b/i.test(line) ||
    /^\s*read\s+time\b/i.test(line)
  );
}

const SEPARATORS = /\s[|>»›/·•:]\s|^[|>»›]|[|>»›]$/;

/** A navigation or section label: "Politics", "World | Europe", "Home > News > World", "OPINION". */
export function isSectionLabel(line: string): boolean {
  if (line.length > 60 || endsLikeSentence(line) || /[,;]/.test(line)) return false;
  const words = line.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return true;
  if (SEPARATORS.test(line) && words.length <= 8) return words.every((w) => /^[\p{Lu}\p{N}&]/u.test(w));
  if (words.length > 3) return false;
  return words.every((w) => /^[\p{Lu}&]/u.test(w));
}

/** "12 Comments", "Comments (3)", "No comments yet", "CommentsNo comment", "Leave a comment". */
export function isCommentCounter(line: string): boolean {
  return commentCounter(line, wordCount(line));
}

function commentCounter(line: string, words: number): boolean {
  if (words > 6) return false;
  return (
    /^comments?\b/i.test(line) ||
    /^comments?(?:no|\d)/i.test(line) ||
    /^\d+\s+(?:comments?|replies|responses)\b/i.test(line) ||
    /^no\s+(?:comments?|replies)\b/i.test(line) ||
    /^(?:leave|post|add|write|view|show|load|read)\s+(?:a\s+|all\s+|the\s+)?(?:\d+\s+)?comments?\b/i.test(line)
  );
}

const PAGE_FURNITURE: readonly RegExp[] = [
  /^(?:share|tweet|email|e-mail|print|whatsapp|facebook|twitter|linkedin|pinterest|reddit|telegram|copy link|save)\b/i,
  /^(?:follow|like)\s+us\b/i,
  /^(?:advertisement|advertising|sponsored(?: content)?|ad|promoted|skip (?:to|ad)|scroll to continue)\b/i,
  /^(?:more (?:in|from|on|about|stories|news|articles)|related(?: (?:articles?|stories|posts|news|coverage|topics))?|similar (?:posts|articles|stories)|recommended|read (?:more|next|also)|see also|also read|you (?:may|might) (?:also )?like|most (?:read|popular|viewed)|trending(?: now)?|latest(?: news)?|top stories|don'?t miss|what to read next|up next|keep reading)\b/i,
  /^(?:tags?|topics?|filed under|categories)\s*:/i,
  /^(?:photo|image|picture|video|file photo|credit|source)s?\s*(?::|\(|by\b)/i,
  /^(?:click|tap) here\b/i,
  /^(?:watch|listen)(?: now)?\s*:/i,
];

/** Share bars, ads, "More In ..." / "Similar Posts" headers, tag lists, photo credits: short page furniture. */
export function isPageFurniture(line: string): boolean {
  return pageFurniture(line, wordCount(line));
}

function pageFurniture(line: string, words: number): boolean {
  // furniture is a label, not a sentence: "Share prices rose." and "Related talks are planned." are news
  if (words > 12 || (words > 3 && endsLikeSentence(line))) return false;
  return PAGE_FURNITURE.some((re) => re.test(line));
}

/** Copyright and rights lines. */
export function isCopyrightLine(line: string): boolean {
  return copyrightLine(line, wordCount(line));
}

/** isCopyrightLine of a line of `words` words. */
function copyrightLine(line: string, words: number): boolean {
  if (words > 40) return false;
  // (a line the second pattern matches holds 'all rights reserved' in its lower case: no lower-case copy to search)
  return /^\s*(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}|by\b|$))/i.test(line) || /\ball rights reserved\b/i.test(line);
}

/** What every word of the `about` pattern below contains, lower case. */
const NEWSLETTER_WORDS = ['newsletter', 'subscri', 'inbox', 'briefing', 'digest'];
/**
 * A line whose lower case holds one of NEWSLETTER_WORDS, found without the lower-case copy: an ASCII letter matches
 * its capital under /i, and the only other characters whose lower case holds an ASCII letter are the dotted capital
 * I (to i and a combining dot) and the Kelvin sign (to k), which a line with them is searched for in lower case.
 */
const NEWSLETTER_WORD = new RegExp(NEWSLETTER_WORDS.join('|'), 'i');

function hasNewsletterWord(line: string): boolean {
  if (NEWSLETTER_WORD.test(line)) return true;
  if (!line.includes('\u0130') && !line.includes('\u212a')) return false;
  const lower = line.toLowerCase();
  return NEWSLETTER_WORDS.some((w) => lower.includes(w));
}

/** Newsletter and subscription prompts. */
export function isNewsletterPrompt(line: string): boolean {
  return newsletterPrompt(line, wordCount(line));
}

function newsletterPrompt(line: string, words: number): boolean {
  if (words > 35) return false;
  // without one of the subject words it is no prompt: one search first, the regexes only for the few that have one
  if (!hasNewsletterWord(line)) return false;
  if (/["“”]/.test(line) || /\b(?:said|says|told|according)\b/i.test(line)) return false;
  const about = /\b(?:newsletters?|subscribe|subscription|subscribers?|unsubscribe|inbox|briefing|digest)\b/i.test(
    line,
  );
  const prompt = /^(?:sign(?:ing)? up|subscribe|get|join|register|don'?t miss|never miss|want)\b/i.test(line);
  return about && (prompt || /\b(?:delivered|free|email|inbox|daily|weekly|sign up)\b/i.test(line));
}

const LEGAL_TERMS: readonly RegExp[] = [
  /\bwarrant(?:y|ies)\b/i,
  /\bliabilit(?:y|ies)\b|\bliable\b/i,
  /\bresponsibilit(?:y|ies)\b/i,
  /\bdisclaim(?:er|s)?\b/i,
  /\bcopyright\b/i,
  /\btrademarks?\b/i,
  /\b(?:terms (?:of (?:use|service)|and conditions)|privacy policy|cookie policy|cookies)\b/i,
  /\bviews (?:expressed|and opinions)\b|\bdo(?:es)? not (?:necessarily )?reflect\b/i,
  /\b(?:reproduc|redistribut|republish)\w*\b/i,
  /\b(?:kindly|please) contact\b/i,
  /\bas is\b/i,
  /\b(?:accuracy|completeness|reliability|legality)\b/i,
  /\bthis (?:article|content|website|site|information)\b/i,
  /\bpress release\b.*\bprovided\b|\bprovided by\b/i,
];

/**
 * Gate: a line matches it exactly when it holds some LEGAL_TERMS vocabulary. Every alternative of every term starts
 * at a word boundary, so the gate is all of them under one leading \b: the engine tries them only where a word
 * starts, and nearly every line of prose fails it there (a third faster than a gate of bare stems, which also let
 * ten times as many lines through to the per-kind tests).
 */
const LEGAL_ANY = new RegExp(
  `\\b(?:${groupedByFirstChar(LEGAL_TERMS.flatMap((re) => topLevelAlternatives(re.source).map(afterWordBoundary)))})`,
  'i',
);

/**
 * Alternatives of a pattern (matched case-insensitively, only tested) joined again, those that start with a letter or
 * digit grouped by it: "ab|ac|b" as "a(?:b|c)|b". Where a word starts, the engine then tries the group of the char
 * that stands there instead of every alternative in turn; the same texts match. The rest keep their place after them.
 */
export function groupedByFirstChar(alternatives: readonly string[]): string {
  const groups = new Map<string, string[]>();
  const rest: string[] = [];
  for (const alternative of alternatives) {
    const first = alternative.charAt(0).toLowerCase();
    // the first char alone, not quantified ("s?") and no escape's or group's start
    if (!/^[a-z0-9]$/.test(first) || /^.[?*+{]/.test(alternative)) {
      rest.push(alternative);
      continue;
    }
    const group = groups.get(first);
    if (group) group.push(alternative.slice(1));
    else groups.set(first, [alternative.slice(1)]);
  }
  return [...[...groups].map(([first, tails]) => `${first}(?:${tails.join('|')})`), ...rest].join('|');
}

/** A regex source's alternatives at the top level: split at each `|` outside groups and character classes. */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** An alternative that starts with \b, without it. */
function afterWordBoundary(alternative: string): string {
  if (!alternative.startsWith('\\b')) throw new Error(`legal term not at a word boundary: ${alternative}`);
  return alternative.slice(2);
}

/** How many kinds of legal/site-policy vocabulary a line holds: a disclaimer paragraph scores 3 or more. */
export function legalScore(line: string): number {
  if (!LEGAL_ANY.test(line)) return 0;
  let n = 0;
  for (const re of LEGAL_TERMS) if (re.test(line)) n++;
  return n;
}

/** A short "label:" line such as "Legal Disclaimer:" or "Editor's note:" that introduces a block. */
export function isBlockLabel(line: string): boolean {
  return wordCount(line) <= 5 && /:\s*$/.test(line);
}

/** "By Jane Roe", "By Jane Roe and John Doe, Reuters". */
export function bylineOf(line: string): string | null {
  const m =
    /^[Bb][Yy]:?\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|and|&|de|van|von|al|bin))*)(?:\s*[,|-].{0,40})?$/u.exec(
      line,
    );
  return m?.[1] && wordCount(line) <= 12 ? m[1] : null;
}

/**
 * A wire's credit line: "(Reporting by Ana Ruiz in Madrid; Editing by Mark Heinrich)", "Writing by ...": who wrote
 * and edited the copy, not what happened. Left in, its editors' names are shared by every report of that desk.
 * After its opening "Reporting by" it holds only names and the few small words credits are written with, so
 * "Reporting by the BBC found the figures were wrong" is news.
 */
const CREDIT_OPENING =
  /^[([]?\s*(?:additional |further )?(?:reporting|writing|editing|compiled|research|graphics|fact-checking|translation) by\s/i;
const CREDIT_WORDS = new Set(
  'and in by the staff desk team from at with of additional reporting writing editing compiled research graphics translation'.split(
    ' ',
  ),
);

export function isCreditLine(line: string): boolean {
  const text = line.trim();
  if (text.length > 300 || !CREDIT_OPENING.test(text)) return false;
  const words = text
    .replace(/^[([]/, '')
    .replace(/[)\]]?\s*\.?$/, '')
    .split(/[\s;,]+/);
  return words.every((w) => w === '' || /^\p{Lu}/u.test(w) || CREDIT_WORDS.has(w.toLowerCase()));
}

/** Page furniture that can be dropped wherever it stands, top, middle or bottom of the text. */
export function isFurnitureAnywhere(line: string): boolean {
  // every kind below is at most 40 words long: a paragraph of prose is none of them, and is not counted to its end
  // (counted once, and only as far as 41 words: each kind below only asks whether the line is longer than 40 or less)
  const words = wordCountUpTo(line, 40);
  if (words > 40) return false;
  if (readingTime(line, words) || commentCounter(line, words) || pageFurniture(line, words)) return true;
  if (isCreditLine(line)) return true;
  return copyrightLine(line, words) || newsletterPrompt(line, words);
}

/** A line that reads as a headline: a few words, starts with a capital or digit, no sentence ending. */
export function isHeadlineShaped(line: string): boolean {
  const words = wordCount(line);
  if (words < 3 || words > 30 || line.length > 220) return false;
  if (/[.,;:]\s*$/.test(line) || /(?:\.\.\.|…)\s*$/.test(line) || /[?]\s*["'”’]?\s*$/.test(line)) return false;
  if (/!!/.test(line)) return false;
  return /^["'“‘(\p{Lu}\p{N}]/u.test(line);
}
