// Which part of the page is the article. Every run of text votes for the blocks above it, most for its own block
// and less with each step up; an element's class and id and its tag move its total up or down, and a box that is
// mostly links keeps only its unlinked share. The winner, widened to a shared ancestor or to its parent when those
// hold as much of the story, plus the siblings that read like more of it, is the article; extract-prune then drops
// the furniture inside it. Everything runs over the flat page model, one pass a step. The vocabularies and the
// weights are our own, tuned with `npm run eval:extract`.
import { BLOCK, type PageModel, rangeStats } from './extract-model.js';
import { type Counts, countDescendants, EMBED, pruneArticle } from './extract-prune.js';

/**
 * A pattern finding any of `parts` at the start of a class or id or of one of its `-`/`_` parts ("site-nav",
 * "navbar", "comments"): a stem matches its longer forms, and a name never matches from the middle of a word.
 */
function namePattern(parts: readonly string[]): RegExp {
  return new RegExp(`(?:^|[\\s_-])(?:${parts.join('|')})`);
}

/** What news pages call the furniture around a story: getting around, joining in, selling, interrupting. */
const CHROME = namePattern([
  // getting around the site
  'nav',
  'menu',
  'breadcrumb',
  'masthead',
  'header',
  'footer',
  'sidebar',
  'rail',
  'pager',
  'pagination',
  // joining in
  'comment',
  'disqus',
  'replies',
  'share',
  'social',
  'newsletter',
  'subscribe',
  // selling and cross-selling
  'related',
  'recommend',
  'trending',
  'promo',
  'sponsor',
  'advert',
  'ads?(?![a-z])',
  'banner',
  'outbrain',
  'taboola',
  // interrupting
  'cookie',
  'consent',
  'gdpr',
  'popup',
  'modal',
  'widget',
]);
/** ...and what they call the story itself: a box so named is kept even when another of its names is furniture. */
const STORY = namePattern(['article', 'story', 'content', 'main', 'body', 'post', 'entry', 'text', 'prose', 'blog']);
/** Names that say "the story's body" and nothing else. */
const STORY_BODY = /(?:article|story|post|entry)-?(?:body|content|text)/;
/** ARIA roles of furniture. */
const CHROME_ROLES = new Set(['navigation', 'menu', 'menubar', 'complementary', 'search', 'dialog', 'alertdialog']);

/** How much a name moves an element's score. */
const STORY_NAME_WEIGHT = 20;
const CHROME_NAME_WEIGHT = 20;

/** Blocks whose own text is a paragraph that votes. */
const VOTERS = new Set('p pre td div section article main blockquote dd h2 h3 h4 h5 h6'.split(' '));
/** What a tag says about a block before any text votes for it: wrappers of prose up, lists, forms, headings down. */
const TAG_PRIOR: Record<string, number> = {
  article: 6,
  div: 4,
  section: 3,
  main: 3,
  td: 2,
  blockquote: 2,
  pre: 2,
  ul: -4,
  ol: -4,
  li: -4,
  dl: -4,
  dt: -4,
  dd: -2,
  form: -6,
  address: -4,
  th: -6,
  h1: -6,
  h2: -6,
  h3: -6,
  h4: -6,
  h5: -6,
  h6: -6,
};
/** How far up a paragraph's vote reaches, and what share of it each step up keeps. */
const VOTE_LEVELS = 5;
const VOTE_SHARE = [1, 0.6, 0.35, 0.2, 0.1];
/** Shorter than this, a run of text is a label, not a paragraph. */
const MIN_VOTER_CHARS = 30;
/** Less text than this after extraction means the page was read wrong: try again trusting names less. */
const MIN_ARTICLE_CHARS = 400;

export interface Selection {
  /** Kept lines, in order. */
  lines: number[];
  /** The element chosen as the article. */
  container: number;
}

/** How much one reading of the page trusts what elements are called. */
interface Reading {
  /** Skip elements named like furniture. */
  skipChrome: boolean;
  /** Let names move scores. */
  useNames: boolean;
  /** Drop link lists, galleries and near-empty boxes inside the article. */
  pruneBoxes: boolean;
}

function nameWeight(names: string): number {
  if (!names) return 0;
  return (STORY.test(names) ? STORY_NAME_WEIGHT : 0) - (CHROME.test(names) ? CHROME_NAME_WEIGHT : 0);
}

/** A paragraph's vote: one for being there, more for length (up to a point) and for clauses (commas). */
function vote(chars: number, commas: number): number {
  return 1 + Math.min(chars / 120, 3.5) + commas * 0.8;
}

