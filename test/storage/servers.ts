// Real servers for the contract suite: run it when the server answers; when it does not, fail loudly on CI
// (CI=true, where .ci/run starts the servers) and skip with the reason everywhere else.
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { describe, it } from 'vitest';
import { maskPassword, openStorage, retryPolicies } from '../../src/storage/index.js';
import { type ContractTarget, defineStorageContract } from './contract.js';
import { closedPort } from './helpers.js';

export interface ServerUnderTest {
  readonly name: string;
  readonly url: string;
  /** The env variable that overrides `url`. */
  readonly env: string;
  /** A shell command that starts the server on this machine. */
  readonly howToStart: string;
}

/** Why the server cannot be used, or undefined when it answers. */
async function unreachable(url: string): Promise<string | undefined> {
  try {
    const storage = await openStorage(url, { retry: retryPolicies.once });
    await storage.close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function defineServerContract(server: ServerUnderTest, target: ContractTarget): Promise<void> {
  const title = `${server.name} storage contract`;
  const shown = maskPassword(server.url);
  const reason = await unreachable(server.url);
  if (reason === undefined) {
    defineStorageContract(title, target);
    return;
  }
  const advice =
    `${reason}. Start it with \`.ci/run --servers-only\` (as root: installs and starts Redis and PostgreSQL) ` +
    `or \`${server.howToStart}\`, or point ${server.env} at one.`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs ${server.name} at ${shown}`, () => {
        throw new Error(`${server.name} is required on CI and does not answer: ${advice}`);
      });
    });
    return;
  }
  console.warn(`[storage] skipping the ${server.name} contract: ${advice}`);
  describe.skip(`${title} (skipped: ${server.name} does not answer at ${shown})`, () => {
    it('runs when the server answers', () => {});
  });
}

/** Host and port of a server URL, and the same URL pointed at another local port (for the outage test). */
export function outageVia(url: string): NonNullable<ContractTarget['outage']> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 5432));
  return {
    host: parsed.hostname,
    port,
    via: (proxyPort) => {
      const copy = new URL(url);
      copy.hostname = '127.0.0.1';
      copy.port = String(proxyPort);
      return copy.toString();
    },
  };
}

export async function downUrlLike(url: string): Promise<string> {
  const copy = new URL(url);
  copy.hostname = '127.0.0.1';
  copy.port = String(await closedPort());
  copy.username ||= 'newsdigest';
  copy.password = 'secret-password';
  return copy.toString();
}

/** Deletes the keys a test run wrote under its namespaces (keyv's postgres table). */
export async function forgetPostgres(url: string, namespaces: readonly string[]): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query('DELETE FROM keyv WHERE key LIKE ANY($1)', [namespaces.map((ns) => `${ns}:%`)]);
  } finally {
    await pool.end();
  }
}

/** Deletes the keys a test run wrote under its namespaces (Redis keys `<namespace>:<store>::<key>`). */
export async function forgetRedis(url: string, namespaces: readonly string[]): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for (const namespace of namespaces) {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 1000 })) keys.push(...batch);
      if (keys.length > 0) await client.unlink(keys);
    }
  } finally {
    await client.close();
  }
}
