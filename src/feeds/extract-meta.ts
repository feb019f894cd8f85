// An article page's title, byline, date and site name: what the page declares (Open Graph and <meta> through the
// project's html-text reader, then JSON-LD), else what its text shows ("By ..." and date lines above the story).
import { htmlToText, toIsoDate } from '../domain/html-text.js';
import { squash, wordCount } from '../domain/text.js';
import { isLinkedHeading, type PageModel } from './extract-model.js';

export interface ArticleMeta {
  title: string | null;
  /** JSON-LD `articleBody`, one paragraph a line. */
  declaredBody: string | null;
  byline: string | null;
  publishedAt: string | null;
  siteName: string | null;
}

interface LinkedData {
  headline: string | null;
  /** The article's text as the page declares it (some pages render theirs with JavaScript only). */
  articleBody: string | null;
  authors: string[];
  datePublished: string | null;
  publisher: string | null;
}

const ARTICLE_TYPE = /Article|BlogPosting|Report|NewsArticle|Posting|WebPage/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json | undefined): string | null => (typeof v === 'string' && squash(v) ? squash(v) : null);

function namesOf(v: Json | undefined): string[] {
  if (typeof v === 'string') return text(v) ? [squash(v)] : [];
  if (Array.isArray(v)) return v.flatMap(namesOf);
  if (isObject(v)) return namesOf(v.name);
  return [];
}

/** JSON-LD nests a page's objects a few levels deep (a @graph in an array); a page may nest anything. */
const LINKED_DATA_DEPTH = 16;
const LINKED_DATA_OBJECTS = 1_000;

/**
 * Every object in a JSON-LD block, `@graph` members and array items included, in document order: at most
 * LINKED_DATA_OBJECTS of them, none nested deeper than LINKED_DATA_DEPTH (a page of 100,000 nested brackets parses,
 * and a recursive walk of it overflowed the stack).
 */
function objectsOf(root: Json): { [key: string]: Json }[] {
  const out: { [key: string]: Json }[] = [];
  const stack: { value: Json; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0 && out.length < LINKED_DATA_OBJECTS) {
    const { value, depth } = stack.pop() as { value: Json; depth: number };
    if (depth > LINKED_DATA_DEPTH) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as Json, depth: depth + 1 });
    } else if (isObject(value)) {
      out.push(value);
      const graph = value['@graph'];
      if (graph !== undefined) stack.push({ value: graph, depth: depth + 1 });
    }
  }
  return out;
}