function selectOnce(model: PageModel, counts: Counts, reading: Reading): Selection {
  const { elements, lines } = model;
  const n = elements.length;
  // skipped[e]: e is, or is inside, an element this reading skips
  const skipped = new Uint8Array(n);
  const weight = new Float64Array(n);
  // a furniture name ("above-footer", "with-sidebar") on an element that holds the story's body says nothing
  const holdsBody = new Uint8Array(n);
  for (let e = n - 1; e >= 0; e--) {
    const el = elements[e];
    if (!el) continue;
    if (el.itemprop === 'articlebody' || STORY_BODY.test(el.names)) holdsBody[e] = 1;
    if (holdsBody[e] && el.parent >= 0) holdsBody[el.parent] = 1;
  }
  for (let e = 0; e < n; e++) {
    const el = elements[e];
    if (!el) continue;
    weight[e] = reading.useNames && !EMBED.test(el.names) ? nameWeight(el.names) : 0;
    if (el.parent >= 0 && skipped[el.parent]) {
      skipped[e] = 1;
      continue;
    }
    if (!reading.skipChrome || el.tag === 'body' || el.tag === 'a' || holdsBody[e]) continue;
    const chrome = el.names && CHROME.test(el.names) && !STORY.test(el.names) && !EMBED.test(el.names);
    if (chrome || CHROME_ROLES.has(el.role)) skipped[e] = 1;
  }

  const ownChars = new Int32Array(n);
  const ownCommas = new Int32Array(n);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (!line || skipped[line.owner]) continue;
    ownChars[line.owner] = (ownChars[line.owner] ?? 0) + line.text.length;
    ownCommas[line.owner] = (ownCommas[line.owner] ?? 0) + rangeStats(model, k, k + 1).commas;
  }
  const hasBlockChild = new Uint8Array(n);
  for (let e = 1; e < n; e++) {
    const el = elements[e];
    if (el && el.parent >= 0 && BLOCK.has(el.tag)) hasBlockChild[el.parent] = 1;
  }
  const score = new Float64Array(n);
  const isCandidate = new Uint8Array(n);
  const touch = (e: number): void => {
    if (isCandidate[e]) return;
    isCandidate[e] = 1;
    score[e] = (TAG_PRIOR[elements[e]?.tag ?? ''] ?? 0) + (weight[e] ?? 0);
  };
  for (let e = 0; e < n; e++) {
    const el = elements[e];
    const chars = ownChars[e] ?? 0;
    if (!el || chars < MIN_VOTER_CHARS || skipped[e] || !VOTERS.has(el.tag)) continue;
    const v = vote(chars, ownCommas[e] ?? 0);
    // text beside block children is a paragraph of the element itself; an element of text alone is the paragraph,
    // and its vote goes to the block holding it
    let a = hasBlockChild[e] ? e : el.parent;
    for (let level = 0; a >= 0 && level < VOTE_LEVELS; level++) {
      touch(a);
      score[a] = (score[a] ?? 0) + v * (VOTE_SHARE[level] ?? 0);
      a = elements[a]?.parent ?? -1;
    }
  }
  const ranked: number[] = [];
  for (let e = 0; e < n; e++) {
    if (!isCandidate[e]) continue;
    const el = elements[e];
    const s = el ? rangeStats(model, el.lineStart, el.lineEnd) : { chars: 0, links: 0 };
    score[e] = (score[e] ?? 0) * (s.chars ? 1 - s.links / s.chars : 1);
    ranked.push(e);
  }
  ranked.sort((a, b) => (score[b] ?? 0) - (score[a] ?? 0));
  let top = ranked[0] ?? 0;
  if (elements[top]?.tag === 'body' || ranked.length === 0) top = 0;
  else top = widenTop(model, top, ranked, score, isCandidate);

  const included = withSiblings(model, top, score, isCandidate, skipped, ownChars);
  const kept = pruneArticle(model, counts, {
    included,
    top,
    excluded: skipped,
    weight,
    cleanConditionally: reading.pruneBoxes,
  });
  return { lines: kept, container: top };
}

