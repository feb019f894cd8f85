// Search on PostgreSQL: one table beside keyv's, a tsvector of the articles' search terms (already stemmed by the
// domain, so the 'simple' configuration only splits them) under a GIN index, and a b-tree on (namespace, time).
import type { SearchIndex } from '../../ports.js';
import { chunks } from '../kv.js';
import { answerOf, likePattern, matchExpression } from './search-query.js';
import { topicList } from './sqlite-search.js';

export type PgQuery = (sql: string, values?: readonly unknown[]) => Promise<unknown[]>;

const TABLE = 'newsdigest_search';
const ROWS_PER_INSERT = 200;

export async function postgresSearch(query: PgQuery, namespace: string): Promise<SearchIndex> {
  await query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (ns TEXT NOT NULL, id TEXT NOT NULL, story TEXT NOT NULL,
      published BIGINT NOT NULL, source TEXT, topics TEXT NOT NULL, terms TSVECTOR NOT NULL, PRIMARY KEY (ns, id))`,
  );
  await query(`CREATE INDEX IF NOT EXISTS ${TABLE}_terms ON ${TABLE} USING GIN (terms)`);
  await query(`CREATE INDEX IF NOT EXISTS ${TABLE}_time ON ${TABLE} (ns, published)`);
  return {
    async add(docs) {
      for (const part of chunks(docs, ROWS_PER_INSERT)) {
        await query(
          `INSERT INTO ${TABLE} (ns, id, story, published, source, topics, terms)
           SELECT $1, id, story, published, source, topics, to_tsvector('simple', terms)
           FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[])
             AS t(id, story, published, source, topics, terms)
           ON CONFLICT (ns, id) DO NOTHING`,
          [
            namespace,
            part.map((d) => d.id),
            part.map((d) => d.storyId),
            part.map((d) => d.publishedAt),
            part.map((d) => d.source?.toLowerCase() ?? null),
            part.map(topicList),
            part.map((d) => d.terms),
          ],
        );
      }
    },
    async search(request) {
      const values: unknown[] = [namespace, request.since, request.until];
      const where = ['ns = $1', 'published >= $2', 'published < $3'];
      const match = matchExpression(request, 'tsquery');
      let rank = '0';
      if (match !== null) {
        values.push(match);
        where.push(`terms @@ to_tsquery('simple', $${values.length})`);
        rank = `ts_rank(terms, to_tsquery('simple', $${values.length}))`;
      }
      if (request.topic) {
        values.push(likePattern(request.topic));
        where.push(`topics LIKE $${values.length}`);
      }
      if (request.source) {
        values.push(likePattern(request.source));
        where.push(`source LIKE $${values.length}`);
      }
      const filter = where.join(' AND ');
      const rows = (await query(
        `SELECT id, story, published, ${rank} AS score FROM ${TABLE} WHERE ${filter}
         ORDER BY score DESC, published DESC LIMIT ${Math.max(1, Math.floor(request.limit))}`,
        values,
      )) as { id: string; story: string; published: string; score: number }[];
      const counted = (await query(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE ${filter}`, values)) as { n: string }[];
      return answerOf(rows, counted[0]?.n);
    },
    async remove(ids) {
      for (const part of chunks(ids, ROWS_PER_INSERT)) {
        await query(`DELETE FROM ${TABLE} WHERE ns = $1 AND id = ANY($2::text[])`, [namespace, [...part]]);
      }
    },
  };
}
