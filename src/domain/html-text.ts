// Web page -> plain text (one paragraph a line) plus the metadata a digest needs.
// A hand-written single left-to-right scan instead of a DOM or one big regex: pages come from anywhere, so the cost
// must stay linear in the page size whatever the markup looks like, and broken markup must degrade, not throw.

import { squash } from './text.js';

export interface HtmlDocument {
  title: string | null;
  text: string;
  publishedAt: string | null;
  siteName: string | null;
  canonicalUrl: string | null;
  byline: string | null;
}

// What the scanner needs to know about an element, one bit each, so that a tag costs one map lookup.
const DROP = 1; // content is never article text; `head` is read for metadata first
const RAW = 2; // content is not markup: jump to the end tag, so a `</div>` in a script string is inert
const VOID = 4;
const BLOCK = 8; // ends a line
const CELL = 16; // separated by a space
const HEAD_CONTENT = 32; // anything else opening inside <head> means the author forgot </head>, as browsers assume
const WANT_ATTRS = 64;
const KIND = new Map<string, number>();
for (const [flag, names] of [
  [DROP, 'script style noscript template svg math iframe head nav footer aside form button select textarea'],
  [RAW, 'script style noscript iframe textarea title noembed noframes xmp'],
  [VOID, 'area base br col embed hr img input link meta param source track wbr'],
  [
    BLOCK,
    'p div br li h1 h2 h3 h4 h5 h6 tr section article header blockquote pre figure figcaption dd dt table ' +
      'ul ol dl main hr address caption details summary fieldset legend center body html',
  ],
  [CELL, 'td th'],
  [HEAD_CONTENT, 'meta link title script style base noscript template'],
  [WANT_ATTRS, 'meta link time script'],
] as const) {
  for (const name of names.split(' ')) KIND.set(name, (KIND.get(name) ?? 0) | flag);
}

// Named references as name and code point. A short list on purpose: news pages use few, and an unknown name
// is left as written rather than guessed.
const ENTITY_LIST =
  'amp 38 lt 60 gt 62 quot 34 apos 39 nbsp 160 mdash 8212 ndash 8211 hellip 8230 rsquo 8217 lsquo 8216 ' +
  'rdquo 8221 ldquo 8220 sbquo 8218 bdquo 8222 laquo 171 raquo 187 copy 169 reg 174 trade 8482 euro 8364 ' +
  'pound 163 cent 162 yen 165 sect 167 deg 176 middot 183 bull 8226 times 215 divide 247 minus 8722 ' +
  'plusmn 177 frac12 189 frac14 188 frac34 190 prime 8242 Prime 8243 shy 173 ensp 8194 emsp 8195 ' +
  'thinsp 8201 zwj 8205 zwnj 8204 eacute 233 egrave 232 aacute 225 agrave 224 iacute 237 oacute 243 ' +
  'uacute 250 auml 228 ouml 246 uuml 252 Auml 196 Ouml 214 Uuml 220 szlig 223 ccedil 231 ntilde 241';
// Numeric references in 128-159 mean Windows-1252 on real pages (old CMSs), as browsers decode them.
const CP1252_LIST =
  '128 8364 130 8218 132 8222 133 8230 145 8216 146 8217 147 8220 148 8221 150 8211 151 8212 153 8482';

function pairsOf(list: string): [string, number][] {
  const words = list.split(' ');
  const out: [string, number][] = [];
  for (let k = 0; k + 1 < words.length; k += 2) out.push([words[k] ?? '', Number(words[k + 1])]);
  return out;
}
const NAMED_ENTITIES = new Map(pairsOf(ENTITY_LIST).map(([name, code]) => [name, String.fromCodePoint(code)]));
const CP1252 = new Map(pairsOf(CP1252_LIST).map(([from, to]) => [Number(from), to]));

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDecimalDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexDigit(c: number): boolean {
  return isDecimalDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isAlnum(c: number): boolean {
  return isAsciiLetter(c) || isDecimalDigit(c);
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}
function endsName(c: number): boolean {
  return isSpace(c) || c === 47 /* / */ || c === 62 /* > */;
}

/** Named (known names, `;` required), decimal and hex references; anything else, a bare `&` included, stays. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    let i = amp + 1;
    let decoded: string | null = null;
    if (s.charCodeAt(i) === 35 /* # */) {
      i++;
      const hex = s[i] === 'x' || s[i] === 'X';
      if (hex) i++;
      const start = i;
      const isDigit = hex ? isHexDigit : isDecimalDigit;
      while (i < s.length && i - start < 8 && isDigit(s.charCodeAt(i))) i++;
      if (i > start) {
        let code = Number.parseInt(s.slice(start, i), hex ? 16 : 10);
        code = CP1252.get(code) ?? code;
        const invalid = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff);
        decoded = invalid ? '\ufffd' : String.fromCodePoint(code);
        if (s[i] === ';') i++;
      }
    } else {
      while (i < s.length && i - amp <= 32 && isAlnum(s.charCodeAt(i))) i++;
      if (s[i] === ';') {
        decoded = NAMED_ENTITIES.get(s.slice(amp + 1, i)) ?? null;
        i++;
      }
    }
    if (decoded === null) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    out += s.slice(last, amp) + decoded;
    last = i;
    amp = s.indexOf('&', i);
  }
  return out + s.slice(last);
}

