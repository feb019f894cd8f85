// The storage contract: what every backend must do, run by sqlite.test.ts, redis.test.ts and postgres.test.ts.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryRecord } from '../../src/ports.js';
import {
  type BackendKind,
  openStorage,
  retryPolicies,
  type Storage,
  StorageDataError,
  StorageError,
  type StorageOptions,
  StorageUnavailableError,
} from '../../src/storage/index.js';
import { article, feedHealth, recordingLogger, TcpProxy, uniqueNamespace } from './helpers.js';

export interface ContractTarget {
  readonly backend: BackendKind;
  readonly url: string;
  /** What a relative sqlite path is relative to. */
  readonly cwd?: string;
  /** Data survives close and a new open of `url` (a file or a server; not `:memory:`). */
  readonly persistent: boolean;
  /** The same backend with nothing answering; for servers with a password that must never show. */
  downUrl(): Promise<string>;
  /** Servers: where the server listens, and `url` pointed at another port, to stage an outage through a proxy. */
  readonly outage?: { readonly host: string; readonly port: number; via(port: number): string };
  /** Servers: deletes what the suite wrote under these namespaces, so a developer's test database stays small. */
  forget?(namespaces: readonly string[]): Promise<void>;
}

const DAY_9_END = '2024-03-09T23:59:59.999Z';
const DAY_10_START = '2024-03-10T00:00:00.000Z';

