// The one factory: a storage URL in, the store ports out, each in its own keyv namespace on one backend.
import type { Logger, SearchIndex, Stores } from '../ports.js';
import { KvArticleStore } from './article-store.js';
import type { Backend, BackendContext } from './backends/backend.js';
import { openPostgres } from './backends/postgres.js';
import { openRedis } from './backends/redis.js';
import { openSqlite } from './backends/sqlite.js';
import { KvChannelSettingsStore } from './channel-settings-store.js';
import { KvDeliveryLedger } from './delivery-ledger.js';
import { type BackendKind, describeCause, StorageConfigError, StorageError } from './errors.js';
import { KvFeedStateStore } from './feed-state-store.js';
import { keyvKv } from './kv.js';
import { type LeaseTable, StoreLocks } from './leases.js';
import { BackendGuard, type RetryPolicy, retryPolicies } from './retry.js';
import { KvStoryStore } from './story-store.js';
import { parseStorageUrl, type StorageLocation, storagePasswords } from './url.js';

export interface Storage extends Stores {
  readonly backend: BackendKind;
  /** The URL with its password masked, for logs. */
  readonly url: string;
  /** Closes the connection; later calls on the stores fail with a StorageError. Safe to call twice. */
  close(): Promise<void>;
}

export interface StorageOptions {
  readonly logger?: Logger;
  /** How often a call is tried while the backend does not answer. Default: four tries within about 2 s. */
  readonly retry?: RetryPolicy;
  /** Prefix of every key, so several bots (or test runs) can share one server. Default `newsdigest`. */
  readonly namespace?: string;
  /** What a relative `sqlite://` path is relative to. Default: the process's working directory. */
  readonly cwd?: string;
  /** How long a lock outlives a holder that stopped renewing it (killed or stalled). Default 30 s. */
  readonly leaseMs?: number;
  /** How often a held lock is renewed. Default a third of `leaseMs` (tests set it long to stand for a stall). */
  readonly leaseRenewMs?: number;
}

const NAMESPACE = /^[A-Za-z0-9._-]{1,40}$/;

/**
 * Opens the storage a URL names: `sqlite://./data/newsdigest.sqlite` (directory created), `sqlite://:memory:`,
 * `redis://` / `rediss://`, `postgres://` / `postgresql://`.
 * @throws StorageConfigError for a URL it cannot use, StorageUnavailableError when the backend does not answer.
 */
export async function openStorage(url: string, options: StorageOptions = {}): Promise<Storage> {
  const location = parseStorageUrl(url, options.cwd ?? process.cwd());
  const prefix = options.namespace ?? 'newsdigest';
  if (!NAMESPACE.test(prefix)) {
    throw new StorageConfigError(`Storage namespace ${JSON.stringify(prefix)} must be 1-40 of A-Z a-z 0-9 . _ -`);
  }
  const logger = (options.logger ?? silentLogger).child({ component: 'storage', backend: location.kind });
  const guard = new BackendGuard(
    location.kind,
    location.display,
    options.retry ?? retryPolicies.fewAttemptsInTwoSeconds,
    logger,
    storagePasswords(url),
  );
  const names = {
    articles: `${prefix}:articles`,
    feeds: `${prefix}:feeds`,
    deliveries: `${prefix}:deliveries`,
    stories: `${prefix}:stories`,
    channelSettings: `${prefix}:channels`,
  } as const;
  const context: BackendContext = { guard, logger, namespaces: Object.values(names) };
  const backend = await openBackend(location, context).catch((error: unknown) => {
    // A driver that throws before the guard runs (a URL it cannot read) may repeat the URL: never pass that on.
    guard.scrub(error);
    if (error instanceof StorageError) throw error;
    throw new StorageConfigError(`Storage URL ${location.display} cannot be used: ${describeCause(error)}`, {
      cause: error,
    });
  });
  const kv = (namespace: string) => keyvKv(backend.keyv(namespace), guard, namespace);
  const search = guardedSearch(await guard.connect(() => backend.search(prefix)), guard);
  const leases = guardedLeases(await guard.connect(() => backend.leases(prefix)), guard);
  const locks = new StoreLocks(leases, {
    logger,
    ...(options.leaseMs === undefined ? {} : { ttlMs: options.leaseMs }),
    ...(options.leaseRenewMs === undefined ? {} : { renewMs: options.leaseRenewMs }),
  });
  let closing: Promise<void> | undefined;
  logger.debug({ url: location.display }, 'storage: opened');
  return {
    articles: new KvArticleStore(kv(names.articles), logger, locks),
    feeds: new KvFeedStateStore(kv(names.feeds), locks),
    deliveries: new KvDeliveryLedger(kv(names.deliveries)),
    stories: new KvStoryStore(kv(names.stories)),
    channelSettings: new KvChannelSettingsStore(kv(names.channelSettings), locks),
    search,
    locks,
    backend: location.kind,
    url: location.display,
    close: () => {
      guard.markClosed();
      closing ??= backend.close();
      return closing;
    },
  };
}

/** Leases behind the retry guard; a lease taken by a call that was retried is the same caller's token. */
function guardedLeases(table: LeaseTable, guard: BackendGuard): LeaseTable {
  return {
    take: (name, token, ttl) => guard.run('take a lock', () => table.take(name, token, ttl)),
    renew: (name, token, ttl) => guard.run('renew a lock', () => table.renew(name, token, ttl)),
    release: (name, token) => guard.run('release a lock', () => table.release(name, token)),
    holder: (name) => guard.run('read a lock', () => table.holder(name)),
    takeOver: (name, from, token, ttl) => guard.run('take over a lock', () => table.takeOver(name, from, token, ttl)),
  };
}

/** The search index behind the same retry guard as every other storage call. */
function guardedSearch(index: SearchIndex, guard: BackendGuard): SearchIndex {
  return {
    add: (docs) => guard.run(`index ${docs.length} articles`, () => index.add(docs)),
    search: (request) => guard.run('search', () => index.search(request)),
    remove: (ids) => guard.run(`unindex ${ids.length} articles`, () => index.remove(ids)),
  };
}

function openBackend(location: StorageLocation, context: BackendContext): Promise<Backend> {
  switch (location.kind) {
    case 'sqlite':
      return openSqlite(location.path, context);
    case 'redis':
      return openRedis(location.url, context);
    case 'postgres':
      return openPostgres(location.url, context);
  }
}

const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
