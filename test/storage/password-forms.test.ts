// Every form a database password can take in a storage URL, opened for real against 127.0.0.1 (a wrong password
// for the running PostgreSQL and Redis, a closed port otherwise): whatever the attempt throws or logs, looked at
// the way pino and util.inspect would show it, never holds the password in any spelling.
import { inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { urlPasswords } from '../../src/secrets.js';
import { openStorage, retryPolicies } from '../../src/storage/index.js';
import { closedPort, recordingLogger } from './helpers.js';

const DB = 'newsdigest_test';
const closed = await closedPort();

const forms: readonly [string, string][] = [
  ['plain', `postgres://newsdigest:Plain0Secret@127.0.0.1:5432/${DB}`],
  ['slash', `postgres://newsdigest:Sl/ash0Secret@127.0.0.1/${DB}`],
  ['hash', `postgres://newsdigest:Ha#sh0Secret@127.0.0.1/${DB}`],
  ['question mark', `postgres://newsdigest:Qu?est0Secret@127.0.0.1/${DB}`],
  ['at sign', `postgres://newsdigest:At@t0Secret@127.0.0.1/${DB}`],
  ['percent-encoded', `postgres://newsdigest:Pct%2F%23%3F%400Secret@127.0.0.1/${DB}`],
  ['?password=', `postgres://newsdigest@127.0.0.1/${DB}?password=Query0Secret`],
  ['postgresql:// key=value', `postgresql://127.0.0.1/${DB}?user=newsdigest&password=Kv0Secret&sslmode=disable`],
  ['postgresql:/// host param', `postgresql:///${DB}?host=127.0.0.1&user=newsdigest&password=Host0Secret`],
  ['closed port', `postgres://newsdigest:Closed0Secret@127.0.0.1:${closed}/${DB}`],
  ['redis no user', 'redis://:Redis0Secret@127.0.0.1:6379'],
  ['redis user', `redis://someone:RedisUser0Secret@127.0.0.1:${closed}`],
  ['rediss', `rediss://:Tls0Secret@127.0.0.1:${closed}`],
  ['redis ?password=', 'redis://127.0.0.1:6379/0?password=RedisQuery0Secret'],
  ['redis hash', 'redis://:Re#dis0Secret@127.0.0.1:6379'],
  ['redis slash', 'redis://:Re/dis0Secret@127.0.0.1:6379'],
];

/** Everything a failed open shows: the error as thrown, printed, inspected and serialised as pino logs it. */
async function everythingShown(url: string): Promise<string> {
  const logger = recordingLogger();
  const shown: string[] = [];
  try {
    const storage = await openStorage(url, { logger, retry: retryPolicies.once });
    shown.push(storage.url);
    await storage.close();
  } catch (error) {
    shown.push(String(error), inspect(error, { depth: 10 }), JSON.stringify(pino.stdSerializers.err(error as Error)));
  }
  shown.push(inspect(logger.lines, { depth: 10 }));
  return shown.join('\n');
}

describe('storage URLs with a password', () => {
  it.each(forms)('%s: the password is never shown', async (_, url) => {
    const passwords = urlPasswords(url);
    expect(passwords.length).toBeGreaterThan(0);
    const shown = await everythingShown(url);
    for (const password of passwords) expect(shown).not.toContain(password);
    expect(shown).toContain('***');
  });
});
