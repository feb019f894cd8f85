// Inside the chosen article: what the page nests among the paragraphs (captions and galleries, share bars, related
// links, author boxes, ads, forms) is dropped by its class or id, and by what it holds: boxes that are mostly links,
// mostly images, or a button's worth of text.
import { type PageModel, rangeStats } from './extract-model.js';

/** Share and follow bars, which may sit in a box of any size relative to the story. */
const SHARE_BAR = /(?:^|[\s_-])(?:share|sharing|addthis|sharethis)(?:$|[\s_-]|bar|tools|buttons|links)/;
/**
 * Inside the article: page furniture by its class or id (captions and galleries, share and follow bars, related and
 * promoted links, author boxes, bylines and dates, tags, comments, ads). Boundaries keep "shared" or "adapted" out.
 */
const FURNITURE =
  /(?:^|[\s_-])(?:wp-caption|caption|credits?|gallery|slideshow|carousel|lightbox|photos?|share|sharing|social|newsletter|subscribe|subscription|signup|related|recommended|recommendations?|more-stories|read-more|readmore|promo|advert\w*|ads?|ad-slot|ad-unit|sponsored|author-bio|author-info|author-box|about-author|bio|byline|dateline|timestamp|published|updated|date|meta|breadcrumbs?|tags?|tag-list|topics|comments?|disqus|toolbar|tools|print|utility|widget|sidebar|trending|most-read|most-popular|outbrain|taboola|paywall|cookie|consent|header|masthead)(?:$|[\s_-])/;
/** Embedded posts (tweets, Instagram) quoted by the article: their wrappers are named "social", "media", "embed". */
export const EMBED = /twitter-tweet|instagram-media|tiktok-embed|(?:^|[\s_-])embed/;

/** The boxes judged by what they hold. */
const BOXES = new Set(['form', 'fieldset', 'table', 'ul', 'ol', 'div', 'section']);
/** A share box holding less text than this is a share bar, not a paragraph that mentions sharing. */
const SHARE_BAR_MAX_CHARS = 400;

/** Per-element counts of the descendants that say what a box holds. */
export interface Counts {
  p: Int32Array;
  img: Int32Array;
  listChars: Int32Array;
  headingChars: Int32Array;
}

export function countDescendants(model: PageModel): Counts {
  const n = model.elements.length;
  const c: Counts = {
    p: new Int32Array(n),
    img: new Int32Array(n),
    listChars: new Int32Array(n),
    headingChars: new Int32Array(n),
  };
  for (let e = n - 1; e >= 0; e--) {
    const el = model.elements[e];
    if (!el) continue;
    if (el.tag === 'p') c.p[e] = (c.p[e] ?? 0) + 1;
    else if (el.tag === 'img') c.img[e] = (c.img[e] ?? 0) + 1;
    // a list's (or heading's) text includes whatever its children counted
    if (el.tag === 'ul' || el.tag === 'ol') c.listChars[e] = rangeStats(model, el.lineStart, el.lineEnd).chars;
    if (/^h[1-6]$/.test(el.tag)) c.headingChars[e] = rangeStats(model, el.lineStart, el.lineEnd).chars;
    const p = el.parent;
    if (p < 0) continue;
    for (const key of ['p', 'img', 'listChars', 'headingChars'] as const) {
      c[key][p] = (c[key][p] ?? 0) + (c[key][e] ?? 0);
    }
  }
  return c;
}

/** A box with this many commas is prose, whatever else it holds. */
const PROSE_COMMAS = 12;
/** A list is a box whose text is this much list items. */
const LIST_SHARE = 0.8;
/** Linked share of its text above which a box is a list of links: for boxes named like the story, and others. */
const LINKS_IN_STORY_BOX = 0.5;
const LINKS_IN_BOX = 0.2;
/** Text shorter than this around a link is a button or a label, not a paragraph. */
const STUB_CHARS = 30;
/** ...unless it is this much heading: a linked subhead of the story. */
const HEADING_SHARE = 0.75;

/**
 * A box inside the article that is no part of the story: named like furniture, a gallery (images outnumbering
 * paragraphs), a block of list items among few paragraphs, a linked stub, or a box that is mostly links.
 */
function isJunkBox(model: PageModel, counts: Counts, e: number, weight: number): boolean {
  const el = model.elements[e];
  if (!el) return false;
  if (weight < 0) return true;
  const stats = rangeStats(model, el.lineStart, el.lineEnd);
  if (stats.commas >= PROSE_COMMAS) return false;
  const isList =
    el.tag === 'ul' || el.tag === 'ol' || (stats.chars > 0 && (counts.listChars[e] ?? 0) >= stats.chars * LIST_SHARE);
  const p = counts.p[e] ?? 0;
  const img = counts.img[e] ?? 0;
  const linked = stats.chars ? stats.links / stats.chars : 0;
  const headings = stats.chars ? (counts.headingChars[e] ?? 0) / stats.chars : 0;
  if (img >= 2 && img > p * 2) return true;
  if (isList) return weight <= 0 && linked > LINKS_IN_STORY_BOX;
  if (stats.chars < STUB_CHARS && linked > 0 && headings < HEADING_SHARE) return true;
  return linked > (weight > 0 ? LINKS_IN_STORY_BOX : LINKS_IN_BOX);
}

export interface PruneInput {
  /** The article: the top candidate and the siblings added to it. */
  included: readonly number[];
  top: number;
  /** Elements the reading skipped (furniture names). */
  excluded: Uint8Array;
  /** Name weights as the reading computed them. */
  weight: Float64Array;
  cleanConditionally: boolean;
}

/** The article's lines, in order, without those of the furniture inside it. */
export function pruneArticle(model: PageModel, counts: Counts, input: PruneInput): number[] {
  const { elements, lines } = model;
  const { included, top, excluded, weight } = input;
  const n = elements.length;
  const removed = new Uint8Array(n);
  let articleChars = 0;
  for (const root of included) {
    articleChars += rangeStats(model, elements[root]?.lineStart ?? 0, elements[root]?.lineEnd ?? 0).chars;
  }
  for (const root of included) {
    const end = elements[root]?.end ?? root + 1;
    for (let e = root; e < end; e++) {
      const el = elements[e];
      if (!el) continue;
      if (excluded[e] || (el.parent >= 0 && removed[el.parent])) {
        removed[e] = 1;
        continue;
      }
      if (e === top) continue; // an added sibling is judged as what it holds
      const chars = rangeStats(model, el.lineStart, el.lineEnd).chars;
      if (SHARE_BAR.test(el.names) && chars < SHARE_BAR_MAX_CHARS) removed[e] = 1;
      else if (FURNITURE.test(el.names) && !EMBED.test(el.names) && chars < articleChars * 0.3) removed[e] = 1;
      else if (/^h[1-6]$/.test(el.tag) && (weight[e] ?? 0) < 0) removed[e] = 1;
      else if (
        input.cleanConditionally &&
        BOXES.has(el.tag) &&
        !EMBED.test(el.names) &&
        isJunkBox(model, counts, e, weight[e] ?? 0)
      ) {
        removed[e] = 1;
      }
    }
  }
  const kept: number[] = [];
  for (const root of included) {
    const el = elements[root];
    if (!el) continue;
    for (let k = el.lineStart; k < el.lineEnd; k++) {
      // removal reached every descendant above, so the line's owner says it all
      if (!removed[lines[k]?.owner ?? 0]) kept.push(k);
    }
  }
  return kept;
}
