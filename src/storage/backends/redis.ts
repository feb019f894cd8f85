// Redis through @keyv/redis: one client shared by an adapter per namespace (keys `<namespace>::<key>`).
//
// The client is ours, not the adapter's, so that a server that is down behaves predictably:
// - opening tries once per guard attempt (no endless reconnect loop behind a pending connect());
// - once connected, a lost connection is re-established in the background, and commands issued meanwhile fail at
//   once (no offline queue) so the guard can retry them and, if the server stays away, say so.
import KeyvRedis, { createClient } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { redisLeases } from '../leases.js';
import { redisSearch } from '../search/redis-search.js';
import { type Backend, type BackendContext, endWithin, keyvLookup, strictKeyv } from './backend.js';

const CONNECT_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

export async function openRedis(url: string, { guard, logger, namespaces }: BackendContext): Promise<Backend> {
  let everReady = false;
  let healthy = true;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Before the first success, give up at once and let the guard decide; afterwards keep reconnecting.
      reconnectStrategy: (retries, cause) =>
        everReady ? Math.min(100 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS) : cause,
    },
  });
  client.on('error', (error: unknown) => {
    if (!everReady || !healthy) return;
    healthy = false;
    logger.warn(
      { url: guard.url, error: guard.redact(error instanceof Error ? error.message : String(error)) },
      'redis: lost',
    );
  });
  client.on('ready', () => {
    if (!healthy) logger.info({ url: guard.url }, 'redis: connection restored');
    healthy = true;
  });
  try {
    await guard.connect(async () => {
      await client.connect();
    });
  } catch (error) {
    // A server that accepted and never answered leaves the client mid-handshake: let go of its socket.
    if (client.isOpen) client.destroy();
    throw error;
  }
  everReady = true;

  const stores = new Map<string, Keyv<unknown>>();
  for (const namespace of namespaces) {
    const adapter = new KeyvRedis<unknown>(client, { namespace, throwOnErrors: true, throwOnConnectError: true });
    stores.set(namespace, strictKeyv(adapter, namespace, logger, { useKeyPrefix: false, redact: guard.redact }));
  }
  return {
    kind: 'redis',
    keyv: keyvLookup(stores),
    search: async (prefix) => redisSearch((args) => client.sendCommand(args) as Promise<unknown>, prefix),
    leases: async (prefix) => redisLeases((args) => client.sendCommand(args) as Promise<unknown>, prefix),
    close: async () => {
      if (!client.isOpen) return;
      // close() waits for every pending reply, which a frozen server never sends: give it a moment, then cut.
      if (!(await endWithin(client.close()))) client.destroy();
    },
  };
}
