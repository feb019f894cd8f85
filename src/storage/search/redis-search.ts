// Search on Redis, which has no full-text index of its own here: a sorted set per search term (member: article id,
// score: publish time), one of every article by time, and a hash per article (story, time, outlet, topics, terms).
// A search intersects the term sets inside the time range, starting with the smallest, and checks phrases,
// exclusions, topic and outlet on the candidates. Candidates are capped (MAX_CANDIDATES): a broader query is
// answered from its newest matches and says how many it looked at.
import type { SearchDoc, SearchHit, SearchIndex, SearchRequest } from '../../ports.js';
import { chunks } from '../kv.js';
import { topicList } from './sqlite-search.js';

export type RedisCommand = (args: string[]) => Promise<unknown>;

const MAX_CANDIDATES = 20_000;
const DOCS_PER_ROUND = 200;

export function redisSearch(send: RedisCommand, namespace: string): SearchIndex {
  const termKey = (term: string) => `${namespace}:search:t:${term}`;
  const docKey = (id: string) => `${namespace}:search:d:${id}`;
  const timeKey = `${namespace}:search:time`;

  async function docs(ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks(ids, DOCS_PER_ROUND)) {
      const replies = await Promise.all(
        part.map((id) => send(['HMGET', docKey(id), 'story', 'published', 'source', 'topics', 'terms'])),
      );
      part.forEach((id, i) => {
        const fields = replies[i] as (string | null)[] | null;
        if (fields && fields[0] !== null && fields[0] !== undefined)
          out.set(
            id,
            fields.map((f) => f ?? ''),
          );
      });
    }
    return out;
  }

  async function present(term: string, ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const scores = (await send(['ZMSCORE', termKey(term), ...ids])) as (string | null)[];
    return scores.map((s) => s !== null);
  }

  return {
    async add(list: readonly SearchDoc[]) {
      for (const part of chunks(list, DOCS_PER_ROUND)) {
        await Promise.all(
          part.flatMap((d) => {
            const published = String(d.publishedAt);
            return [
              send([
                'HSET',
                docKey(d.id),
                'story',
                d.storyId,
                'published',
                published,
                'source',
                d.source?.toLowerCase() ?? '',
                'topics',
                topicList(d),
                'terms',
                d.terms,
              ]),
              send(['ZADD', timeKey, published, d.id]),
              ...distinctTerms(d.terms).map((t) => send(['ZADD', termKey(t), published, d.id])),
            ];
          }),
        );
      }
    },

    async search(request: SearchRequest) {
      const required = [...new Set([...request.all, ...request.phrases.flat()])];
      // the newest candidates of a sorted set inside [since, until)
      const newest = async (key: string) =>
        (await send([
          'ZRANGE',
          key,
          `(${request.until}`,
          String(request.since),
          'BYSCORE',
          'REV',
          'LIMIT',
          '0',
          String(MAX_CANDIDATES),
        ])) as string[];
      let candidates: string[];
      if (required.length > 0) {
        const sizes = await Promise.all(required.map((t) => send(['ZCARD', termKey(t)])));
        const order = required.map((t, i) => ({ t, n: Number(sizes[i]) })).sort((a, b) => a.n - b.n);
        const first = order[0];
        if (!first || first.n === 0) return { hits: [], total: 0 };
        candidates = await newest(termKey(first.t));
        for (const { t } of order.slice(1)) {
          const has = await present(t, candidates);
          candidates = candidates.filter((_, i) => has[i]);
        }
      } else {
        candidates = await newest(timeKey);
      }
      for (const t of request.none) {
        const has = await present(t, candidates);
        candidates = candidates.filter((_, i) => !has[i]);
      }
      const fields = await docs(candidates);
      const scored: SearchHit[] = [];
      for (const id of candidates) {
        const f = fields.get(id);
        if (!f) continue;
        const [story = '', published = '0', source = '', topics = '', terms = ''] = f;
        const at = Number(published);
        if (at < request.since || at >= request.until) continue;
        if (request.topic && !topics.includes(request.topic.toLowerCase())) continue;
        if (request.source && !source.includes(request.source.toLowerCase())) continue;
        const padded = ` ${terms} `;
        if (!request.phrases.every((p) => padded.includes(` ${p.join(' ')} `))) continue;
        let score = 0;
        for (const t of required)
          for (let i = padded.indexOf(` ${t} `); i >= 0; i = padded.indexOf(` ${t} `, i + 1)) score++;
        scored.push({ id, storyId: story, publishedAt: at, score });
      }
      scored.sort((a, b) => b.score - a.score || b.publishedAt - a.publishedAt);
      return { hits: scored.slice(0, request.limit), total: scored.length };
    },

    async remove(ids: readonly string[]) {
      const fields = await docs(ids);
      await Promise.all(
        [...fields].flatMap(([id, f]) => [
          ...distinctTerms(f[4] ?? '').map((t) => send(['ZREM', termKey(t), id])),
          send(['ZREM', timeKey, id]),
          send(['DEL', docKey(id)]),
        ]),
      );
    },
  };
}

/** A document's distinct terms (they are stored space-separated, in order). */
function distinctTerms(terms: string): string[] {
  return [...new Set(terms.split(' ').filter(Boolean))];
}