const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ZONE_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2}|\b[A-Za-z]{2,5})$/;

/**
 * A date string as ISO 8601 UTC, or null when it is not a date. Strings without a zone are read as UTC, never in
 * the machine's zone, so the same input gives the same output everywhere.
 */
export function toIsoDate(value: string): string | null {
  const s = squash(value);
  if (!s || s.length > 100 || !/\d{4}/.test(s)) return null;
  let t = Number.NaN;
  if (ISO_LOCAL.test(s)) t = Date.parse(`${s.replace(' ', 'T')}Z`);
  else if (!ISO_DATE.test(s) && !ZONE_SUFFIX.test(s)) t = Date.parse(`${s} UTC`);
  if (Number.isNaN(t)) t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

interface Tag {
  name: string;
  kind: number;
  attrs: Map<string, string> | null;
  selfClosing: boolean;
  /** Index just past the closing `>`. */
  end: number;
}

/**
 * Reads one attribute starting at `start` (its first character): the lower-case name and the raw value of
 * `name="v"`, `name='v'`, `name=v` or a bare `name`. Quoted values may contain `>`; an unclosed quote runs to the end.
 */
export function readAttribute(html: string, start: number): { name: string; value: string; end: number } {
  const n = html.length;
  let i = start + 1; // a leading `=` belongs to the name
  while (i < n && !endsName(html.charCodeAt(i)) && html.charCodeAt(i) !== 61 /* = */) i++;
  const name = html.slice(start, i).toLowerCase();
  while (i < n && isSpace(html.charCodeAt(i))) i++;
  let value = '';
  if (html.charCodeAt(i) === 61) {
    i++;
    while (i < n && isSpace(html.charCodeAt(i))) i++;
    const q = html.charCodeAt(i);
    if (q === 34 || q === 39 /* " ' */) {
      const close = html.indexOf(q === 34 ? '"' : "'", i + 1);
      const stop = close < 0 ? n : close;
      value = html.slice(i + 1, stop);
      i = stop + 1;
    } else {
      const valueStart = i;
      while (i < n && !isSpace(html.charCodeAt(i)) && html.charCodeAt(i) !== 62) i++;
      value = html.slice(valueStart, i);
    }
  }
  return { name, value, end: i };
}

/** Reads a tag's name and attributes from `start` (just past `<` or `</`). Quoted values may contain `>`. */
function readTag(html: string, start: number, isEndTag: boolean): Tag {
  const n = html.length;
  let i = start;
  while (i < n && !endsName(html.charCodeAt(i))) i++;
  const name = html.slice(start, i).toLowerCase();
  const kind = KIND.get(name) ?? 0;
  const attrs = !isEndTag && kind & WANT_ATTRS ? new Map<string, string>() : null;
  let selfClosing = false;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 62 /* > */) return { name, kind, attrs, selfClosing, end: i + 1 };
    if (isSpace(c) || c === 47 /* / */) {
      selfClosing = c === 47 && html.charCodeAt(i + 1) === 62;
      i++;
      continue;
    }
    selfClosing = false;
    const attr = readAttribute(html, i);
    i = attr.end;
    if (attrs && !attrs.has(attr.name)) attrs.set(attr.name, decodeEntities(attr.value));
  }
  return { name, kind, attrs, selfClosing, end: n };
}

/** Index of the `<` of `</name` (any case) at or after `from`, or the end of the page. */
function findEndTag(html: string, from: number, name: string): number {
  let i = from;
  for (;;) {
    const j = html.indexOf('</', i);
    if (j < 0) return html.length;
    if (html.slice(j + 2, j + 2 + name.length).toLowerCase() === name) {
      const after = html.charCodeAt(j + 2 + name.length);
      if (Number.isNaN(after) || isSpace(after) || after === 47 || after === 62) return j;
    }
    i = j + 2;
  }
}

