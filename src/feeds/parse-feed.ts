// Feed text -> { title, items }. RSS 0.9x / 1.0 (RDF) / 2.0 and Atom go through rss-parser; JSON Feed is ours.
// Real feeds are sloppy, so a first failure gets one repaired retry (bare `&` escaped, unreadable Atom dates
// blanked: rss-parser throws on those instead of skipping them). Anything still unreadable is a FeedParseError
// that says what the document is and what went wrong.
import Parser from 'rss-parser';
import { FeedParseError } from './errors.js';
import type { FeedItem, ParsedFeed, RefusedLink } from './feed-types.js';
import { itemIdentity, refusedScheme, resolveLink } from './item-identity.js';
import { parseJsonFeed } from './json-feed.js';

export type { FeedItem, ParsedFeed } from './feed-types.js';

export interface ParseFeedOptions {
  /** Where the feed came from: resolves relative links and names the feed in errors. */
  readonly url: string;
  /** rss-parser is synchronous today; this bounds it should a future version stall. Default 15 s. */
  readonly timeoutMs?: number;
}

// rss-parser's output: known fields typed loosely, since xml2js hands over whatever the document contained.
type RawItem = Record<string, unknown>;
interface RawFeed {
  title?: unknown;
  items?: RawItem[];
}

const BARE_AMPERSAND = /&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[\dA-Fa-f]+);)/g;
const ATOM_DATE = /<(published|updated)(\s[^>]*)?>([^<]*)<\/\1>/g;
const ATOM_TEXT_LINK = /<link>([^<]*)<\/link>/g;

export async function parseFeed(text: string, options: ParseFeedOptions): Promise<ParsedFeed> {
  const body = text.trimStart(); // BOM and the newline some CMSes print before `<?xml`
  if (body === '') throw new FeedParseError(`${options.url} returned an empty document, not a feed`, options.url);
  if (body.startsWith('{')) return parseJsonFeed(body, options.url);
  if (!body.startsWith('<')) {
    const kind = body.startsWith('[') ? 'JSON that is not a JSON Feed' : `text starting "${body.slice(0, 20)}"`;
    throw new FeedParseError(`${options.url} is not a feed: ${kind}`, options.url);
  }
  const root = rootElement(body)?.toLowerCase();
  if ((root === 'rss' || root === 'rdf:rdf') && !/<(?:[\w.-]+:)?channel[\s>/]/.test(body)) {
    // rss-parser throws on a channel-less document; it is a well-formed feed with nothing in it.
    return { title: null, format: root === 'rss' ? 'rss' : 'rdf', items: [] };
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  let raw: RawFeed;
  try {
    raw = await parseXml(body, options.url, timeoutMs);
  } catch (first) {
    const repaired = repairXml(body);
    if (repaired === body) throw explain(first, body, options.url);
    try {
      raw = await parseXml(repaired, options.url, timeoutMs);
    } catch {
      throw explain(first, body, options.url);
    }
  }
  return toParsedFeed(raw, body, options.url);
}

/** The retry's repairs, each for a failure seen in real feeds; applied only after a first parse failed. */
function repairXml(body: string): string {
  const atom = rootElement(body)?.toLowerCase() === 'feed';
  const repaired = body
    .replace(BARE_AMPERSAND, '&amp;')
    // rss-parser calls toISOString() on Atom dates and throws "Invalid time value" on any it cannot read
    .replace(ATOM_DATE, (whole, tag: string, attrs: string | undefined, value: string) =>
      Number.isNaN(Date.parse(value.trim())) ? `<${tag}${attrs ?? ''}></${tag}>` : whole,
    );
  // RSS-style <link>URL</link> in an Atom entry: rss-parser reads link attributes without checking for them
  return atom
    ? repaired.replace(
        ATOM_TEXT_LINK,
        (_whole, href: string) => `<link href="${href.trim().replace(/"/g, '&quot;')}"/>`,
      )
    : repaired;
}

async function parseXml(body: string, url: string, timeoutMs: number): Promise<RawFeed> {
  let timer: NodeJS.Timeout | undefined;
  const stall = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FeedParseError(`Parsing ${url} did not finish within ${timeoutMs} ms`, url)),
      timeoutMs,
    );
  });
  try {
    // A parser per document: xml2js keeps state between calls. `defaultRSS: 2` reads `<rss>` without a version
    // attribute as RSS 2.0 instead of refusing it.
    const parser: Parser<Record<string, unknown>, RawItem> = new Parser({ defaultRSS: 2 });
    return await Promise.race([parser.parseString(body), stall]);
  } finally {
    clearTimeout(timer);
  }
}

function rootElement(body: string): string | null {
  const withoutProlog = body.replace(/^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>))*/i, '');
  return /^\s*<([\w:.-]+)/.exec(withoutProlog)?.[1] ?? null;
}

const HTML_ROOTS = new Set(['html', 'head', 'body']);