export function defineStorageContract(title: string, target: ContractTarget): void {
  describe(title, () => {
    const opened: Storage[] = [];
    const namespaces = new Set<string>();
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
    });
    afterAll(async () => {
      await target.forget?.([...namespaces]);
    });

    async function open(options: StorageOptions = {}, url = target.url): Promise<Storage> {
      const namespace = options.namespace ?? uniqueNamespace();
      namespaces.add(namespace);
      const storage = await openStorage(url, {
        retry: retryPolicies.fastForTests,
        ...(target.cwd === undefined ? {} : { cwd: target.cwd }),
        ...options,
        namespace,
      });
      opened.push(storage);
      return storage;
    }

    it(`opens as the ${target.backend} backend with a masked URL`, async () => {
      const storage = await open();
      expect(storage.backend).toBe(target.backend);
      expect(storage.url).not.toMatch(/:[^:/@*]+@/);
    });

    describe('articles', () => {
      it('puts an id once: a second put returns false and keeps the first version', async () => {
        const { articles } = await open();
        const first = article('a1', '2024-03-10T08:00:00.000Z', { title: 'First' });
        expect(await articles.put(first)).toBe(true);
        expect(await articles.put({ ...first, title: 'Second' })).toBe(false);
        expect(await articles.get('a1')).toEqual(first);
        expect(await articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11'))).toEqual([first]);
      });

      it('round-trips every field with its type, and answers undefined for an unknown id', async () => {
        const { articles } = await open();
        const full = article('https://example.com/news/1?utm=x y', '2024-03-10T08:00:00+02:00', {
          title: ':starts with a colon',
          text: 'Zeile eins\nстрока два\n\u{1F4F0} three',
          html: '<p>one</p>',
          url: 'https://example.com/news/1',
          source: 'Example',
          backfill: true,
        });
        const bare = article('bare', '2024-03-10T09:00:00.000Z');
        await articles.put(full);
        await articles.put(bare);
        const back = await articles.get(full.id);
        expect(back).toEqual(full);
        expect(back?.backfill).toBe(true);
        expect(await articles.get('bare')).toStrictEqual(bare);
        expect(await articles.get('missing')).toBeUndefined();
      });

      it('lists [from, to): from inclusive, to exclusive, across day buckets, oldest first', async () => {
        const { articles } = await open();
        const times = [
          DAY_9_END,
          '2024-03-11T23:59:59.999Z',
          DAY_10_START,
          '2024-03-12T00:00:00.000Z',
          '2024-03-10T12:00:00.000Z',
          '2024-03-11T00:00:00.000Z',
        ];
        for (const [i, at] of times.entries()) await articles.put(article(`t${i}`, at));
        const listed = await articles.listPublished(new Date(DAY_10_START), new Date('2024-03-12T00:00:00.000Z'));
        expect(listed.map((a) => a.publishedAt)).toEqual([
          DAY_10_START,
          '2024-03-10T12:00:00.000Z',
          '2024-03-11T00:00:00.000Z',
          '2024-03-11T23:59:59.999Z',
        ]);
        const inside = await articles.listPublished(new Date('2024-03-10T06:00:00Z'), new Date('2024-03-11T00:00:00Z'));
        expect(inside.map((a) => a.id)).toEqual(['t4']);
      });

      it('buckets by UTC day whatever offset the date was written with', async () => {
        const { articles } = await open();
        // 02:00 on the 11th at +05:00 is 21:00 on the 10th in UTC; 20:00 on the 10th at -05:00 is 01:00 on the 11th.
        await articles.put(article('east', '2024-03-11T02:00:00+05:00'));
        await articles.put(article('west', '2024-03-10T20:00:00-05:00'));
        const tenth = await articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11T00:00:00Z'));
        const eleventh = await articles.listPublished(new Date('2024-03-11T00:00:00Z'), new Date('2024-03-12'));
        expect(tenth.map((a) => a.id)).toEqual(['east']);
        expect(eleventh.map((a) => a.id)).toEqual(['west']);
      });

      it('answers empty windows with nothing, and windows wider than a year from the day catalogue', async () => {
        const { articles } = await open();
        await articles.put(article('old', '2021-06-01T10:00:00Z'));
        await articles.put(article('new', '2024-03-10T10:00:00Z'));
        const day = new Date(DAY_10_START);
        expect(await articles.listPublished(day, day)).toEqual([]);
        expect(await articles.listPublished(new Date('2024-03-11'), day)).toEqual([]);
        const all = await articles.listPublished(new Date('2000-01-01'), new Date('2030-01-01'));
        expect(all.map((a) => a.id)).toEqual(['old', 'new']);
      });

      it('indexes every one of many concurrent puts into the same day', async () => {
        const { articles } = await open();
        const batch = Array.from({ length: 40 }, (_, i) =>
          article(`c${String(i).padStart(2, '0')}`, `2024-03-10T10:00:${String(i).padStart(2, '0')}Z`),
        );
        const results = await Promise.all([...batch, ...batch].map((a) => articles.put(a)));
        expect(results.filter(Boolean)).toHaveLength(40);
        const listed = await articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11'));
        expect(listed.map((a) => a.id)).toEqual(batch.map((a) => a.id));
      });

      it('puts a batch across days at once: only new ids come back, each stored once and listed', async () => {
        const { articles } = await open();
        const old = article('b0', '2024-03-10T07:00:00.000Z', { title: 'Stored before' });
        await articles.put(old);
        const batch = [
          { ...old, title: 'Again' },
          article('b1', '2024-03-10T09:00:00.000Z'),
          article('b2', '2024-03-11T09:00:00.000Z'),
          article('b1', '2024-03-10T09:00:00.000Z'),
        ];
        expect(await articles.putMany(batch)).toEqual(['b1', 'b2']);
        expect(await articles.putMany(batch)).toEqual([]);
        expect(await articles.get('b0')).toEqual(old);
        const listed = await articles.listPublished(new Date(DAY_10_START), new Date('2024-03-12'));
        expect(listed.map((a) => a.id)).toEqual(['b0', 'b1', 'b2']);
      });

      it('prunes whole older days and the older part of the cut-off day', async () => {
        const { articles } = await open();
        const kept = [article('k1', '2024-03-11T12:00:00Z'), article('k2', '2024-03-12T01:00:00Z')];
        const dropped = [
          article('d1', '2024-03-09T10:00:00Z'),
          article('d2', '2024-03-10T00:00:00Z'),
          article('d3', '2024-03-10T23:00:00Z'),
          article('d4', '2024-03-11T11:59:59.999Z'),
        ];
        for (const a of [...dropped, ...kept]) await articles.put(a);
        expect(await articles.prune(new Date('2024-03-11T12:00:00Z'))).toBe(4);
        for (const a of dropped) expect(await articles.get(a.id)).toBeUndefined();
        expect(await articles.listPublished(new Date('2024-01-01'), new Date('2024-04-01'))).toEqual(kept);
        expect(await articles.prune(new Date('2024-03-11T12:00:00Z'))).toBe(0);
        // A pruned id is gone, so storing it again counts as new.
        expect(await articles.put(article('d1', '2024-03-09T10:00:00Z'))).toBe(true);
        expect(await articles.prune(new Date('2024-03-13'))).toBe(3);
        expect(await articles.listPublished(new Date('2024-01-01'), new Date('2024-04-01'))).toEqual([]);
      });

      it('refuses an article whose publishedAt is not a date', async () => {
        const { articles } = await open();
        await expect(articles.put(article('bad', 'yesterday'))).rejects.toBeInstanceOf(StorageDataError);
        expect(await articles.get('bad')).toBeUndefined();
      });
    });

    describe('feed state', () => {
      it('keeps each feed health, overwrites it, and lists every feed', async () => {
        const { feeds } = await open();
        expect(await feeds.get('https://a.example/feed')).toBeUndefined();
        const a = feedHealth('https://a.example/feed', { etag: 'W/"1"', items: 3, initialized: true });
        const b = feedHealth('https://b.example/rss?x=1&y=2', {
          lastError: 'HTTP 503',
          lastErrorAt: '2024-03-10T10:00:00.000Z',
          consecutiveFailures: 2,
          nextPollAt: '2024-03-10T10:10:00.000Z',
        });
        await feeds.put(a);
        await feeds.put(b);
        const a2 = { ...a, items: 5, lastModified: 'Sun, 10 Mar 2024 10:00:00 GMT', pausedAt: null };
        await feeds.put(a2);
        expect(await feeds.get(a.url)).toEqual(a2);
        expect(await feeds.get(b.url)).toStrictEqual(b);
        const listed = await feeds.list();
        expect(listed.sort((x, y) => x.url.localeCompare(y.url))).toEqual([a2, b]);
      });

      it('remembers seen item ids per feed', async () => {
        const { feeds } = await open();
        const feed = 'https://a.example/feed';
        expect(await feeds.seen(feed, ['g1', 'g2'])).toEqual(new Set());
        await feeds.markSeen(feed, ['g1', 'https://a.example/story?id=2', 'g1']);
        await feeds.markSeen(feed, []);
        expect(await feeds.seen(feed, ['g1', 'g2', 'https://a.example/story?id=2'])).toEqual(
          new Set(['g1', 'https://a.example/story?id=2']),
        );
        expect(await feeds.seen('https://other.example/feed', ['g1'])).toEqual(new Set());
        expect(await feeds.seen(feed, [])).toEqual(new Set());
      });

      it('marks and looks up batches larger than one round trip', async () => {
        const { feeds } = await open();
        const ids = Array.from({ length: 1_203 }, (_, i) => `item-${i}`);
        await feeds.markSeen(
          'f',
          ids.filter((_, i) => i % 2 === 0),
        );
        const seen = await feeds.seen('f', ids);
        expect(seen.size).toBe(602);
        expect(seen.has('item-1202')).toBe(true);
        expect(seen.has('item-1201')).toBe(false);
      });
    });

    describe('delivery ledger', () => {
      it('records a delivery per channel and story and overwrites it with the update', async () => {
        const { deliveries } = await open();
        const posted: DeliveryRecord = {
          channel: 'slack:C0123',
          storyId: 's-1',
          articleIds: ['a1', 'a2'],
          messageId: '1710064800.000100',
          threadId: null,
          postedAt: '2024-03-10T10:00:00.000Z',
        };
        expect(await deliveries.get(posted.channel, posted.storyId)).toBeUndefined();
        await deliveries.record(posted);
        expect(await deliveries.get(posted.channel, posted.storyId)).toStrictEqual(posted);
        expect(await deliveries.get('discord:42', posted.storyId)).toBeUndefined();
        const updated = { ...posted, articleIds: ['a1', 'a2', 'a3'], threadId: '1710064800.000100' };
        await deliveries.record(updated);
        expect(await deliveries.get(posted.channel, posted.storyId)).toStrictEqual(updated);
      });

      it('keeps the end of the last digest per channel', async () => {
        const { deliveries } = await open();
        expect(await deliveries.lastDigestAt('slack:C0123')).toBeUndefined();
        await deliveries.setLastDigestAt('slack:C0123', '2024-03-10T07:00:00.000Z');
        await deliveries.setLastDigestAt('slack:C0123', '2024-03-11T07:00:00.000Z');
        await deliveries.setLastDigestAt('discord:42', '2024-03-09T07:00:00.000Z');
        expect(await deliveries.lastDigestAt('slack:C0123')).toBe('2024-03-11T07:00:00.000Z');
        expect(await deliveries.lastDigestAt('discord:42')).toBe('2024-03-09T07:00:00.000Z');
      });
    });

    describe('story assignments', () => {
      it('maps articles to stories; later assignments win; unknown articles are left out', async () => {
        const { stories } = await open();
        expect(await stories.assignments([])).toEqual(new Map());
        await stories.assign([
          { articleId: 'a1', storyId: 's1' },
          { articleId: 'a2', storyId: 's1' },
        ]);
        await stories.assign([
          { articleId: 'a2', storyId: 's2' },
          { articleId: 'a3', storyId: 's3' },
          { articleId: 'a3', storyId: 's2' },
        ]);
        await stories.assign([]);
        expect(await stories.assignments(['a1', 'a2', 'a3', 'a4'])).toEqual(
          new Map([
            ['a1', 's1'],
            ['a2', 's2'],
            ['a3', 's2'],
          ]),
        );
      });
    });

    describe('lifecycle', () => {
      it.runIf(target.persistent)('keeps everything across close and open', async () => {
        const namespace = uniqueNamespace();
        const first = await open({ namespace });
        await first.articles.put(article('a1', '2024-03-10T10:00:00Z'));
        await first.feeds.put(feedHealth('f', { initialized: true }));
        await first.feeds.markSeen('f', ['g1']);
        await first.deliveries.setLastDigestAt('c', '2024-03-10T07:00:00.000Z');
        await first.stories.assign([{ articleId: 'a1', storyId: 's1' }]);
        await first.close();

        const again = await open({ namespace });
        expect(await again.articles.put(article('a1', '2024-03-10T10:00:00Z'))).toBe(false);
        expect((await again.articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11'))).length).toBe(1);
        expect((await again.feeds.list()).map((h) => h.initialized)).toEqual([true]);
        expect(await again.feeds.seen('f', ['g1', 'g2'])).toEqual(new Set(['g1']));
        expect(await again.deliveries.lastDigestAt('c')).toBe('2024-03-10T07:00:00.000Z');
        expect(await again.stories.assignments(['a1'])).toEqual(new Map([['a1', 's1']]));
      });

      it.runIf(target.persistent)('keeps namespaces apart on one backend', async () => {
        const one = await open();
        const two = await open();
        await one.articles.put(article('a1', '2024-03-10T10:00:00Z'));
        expect(await two.articles.get('a1')).toBeUndefined();
        expect(await two.articles.put(article('a1', '2024-03-10T10:00:00Z'))).toBe(true);
      });

      it('fails calls after close with a StorageError, and closes twice without complaint', async () => {
        const storage = await open();
        await storage.close();
        await storage.close();
        await expect(storage.articles.get('a1')).rejects.toBeInstanceOf(StorageError);
      });

      it('reports a backend that does not answer as StorageUnavailableError, after retrying', async () => {
        const logger = recordingLogger();
        const url = await target.downUrl();
        const error = await openStorage(url, { logger, retry: retryPolicies.fastForTests }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StorageUnavailableError);
        if (!(error instanceof StorageUnavailableError)) return;
        expect(error.backend).toBe(target.backend);
        expect(error.message).toContain(error.url);
        expect(error.message).not.toContain('secret');
        expect(error.url).not.toContain('secret');
        expect(error.cause).toBeInstanceOf(Error);
        if (target.backend !== 'sqlite') {
          // Refused connections are worth retrying; a path that cannot be created is not.
          expect(error.attempts).toBe(retryPolicies.fastForTests.attempts);
          expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(error.attempts - 1);
        }
      });

      const outage = target.outage;
      it.runIf(outage !== undefined)(
        'rides out an outage: calls fail while it lasts, nothing stored is lost',
        async () => {
          if (outage === undefined) return;
          const proxy = new TcpProxy(outage.host, outage.port);
          await proxy.start();
          try {
            const storage = await open({ logger: recordingLogger() }, outage.via(proxy.port));
            const before = article('before', '2024-03-10T10:00:00Z');
            await storage.articles.put(before);
            await storage.feeds.markSeen('f', ['g1']);

            await proxy.stop();
            const during = storage.articles.put(article('during', '2024-03-10T11:00:00Z'));
            await expect(during).rejects.toBeInstanceOf(StorageUnavailableError);
            await expect(storage.feeds.seen('f', ['g1'])).rejects.toThrow(/unavailable/);

            await proxy.start();
            await vi.waitFor(() => storage.articles.get('before'), { timeout: 10_000, interval: 100 });
            expect(await storage.articles.get('before')).toEqual(before);
            expect(await storage.feeds.seen('f', ['g1'])).toEqual(new Set(['g1']));
            expect(await storage.articles.put(article('after', '2024-03-10T12:00:00Z'))).toBe(true);
            const listed = await storage.articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11'));
            expect(listed.map((a) => a.id)).toEqual(['before', 'after']);
          } finally {
            await proxy.stop();
          }
        },
      );
    });
  });
}