/** A headline without the site name the page appends to it ("Storm hits coast | The Post"). */
export function stripSiteSuffix(title: string, site: string | null): string {
  if (!site) return title;
  const lower = title.toLowerCase();
  for (const sep of [' | ', ' - ', ' \u2013 ', ' \u2014 ', ' \u00b7 ', ' :: ']) {
    const suffix = (sep + site).toLowerCase();
    if (lower.length > suffix.length && lower.endsWith(suffix)) return title.slice(0, -suffix.length).trim();
  }
  return title;
}

/** Short enough to be a site's name after a separator, not a headline's second half. */
const SITE_AFTER_HEADLINE = /^\s*(?:[|\u2013\u2014\u00b7:]|-|::)\s*\S[^|]{0,40}$/;

/** "Tractor protests paralyse Dutch roads - Europe Today" when the page's h1 is the headline alone: the h1. */
function withoutSiteAfterHeadline(title: string, h1: string | null): string {
  if (h1 === null || title.length <= h1.length || !title.toLowerCase().startsWith(h1.toLowerCase())) return title;
  return SITE_AFTER_HEADLINE.test(title.slice(h1.length)) ? h1 : title;
}

function nonEmpty(value: string | null | undefined): string | null {
  const s = value === null || value === undefined ? '' : squash(value);
  return s ? s : null;
}

/** Lines trimmed, inner whitespace squashed, empty ones dropped. Text nodes arrive collapsed, so most lines need
 * only a trim: the squash is paid where a line still has odd whitespace (nbsp, a run left by joining). */
function cleanLines(text: string): string {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (ODD_SPACE.test(line)) line = squash(line);
    if (line) lines.push(line);
  }
  return lines.join('\n');
}
const ODD_SPACE = /\s\s|[^\S ]/;
// Whitespace that HTML layout collapses; testing first avoids a copy of the many text nodes that have none.
const LAYOUT_SPACE = /[\t\n\r\f]| {2}/;

const LD_DATE = /"datePublished"\s*:\s*"([^"]{1,100})"/;