/** A page's <head> is read this far for the feed it names. */
const FEED_LINK_SEARCH_CHARS = 64 * 1024;
const LINK_TAG = /<link\b[^>]*>/gi;
const FEED_TYPE = /\btype\s*=\s*["']?application\/(?:rss\+xml|atom\+xml|feed\+json|rdf\+xml)/i;
const ALTERNATE = /\brel\s*=\s*["']?[^"'>]*\balternate\b/i;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/**
 * The feed an HTML page names for itself (`<link rel="alternate" type="application/rss+xml" href="...">`, the way
 * browsers and readers discover it), resolved against the page's address; null when it names none or not over
 * http(s). Someone who configured a site's front page gets the feed's address in the error.
 */
function feedLinkOf(body: string, pageUrl: string): string | null {
  for (const [tag] of body.slice(0, FEED_LINK_SEARCH_CHARS).matchAll(LINK_TAG)) {
    if (!FEED_TYPE.test(tag) || !ALTERNATE.test(tag)) continue;
    const m = HREF.exec(tag);
    const href = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').replace(/&amp;/g, '&').trim();
    if (href === '') continue;
    const link = resolveLink(href, pageUrl);
    if (link !== null) return link;
  }
  return null;
}

function explain(error: unknown, body: string, url: string): FeedParseError {
  if (error instanceof FeedParseError) return error;
  const detail = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ', ').trim();
  const root = rootElement(body);
  if (root !== null && HTML_ROOTS.has(root.toLowerCase())) {
    const named = feedLinkOf(body, url);
    const hint = named === null ? '' : `; it names its feed at ${named}: put that address in the config`;
    return new FeedParseError(`${url} is not a feed: it is an HTML page${hint}`, url, { cause: error });
  }
  if (/not recognized as RSS/i.test(detail)) {
    return new FeedParseError(`${url} is not a feed: root element <${root ?? '?'}> is not RSS, RDF or Atom`, url, {
      cause: error,
    });
  }
  if (error instanceof RangeError) {
    // the XML parser recurses per element: a body of thousands of nested tags overflows it
    return new FeedParseError(`${url} nests its elements too deeply to be read as a feed`, url, { cause: error });
  }
  if (error instanceof TypeError) {
    // rss-parser reads fields without checking they exist; say which document it choked on, not its internals.
    return new FeedParseError(`${url} is a <${root ?? '?'}> document rss-parser cannot read: ${detail}`, url, {
      cause: error,
    });
  }
  return new FeedParseError(`${url} is not well-formed XML: ${detail}`, url, { cause: error });
}

// C0 controls other than tab, newline and carriage return: illegal in XML 1.0, yet sax lets some through.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/**
 * Text content of an xml2js value: a string, `{ _: text }`, the first of an array, or, for markup left unescaped
 * inside a text element (`<title><p>Title</p></title>`), the text of its children.
 */
function text(value: unknown): string | null {
  const raw = textOf(Array.isArray(value) ? value[0] : value, 0);
  const cleaned = raw?.replace(CONTROL, '').trim() ?? '';
  return cleaned === '' ? null : cleaned;
}

function textOf(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object' || value === null || depth > 8) return null;
  // Mixed content: xml2js keeps the element's own text in `_` and its children by name, their order lost. Text
  // first reads best for the usual shape, "Title <em>subtitle</em>".
  const own = '_' in value && typeof value._ === 'string' ? value._.trim() : '';
  const parts: string[] = own ? [own] : [];
  for (const [key, child] of Object.entries(value)) {
    if (key === '$' || key === '_') continue; // attributes, own text
    for (const element of Array.isArray(child) ? child : [child]) {
      const part = textOf(element, depth + 1);
      if (part) parts.push(part);
    }
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

function formatOf(body: string): ParsedFeed['format'] {
  const root = rootElement(body)?.toLowerCase();
  if (root === 'feed') return 'atom';
  return root === 'rdf:rdf' ? 'rdf' : 'rss';
}

function toParsedFeed(raw: RawFeed, body: string, url: string): ParsedFeed {
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  const refusedLinks: RefusedLink[] = [];
  for (const rawItem of raw.items ?? []) {
    const item = toItem(rawItem, url);
    if (seen.has(item.id)) continue; // duplicate guids: the first one wins
    seen.add(item.id);
    items.push(item);
    const scheme = item.link === null ? refusedScheme(text(rawItem.link), url) : null;
    if (scheme !== null) refusedLinks.push({ scheme, item: item.id });
  }
  const feed = { title: text(raw.title), format: formatOf(body), items };
  return refusedLinks.length > 0 ? { ...feed, refusedLinks } : feed;
}

function isoDate(raw: RawItem): string | null {
  for (const candidate of [raw.isoDate, raw.pubDate, raw.date]) {
    const value = text(candidate);
    const time = value === null ? Number.NaN : Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return null;
}

function toItem(raw: RawItem, feedUrl: string): FeedItem {
  const rssGuid = text(raw.guid);
  const guid = rssGuid ?? text(raw.id);
  const title = text(raw.title);
  // An RSS guid that is a URL is the item's permalink by default; an Atom id is a name, not a page.
  const link = resolveLink(text(raw.link), feedUrl) ?? (rssGuid && /^https?:\/\//i.test(rssGuid) ? rssGuid : null);
  const publishedAt = isoDate(raw);
  const encoded = text(raw['content:encoded']);
  const content = text(raw.content);
  return {
    id: itemIdentity({ guid, link, title, date: publishedAt ?? text(raw.pubDate) }),
    title,
    link,
    publishedAt,
    author: text(raw.creator) ?? text(raw.author) ?? text(raw['dc:creator']),
    contentHtml: encoded ?? content,
    contentText: encoded ? text(raw['content:encodedSnippet']) : text(raw.contentSnippet),
    summary: text(raw.summary) ?? (encoded ? content : null),
  };
}
