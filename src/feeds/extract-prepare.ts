// Page -> the smaller markup the DOM parser needs for extraction, in one left-to-right scan. What never holds
// article text (scripts, styles, comments, form controls, media, navigation, hidden elements, the head) and the
// attributes nobody reads go before parsing: the parser's cost is per node and per attribute, and a news page is
// mostly those. JSON-LD blocks are kept aside on the way, for the metadata.
//
// The attributes extraction reads are renamed short on the way: `n` holds class and id (lower case), `r` the role,
// `p` the itemprop (or "author" for rel="author"). Besides being smaller, a renamed `class` spares the DOM its class-list bookkeeping.
import { readAttribute } from '../domain/html-text.js';

export interface PreparedPage {
  /** Body markup with only the attributes extraction reads. */
  markup: string;
  /** Contents of every `<script type="application/ld+json">`. */
  jsonLd: string[];
  /** Where `<body` starts in the page, or -1: what comes before is the head, for the metadata. */
  bodyStart: number;
}

/** Content is not markup: skip to the end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'iframe', 'noscript']);
/** Markup that is never article text: skip the whole element, counting nested ones of the same name. */
const SKIPPED = new Set(
  (
    'template svg math select button video audio object canvas map ' +
    // navigation, asides, footers and captions: dropping them here costs no F1 on either eval set (measured one by
    // one; dropping <figure> or <header> too does) and spares the parser their many nodes
    'nav aside footer figcaption dialog'
  ).split(' '),
);
/** Wrappers we write ourselves, and elements that only carry metadata. */
const UNWRAPPED = new Set('html head body meta link base input source track param embed'.split(' '));
const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
/** End tags that HTML lets a page leave out: the parser closes these itself, so they do not count as nesting. */
const OPTIONAL_END = new Set('p li dt dd tr td th option optgroup thead tbody tfoot colgroup rb rt rp'.split(' '));
/**
 * Nesting deeper than this is a broken or hostile page (the measured pages stay under 50): further start tags are
 * dropped, their text kept, since the parser's cost grows with the square of the depth.
 */
const MAX_DEPTH = 256;
/**
 * The parser makes one text node per stray `<` ("1 < 2"): past this many on a page, the rest are written as `‹`,
 * so a page of nothing but `<` costs what a page of text does.
 */
const MAX_STRAY_LT = 1000;
const HIDING_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
/** Class names that hide an element or mark text for screen readers, tooltips and hover cards, not for reading. */
const HIDDEN_NAMES =
  /(?:^|\s)(?:hidden|hide|is-hidden|d-none|visually-hidden|sr-only|screen-reader-text|screenreader-only|tooltip|popover|hover-?card|rollover-[\w-]*block)(?:\s|$)/;
const JSON_LD = /ld\+json/i;
/** Blogger and others ship the post as a script template that their JavaScript renders: it is the article. */
const TEMPLATE = /text\/template/i;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function endsName(c: number): boolean {
  return isSpace(c) || c === 47 /* / */ || c === 62 /* > */;
}

/** Index of the `<` of `</name` (any case, then a space, `/` or `>`) at or after `from`, or -1. */
function findEndTag(html: string, from: number, name: string): number {
  let i = from;
  for (;;) {
    const j = html.indexOf('</', i);
    if (j < 0) return -1;
    const after = j + 2 + name.length;
    if (html.slice(j + 2, after).toLowerCase() === name && (after >= html.length || endsName(html.charCodeAt(after)))) {
      return j;
    }
    i = j + 2;
  }
}

interface ScannedTag {
  name: string;
  /** The kept attributes, renamed and serialised with a leading space each. */
  attributes: string;
  hidden: boolean;
  type: string;
  /** Index just past the closing `>`. */
  end: number;
}

const quoted = (value: string): string => `"${value.replace(/"/g, '&quot;')}"`;

/** Reads a tag from just past `<` or `</`; quoted values may hold `>`. */
function scanTag(html: string, start: number, isEnd: boolean): ScannedTag {
  const n = html.length;
  let i = start;
  while (i < n && !endsName(html.charCodeAt(i))) i++;
  const tag: ScannedTag = { name: html.slice(start, i).toLowerCase(), attributes: '', hidden: false, type: '', end: n };
  let names = '';
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 62 /* > */) {
      tag.end = i + 1;
      break;
    }
    if (isSpace(c) || c === 47) {
      i++;
      continue;
    }
    const read = readAttribute(html, i);
    i = read.end;
    const attr = read.name;
    const value = read.value;
    if (isEnd) continue;
    if (attr === 'class' || attr === 'id') names = names ? `${names} ${value}` : value;
    else if (attr === 'role') tag.attributes += ` r=${quoted(value.toLowerCase())}`;
    else if (attr === 'itemprop') tag.attributes += ` p=${quoted(value.toLowerCase())}`;
    // rel="author" marks the same thing as itemprop="author", for the byline
    else if (attr === 'rel' && /\bauthor\b/i.test(value)) tag.attributes += ' p="author"';
    else if (attr === 'hidden') tag.hidden = true;
    else if (attr === 'aria-hidden') tag.hidden ||= value.toLowerCase() === 'true';
    else if (attr === 'style') tag.hidden ||= HIDING_STYLE.test(value);
    else if (attr === 'type') tag.type = value;
  }
  if (names) {
    names = names.toLowerCase().trim();
    tag.hidden ||= HIDDEN_NAMES.test(names);
    tag.attributes += ` n=${quoted(names)}`;
  }
  return tag;
}

