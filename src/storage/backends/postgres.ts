// PostgreSQL through @keyv/postgres: one table (`keyv`), keys `<namespace>:<key>`, one connection pool per storage.
//
// The pool is ours, not the adapter's: @keyv/postgres keeps a single module-wide pool that the first disconnect()
// ends for every instance, and it attaches no 'error' listener, so a server restart while a connection sits idle
// would crash the process. Here each adapter queries through our pool, which logs such errors and reconnects.
import KeyvPostgres from '@keyv/postgres';
import type { Keyv } from 'keyv';
import pg from 'pg';
import { postgresLeases } from '../leases.js';
import { postgresSearch } from '../search/postgres-search.js';
import { type Backend, type BackendContext, endWithin, keyvLookup, strictKeyv } from './backend.js';

const TABLE = 'keyv';
const KEY_SIZE = 255;

export async function openPostgres(url: string, { guard, logger, namespaces }: BackendContext): Promise<Backend> {
  const pool = new pg.Pool({
    connectionString: url,
    // a worker runs up to jobs.polls (8) polls and a digest at once, each a few queries deep
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    query_timeout: 30_000,
    application_name: 'newsdigest',
  });
  pool.on('error', (error) => {
    logger.warn({ url: guard.url, error: guard.redact(error.message) }, 'postgres: idle connection lost');
  });
  const query = async (sql: string, values?: readonly unknown[]): Promise<unknown[]> =>
    (await pool.query(sql, values)).rows;

  try {
    await guard.connect(async () => {
      try {
        await query(`CREATE TABLE IF NOT EXISTS public.${TABLE}(key VARCHAR(${KEY_SIZE}) PRIMARY KEY, value TEXT)`);
      } catch (error) {
        // Another process created the table at the same moment.
        if (!(error instanceof Error && 'code' in error && error.code === '23505')) throw error;
      }
    });
  } catch (error) {
    // pool.end() waits for a connection attempt still pending (up to connectionTimeoutMillis): not for us to wait
    await endWithin(pool.end(), 0);
    throw error;
  }

  /** The adapter, querying through this storage's pool and leaving the pool's end to close(). */
  class PooledKeyvPostgres extends KeyvPostgres {
    override async connect(): Promise<typeof query> {
      return query;
    }

    override async disconnect(): Promise<void> {}
  }

  const stores = new Map<string, Keyv<unknown>>();
  for (const namespace of namespaces) {
    const adapter = new PooledKeyvPostgres({ uri: guard.url, table: TABLE, keySize: KEY_SIZE });
    stores.set(namespace, strictKeyv(adapter, namespace, logger, { useKeyPrefix: true, redact: guard.redact }));
  }
  return {
    kind: 'postgres',
    keyv: keyvLookup(stores),
    search: (prefix) => postgresSearch((sql, values) => query(sql, values), prefix),
    leases: (prefix) => postgresLeases((sql, values) => query(sql, values), prefix),
    close: async () => {
      // pool.end() waits for queries in flight (up to query_timeout on a stuck server)
      await endWithin(pool.end());
    },
  };
}
