// The per-day index, watched key by key: a window reads its own days and their articles, never everything.
import { describe, expect, it } from 'vitest';
import { KvArticleStore } from '../../src/storage/article-store.js';
import type { Kv } from '../../src/storage/kv.js';
import { article, recordingLogger } from './helpers.js';

/** A Kv over a Map that copies values as JSON would and records every key it is asked to read. */
function countingKv(): Kv & { reads: string[]; data: Map<string, string> } {
  const data = new Map<string, string>();
  const reads: string[] = [];
  const read = (key: string): unknown => {
    reads.push(key);
    const raw = data.get(key);
    return raw === undefined ? undefined : JSON.parse(raw);
  };
  return {
    data,
    reads,
    get: async (key) => read(key),
    getMany: async (keys) => keys.map(read),
    set: async (key, value) => {
      data.set(key, JSON.stringify(value));
    },
    setMany: async (entries) => {
      for (const { key, value } of entries) data.set(key, JSON.stringify(value));
    },
    delete: async (key) => {
      data.delete(key);
    },
    deleteMany: async (keys) => {
      for (const key of keys) data.delete(key);
    },
  };
}

async function tenDaysOfFive() {
  const kv = countingKv();
  const store = new KvArticleStore(kv, recordingLogger());
  for (let day = 1; day <= 10; day += 1) {
    for (let n = 0; n < 5; n += 1) {
      const at = `2024-03-${String(day).padStart(2, '0')}T${String(8 + n).padStart(2, '0')}:00:00.000Z`;
      await store.put(article(`d${day}n${n}`, at));
    }
  }
  kv.reads.length = 0;
  return { kv, store };
}

describe('article day index', () => {
  it('reads three index keys and their fifteen articles for a three-day window', async () => {
    const { kv, store } = await tenDaysOfFive();
    const listed = await store.listPublished(new Date('2024-03-04T00:00:00Z'), new Date('2024-03-07T00:00:00Z'));
    expect(listed).toHaveLength(15);
    expect(kv.reads.filter((k) => k.startsWith('day:'))).toEqual([
      'day:2024-03-04',
      'day:2024-03-05',
      'day:2024-03-06',
    ]);
    expect(kv.reads.filter((k) => k.startsWith('article:'))).toHaveLength(15);
    expect(kv.reads).toHaveLength(18);
  });

  it('reads the day catalogue instead of every calendar day for a window of years', async () => {
    const { kv, store } = await tenDaysOfFive();
    const listed = await store.listPublished(new Date('2000-01-01'), new Date('2099-01-01'));
    expect(listed).toHaveLength(50);
    expect(kv.reads.filter((k) => !k.startsWith('article:'))).toHaveLength(1 + 10);
  });

  it('keeps one index key per UTC day and a sorted catalogue of days', async () => {
    const { kv } = await tenDaysOfFive();
    expect([...kv.data.keys()].filter((k) => k.startsWith('day:'))).toHaveLength(10);
    expect(JSON.parse(kv.data.get('days') ?? '[]')).toEqual(
      Array.from({ length: 10 }, (_, i) => `2024-03-${String(i + 1).padStart(2, '0')}`),
    );
  });

  it('prunes by deleting whole days, reading only the cut-off day articles', async () => {
    const { kv, store } = await tenDaysOfFive();
    expect(await store.prune(new Date('2024-03-04T00:00:00Z'))).toBe(15);
    expect(kv.reads.filter((k) => k.startsWith('article:'))).toHaveLength(5);
    expect([...kv.data.keys()].filter((k) => k.startsWith('day:'))).toHaveLength(7);
    expect(JSON.parse(kv.data.get('days') ?? '[]')[0]).toBe('2024-03-04');
  });

  it('skips an index entry whose article never got written (a put cut short)', async () => {
    const kv = countingKv();
    const store = new KvArticleStore(kv, recordingLogger());
    await store.put(article('kept', '2024-03-10T10:00:00Z'));
    await kv.set('day:2024-03-10', ['kept', 'lost']);
    const listed = await store.listPublished(new Date('2024-03-10'), new Date('2024-03-11'));
    expect(listed.map((a) => a.id)).toEqual(['kept']);
    // Putting the lost article later completes it without indexing it twice.
    expect(await store.put(article('lost', '2024-03-10T11:00:00Z'))).toBe(true);
    expect(JSON.parse(kv.data.get('day:2024-03-10') ?? '[]')).toEqual(['kept', 'lost']);
  });

  it('skips and logs a stored article of the wrong shape instead of failing the whole window', async () => {
    const kv = countingKv();
    const logger = recordingLogger();
    const store = new KvArticleStore(kv, logger);
    await store.put(article('good', '2024-03-10T10:00:00Z'));
    await store.put(article('bad', '2024-03-10T11:00:00Z'));
    await kv.set('article:bad', { id: 'bad', publishedAt: 42 });
    const listed = await store.listPublished(new Date('2024-03-10'), new Date('2024-03-11'));
    expect(listed.map((a) => a.id)).toEqual(['good']);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    await expect(store.get('bad')).rejects.toThrow(/article:bad has an unexpected shape/);
  });
});
