// Pages that are not articles (error and maintenance pages, paywalls, cookie walls, "enable JavaScript" and login
// pages), recognised by what the whole page is rather than by its first lines: it speaks the vocabulary of a
// status page, it reports no event, and what is left once the page's address to the reader (apologies, requests,
// links, navigation) is set aside is too little to be an article. A news report that MENTIONS an outage or a
// paywall is told apart by its reporting: third-person sentences with sources, numbers and names.
import {
  endsLikeSentence,
  groupedByFirstChar,
  isFurnitureAnywhere,
  isSectionLabel,
  topLevelAlternatives,
} from './boilerplate.js';
import { clipped, wordCount, wordCountUpTo } from './text.js';

export type NonArticleKind =
  | 'not found'
  | 'forbidden'
  | 'region'
  | 'rate limited'
  | 'bot check'
  | 'unavailable'
  | 'redirect'
  | 'parked domain'
  | 'paywall'
  | 'cookie wall'
  | 'javascript'
  | 'login';

export interface NonArticleVerdict {
  kind: NonArticleKind;
  /** One sentence for the rejection log: the kind, the cue lines, and how little reported text there was. */
  reason: string;
}

/** How a rejection names each kind of page. */
export const PAGE_NAMES: Readonly<Record<NonArticleKind, string>> = {
  'not found': 'an error page (not found)',
  forbidden: 'an error page (access denied)',
  region: 'an error page (not available in your region)',
  'rate limited': 'an error page (too many requests)',
  'bot check': 'a robot check ("checking your browser", captcha)',
  unavailable: 'an error page (service unavailable or maintenance)',
  redirect: 'a redirect page',
  'parked domain': 'a parked domain (for sale)',
  paywall: 'a paywall page',
  'cookie wall': 'a cookie wall',
  javascript: 'an "enable JavaScript" page',
  login: 'a login page',
};

