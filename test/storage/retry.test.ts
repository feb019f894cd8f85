import { describe, expect, it } from 'vitest';
import { StorageError, StorageUnavailableError } from '../../src/storage/errors.js';
import { BackendGuard, isTransient, type RetryPolicy } from '../../src/storage/retry.js';
import { recordingLogger } from './helpers.js';

const policy: RetryPolicy = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

class ClientOfflineError extends Error {}

describe('isTransient', () => {
  it.each([
    ['refused', coded('ECONNREFUSED'), true],
    ['reset', coded('ECONNRESET'), true],
    ['sqlite busy', coded('SQLITE_BUSY'), true],
    ['postgres shutting down', coded('57P01'), true],
    ['postgres connection exception class', coded('08006'), true],
    ['pg terminated', new Error('Connection terminated unexpectedly'), true],
    ['node-redis offline', new ClientOfflineError('The client is offline'), true],
    ['redis loading', new Error('LOADING Redis is loading the dataset in memory'), true],
    ['wrapped in cause', new Error('outer', { cause: coded('ETIMEDOUT') }), true],
    ['aggregate', new AggregateError([coded('ECONNREFUSED')], ''), true],
    ['postgres wrong password', coded('28P01', 'password authentication failed'), false],
    ['postgres syntax', coded('42601'), false],
    ['sqlite cannot open', coded('SQLITE_CANTOPEN'), false],
    ['plain error', new Error('boom'), false],
    ['not an error', 'ECONNREFUSED', false],
  ])('%s', (_, error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});

describe('BackendGuard', () => {
  it('retries a transient failure and returns the later success', async () => {
    const logger = recordingLogger();
    const guard = new BackendGuard('redis', 'redis://h:6379', policy, logger);
    let calls = 0;
    const value = await guard.run('get x', async () => {
      calls += 1;
      if (calls < 3) throw coded('ECONNRESET');
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
  });

  it('gives up after the policy attempts with StorageUnavailableError naming backend, URL and cause', async () => {
    const guard = new BackendGuard('postgres', 'postgres://u:***@h/db', policy, recordingLogger());
    let calls = 0;
    const error = await guard
      .run('set y', async () => {
        calls += 1;
        throw coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(String(error)).toBe(
      'StorageUnavailableError: postgres storage at postgres://u:***@h/db is unavailable (set y, 3 attempts): ' +
        'connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it('wraps any other failure at once, keeping it as the cause', async () => {
    const guard = new BackendGuard('sqlite', 'sqlite://:memory:', policy, recordingLogger());
    const cause = new Error('SQLITE_ERROR: no such table');
    let calls = 0;
    const error = await guard
      .run('get z', async () => {
        calls += 1;
        throw cause;
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).not.toBeInstanceOf(StorageUnavailableError);
    expect(error instanceof Error && error.cause).toBe(cause);
  });

  it('treats any failure to connect as unavailable, retrying only the transient ones', async () => {
    const guard = new BackendGuard('postgres', 'postgres://u:***@h/db', policy, recordingLogger());
    let calls = 0;
    const error = await guard
      .connect(async () => {
        calls += 1;
        throw coded('28P01', 'password authentication failed for user "u"');
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(String(error)).toContain('password authentication failed');
  });

  it("takes the URL's passwords out of what it logs, throws and wraps", async () => {
    const logger = recordingLogger();
    const guard = new BackendGuard('redis', 'redis://:***@h', policy, logger, ['Pw#1', 'Pw%231']);
    const cause = coded('ECONNRESET', 'lost redis://:Pw#1@h (AUTH Pw%231)');
    const error = await guard.run('get k', () => Promise.reject(cause)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(String(error)).toContain('lost redis://:***@h (AUTH ***)');
    expect(cause.message).toBe('lost redis://:***@h (AUTH ***)');
    expect(JSON.stringify(logger.lines)).not.toMatch(/Pw#1|Pw%231/);
    expect(guard.redact('x Pw#1 y')).toBe('x *** y');
  });

  it('gives up on a call that never settles at the deadline, attempts and waits included', async () => {
    const guard = new BackendGuard('redis', 'redis://h', { ...policy, timeoutMs: 150 }, recordingLogger());
    const started = Date.now();
    const error = await guard.run('get k', () => new Promise(() => {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(String(error)).toContain('(get k, 1 attempt): no answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(150 + 1_000);
  });

  it('does not start a retry it could not finish before the deadline', async () => {
    const slow: RetryPolicy = { attempts: 5, initialDelayMs: 400, maxDelayMs: 400, timeoutMs: 300 };
    const guard = new BackendGuard('redis', 'redis://h', slow, recordingLogger());
    let calls = 0;
    const error = await guard
      .run('get k', async () => {
        calls += 1;
        throw coded('ECONNRESET');
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(calls).toBe(1);
  });

  it('fails at once once closed', async () => {
    const guard = new BackendGuard('redis', 'redis://h', policy, recordingLogger());
    guard.markClosed();
    await expect(guard.run('get', async () => 1)).rejects.toThrow('redis storage at redis://h is closed (get)');
  });
});
