// Article page -> the article: title, byline, date, site and the body as one paragraph a line; null when the page
// holds no article (a listing, an error page, a login wall).
//
// The page is trimmed as text (scripts, styles, unused attributes), parsed with linkedom, flattened into lines with
// their elements, scored by the paragraphs each element holds (extract-score), and the chosen lines are cleaned of
// page furniture.
// Measured with `npm run eval:extract`.
import { isErrorLine } from '../domain/boilerplate.js';
import { type ArticleLine, cleanArticleLines } from './extract-clean.js';
import { dateInUrl, pageHints, readMeta } from './extract-meta.js';
import { buildModel, isLinkedHeading } from './extract-model.js';
import { preparePage } from './extract-prepare.js';
import { selectArticle } from './extract-score.js';

export interface ExtractedArticle {
  title: string | null;
  byline: string | null;
  /** ISO 8601. */
  publishedAt: string | null;
  /** The body, one paragraph a line. */
  text: string;
  siteName: string | null;
}

/** A declared body shorter than this is a summary, not the story. */
const MIN_DECLARED = 500;
/** Less text than this is no article: an error page, a login wall, a photo page (a feed snippet says as much). */
const MIN_ARTICLE_CHARS = 100;

/** Teasers of other pages (linked headline, blurb, linked headline...): 4 linked headings or more, 30% of lines. */
function isTeaserList(lines: readonly ArticleLine[]): boolean {
  let headings = 0;
  for (const line of lines) if (isLinkedHeading(line)) headings++;
  return headings >= 4 && headings >= lines.length * 0.3;
}

/** What was found is no article: too little text, an error message, or teasers of other pages. */
function isNoArticle(paragraphs: readonly string[], listing: boolean): boolean {
  let chars = 0;
  for (const p of paragraphs) chars += p.length;
  if (chars < MIN_ARTICLE_CHARS || listing) return true;
  // an error page's message comes first; a news story about an error does not open with one
  const first = paragraphs[0] ?? '';
  return isErrorLine(first) && chars < MIN_ARTICLE_CHARS * 5;
}

export function extractArticle(html: string, url: string): ExtractedArticle | null {
  const prepared = preparePage(html);
  const model = buildModel(prepared.markup);
  const selection = selectArticle(model);
  const meta = readMeta(html, prepared.bodyStart, prepared.jsonLd, url, pageHints(model));
  const lines: ArticleLine[] = [];
  for (const k of selection.lines) {
    const line = model.lines[k];
    if (line) lines.push(line);
  }
  const cleaned = cleanArticleLines(lines, meta.title);
  let text = cleaned.paragraphs.join('\n');
  // a page that renders its story with JavaScript declares it in JSON-LD: take that when the markup had much less
  const declared = meta.declaredBody;
  if (declared !== null && declared.length >= MIN_DECLARED && declared.length > text.length * 2) text = declared;
  else if (isNoArticle(cleaned.paragraphs, isTeaserList(lines))) return null;
  return {
    title: meta.title,
    byline: meta.byline ?? cleaned.byline,
    publishedAt: meta.publishedAt ?? cleaned.dateline ?? dateInUrl(url),
    text,
    siteName: meta.siteName,
  };
}
