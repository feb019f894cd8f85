// The ingest log, watched key by key: calls append keys, windows read their own days, prune drops whole days.
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

/** Ten days of five articles, each day one store call. */
async function tenDaysOfFive() {
  const kv = countingKv();
  const store = new KvArticleStore(kv, recordingLogger());
  for (let day = 1; day <= 10; day += 1) {
    const batch = Array.from({ length: 5 }, (_, n) =>
      article(`d${day}n${n}`, `2024-03-${String(day).padStart(2, '0')}T${String(8 + n).padStart(2, '0')}:00:00.000Z`),
    );
    await store.putMany(batch, new Date(`2024-03-${String(day).padStart(2, '0')}T20:00:00.000Z`));
  }
  kv.reads.length = 0;
  return { kv, store };
}

describe('the ingest log', () => {
  it('writes new keys for each call and never rewrites one that holds ids', async () => {
    const kv = countingKv();
    const store = new KvArticleStore(kv, recordingLogger());
    const writes: string[] = [];
    const set = kv.set;
    kv.set = async (key, value) => {
      writes.push(key);
      await set(key, value);
    };
    for (let i = 0; i < 20; i++)
      await store.putMany([article(`a${i}`, '2024-03-10T08:00:00Z')], new Date('2024-03-10T09:00:00Z'));
    // one log entry per call, the head each time, and the day mark and catalogue once
    expect(writes.filter((k) => k.startsWith('log:'))).toHaveLength(20);
    expect(new Set(writes.filter((k) => k.startsWith('log:'))).size).toBe(20);
    expect(writes.filter((k) => k === 'days' || k.startsWith('day:'))).toHaveLength(2);
  });

  it('reads three days of a window through their log entries, not the other seven', async () => {
    const { kv, store } = await tenDaysOfFive();
    const listed = await store.listPublished(new Date('2024-03-08T00:00:00Z'), new Date('2024-03-11T00:00:00Z'));
    expect(listed).toHaveLength(15);
    // the day before the window too (a day's margin for clock skew): four log entries, twenty articles
    expect(kv.reads.filter((k) => k.startsWith('log:'))).toEqual(['log:7', 'log:8', 'log:9', 'log:10']);
    expect(kv.reads.filter((k) => k.startsWith('article:'))).toHaveLength(20);
  });

  it('prunes whole days: their articles and log entries, nothing of the days kept', async () => {
    const { kv, store } = await tenDaysOfFive();
    expect(await store.prune(new Date('2024-03-04T12:00:00Z'))).toHaveLength(15);
    expect([...kv.data.keys()].filter((k) => k.startsWith('log:'))).toHaveLength(7);
    expect([...kv.data.keys()].filter((k) => k.startsWith('article:'))).toHaveLength(35);
    expect(JSON.parse(kv.data.get('days') ?? '[]')[0]).toBe('2024-03-04');
  });

  it('stores again, under a new sequence number, an article a crashed call wrote but never logged', async () => {
    const kv = countingKv();
    const store = new KvArticleStore(kv, recordingLogger());
    const at = new Date('2024-03-10T09:00:00Z');
    await store.putMany([article('kept', '2024-03-10T08:00:00Z')], at);
    // a call that crashed after writing its article (seq 2) and before its log entry and head
    await kv.set('article:lost', { ...article('lost', '2024-03-10T08:30:00Z'), seq: 2 });
    expect(await store.head()).toBe(1);
    expect(
      await store.putMany([article('lost', '2024-03-10T08:30:00Z'), article('kept', '2024-03-10T08:00:00Z')], at),
    ).toEqual(['lost']);
    expect((await store.readLog(0, 2)).map((e) => e.articleIds)).toEqual([['kept'], ['lost']]);
  });

  it('stores the article of a crashed call even after another call has logged its own entry under that number', async () => {
    const kv = countingKv();
    const store = new KvArticleStore(kv, recordingLogger());
    const at = new Date('2024-03-10T09:00:00Z');
    await store.putMany([article('kept', '2024-03-10T08:00:00Z')], at);
    // a worker killed after writing its article (seq 2) and before its log entry and head; another worker's
    // poll then logs its own article as entry 2, so 'orphan' carries a seq that is no longer above the head
    await kv.set('article:orphan', { ...article('orphan', '2024-03-10T08:30:00Z'), seq: 2 });
    expect(await store.putMany([article('other', '2024-03-10T08:40:00Z')], at)).toEqual(['other']);
    expect(await store.head()).toBe(2);
    // the orphan is not in entry 2: it is stored, under a sequence number of its own
    expect(await store.putMany([article('orphan', '2024-03-10T08:30:00Z')], at)).toEqual(['orphan']);
    expect((await store.readLog(0, 3)).map((e) => e.articleIds)).toEqual([['kept'], ['other'], ['orphan']]);
    // and once logged, listing it again adds nothing
    expect(await store.putMany([article('orphan', '2024-03-10T08:30:00Z')], at)).toEqual([]);
  });

  it('skips and logs a stored article of the wrong shape instead of failing the whole window', async () => {
    const kv = countingKv();
    const logger = recordingLogger();
    const store = new KvArticleStore(kv, logger);
    await store.putMany(
      [article('good', '2024-03-10T10:00:00Z'), article('bad', '2024-03-10T11:00:00Z')],
      new Date('2024-03-10T12:00:00Z'),
    );
    await kv.set('article:bad', { id: 'bad', publishedAt: 42 });
    const listed = await store.listPublished(new Date('2024-03-10'), new Date('2024-03-11'));
    expect(listed.map((a) => a.id)).toEqual(['good']);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    await expect(store.get('bad')).rejects.toThrow(/article:bad has an unexpected shape/);
  });
});
