// The article's lines -> its paragraphs: what the page prints around and inside every story (the headline again,
// bylines and datelines, captions and credits, "Advertisement", lists of linked headlines, share and subscribe
// prompts) goes. The digest's own line classifiers (src/domain/boilerplate.ts) are used one by one: its whole-text
// cleaner assumes English sentences and drops every line of a Japanese page, so it is not run here.
import { bylineOf, isBlockLabel, isFurnitureAnywhere, isSectionLabel, legalScore } from '../domain/boilerplate.js';
import { findDate, parseDateLine } from '../domain/clean.js';
import { comparisonKey, wordCount } from '../domain/text.js';

export interface ArticleLine {
  text: string;
  /** Characters inside links. */
  linkChars: number;
  /** Heading level 1-6, 0 for body text. */
  heading: number;
}

export interface CleanedArticle {
  paragraphs: string[];
  /** A "By ..." line found above the text. */
  byline: string | null;
  /** A date line found above the text, as ISO. */
  dateline: string | null;
}

/** Furniture of article pages that the digest's line classifiers have no reason to know. */
const PAGE_LINES: readonly RegExp[] = [
  /^(?:advert|advertisement|ad|ads|sponsored|story continues below|continue reading(?: below)?|article continues below)\b.{0,20}$/i,
  /^(?:caption|close|expand|collapse|enlarge|fullscreen|play|pause|next|previous|prev|back to top|loading\b.*)$/i,
  /^(?:image|photo|picture|slide)\s+\d+\s+(?:of|\/)\s*\/?\s*\d+$/i,
  /^\(?(?:image|photo|picture|credit|photograph|illustration|video)s?(?: credit)?\s*(?::|by\b).{0,120}$/i,
  /^(?:updated|published|posted|last (?:updated|modified)|release date|first published|created|modified)\b.{0,80}$/i,
  /^(?:sign (?:up|in)|log ?in|register|subscribe|follow us|share this|share on|print|email|comments?)\b.{0,60}$/i,
];

/** Text shaped like a date or time and nothing else: "Nov. 20, 2019 1:35 a.m.", "11/18/19 11:04 PM EST". */
const DATE_ONLY = /^[\d\s/.:,\-–|]*(?:[a-z]{3,9}\.?[\d\s/.:,\-–|]*){0,3}(?:[ap]\.?m\.?|[A-Z]{2,4})?[\d\s/.:,\-–|]*$/i;
/** An e-mail address around an `@`: checked from the `@` outwards, as a regex scan of a long line backtracks. */
function hasEmail(line: string): boolean {
  for (let at = line.indexOf('@'); at > 0; at = line.indexOf('@', at + 1)) {
    if (/[\w.+-]/.test(line[at - 1] ?? '') && /^[\w-]+\.\w/.test(line.slice(at + 1, at + 100))) return true;
  }
  return false;
}

function isPageLine(line: string): boolean {
  const words = wordCount(line);
  if (words > 25) return false;
  for (const re of PAGE_LINES) if (re.test(line)) return true;
  return words <= 8 && line.length <= 60 && /\d/.test(line) && findDate(line) !== null && DATE_ONLY.test(line);
}

/** Mostly linked and short: an item of a list of other stories or tags, a "Read more: ..." teaser. */
function isLinkLine(line: ArticleLine | undefined): boolean {
  if (!line) return false;
  const len = line.text.length;
  return len > 0 && line.linkChars / len > 0.6 && wordCount(line.text) <= 20;
}

const TEASER = /^(?:see|read|watch|listen)(?: more| also| next)?\b|^(?:also|more) (?:on|read|from|in)\b|^related\b/i;
/** Shouted: nine letters in ten are capitals (an "AMs" or "iPhone" inside does not make it quiet). */
function isAllCaps(s: string): boolean {
  const letters = s.match(/\p{L}/gu)?.length ?? 0;
  const capitals = s.match(/\p{Lu}/gu)?.length ?? 0;
  return letters >= 10 && capitals >= letters * 0.9;
}

/**
 * Links to other stories: two or more linked lines in a row (a list), or one that announces itself ("Read more:",
 * shouted in capitals). A single linked line between paragraphs is often the article's own reference, and stays.
 */
function isOtherStories(lines: readonly ArticleLine[], k: number): boolean {
  const line = lines[k];
  if (!line || !isLinkLine(line)) return false;
  return isLinkLine(lines[k - 1]) || isLinkLine(lines[k + 1]) || TEASER.test(line.text) || isAllCaps(line.text);
}

/** "Write to Jane Roe at jane@example.com", "jane.roe@example.com": a contact line under the story. */
function isContactLine(line: string): boolean {
  return wordCount(line) <= 12 && hasEmail(line);
}

const CTA_START =
  /^(?:follow|subscribe|sign up|join|download|get|submit|support|donate|share|like us|click|tap|register|send us|contact us|email us|write to|have a tip|got a tip|want more|don'?t miss|never miss|if you (?:enjoyed|liked|found))\b/i;
const CTA_OBJECT =
  /\b(?:newsletters?|apps?|twitter|facebook|instagram|linkedin|youtube|telegram|whatsapp|inbox|updates|alerts|podcast|forums?|subscription|subscribers?|this (?:post|article|story|form))\b/i;

/**
 * A call to action under the story: "Follow us on Twitter", "Download our app for the latest stories", "If you
 * enjoyed this post...". Said to the reader (an imperative or "you") about the outlet's channels.
 */
function isCallToAction(line: string): boolean {
  if (wordCount(line) > 45 || /["“”]/.test(line)) return false;
  const toReader = CTA_START.test(line) || /\b(?:you|your)\b/i.test(line);
  return toReader && (CTA_OBJECT.test(line) || /(?:^|\s)@\w/.test(line));
}

/** A line long enough to be running text in any script (CJK sentences have few "words"). */
const isBodyLength = (line: string): boolean => line.length >= 80;

export function cleanArticleLines(lines: readonly ArticleLine[], title: string | null): CleanedArticle {
  const titleKey = title ? comparisonKey(title) : null;
  const kept: string[] = [];
  let byline: string | null = null;
  let dateline: string | null = null;
  let inBody = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (!line) continue;
    const text = line.text;
    if (line.heading === 1) continue;
    if (titleKey !== null && comparisonKey(text) === titleKey) continue;
    if (!inBody) {
      // above the story: who wrote it and when, and the section it is filed in
      const by = bylineOf(text);
      const date = by ? null : parseDateLine(text);
      if (by || date) {
        byline ??= by;
        dateline ??= date;
        continue;
      }
      if (line.heading === 0 && isSectionLabel(text)) continue;
    }
    if (isOtherStories(lines, k)) continue;
    if (isPageLine(text)) continue;
    if (isFurnitureAnywhere(text)) continue;
    if (isBodyLength(text)) inBody = true;
    kept.push(text);
  }
  // below the story: disclaimers, contact lines, calls to follow or subscribe, and the labels that introduce them
  let end = kept.length;
  while (end > 0) {
    const text = kept[end - 1] ?? '';
    if (!(legalScore(text) >= 2 || isBlockLabel(text) || isContactLine(text) || isCallToAction(text))) break;
    end--;
  }
  return { paragraphs: kept.slice(0, end), byline, dateline };
}