/** Paragraph markup without template syntax (`{{x}}`, `<%= x %>`) or JSON data. */
function isPlainMarkup(content: string): boolean {
  return /^\s*</.test(content) && /<p[\s>]/i.test(content) && !/\{\{|<%/.test(content);
}

/**
 * End of the element opened at `from` whose content is markup: past its matching end tag, nesting counted; -1 when
 * it is never closed (then only the start tag goes: losing the rest of a sloppy page would cost more).
 */
function skipElement(html: string, from: number, name: string): number {
  let depth = 1;
  let i = from;
  const open = new RegExp(`<(/?)${name}(?=[\\s/>])`, 'gi');
  for (;;) {
    open.lastIndex = i;
    const m = open.exec(html);
    if (!m) return -1;
    depth += m[1] ? -1 : 1;
    const close = html.indexOf('>', m.index);
    i = close < 0 ? html.length : close + 1;
    if (depth === 0) return i;
  }
}

export function preparePage(html: string): PreparedPage {
  const parts: string[] = [];
  const jsonLd: string[] = [];
  let bodyStart = -1;
  // Elements whose end was searched for in vain: the search would fail again from any later point (for raw text
  // exactly, for nesting nearly), and retrying it on every such tag would make a hostile page cost quadratic time.
  const unclosed = new Set<string>();
  let failedScans = 0; // characters read by end-tag searches that found nothing: bounded to a few page lengths
  let strayLt = 0;
  let depth = 0;
  const n = html.length;
  let i = 0;
  let last = 0; // start of the text not yet copied
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    if (next === 33 /* ! */ || next === 63 /* ? */) {
      // comment, doctype, CDATA, processing instruction: none is article text
      const isComment = html.startsWith('<!--', lt);
      const close = isComment ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt + 2);
      parts.push(html.slice(last, lt));
      i = last = close < 0 ? n : close + (isComment ? 3 : 1);
      continue;
    }
    const isEnd = next === 47; /* / */
    if (!isLetter(html.charCodeAt(isEnd ? lt + 2 : lt + 1))) {
      // a `<` that starts no tag is text: written as `&lt;`, which the parser reads without trying a tag
      parts.push(html.slice(last, lt), ++strayLt > MAX_STRAY_LT ? '\u2039' : '&lt;');
      i = last = lt + 1;
      continue;
    }
    const tag = scanTag(html, isEnd ? lt + 2 : lt + 1, isEnd);
    parts.push(html.slice(last, lt));
    i = last = tag.end;
    const { name } = tag;
    if (isEnd) {
      if (UNWRAPPED.has(name) || SKIPPED.has(name) || RAW_TEXT.has(name)) continue;
      parts.push(`</${name}>`);
      if (depth > 0 && !OPTIONAL_END.has(name)) depth--;
    } else if (RAW_TEXT.has(name)) {
      const end = unclosed.has(name) ? -1 : findEndTag(html, tag.end, name);
      if (end < 0) {
        unclosed.add(name); // never closed: drop the start tag alone
        continue;
      }
      // read on into a template of plain markup: it is the page's (its `</script>` goes as every raw end tag)
      if (name === 'script' && TEMPLATE.test(tag.type) && isPlainMarkup(html.slice(tag.end, end))) continue;
      if (name === 'script' && JSON_LD.test(tag.type)) jsonLd.push(html.slice(tag.end, end));
      i = last = html.indexOf('>', end) + 1 || n;
    } else if (SKIPPED.has(name) || (tag.hidden && !UNWRAPPED.has(name))) {
      const selfClosed = VOID.has(name) || html.charCodeAt(tag.end - 2) === 47;
      const hopeless = unclosed.has(name) || failedScans > 4 * n;
      const end = selfClosed || hopeless ? -1 : skipElement(html, tag.end, name);
      if (end >= 0) i = last = end;
      else if (!selfClosed && !hopeless) {
        unclosed.add(name);
        failedScans += n - tag.end;
      }
    } else if (!UNWRAPPED.has(name)) {
      const nests = !VOID.has(name) && !OPTIONAL_END.has(name);
      if (nests && depth >= MAX_DEPTH) continue;
      if (nests) depth++;
      parts.push(`<${name}${tag.attributes}>`);
    } else if (name === 'body' && bodyStart < 0) {
      bodyStart = lt;
    }
  }
  parts.push(html.slice(last));
  return { markup: parts.join(''), jsonLd, bodyStart };
}
