// What the factory needs from a backend: one keyv per store namespace, and a way to let go of the connection.
import { setTimeout as delay } from 'node:timers/promises';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import type { Logger, SearchIndex } from '../../ports.js';
import type { BackendKind } from '../errors.js';
import type { LeaseTable } from '../leases.js';
import type { BackendGuard } from '../retry.js';

export interface Backend {
  readonly kind: BackendKind;
  /** The keyv of a namespace the backend was opened with. */
  keyv(namespace: string): Keyv<unknown>;
  /** The backend's own full-text index for the storage prefix (created on first use). */
  search(prefix: string): Promise<SearchIndex>;
  /** Leases (cross-process locks) for the storage prefix, in the backend itself. */
  leases(prefix: string): Promise<LeaseTable>;
  close(): Promise<void>;
}

export interface BackendContext {
  readonly guard: BackendGuard;
  readonly logger: Logger;
  readonly namespaces: readonly string[];
}

/**
 * A keyv that throws instead of swallowing (keyv's default answers `undefined` to a failed get, which would read as
 * "not stored" and let the pipeline post twice). Errors are also emitted; they are logged at debug level here
 * because the guard reports the ones that matter.
 */
export function strictKeyv(
  store: KeyvStoreAdapter,
  namespace: string,
  logger: Logger,
  options: { useKeyPrefix: boolean; redact: (text: string) => string },
): Keyv<unknown> {
  const keyv = new Keyv<unknown>({ store, namespace, throwOnErrors: true, useKeyPrefix: options.useKeyPrefix });
  keyv.on('error', (error: unknown) => {
    const message = options.redact(error instanceof Error ? error.message : String(error));
    logger.debug({ namespace, error: message }, 'storage: keyv error');
  });
  return keyv;
}

/** Looks up a namespace's keyv, failing loudly on one the backend was not opened with (a bug, not an outage). */
export function keyvLookup(stores: ReadonlyMap<string, Keyv<unknown>>): (namespace: string) => Keyv<unknown> {
  return (namespace) => {
    const keyv = stores.get(namespace);
    if (keyv === undefined) throw new Error(`storage backend was not opened with namespace ${namespace}`);
    return keyv;
  };
}

/** How long closing waits for a server's goodbye before it lets go of the connection anyway. */
export const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Waits for a connection's orderly end at most `ms` (a frozen server never answers QUIT, and a pool waits for its
 * queries); true when it ended in time. The end goes on in the background either way.
 */
export async function endWithin(end: Promise<unknown>, ms = CLOSE_TIMEOUT_MS): Promise<boolean> {
  const ended = end.then(
    () => true,
    () => false,
  );
  return Promise.race([ended, delay(ms, false, { ref: false })]);
}