export function htmlToText(html: string): HtmlDocument {
  // One growing string (V8 joins ropes cheaply); offsets into it mark where <article> and <h1> start and end.
  let out = '';
  let atBreak = true;
  const stack: string[] = [];
  const stackKinds: number[] = [];
  const openCount = new Map<string, number>();
  const meta = new Map<string, string>();
  const times: { at: number; value: string }[] = [];
  const articles: { start: number; end: number }[] = [];
  const openArticles: { start: number; end: number }[] = [];
  let dropDepth = 0;
  let preDepth = 0;
  let headDepth = 0;
  let svgDepth = 0;
  let h1Depth = 0;
  let titleText: string | null = null;
  let ldDate: string | null = null;
  let canonical: string | null = null;
  let h1Start = -1;
  let firstH1: string | null = null;

  const textOf = (from: number, to: number): string => cleanLines(out.slice(from, to));
  const lineBreak = (): void => {
    if (!atBreak) out += '\n';
    atBreak = true;
  };
  const space = (): void => {
    if (!atBreak) out += ' ';
  };
  // Counters for the few elements whose being open changes the output; `openCount` only answers "close what?".
  const track = (name: string, kind: number, delta: 1 | -1): void => {
    openCount.set(name, (openCount.get(name) ?? 0) + delta);
    if (kind & DROP) dropDepth += delta;
    if (name === 'pre') preDepth += delta;
    else if (name === 'head') headDepth += delta;
    else if (name === 'svg') svgDepth += delta;
    else if (name === 'h1') h1Depth += delta;
  };
  const push = (name: string, kind: number): void => {
    stack.push(name);
    stackKinds.push(kind);
    track(name, kind, 1);
    if (name === 'article' && dropDepth === 0) openArticles.push({ start: out.length, end: out.length });
    if (name === 'h1' && firstH1 === null && h1Start < 0 && dropDepth === 0) h1Start = out.length;
  };
  const pop = (): void => {
    const name = stack.pop();
    const kind = stackKinds.pop() ?? 0;
    if (name === undefined) return;
    track(name, kind, -1);
    if (name === 'h1' && h1Start >= 0 && h1Depth === 0) {
      firstH1 = nonEmpty(textOf(h1Start, out.length));
      h1Start = -1;
    }
    if (name === 'article' && dropDepth === 0) {
      const a = openArticles.pop();
      if (a) {
        a.end = out.length;
        articles.push(a);
      }
    }
  };
  // Closing an element closes everything opened inside it, as browsers do with misnested or unclosed tags.
  // Each element is pushed once and popped once, so this stays linear.
  const closeThrough = (name: string): void => {
    if (!openCount.get(name)) return;
    while (stack.length > 0 && stack[stack.length - 1] !== name) pop();
    pop();
  };
  const addText = (raw: string): void => {
    if (dropDepth > 0 || raw.length === 0) return;
    const decoded = decodeEntities(raw);
    const collapsed = preDepth > 0 || !LAYOUT_SPACE.test(decoded) ? decoded : decoded.replace(/[ \t\n\r\f]+/g, ' ');
    if (atBreak && collapsed === ' ') return;
    out += collapsed;
    atBreak = false;
  };
  const readMeta = (tag: Tag): void => {
    const attrs = tag.attrs;
    if (!attrs) return;
    if (tag.name === 'meta') {
      const key = (attrs.get('property') ?? attrs.get('name') ?? attrs.get('itemprop') ?? '').toLowerCase();
      const content = attrs.get('content');
      if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
    } else if (tag.name === 'link') {
      const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
      const href = nonEmpty(attrs.get('href'));
      if (canonical === null && href && rel.includes('canonical')) canonical = href;
    } else if (tag.name === 'time' && dropDepth === 0) {
      const value = attrs.get('datetime');
      if (value) times.push({ at: out.length, value });
    }
  };

  const n = html.length;
  let i = 0;
  // a `<` that starts no markup (`1 < 2`) is text: skip over it here so that runs of them stay one text node
  const startsMarkup = (at: number): boolean => {
    const c = html.charCodeAt(at + 1);
    return isAsciiLetter(c) || c === 47 || c === 33 || c === 63;
  };
  while (i < n) {
    let lt = html.indexOf('<', i);
    while (lt >= 0 && !startsMarkup(lt)) lt = html.indexOf('<', lt + 1);
    if (lt < 0) {
      addText(html.slice(i));
      break;
    }
    if (lt > i) addText(html.slice(i, lt));
    const next = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? n : close + 3;
    } else if (next === 33 /* ! */ || next === 63 /* ? */ || (next === 47 && !isAsciiLetter(html.charCodeAt(lt + 2)))) {
      // doctype, CDATA, processing instruction, `</ junk>`: none carry text
      const close = html.indexOf('>', lt + 2);
      i = close < 0 ? n : close + 1;
    } else if (next === 47 /* / */) {
      const tag = readTag(html, lt + 2, true);
      i = tag.end;
      closeThrough(tag.name);
      if (tag.kind & BLOCK) lineBreak();
      else if (tag.kind & CELL) space();
    } else {
      const tag = readTag(html, lt + 1, false);
      i = tag.end;
      const { name, kind } = tag;
      if (headDepth > 0 && !(kind & HEAD_CONTENT)) closeThrough('head');
      readMeta(tag);
      if (kind & BLOCK) lineBreak();
      else if (kind & CELL) space();
      // inside <svg>, <title> is an ordinary (dropped) element, not the page title
      if (kind & RAW && !(name === 'title' && svgDepth > 0)) {
        const end = findEndTag(html, i, name);
        // `<x/>` does not close a raw element in HTML, but with no end tag in sight, reading it as closed loses less
        if (tag.selfClosing && (name !== 'script' || end === n)) continue;
        const content = html.slice(i, end);
        if (name === 'title' && titleText === null) titleText = nonEmpty(decodeEntities(content));
        if (name === 'script' && ldDate === null && /ld\+json/i.test(tag.attrs?.get('type') ?? '')) {
          ldDate = LD_DATE.exec(content)?.[1] ?? null;
        }
        i = end;
      } else if (!(kind & VOID) && !tag.selfClosing) {
        push(name, kind);
      }
    }
  }
  while (stack.length > 0) pop();

  let chosen: { start: number; end: number } | null = null;
  let best = '';
  for (const a of articles) {
    const t = textOf(a.start, a.end);
    if (t.length > best.length) {
      best = t;
      chosen = a;
    }
  }
  const text = best || textOf(0, out.length);

  const siteName = nonEmpty(meta.get('og:site_name'));
  const ogTitle = nonEmpty(meta.get('og:title'));
  const rawTitle = ogTitle ?? titleText;
  const title = rawTitle ? withoutSiteAfterHeadline(stripSiteSuffix(rawTitle, siteName), firstH1) : firstH1;

  const range = chosen;
  const inChosen = range ? times.filter((t) => t.at >= range.start && t.at <= range.end) : [];
  const dateCandidates = [
    meta.get('article:published_time'),
    meta.get('og:article:published_time'),
    ldDate,
    meta.get('datepublished'),
    ...inChosen.map((t) => t.value),
    ...times.map((t) => t.value),
  ];
  let publishedAt: string | null = null;
  for (const candidate of dateCandidates) {
    publishedAt = candidate ? toIsoDate(candidate) : null;
    if (publishedAt) break;
  }

  return {
    title,
    text,
    publishedAt,
    siteName,
    canonicalUrl: canonical ?? nonEmpty(meta.get('og:url')),
    byline: nonEmpty(meta.get('author')),
  };
}
