// A search request as each backend's query language writes it. Terms come from the domain's searchTerms(), so
// they are lower-case letters and digits only; they are quoted anyway, so no input can become an operator.
import type { SearchHit, SearchRequest } from '../../ports.js';

const clean = (term: string): string => term.replace(/[^\p{L}\p{N}]/gu, '');

/** The request's terms as the query languages take them: letters and digits, empty ones and phrases dropped. */
function cleanedTerms(request: SearchRequest): { all: string[]; phrases: string[][]; none: string[] } {
  return {
    all: request.all.map(clean).filter(Boolean),
    phrases: request.phrases.map((p) => p.map(clean).filter(Boolean)).filter((p) => p.length > 0),
    none: request.none.map(clean).filter(Boolean),
  };
}

/**
 * FTS5 (`"a" AND "b c" NOT "d"`) or PostgreSQL tsquery (`'a' & 'b' <-> 'c' & !'d'`, or `!'d'` alone); null when
 * nothing to match. FTS5 has no bare NOT: a search that only leaves words out is fts5Exclusion's.
 */
export function matchExpression(request: SearchRequest, dialect: 'fts5' | 'tsquery'): string | null {
  const { all, phrases, none } = cleanedTerms(request);
  const positive = all.length > 0 || phrases.length > 0;
  if (dialect === 'fts5') {
    if (!positive) return null;
    const found = [...all.map((t) => `"${t}"`), ...phrases.map((p) => `"${p.join(' ')}"`)].join(' AND ');
    return none.length > 0 ? `(${found}) NOT (${fts5Any(none)})` : found;
  }
  const parts = [
    ...all.map((t) => `'${t}'`),
    ...phrases.map((p) => `(${p.map((t) => `'${t}'`).join(' <-> ')})`),
    ...none.map((t) => `!'${t}'`),
  ];
  return parts.length > 0 ? parts.join(' & ') : null;
}

/**
 * What rows must NOT match when a search only leaves words out (`/digest -putin`): FTS5 has no bare NOT, so the
 * backend excludes the rows this expression (`"a" OR "b"`) matches. Null when the search has words to find (then
 * matchExpression holds the exclusion) or none to leave out.
 */
export function fts5Exclusion(request: SearchRequest): string | null {
  const { all, phrases, none } = cleanedTerms(request);
  return all.length === 0 && phrases.length === 0 && none.length > 0 ? fts5Any(none) : null;
}

/** FTS5 for "any of these terms". */
function fts5Any(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"`).join(' OR ');
}

/** A LIKE pattern for "contains", with LIKE's wildcards in the value escaped. */
export function likePattern(value: string): string {
  return `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A search's result rows (as SQL returns them: numbers may come as strings) and its count, as the port answers. */
export function answerOf(
  rows: readonly { id: string; story: string; published: number | string; score: number | string }[],
  count: number | string | undefined,
): { hits: SearchHit[]; total: number } {
  const hits = rows.map((r) => ({
    id: r.id,
    storyId: r.story,
    publishedAt: Number(r.published),
    score: Number(r.score),
  }));
  return { hits, total: Number(count ?? hits.length) };
}