/** A sibling that scores this share of the winner is more of the story (a story split by an ad slot). */
const SIBLING_SHARE = 0.3;
const SIBLING_MIN_SCORE = 8;
/** A sibling paragraph of this much text, few of it linked, is more of the story too. */
const SIBLING_PARAGRAPH_CHARS = 100;
const SIBLING_LINK_SHARE = 0.2;
/** The end of a sentence, in Latin or CJK script. */
const SENTENCE_END = /[.!?。！？]["'”’)]?(?:\s|$)/;

/** The winner and those of its siblings that read like more of the story, in order. */
function withSiblings(
  model: PageModel,
  top: number,
  score: Float64Array,
  isCandidate: Uint8Array,
  skipped: Uint8Array,
  ownChars: Int32Array,
): number[] {
  const { elements, lines } = model;
  const topScore = score[top] ?? 0;
  const parent = elements[top]?.parent ?? -1;
  if (parent < 0) return [top];
  const included: number[] = [];
  const threshold = Math.max(SIBLING_MIN_SCORE, topScore * SIBLING_SHARE);
  const topNames = elements[top]?.names ?? '';
  const end = elements[parent]?.end ?? 0;
  for (let s = parent + 1; s < end; s = elements[s]?.end ?? end) {
    const sib = elements[s];
    if (!sib || skipped[s]) continue;
    if (s === top) {
      included.push(s);
      continue;
    }
    // a sibling named as the winner is (a continuation of) the same kind of box: it needs less
    const kin = topNames && sib.names === topNames ? topScore * SIBLING_SHARE : 0;
    if (isCandidate[s] && (score[s] ?? 0) + kin >= threshold) {
      included.push(s);
      continue;
    }
    const stats = rangeStats(model, sib.lineStart, sib.lineEnd);
    const textOnly = sib.tag === 'p' || (sib.tag === 'div' && ownChars[s] === stats.chars);
    if (!textOnly || stats.chars === 0) continue;
    const linked = stats.links / stats.chars;
    if (stats.chars >= SIBLING_PARAGRAPH_CHARS && linked < SIBLING_LINK_SHARE) included.push(s);
    else if (linked === 0 && SENTENCE_END.test(lines[sib.lineEnd - 1]?.text ?? '')) included.push(s);
  }
  return included;
}

/** Near-top candidates (this share of the winner's score) that share an ancestor make that ancestor the article. */
const RIVAL_SHARE = 0.7;
const RIVALS_TO_MERGE = 3;
/** How many runners-up are looked at as rivals. */
const RIVALS_LOOKED_AT = 5;
/** Climbing to a better parent stops where candidates score less than this share of the winner. */
const CLIMB_FLOOR = 0.25;

/**
 * The winner, widened: to the nearest ancestor that holds several near-top rivals too (a story cut in boxes), to a
 * parent that scores higher (going up no further than where scores fall below CLIMB_FLOOR of it), and past wrappers
 * with one child.
 */
function widenTop(
  model: PageModel,
  top: number,
  ranked: readonly number[],
  score: Float64Array,
  isCandidate: Uint8Array,
): number {
  const { elements } = model;
  const parentOf = (e: number): number => elements[e]?.parent ?? -1;
  const topScore = score[top] ?? 0;
  const rivals = ranked.slice(1, 1 + RIVALS_LOOKED_AT).filter((e) => (score[e] ?? 0) >= topScore * RIVAL_SHARE);
  if (rivals.length >= RIVALS_TO_MERGE) {
    const inside = (e: number, a: number): boolean => e > a && e < (elements[a]?.end ?? 0);
    for (let a = parentOf(top); a > 0; a = parentOf(a)) {
      if (rivals.filter((r) => inside(r, a)).length >= RIVALS_TO_MERGE) {
        top = a;
        break;
      }
    }
  }
  let best = top;
  let last = score[best] ?? 0;
  const floor = last * CLIMB_FLOOR;
  for (let a = parentOf(best); a > 0; a = parentOf(a)) {
    if (!isCandidate[a]) continue;
    const s = score[a] ?? 0;
    if (s < floor) break;
    if (s > last) {
      best = a;
      break;
    }
    last = s;
  }
  // a wrapper around nothing but the winner is the same box
  for (let p = parentOf(best); p > 0; p = parentOf(best)) {
    const pe = elements[p];
    if (!pe || pe.end - p - 1 !== (elements[best]?.end ?? 0) - best || childCount(model, p) !== 1) break;
    best = p;
  }
  return best;
}

function childCount(model: PageModel, e: number): number {
  const el = model.elements[e];
  if (!el) return 0;
  let count = 0;
  for (let c = e + 1; c < el.end; c = model.elements[c]?.end ?? el.end) count++;
  return count;
}

/** Each reading trusts names and pruning less than the one before; the first long enough wins, else the longest. */
const READINGS: readonly Reading[] = [
  { skipChrome: true, useNames: true, pruneBoxes: true },
  { skipChrome: false, useNames: true, pruneBoxes: true },
  { skipChrome: false, useNames: false, pruneBoxes: true },
  { skipChrome: false, useNames: false, pruneBoxes: false },
];

/** The article's lines. */
export function selectArticle(model: PageModel): Selection {
  const counts = countDescendants(model);
  let best: Selection | null = null;
  let bestChars = -1;
  for (const reading of READINGS) {
    const sel = selectOnce(model, counts, reading);
    let chars = 0;
    for (const k of sel.lines) chars += model.lines[k]?.text.length ?? 0;
    if (chars >= MIN_ARTICLE_CHARS) return sel;
    if (chars > bestChars) {
      best = sel;
      bestChars = chars;
    }
  }
  return best ?? { lines: [], container: 0 };
}
