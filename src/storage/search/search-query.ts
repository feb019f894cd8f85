// A search request as each backend's query language writes it. Terms come from the domain's searchTerms(), so
// they are lower-case letters and digits only; they are quoted anyway, so no input can become an operator.
import type { SearchHit, SearchRequest } from '../../ports.js';

const clean = (term: string): string => term.replace(/[^\p{L}\p{N}]/gu, '');

/** FTS5 (`"a" AND "b c" NOT "d"`) or PostgreSQL tsquery (`'a' & 'b' <-> 'c' & !'d'`); null when nothing to match. */
export function matchExpression(request: SearchRequest, dialect: 'fts5' | 'tsquery'): string | null {
  const all = request.all.map(clean).filter(Boolean);
  const phrases = request.phrases.map((p) => p.map(clean).filter(Boolean)).filter((p) => p.length > 0);
  const none = request.none.map(clean).filter(Boolean);
  if (all.length === 0 && phrases.length === 0) {
    // a search that only leaves words out: a tsquery says it alone, FTS5 cannot (see fts5Exclusion)
    return dialect === 'tsquery' && none.length > 0 ? none.map((t) => `!'${t}'`).join(' & ') : null;
  }
  if (dialect === 'fts5') {
    const positive = [...all.map((t) => `"${t}"`), ...phrases.map((p) => `"${p.join(' ')}"`)].join(' AND ');
    return none.length > 0 ? `(${positive}) NOT (${none.map((t) => `"${t}"`).join(' OR ')})` : positive;
  }
  const parts = [
    ...all.map((t) => `'${t}'`),
    ...phrases.map((p) => `(${p.map((t) => `'${t}'`).join(' <-> ')})`),
    ...none.map((t) => `!'${t}'`),
  ];
  return parts.join(' & ');
}

/**
 * What rows must NOT match when a search only leaves words out (`/digest -putin`): FTS5 has no bare NOT, so the
 * backend excludes the rows this expression (`"a" OR "b"`) matches. Null when the search has words to find (then
 * matchExpression holds the exclusion) or none to leave out.
 */
export function fts5Exclusion(request: SearchRequest): string | null {
  if (request.all.some((t) => clean(t) !== '') || request.phrases.some((p) => p.some((t) => clean(t) !== ''))) {
    return null;
  }
  const none = request.none.map(clean).filter(Boolean);
  return none.length > 0 ? none.map((t) => `"${t}"`).join(' OR ') : null;
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