/** The first article-typed object's fields across the page's JSON-LD blocks; broken blocks are skipped. */
export function readLinkedData(blocks: readonly string[]): LinkedData {
  const found: LinkedData = { headline: null, articleBody: null, authors: [], datePublished: null, publisher: null };
  for (const block of blocks) {
    let parsed: Json;
    try {
      parsed = JSON.parse(block) as Json;
    } catch {
      continue;
    }
    for (const obj of objectsOf(parsed)) {
      const type = obj['@type'];
      const types = Array.isArray(type) ? type.map(String).join(' ') : String(type ?? '');
      if (!ARTICLE_TYPE.test(types)) continue;
      found.headline ??= text(obj.headline);
      found.articleBody ??= typeof obj.articleBody === 'string' && obj.articleBody.trim() ? obj.articleBody : null;
      if (found.authors.length === 0) found.authors = namesOf(obj.author).filter((n) => !/^https?:/.test(n));
      found.datePublished ??= text(obj.datePublished);
      found.publisher ??= isObject(obj.publisher) ? text(obj.publisher.name) : null;
    }
  }
  return found;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

const PLACEHOLDER = /^(?:no author|unknown|anonymous|admin|administrator|none|null)$/i;

/** A declared author that is a name, not a profile URL, an e-mail address or a placeholder ("No Author"). */
function personName(value: string | null): string | null {
  if (value === null || /^https?:|@|\//.test(value) || value.length > 100 || PLACEHOLDER.test(value)) return null;
  return value;
}

/** What the page shows where it declares nothing: its first <h1>, and a byline element ("By Jane Roe"). */
export interface PageHints {
  headline: string | null;
  byline: string | null;
}

const BYLINE_NAMES = /byline|by-line|author|writtenby|writer|contributor/;
const NOT_BYLINE = /bio|box|info|avatar|image|photo|desc|about|more|social|follow|comment|reply|form|label|input/;

/** Labels and placeholders that byline elements hold besides names. */
const NOT_A_NAME = /\b(?:published|posted|written|updated|by|author|authors|no|unknown|admin|staff|editor|share)\b/i;

/** A short line naming people: "By Jane Roe", "Posted on May 2 by Jane Roe", "Jane Roe and John Doe", "Lars". */
function nameIn(line: string): string | null {
  const afterBy = /\bby\s*:?\s+(.+)$/i.exec(line)?.[1] ?? line;
  // what follows a name on a byline line: a date or time, a " | " or " - " and the outlet or section
  const head = (afterBy.split(/\s+[|\u2013\u2014\u00b7-]\s+|\s(?=\d)/)[0] ?? '').trim();
  if (head.endsWith(':')) return null; // a label ("Datum:")
  const name = head.replace(/(\p{L}{3})[.,;]+$/u, '$1');
  const words = wordCount(name);
  // an initial may end it ("Joe S."); a sentence, a form label ("Name *") or a number may not
  if (words < 1 || words > 6 || /\d|[*!?:]|\p{L}{3}\.$/u.test(name) || NOT_A_NAME.test(name)) return null;
  return /^\p{L}/u.test(name) ? name : null;
}

export function pageHints(model: PageModel): PageHints {
  const hints: PageHints = { headline: null, byline: null };
  for (const line of model.lines) {
    // a linked <h1> is the site's logo, not the story's headline
    if (line.heading === 1 && !isLinkedHeading(line)) {
      hints.headline = line.text;
      break;
    }
  }
  for (const el of model.elements) {
    const marked = el.itemprop.includes('author') || (BYLINE_NAMES.test(el.names) && !NOT_BYLINE.test(el.names));
    if (!marked || el.lineEnd === el.lineStart) continue;
    const name = nameIn(model.lines[el.lineStart]?.text ?? '');
    if (name) {
      hints.byline = name;
      break;
    }
  }
  return hints;
}

const comparable = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const TITLE_TAIL = /\s+([|\u2013\u2014\-\u00b7:]{1,2})\s+([^|\u2013\u2014\u00b7]{1,60})$/u;

const SEPARATOR = /[|\u2013\u2014\-\u00b7:\u00bb\u203a/]/;

/**
 * The page title without the site's or section's name: the <h1> when the title is the <h1> plus a short label set
 * off by a separator ("World: ...", "... | Planet"), else the title less a last segment that names the site (a
 * " | " segment, or one that the host name spells out).
 */
export function cleanTitle(title: string, headline: string | null, url: string): string {
  const host = comparable(hostOf(url) ?? '');
  if (headline && headline.length >= title.length * 0.5 && !host.includes(comparable(headline))) {
    const at = title.indexOf(headline);
    const rest = at < 0 ? '' : `${title.slice(0, at)} ${title.slice(at + headline.length)}`.trim();
    if (at >= 0 && (rest === '' || (SEPARATOR.test(rest) && wordCount(rest) <= 4))) return headline;
  }
  const m = TITLE_TAIL.exec(title);
  const tail = m?.[2];
  if (!m || !tail || wordCount(tail) > 4 || wordCount(title.slice(0, m.index)) < 3) return title;
  return m[1] === '|' || host.includes(comparable(tail)) ? title.slice(0, m.index).trim() : title;
}

/** "/2019/11/18/" in the page's address, as ISO midnight UTC: a last resort for the date. */
export function dateInUrl(url: string): string | null {
  const m = /\/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/-]|$)/.exec(url);
  if (!m) return null;
  return toIsoDate(`${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`);
}

/**
 * What the page declares, with what it shows (hints) where it declares nothing; the date may still come from the
 * text or the address (see extract-article). The head holds the `<meta>` tags, so it is read alone; the whole page
 * only when neither the head nor JSON-LD has a date (the reader then looks at <time> elements).
 */
export function readMeta(
  html: string,
  bodyStart: number,
  jsonLd: readonly string[],
  url: string,
  hints: PageHints,
): ArticleMeta {
  const ld = readLinkedData(jsonLd);
  const ldDate = ld.datePublished ? toIsoDate(ld.datePublished) : null;
  const head = htmlToText(bodyStart > 0 ? html.slice(0, bodyStart) : html);
  const page = bodyStart > 0 && (head.publishedAt ?? ldDate) === null ? htmlToText(html) : head;
  const ldAuthors = ld.authors.length > 0 ? ld.authors.join(', ') : null;
  // declared titles first: the whole-page reader would fall back on the first <h1> before JSON-LD had its say
  const title = head.title ?? ld.headline ?? hints.headline;
  return {
    title: title === null ? null : cleanTitle(title, hints.headline, url),
    declaredBody: ld.articleBody === null ? null : htmlToText(ld.articleBody).text,
    byline: personName(ldAuthors) ?? personName(head.byline) ?? hints.byline,
    publishedAt: page.publishedAt ?? ldDate,
    siteName: head.siteName ?? ld.publisher ?? hostOf(url),
  };
}
