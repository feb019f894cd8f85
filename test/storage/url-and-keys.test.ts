import { describe, expect, it } from 'vitest';
import { StorageConfigError } from '../../src/storage/errors.js';
import { openStorage } from '../../src/storage/index.js';
import { keyPart, utcDayCount, utcDaysOf } from '../../src/storage/keys.js';
import { KeyedMutex } from '../../src/storage/mutex.js';
import { maskPassword, parseStorageUrl } from '../../src/storage/url.js';

describe('storage URLs', () => {
  it.each([
    ['sqlite://./data/x.sqlite', { kind: 'sqlite', path: '/srv/bot/data/x.sqlite' }],
    ['sqlite:///var/lib/x.sqlite', { kind: 'sqlite', path: '/var/lib/x.sqlite' }],
    ['sqlite://:memory:', { kind: 'sqlite', path: ':memory:' }],
    ['redis://127.0.0.1:6379', { kind: 'redis', url: 'redis://127.0.0.1:6379' }],
    ['rediss://:pw@cache:6380/2', { kind: 'redis', display: 'rediss://:***@cache:6380/2' }],
    ['postgres://u:p@db/x', { kind: 'postgres', display: 'postgres://u:***@db/x' }],
    ['postgresql://u@db/x', { kind: 'postgres', display: 'postgresql://u@db/x' }],
  ])('%s', (url, expected) => {
    expect(parseStorageUrl(url, '/srv/bot')).toMatchObject(expected);
  });

  it.each(['mysql://u:p@db/x', 'sqlite://', 'data/x.sqlite'])('refuses %s', (url) => {
    expect(() => parseStorageUrl(url, '/')).toThrow(StorageConfigError);
  });

  it('masks passwords, even ones with an @', () => {
    expect(maskPassword('postgres://user:p@ss:w0rd@db:5432/x?sslmode=require')).toBe(
      'postgres://user:***@db:5432/x?sslmode=require',
    );
    expect(maskPassword('redis://db:6379')).toBe('redis://db:6379');
    expect(() => parseStorageUrl('mysql://u:hunter2@db/x', '/')).toThrow('mysql://u:***@db/x');
  });

  it.each(['postgres://u:Sl/ash@db/x', 'postgres://u:Ha#sh@db/x', 'redis://:Qu?est@cache'])(
    'refuses %s with advice, without its password',
    (url) => {
      let error: unknown;
      try {
        parseStorageUrl(url, '/');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StorageConfigError);
      expect(String(error)).toMatch(/:\*\*\*@.*percent-encode/);
      expect(String(error)).not.toMatch(/Sl\/ash|Ha#sh|Qu\?est/);
    },
  );

  it('refuses a namespace that would make keys ambiguous', async () => {
    await expect(openStorage('sqlite://:memory:', { namespace: 'a:b' })).rejects.toThrow(StorageConfigError);
  });
});

describe('keys', () => {
  it('keeps short separator-free parts readable and hashes the rest', () => {
    expect(keyPart('s-12.a_b~c')).toBe('s-12.a_b~c');
    expect(keyPart('slack:C01')).toMatch(/^#[0-9a-f]{32}$/);
    expect(keyPart('x'.repeat(81))).toMatch(/^#[0-9a-f]{32}$/);
    expect(keyPart('a b')).not.toBe(keyPart('a:b'));
  });

  it('lists the UTC days of a half-open window', () => {
    const at = (iso: string) => new Date(iso);
    expect(utcDaysOf(at('2024-03-10T00:00:00Z'), at('2024-03-12T00:00:00Z'))).toEqual(['2024-03-10', '2024-03-11']);
    expect(utcDaysOf(at('2024-03-10T23:00:00Z'), at('2024-03-12T00:00:00.001Z'))).toEqual([
      '2024-03-10',
      '2024-03-11',
      '2024-03-12',
    ]);
    expect(utcDaysOf(at('2024-02-28T12:00:00Z'), at('2024-03-01T12:00:00Z'))).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(utcDaysOf(at('2024-03-10T00:00:00Z'), at('2024-03-10T00:00:00Z'))).toEqual([]);
    expect(utcDayCount(at('2024-03-10T00:00:00Z'), at('2024-03-12T00:00:00Z'))).toBe(2);
    expect(utcDayCount(at('2024-03-12T00:00:00Z'), at('2024-03-10T00:00:00Z'))).toBe(0);
  });
});

describe('KeyedMutex', () => {
  it('runs tasks of one key one after another, even after a failure, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        order.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      mutex.run('a', task('a1', 20, true)),
      mutex.run('a', task('a2', 1)),
      mutex.run('b', task('b1', 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
  });
});