/** Status-page vocabulary by kind. A line may speak of several kinds ("Sign in" on a paywall). */
const KIND_CUES: readonly (readonly [NonArticleKind, RegExp])[] = [
  [
    'not found',
    /\b(?:404|not found|(?:can(?:no|'|’)?t|could ?n[o'’]?t|unable to) (?:be )?find (?:the|this) page|page can(?:no|'|’)?t be found|nothing (?:was )?found (?:at|here)|(?:article|page|story|content) (?:has been|was) (?:removed|taken down|deleted|unpublished)|page (?:you|was) (?:were )?(?:looking|request)|(?:does ?n[o'’]?t|no longer) exists?|broken (?:link|url)|(?:been )?(?:moved|removed|deleted) (?:or|since)|link (?:you|may be)|typed the (?:address|url))\b/i,
  ],
  [
    'forbidden',
    /\b(?:403|401|forbidden|access (?:to this (?:page|site|resource) )?(?:has been |is )?denied|permission to (?:view|access)|not authori[sz]ed|(?:network|ip|address|request) (?:is|has been|was) blocked|security (?:service|check))\b/i,
  ],
  [
    'region',
    /\b(?:451|unavailable (?:for|due to) legal reasons|(?:not |un)available in your (?:region|country|location|area)|(?:access|it) cannot be granted|from (?:your|a) (?:country|region|location) (?:where|that|which|belonging)|outside (?:the|our) (?:service|broadcast) area)\b/i,
  ],
  ['rate limited', /\b(?:429|too many requests|(?:rate|request) limit(?:ed)?|slow down and try again)\b/i],
  [
    'bot check',
    /\b(?:checking (?:your browser|if the site connection is secure)|ddos protection|verif(?:y|ying) (?:that )?you are (?:a )?human|review the security of your connection|are you a robot|not a robot|unusual (?:activity|traffic) from|captcha|press (?:and|&) hold)\b/i,
  ],
  [
    'unavailable',
    /\b(?:error establishing a database connection|database server (?:is |may be )?(?:down|unavailable)|(?:account|site|website) (?:has been )?suspended|50[0234]|service (?:is )?(?:temporarily )?unavailable|temporarily unavailable|(?:scheduled |planned )?maintenance|be back (?:shortly|soon|online)|(?:internal )?server error|bad gateway|gateway time-?out|down for|upgrad(?:e|ing) our (?:systems|site|website))\b/i,
  ],
  ['redirect', /\b(?:(?:you are being|you will be|will be) redirected|not redirected automatically|redirecting)\b/i],
  [
    'parked domain',
    /\b(?:domain (?:name )?(?:may be|is) for sale|buy this domain|(?:this )?domain (?:has expired|is parked)|parked (?:free|domain))\b/i,
  ],
  [
    'paywall',
    /\b(?:subscribers? only|subscriber[- ]only|subscribe (?:now |today )?to (?:continue|keep) reading|continue reading|already a subscriber|free articles?|unlimited (?:digital )?access|free trial|cancel any ?time|unlock (?:this|the full) (?:article|story)|digital access)\b/i,
  ],
  [
    'cookie wall',
    /\b(?:cookies?|(?:manage|your) (?:privacy )?(?:preferences|choices|consent)|reject all|accept all|consent id|our (?:\d+ )?partners|personalis(?:e|ed) (?:content|ads)|value your privacy)\b/i,
  ],
  [
    'javascript',
    /\b(?:javascript|browser (?:is not|isn'?t|not) supported|(?:update|upgrade) (?:to the latest version of )?your browser|reload the page|enable (?:scripts|js))\b/i,
  ],
  [
    'login',
    /\b(?:sign[- ]?in|log[- ]?in|password|remember me|create (?:a |an |your )?(?:free )?account|email address|username|register (?:now|for free))\b/i,
  ],
];

/**
 * Any status vocabulary at all: one test before the per-kind ones. Every kind's cue is `\b(?:…)\b`, so the test is
 * their alternatives under one pair of word boundaries: the same lines match, and the regex engine tries a
 * boundary once per position rather than once per kind (about half the time of the twelve patterns joined whole).
 */
const ANY_CUE = new RegExp(
  `\\b(?:${groupedByFirstChar(KIND_CUES.flatMap(([, re]) => topLevelAlternatives(alternativesOf(re))))})\\b`,
  'i',
);

/** The alternatives inside a `\b(?:…)\b` pattern. */
function alternativesOf(re: RegExp): string {
  const source = re.source;
  if (!source.startsWith('\\b(?:') || !source.endsWith(')\\b')) throw new Error(`not a \\b(?:…)\\b cue: ${source}`);
  return source.slice(5, -3);
}

/**
 * Longer lines are never a status page's own: its messages are a sentence or two (the longest cookie notice we
 * wrote is 33 words, about 200 characters). Skipping long paragraphs keeps the cost off ordinary articles.
 */
const MAX_STATUS_LINE_CHARS = 320;
/** A paragraph this long (about 25 words) is prose. */
const LONG_PARAGRAPH_CHARS = 160;
/** Characters of prose paragraphs that make a page an article by its shape (about 200 words). */
const ARTICLE_BY_SHAPE_CHARS = 1200;

/** The page addressing its reader: apologies, requests, instructions, "try one of these". */
const ADDRESS =
  /\b(?:you|your|you['’](?:re|ve|ll|d)|please|sorry|apologi[sz]e|inconvenience|thank you|oops|whoops)\b|^(?:try|click|tap|go|return|visit|sign|log|enable|subscribe|accept|reject|manage|search|check|contact|refresh|reload|update|start|create|forgot|remember|continue|already|new to|read more)\b/i;

/** "Reference #18.4c2e1b17…", "Ray ID: 7a…", "Request ID: a81c-…": the mark of a generated status page. */
const REFERENCE_ID =
  /\b(?:reference|ref|ray|request|incident|error|trace|correlation|session|consent|offer|login|support)\s*(?:id|#|no\.?|number|code|reference)?\s*[:#]\s*[\w.-]*\d[\w.-]{3,}/i;

/** Reporting: a source speaking, or the past-tense narration of something that happened. */
const REPORTING =
  /\b(?:said|says|told|according to|announced|reported|confirmed|added|warned|estimated|spokes(?:man|woman|person)|officials?|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b/i;

/** Lines of reported text (a news sentence, not the page talking to its reader) needed to call a page an article. */
const MIN_REPORT_WORDS = 40;
/** Share of the page's words that reported text must reach for a page with status vocabulary to count as news. */
const MIN_REPORT_SHARE = 0.3;

/** Kinds every site's header and footer link to ("Cookie settings", "Sign in", "Subscribe"): a short link is no cue. */
const LINK_KINDS: ReadonlySet<NonArticleKind> = new Set(['cookie wall', 'login', 'paywall']);

/** Kinds a line speaks of. For the link kinds a cue line must address the reader or say more than a link does. */
function cuesOf(line: string, words: number): NonArticleKind[] {
  if (!ANY_CUE.test(line)) return [];
  const linkOnly = words < 4 && !ADDRESS.test(line);
  const kinds: NonArticleKind[] = [];
  for (const [kind, re] of KIND_CUES) if (!(linkOnly && LINK_KINDS.has(kind)) && re.test(line)) kinds.push(kind);
  return kinds;
}

/** A sentence that tells what happened: long, finished, not addressed to the reader, with a reporting cue. */
function isReportLine(line: string): boolean {
  const words = wordCount(line);
  if (words < 10 || !endsLikeSentence(line)) return false;
  if (isFurnitureAnywhere(line) || isSectionLabel(line)) return false;
  // A quoted "you" is someone speaking in a report, not the page speaking to its reader.
  const unquoted = line.replace(/["“][^"”]*["”]/g, ' ');
  if (ADDRESS.test(unquoted) && !REPORTING.test(line)) return false;
  return REPORTING.test(line) || /\d/.test(line) || /\s\p{Lu}\p{Ll}+/u.test(unquoted.slice(1));
}

/**
 * Judges a page as a whole, from all its non-empty lines. Null when it may be an article; otherwise the kind of
 * page and a reason. Needs both: status vocabulary (two cue lines, or one with a reference id or an HTTP status
 * line) and too little reported text (under MIN_REPORT_WORDS, or under MIN_REPORT_SHARE of the page's words).
 */
export function judgeNonArticle(lines: readonly string[]): NonArticleVerdict | null {
  if (reportsByShape(lines)) return null;
  // First the cheap pass every article pays: status vocabulary only.
  const cueLines: { line: string; kinds: NonArticleKind[] }[] = [];
  let reference: string | null = null;
  for (const line of lines) {
    if (line.length > MAX_STATUS_LINE_CHARS) continue;
    // counted only as far as the questions below need (under 4 words, at most 8), not to the end of every line
    const words = wordCountUpTo(line, 8);
    const kinds = cuesOf(line, words);
    if (kinds.length > 0) cueLines.push({ line, kinds });
    if (reference === null && words <= 8 && REFERENCE_ID.test(line)) reference = line;
  }
  if (cueLines.length === 0 || (cueLines.length < 2 && reference === null)) return null;

  // Then, for the few pages that speak like a status page: how much of them reports something.
  let totalWords = 0;
  let reportWords = 0;
  const reportLines = new Set<string>();
  for (const line of lines) {
    const words = wordCount(line);
    totalWords += words;
    if (isReportLine(line)) {
      reportWords += words;
      reportLines.add(line);
    }
  }
  const tally = new Map<NonArticleKind, string[]>();
  let statusLines = 0;
  for (const { line, kinds } of cueLines) {
    if (reportLines.has(line)) continue; // "the site showed a 503 page, the operator said": news about a status page
    statusLines++;
    for (const kind of kinds) {
      const list = tally.get(kind);
      if (list) list.push(line);
      else tally.set(kind, [line]);
    }
  }
  if (statusLines === 0 || (statusLines < 2 && reference === null)) return null;
  if (reportWords >= MIN_REPORT_WORDS && reportWords >= MIN_REPORT_SHARE * totalWords) return null;
  const kind = strongestKind(tally);
  if (kind === null) return null;
  const shown = (tally.get(kind) ?? []).slice(0, 2).map((l) => `"${clipped(l)}"`);
  return {
    kind,
    reason:
      `not an article: ${PAGE_NAMES[kind]} (${shown.join(', ')}${reference ? `, ${reference.trim()}` : ''}); ` +
      `${reportWords} of its ${totalWords} words read as reported news`,
  };
}

/**
 * A page with a good deal of text in long paragraphs is an article by its shape alone, so most articles pay for a
 * length check per line and nothing more: a status page's messages are a sentence or two, never pages of prose.
 */
function reportsByShape(lines: readonly string[]): boolean {
  let total = 0;
  let long = 0;
  for (const line of lines) {
    total += line.length;
    if (line.length >= LONG_PARAGRAPH_CHARS) long += line.length;
  }
  return long >= ARTICLE_BY_SHAPE_CHARS && long >= 0.5 * total;
}

/** The kind with most cue lines; on a tie the first in KIND_CUES order (an error outranks the sign-in link on it). */
function strongestKind(tally: ReadonlyMap<NonArticleKind, readonly string[]>): NonArticleKind | null {
  let best: NonArticleKind | null = null;
  let bestCount = 0;
  for (const [kind] of KIND_CUES) {
    const n = tally.get(kind)?.length ?? 0;
    if (n > bestCount) {
      best = kind;
      bestCount = n;
    }
  }
  return best;
}
