// Leases in the storage backend itself, so every process sharing a store (two `run --once`, a daemon and a
// `run --once`, workers of a split install) shares its locks: a lease is a row/key naming its holder's random token
// and an expiry. It is taken when absent or expired, renewed while its holder works, and released only by its
// holder. SQLite and PostgreSQL take it with one upsert that overwrites only an expired row; Redis with SET NX PX.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Lease, Locks, Logger } from '../ports.js';

export interface LeaseTable {
  /** Takes the lease when it is free or expired: true when `token` holds it now. */
  take(name: string, token: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease when `token` still holds it. */
  renew(name: string, token: string, ttlMs: number): Promise<boolean>;
  release(name: string, token: string): Promise<void>;
  /** The token holding the lease now (expired or not), or null. */
  holder(name: string): Promise<string | null>;
  /** Takes the lease over from `from` (a holder known to be dead): true when `token` holds it now. */
  takeOver(name: string, from: string, token: string, ttlMs: number): Promise<boolean>;
}

/** Runs one statement with parameters, returning its rows. */
export type SqlQuery = (sql: string, params: readonly unknown[]) => Promise<unknown[]>;

/** Leases in a SQLite table (`?` parameters; time from this machine, the only one that opens the file). */
export async function sqliteLeases(query: SqlQuery, namespace: string): Promise<LeaseTable> {
  await query(
    'CREATE TABLE IF NOT EXISTS leases (ns TEXT NOT NULL, name TEXT NOT NULL, token TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (ns, name))',
    [],
  );
  return {
    async take(name, token, ttlMs) {
      const now = Date.now();
      const rows = await query(
        `INSERT INTO leases (ns, name, token, expires) VALUES (?, ?, ?, ?)
         ON CONFLICT (ns, name) DO UPDATE SET token = excluded.token, expires = excluded.expires
         WHERE leases.expires < ? RETURNING token`,
        [namespace, name, token, now + ttlMs, now],
      );
      return rows.length > 0;
    },
    async renew(name, token, ttlMs) {
      const rows = await query(
        'UPDATE leases SET expires = ? WHERE ns = ? AND name = ? AND token = ? RETURNING token',
        [Date.now() + ttlMs, namespace, name, token],
      );
      return rows.length > 0;
    },
    async release(name, token) {
      await query('DELETE FROM leases WHERE ns = ? AND name = ? AND token = ?', [namespace, name, token]);
    },
    async holder(name) {
      const rows = (await query('SELECT token FROM leases WHERE ns = ? AND name = ?', [namespace, name])) as {
        token: string;
      }[];
      return rows[0]?.token ?? null;
    },
    async takeOver(name, from, token, ttlMs) {
      const rows = await query(
        'UPDATE leases SET token = ?, expires = ? WHERE ns = ? AND name = ? AND token = ? RETURNING token',
        [token, Date.now() + ttlMs, namespace, name, from],
      );
      return rows.length > 0;
    },
  };
}

/** Leases in a PostgreSQL table, timed by the server's clock (processes on several machines agree on it). */
export async function postgresLeases(query: SqlQuery, namespace: string): Promise<LeaseTable> {
  try {
    await query(
      'CREATE TABLE IF NOT EXISTS newsdigest_leases (ns TEXT NOT NULL, name TEXT NOT NULL, token TEXT NOT NULL, expires BIGINT NOT NULL, PRIMARY KEY (ns, name))',
      [],
    );
  } catch (error) {
    // another process created the table at the same moment
    if (!(error instanceof Error && 'code' in error && error.code === '23505')) throw error;
  }
  const now = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
  return {
    async take(name, token, ttlMs) {
      const rows = await query(
        `INSERT INTO newsdigest_leases AS l (ns, name, token, expires) VALUES ($1, $2, $3, ${now} + $4)
         ON CONFLICT (ns, name) DO UPDATE SET token = excluded.token, expires = excluded.expires
         WHERE l.expires < ${now} RETURNING token`,
        [namespace, name, token, ttlMs],
      );
      return rows.length > 0;
    },
    async renew(name, token, ttlMs) {
      const rows = await query(
        `UPDATE newsdigest_leases SET expires = ${now} + $4 WHERE ns = $1 AND name = $2 AND token = $3 RETURNING token`,
        [namespace, name, token, ttlMs],
      );
      return rows.length > 0;
    },
    async release(name, token) {
      await query('DELETE FROM newsdigest_leases WHERE ns = $1 AND name = $2 AND token = $3', [namespace, name, token]);
    },
    async holder(name) {
      const rows = (await query('SELECT token FROM newsdigest_leases WHERE ns = $1 AND name = $2', [
        namespace,
        name,
      ])) as { token: string }[];
      return rows[0]?.token ?? null;
    },
    async takeOver(name, from, token, ttlMs) {
      const rows = await query(
        `UPDATE newsdigest_leases SET token = $5, expires = ${now} + $4 WHERE ns = $1 AND name = $2 AND token = $3 RETURNING token`,
        [namespace, name, from, ttlMs, token],
      );
      return rows.length > 0;
    },
  };
}

/** Sends one Redis command, returning its reply. */
export type RedisCommand = (args: string[]) => Promise<unknown>;

const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const TAKE_OVER = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("set", KEYS[1], ARGV[2], "PX", ARGV[3]) else return 0 end`;

/** Leases as Redis keys with an expiry (the server's clock). */
export function redisLeases(send: RedisCommand, namespace: string): LeaseTable {
  const key = (name: string) => `${namespace}:lease:${name}`;
  return {
    async take(name, token, ttlMs) {
      return (await send(['SET', key(name), token, 'PX', String(ttlMs), 'NX'])) === 'OK';
    },
    async renew(name, token, ttlMs) {
      return Number(await send(['EVAL', RENEW, '1', key(name), token, String(ttlMs)])) === 1;
    },
    async release(name, token) {
      await send(['EVAL', RELEASE, '1', key(name), token]);
    },
    async holder(name) {
      const token = await send(['GET', key(name)]);
      return typeof token === 'string' ? token : null;
    },
    async takeOver(name, from, token, ttlMs) {
      return (await send(['EVAL', TAKE_OVER, '1', key(name), from, token, String(ttlMs)])) === 'OK';
    },
  };
}

const HOST = hostname();

/** A lease token names its holder's host and pid: true when that is a process of this host that no longer runs. */
export function deadOnThisHost(token: string): boolean {
  const [host, pid] = token.split('/');
  const id = Number(pid);
  if (host !== HOST || !Number.isSafeInteger(id) || id <= 0 || id === process.pid) return false;
  try {
    process.kill(id, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface StoreLocksOptions {
  readonly logger: Logger;
  /** How long a lease outlives a holder that stopped renewing it (a killed process). Default 30 s. */
  readonly ttlMs?: number;
  /** How often a held lease is renewed. Default a third of the ttl. */
  readonly renewMs?: number;
}

/**
 * The Locks port on a lease table. A holder renews its lease every third of the ttl; a process killed while holding
 * one frees it when the ttl runs out. The window left (a holder frozen longer than the ttl, then waking up while
 * another holds the lease) is written in docs/adr/008-jobs-and-roles.md.
 */
export class StoreLocks implements Locks {
  readonly #table: LeaseTable;
  readonly #logger: Logger;
  readonly #ttlMs: number;
  readonly #renewMs: number;

  constructor(table: LeaseTable, options: StoreLocksOptions) {
    this.#table = table;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#renewMs = options.renewMs ?? Math.floor(this.#ttlMs / 3);
  }

  async withLock<T>(
    name: string,
    waitMs: number,
    work: (lease: Lease) => Promise<T>,
  ): Promise<{ held: true; value: T } | { held: false }> {
    const token = `${HOST}/${process.pid}/${randomUUID()}`;
    const deadline = Date.now() + waitMs;
    let pause = 25;
    let takenAt = performance.now();
    while (!(await this.#table.take(name, token, this.#ttlMs))) {
      // a process of this machine that died holding it (kill -9) frees it now, not when its lease runs out
      const holder = await this.#table.holder(name);
      if (holder !== null && deadOnThisHost(holder) && (await this.#table.takeOver(name, holder, token, this.#ttlMs))) {
        this.#logger.info({ lock: name }, 'lock taken over from a process that is gone');
        break;
      }
      if (Date.now() >= deadline) return { held: false };
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pause, deadline - Date.now()))));
      pause = Math.min(pause * 2, 1_000);
      takenAt = performance.now();
    }
    const lease = new HeldLease(this.#table, name, token, this.#ttlMs, takenAt);
    const renew = setInterval(() => {
      lease.renew().then(
        (kept) => {
          if (!kept) this.#logger.warn({ lock: name }, 'lock expired while held: another process may hold it now');
        },
        (error: unknown) => this.#logger.warn({ lock: name, err: error }, 'could not renew a lock'),
      );
    }, this.#renewMs);
    renew.unref();
    try {
      return { held: true, value: await work(lease) };
    } finally {
      clearInterval(renew);
      await this.#table.release(name, token).catch((error: unknown) => {
        // it expires by itself within the ttl
        this.#logger.warn({ lock: name, err: error }, 'could not release a lock: it expires by itself');
      });
    }
  }

  async close(): Promise<void> {}
}

/**
 * A lease this process holds, as the work sees it: when the store last confirmed it (measured on the monotonic
 * clock from the start of the request that took or renewed it, so a stall counts) and whether a renewal found it
 * taken by someone else. Within half the ttl of a confirmation it is trusted without asking the store.
 */
class HeldLease implements Lease {
  #confirmedAt: number;
  #lost = false;

  constructor(
    private readonly table: LeaseTable,
    private readonly name: string,
    private readonly token: string,
    private readonly ttlMs: number,
    takenAt: number,
  ) {
    this.#confirmedAt = takenAt;
  }

  /** Renews it in the store; false (and lost for good) when another holder has it now. */
  async renew(): Promise<boolean> {
    const startedAt = performance.now();
    const kept = await this.table.renew(this.name, this.token, this.ttlMs);
    if (!kept) this.#lost = true;
    else if (startedAt > this.#confirmedAt) this.#confirmedAt = startedAt;
    return kept;
  }

  async confirm(): Promise<void> {
    const age = performance.now() - this.#confirmedAt;
    if (!this.#lost && age < this.ttlMs / 2) return;
    if (!this.#lost && (await this.renew())) return;
    throw new Error(
      `the lock "${this.name}" lapsed while this process was stalled (last confirmed ${Math.round(age / 1000)} s ago, lease ${Math.round(this.ttlMs / 1000)} s) and another process may hold it now: stopped here`,
    );
  }
}
