// The storage contract: what every backend must do, run by sqlite.test.ts, redis.test.ts and postgres.test.ts.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryRecord, SearchDoc, SearchRequest } from '../../src/ports.js';
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
import { defineChannelSettingsContract } from './channel-settings-contract.js';
import {
  article,
  feedHealth,
  processedRecord,
  recordingLogger,
  storyRecord,
  TcpProxy,
  uniqueNamespace,
} from './helpers.js';

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

    describe('articles and the ingest log', () => {
      const T1 = new Date('2024-03-10T08:00:00.000Z');
      const T2 = new Date('2024-03-11T08:00:00.000Z');

      it('stores new ids once and logs them under the next sequence number', async () => {
        const { articles } = await open();
        expect(await articles.head()).toBe(0);
        const first = article('a1', '2024-03-10T07:00:00.000Z', { title: 'First' });
        expect(await articles.putMany([first, article('a2', '2024-03-10T07:30:00.000Z')], T1)).toEqual(['a1', 'a2']);
        expect(await articles.putMany([{ ...first, title: 'Second' }, article('a3', DAY_10_START)], T1)).toEqual([
          'a3',
        ]);
        expect(await articles.putMany([first], T1)).toEqual([]);
        expect(await articles.head()).toBe(2);
        expect(await articles.get('a1')).toEqual({ ...first, seq: 1 });
        expect(await articles.readLog(0, 2)).toEqual([
          { seq: 1, at: T1.toISOString(), articleIds: ['a1', 'a2'] },
          { seq: 2, at: T1.toISOString(), articleIds: ['a3'] },
        ]);
        expect(await articles.readLog(1, 5)).toHaveLength(1);
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
          claimedPublishedAt: '1970-01-01T00:00:00.000Z',
        });
        await articles.putMany([full, article('bare', '2024-03-10T09:00:00.000Z')], T1);
        expect(await articles.get(full.id)).toEqual({ ...full, seq: 1 });
        expect(await articles.getMany(['bare', 'missing', full.id])).toEqual([
          { ...article('bare', '2024-03-10T09:00:00.000Z'), seq: 1 },
          { ...full, seq: 1 },
        ]);
        expect(await articles.get('missing')).toBeUndefined();
      });

      it('finds the first sequence number of a day, and lists a publish window through the log', async () => {
        const { articles } = await open();
        await articles.putMany([article('d10', '2024-03-10T06:00:00.000Z')], T1);
        // a late article: published on the 1st, first seen on the 11th
        await articles.putMany([article('late', '2024-03-01T06:00:00.000Z'), article('d11', DAY_10_START)], T2);
        expect(await articles.firstSeqSince(new Date('2024-03-09T12:00:00Z'))).toBe(1);
        expect(await articles.firstSeqSince(new Date('2024-03-11T23:00:00Z'))).toBe(2);
        expect(await articles.firstSeqSince(new Date('2024-03-12T00:00:00Z'))).toBe(3);
        const window = await articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11T00:00:00Z'));
        expect(window.map((a) => a.id)).toEqual(['d11', 'd10']);
        expect(await articles.listPublished(new Date(DAY_10_START), new Date(DAY_10_START))).toEqual([]);
      });

      it('logs every id once when calls overlap', async () => {
        const { articles } = await open();
        const batch = Array.from({ length: 40 }, (_, i) =>
          article(`c${i}`, `2024-03-10T10:00:${String(i % 60).padStart(2, '0')}Z`),
        );
        const results = await Promise.all([...batch, ...batch].map((a) => articles.putMany([a], T1)));
        expect(results.flat().sort()).toEqual(batch.map((a) => a.id).sort());
        const logged = (await articles.readLog(0, await articles.head())).flatMap((e) => e.articleIds);
        expect(logged.sort()).toEqual(batch.map((a) => a.id).sort());
      });

      it('prunes whole days of the log with their articles, and can run again', async () => {
        const { articles } = await open();
        await articles.putMany([article('old1', DAY_9_END), article('old2', DAY_9_END)], new Date(DAY_9_END));
        await articles.putMany([article('mid', DAY_10_START)], T1);
        await articles.putMany([article('new', '2024-03-11T07:00:00Z')], T2);
        expect((await articles.prune(new Date('2024-03-10T12:00:00Z'))).sort()).toEqual(['old1', 'old2']);
        expect(await articles.get('old1')).toBeUndefined();
        expect(await articles.readLog(0, 3)).toHaveLength(2);
        expect(await articles.prune(new Date('2024-03-10T12:00:00Z'))).toEqual([]);
        expect(await articles.prune(new Date('2024-03-12T00:00:00Z'))).toEqual(['mid', 'new']);
        expect(await articles.head()).toBe(3);
        // a pruned id is new again, and the log goes on from the head
        expect(await articles.putMany([article('old1', DAY_9_END)], T2)).toEqual(['old1']);
        expect(await articles.head()).toBe(4);
      });

      it('refuses an article whose publishedAt is not a date', async () => {
        const { articles } = await open();
        await expect(articles.putMany([article('bad', 'yesterday')], T1)).rejects.toBeInstanceOf(StorageDataError);
        expect(await articles.get('bad')).toBeUndefined();
        expect(await articles.head()).toBe(0);
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
        await feeds.markSeen(feed, ['g1', 'https://a.example/story?id=2', 'g1'], new Date('2024-03-10T12:00:00Z'));
        await feeds.markSeen(feed, [], new Date('2024-03-10T12:00:00Z'));
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
          new Date('2024-03-10T12:00:00Z'),
        );
        const seen = await feeds.seen('f', ids);
        expect(seen.size).toBe(602);
        expect(seen.has('item-1202')).toBe(true);
        expect(seen.has('item-1201')).toBe(false);
      });

      it('keeps the version an item was stored with beside its day, and prunes marks that carry one', async () => {
        const { feeds } = await open();
        const storedAt = Date.parse('2024-03-01T10:00:00Z');
        const versions = new Map([['live', { length: 2480, words: 412, storedAt }]]);
        await feeds.markSeen('f', ['live', 'plain'], new Date('2024-03-01T10:00:00Z'), versions);
        expect(await feeds.seenMarks('f', ['live', 'plain'])).toEqual(
          new Map([
            ['live', { day: '2024-03-01', version: { length: 2480, words: 412, storedAt } }],
            ['plain', { day: '2024-03-01' }],
          ]),
        );
        // marked again without a version (a refresh that had none to keep): the version is gone with the old mark
        await feeds.markSeen('f', ['plain'], new Date('2024-03-05T10:00:00Z'));
        expect(await feeds.pruneSeen(new Date('2024-03-03T00:00:00Z'))).toBe(1);
        expect(await feeds.seen('f', ['live', 'plain'])).toEqual(new Set(['plain']));
      });

      it('forgets seen ids last marked before the cut-off day, keeping those marked again since', async () => {
        const { feeds } = await open();
        await feeds.markSeen('f', ['old', 'renewed'], new Date('2024-03-01T10:00:00Z'));
        await feeds.markSeen('f', ['renewed', 'new'], new Date('2024-03-20T10:00:00Z'));
        expect(await feeds.seenMarks('f', ['old', 'renewed', 'new', 'never'])).toEqual(
          new Map([
            ['old', { day: '2024-03-01' }],
            ['renewed', { day: '2024-03-20' }],
            ['new', { day: '2024-03-20' }],
          ]),
        );
        expect(await feeds.pruneSeen(new Date('2024-03-10T00:00:00Z'))).toBe(1);
        expect(await feeds.seen('f', ['old', 'renewed', 'new'])).toEqual(new Set(['renewed', 'new']));
        expect(await feeds.pruneSeen(new Date('2024-03-10T00:00:00Z'))).toBe(0);
        expect(await feeds.pruneSeen(new Date('2024-04-01T00:00:00Z'))).toBe(2);
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

      it('keeps a cursor per channel and forgets pruned stories', async () => {
        const { deliveries } = await open();
        expect(await deliveries.cursor('desk')).toBeUndefined();
        await deliveries.setCursor('desk', 41);
        await deliveries.setCursor('desk', 42);
        expect(await deliveries.cursor('desk')).toBe(42);
        const posted: DeliveryRecord = {
          channel: 'desk',
          storyId: 'st-9',
          articleIds: ['a1'],
          messageId: 'm1',
          threadId: null,
          postedAt: '2024-03-10T10:00:00.000Z',
        };
        await deliveries.record(posted);
        await deliveries.forget('desk', ['st-9']);
        expect(await deliveries.get('desk', 'st-9')).toBeUndefined();
      });

      it('keeps the last intent per channel and item, forgotten with its story', async () => {
        const { deliveries } = await open();
        const intent = {
          channel: 'desk',
          item: 'st-9',
          window: '2024-03-10T06:00:00.000Z',
          nonce: '0123456789abcdef0123',
          at: '2024-03-10T10:00:00.000Z',
        };
        expect(await deliveries.intent('desk', 'st-9')).toBeUndefined();
        await deliveries.recordIntent(intent);
        await deliveries.recordIntent({ ...intent, item: '#digest-parent', nonce: 'ffffffffffffffffffff' });
        expect(await deliveries.intent('desk', 'st-9')).toStrictEqual(intent);
        expect(await deliveries.intent('other', 'st-9')).toBeUndefined();
        const next = { ...intent, window: '2024-03-11T06:00:00.000Z', nonce: 'aaaaaaaaaaaaaaaaaaaa' };
        await deliveries.recordIntent(next);
        expect(await deliveries.intent('desk', 'st-9')).toStrictEqual(next);
        await deliveries.forget('desk', ['st-9']);
        expect(await deliveries.intent('desk', 'st-9')).toBeUndefined();
        expect((await deliveries.intent('desk', '#digest-parent'))?.nonce).toBe('ffffffffffffffffffff');
      });

      it('keeps the latest digest parent per channel, its thread filled in later', async () => {
        const { deliveries } = await open();
        const window = '2024-03-10T06:00:00.000+01:00';
        const parent = {
          channel: 'discord:42',
          window,
          messageId: '9001',
          threadId: null,
          at: '2024-03-10T10:00:00.000Z',
        };
        expect(await deliveries.parent('discord:42', window)).toBeUndefined();
        await deliveries.recordParent(parent);
        expect(await deliveries.parent('discord:42', window)).toStrictEqual(parent);
        expect(await deliveries.parent('discord:42', '2024-03-11T06:00:00.000Z')).toBeUndefined();
        await deliveries.recordParent({ ...parent, threadId: '9001' });
        expect((await deliveries.parent('discord:42', window))?.threadId).toBe('9001');
        expect(await deliveries.parent('discord:43', window)).toBeUndefined();
        // the next digest's parent replaces it: only the digest under way is ever resumed
        const next = { ...parent, window: '2024-03-11T06:00:00.000Z', messageId: '9002' };
        await deliveries.recordParent(next);
        expect(await deliveries.parent('discord:42', window)).toBeUndefined();
        expect(await deliveries.parent('discord:42', next.window)).toStrictEqual(next);
      });
    });

    describe('stories', () => {
      it('round-trips processing results with their features, and forgets them', async () => {
        const { stories } = await open();
        const record = processedRecord('p1', 'st-1');
        await stories.putProcessed([record, processedRecord('p2', null)]);
        const back = await stories.getProcessed(['p1', 'p2', 'nope']);
        expect([...back.keys()]).toEqual(['p1', 'p2']);
        expect(back.get('p1')).toEqual(record);
        expect(back.get('p1')?.features?.vectors?.terms.ids).toBeInstanceOf(Uint32Array);
        const restorable = (await stories.getRestorable(['p1', 'p2'])).get('p1');
        expect(restorable).toEqual({
          id: 'p1',
          storyId: 'st-1',
          rejected: null,
          source: 'Wire',
          title: record.title,
          features: record.features,
        });
        await stories.forgetArticles(['p1']);
        expect([...(await stories.getProcessed(['p1', 'p2'])).keys()]).toEqual(['p2']);
      });

      it('keeps story records, a growth entry per batch, and the processed mark', async () => {
        const { stories } = await open();
        expect(await stories.processedSeq()).toBe(0);
        const story = storyRecord('st-1', 3);
        await stories.putStories([story]);
        expect(await stories.getStories(['st-1', 'st-2'])).toEqual(new Map([['st-1', story]]));
        const growth = (seq: number) => ({
          seq,
          at: `2024-03-1${seq}T00:00:00.000Z`,
          stories: [{ storyId: `st-${seq}`, articleIds: [`a${seq}`] }],
        });
        await stories.commitGrowth([growth(1)]);
        await stories.commitGrowth([growth(2), growth(3)]);
        await stories.commitGrowth([]);
        expect(await stories.processedSeq()).toBe(3);
        expect((await stories.readGrowth(1, 3)).map((g) => g.seq)).toEqual([2, 3]);
        expect((await stories.pruneGrowth(3)).sort()).toEqual(['st-1', 'st-2']);
        expect((await stories.readGrowth(0, 3)).map((g) => g.seq)).toEqual([3]);
        expect(await stories.pruneGrowth(3)).toEqual([]);
        await stories.deleteStories(['st-1']);
        expect(await stories.getStories(['st-1'])).toEqual(new Map());
      });
    });

    describe('search index', () => {
      const T = Date.parse('2024-03-10T12:00:00Z');
      const HOUR = 3_600_000;
      const doc = (id: string, terms: string, extra: Partial<SearchDoc> = {}): SearchDoc => ({
        id,
        storyId: `st-${id}`,
        publishedAt: T,
        source: 'Wire',
        topics: ['Ukraine talks'],
        terms,
        ...extra,
      });
      const ask = (extra: Partial<SearchRequest>): SearchRequest => ({
        all: [],
        phrases: [],
        none: [],
        since: T - 24 * HOUR,
        until: T + HOUR,
        topic: null,
        source: null,
        limit: 10,
        ...extra,
      });

      it('finds every term, phrases in order, and leaves out excluded terms', async () => {
        const { search } = await open();
        await search.add([
          doc('a', 'witkoff met putin moscow talk'),
          doc('b', 'putin witkoff talk geneva'),
          doc('c', 'witkoff oman iran talk'),
        ]);
        await search.add([doc('a', 'witkoff met putin moscow talk')]);
        const ids = async (r: Partial<SearchRequest>) => (await search.search(ask(r))).hits.map((h) => h.id).sort();
        expect(await ids({ all: ['witkoff', 'talk'] })).toEqual(['a', 'b', 'c']);
        expect(await ids({ all: ['witkoff'], none: ['putin'] })).toEqual(['c']);
        // a search that only leaves words out (`/digest -putin`): FTS5 has no bare NOT, the backend says it another way
        expect(await ids({ none: ['putin'] })).toEqual(['c']);
        expect(await ids({ none: ['putin', 'oman'] })).toEqual([]);
        expect(await ids({ phrases: [['witkoff', 'met']] })).toEqual(['a']);
        expect(await ids({ phrases: [['met', 'witkoff']] })).toEqual([]);
        expect(await ids({ all: ['nobody'] })).toEqual([]);
        const answer = await search.search(ask({ all: ['talk'], limit: 2 }));
        expect(answer.hits).toHaveLength(2);
        expect(answer.total).toBe(3);
        expect(answer.hits[0]?.storyId).toMatch(/^st-/);
      });

      it('filters by time, topic and outlet, with or without words, newest first', async () => {
        const { search } = await open();
        await search.add([
          doc('old', 'envoy talk', { publishedAt: T - 5 * 24 * HOUR }),
          doc('iran', 'envoy talk', { topics: ['Iran talks'], source: 'Desert Herald', publishedAt: T - HOUR }),
          doc('new', 'envoy talk', { publishedAt: T }),
        ]);
        const ids = async (r: Partial<SearchRequest>) => (await search.search(ask(r))).hits.map((h) => h.id);
        expect(await ids({})).toEqual(['new', 'iran']);
        expect(await ids({ since: T - 6 * 24 * HOUR, until: T - 24 * HOUR })).toEqual(['old']);
        expect(await ids({ topic: 'iran' })).toEqual(['iran']);
        expect(await ids({ source: 'desert' })).toEqual(['iran']);
        expect(await ids({ all: ['envoy'], topic: 'ukraine' })).toEqual(['new']);
        expect(await ids({ source: '100%_' })).toEqual([]);
      });

      it('forgets removed articles', async () => {
        const { search } = await open();
        await search.add([doc('a', 'witkoff talk'), doc('b', 'witkoff talk')]);
        await search.remove(['a', 'missing']);
        expect((await search.search(ask({ all: ['witkoff'] }))).hits.map((h) => h.id)).toEqual(['b']);
        expect((await search.search(ask({}))).total).toBe(1);
      });
    });

    describe('locks (leases shared by every process on the store)', () => {
      it.runIf(target.persistent)('lets one holder in at a time, across two connections to the store', async () => {
        const namespace = uniqueNamespace();
        const [a, b] = [await open({ namespace }), await open({ namespace })];
        const order: string[] = [];
        let release: () => void = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const first = a.locks.withLock('ingest', 0, async () => {
          order.push('a in');
          await held;
          order.push('a out');
          return 'a';
        });
        await vi.waitFor(() => expect(order).toEqual(['a in']));
        // taken: a caller that will not wait is told so, and its work does not run
        const refused = await b.locks.withLock('ingest', 0, async () => order.push('b ran'));
        expect(refused).toEqual({ held: false });
        // another name is free
        expect(await b.locks.withLock('digest-desk', 0, async () => 'other')).toEqual({ held: true, value: 'other' });
        const waiting = b.locks.withLock('ingest', 5_000, async () => {
          order.push('b in');
          return 'b';
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
        release();
        expect(await first).toEqual({ held: true, value: 'a' });
        expect(await waiting).toEqual({ held: true, value: 'b' });
        expect(order).toEqual(['a in', 'a out', 'b in']);
      });

      it.runIf(target.persistent)(
        'two connections appending to the log at once: every call logged once, no seq shared',
        async () => {
          const namespace = uniqueNamespace();
          const [a, b] = [await open({ namespace }), await open({ namespace })];
          const at = new Date('2024-03-10T12:00:00Z');
          const calls = (storage: Storage, who: string) =>
            Array.from({ length: 12 }, (_, i) =>
              storage.articles.putMany([article(`${who}${i}`, '2024-03-10T10:00:00Z')], at),
            );
          await Promise.all([...calls(a, 'a'), ...calls(b, 'b')]);
          const head = await a.articles.head();
          const logged = (await a.articles.readLog(0, head)).flatMap((e) => e.articleIds);
          expect(head).toBe(24);
          expect(logged.sort()).toEqual(
            [...Array.from({ length: 12 }, (_, i) => `a${i}`), ...Array.from({ length: 12 }, (_, i) => `b${i}`)].sort(),
          );
          // and two connections adding feeds to the catalogue at once lose none
          await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              (i % 2 === 0 ? a : b).feeds.put(feedHealth(`f${i}`, { initialized: true })),
            ),
          );
          expect((await a.feeds.list()).map((h) => h.url).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `f${i}`));
        },
      );

      it.runIf(target.persistent)(
        'a holder stalled past its lease learns it before its next write once another process took the lock',
        async () => {
          const namespace = uniqueNamespace();
          // a's renewals never come (a minute apart): a process that stalled (SIGSTOP, a paused VM) renews nothing,
          // and here b's take cannot race a renewal fired when the stall ends
          const a = await open({ namespace, leaseMs: 300, leaseRenewMs: 60_000 });
          const b = await open({ namespace, leaseMs: 300 });
          const outcome = await a.locks.withLock('digest-desk', 0, async (lease) => {
            await lease.confirm();
            await sleep(500);
            expect(await b.locks.withLock('digest-desk', 0, async () => 'b posted')).toEqual({
              held: true,
              value: 'b posted',
            });
            return lease.confirm().then(
              () => 'went on',
              (error: Error) => error.message,
            );
          });
          expect(outcome).toEqual({
            held: true,
            value: expect.stringMatching(/"digest-desk" lapsed while this process was stalled/),
          });
        },
      );

      it.runIf(target.persistent && target.backend !== 'redis')(
        'a holder stalled past its lease that nobody took goes on (SQL rows keep its token)',
        async () => {
          const storage = await open({ leaseMs: 300, leaseRenewMs: 60_000 });
          const outcome = await storage.locks.withLock('ingest', 0, async (lease) => {
            await sleep(500);
            await lease.confirm();
            return 'went on';
          });
          expect(outcome).toEqual({ held: true, value: 'went on' });
        },
      );

      it('releases the lock when the work throws', async () => {
        const storage = await open();
        await expect(
          storage.locks.withLock('prune', 0, async () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await storage.locks.withLock('prune', 0, async () => 1)).toEqual({ held: true, value: 1 });
      });

      it('keeps namespaces apart', async () => {
        const [a, b] = [await open(), await open()];
        const inner = await a.locks.withLock('ingest', 0, () => b.locks.withLock('ingest', 0, async () => 'both'));
        expect(inner).toEqual({ held: true, value: { held: true, value: 'both' } });
      });
    });

    defineChannelSettingsContract(open, target.persistent);

    describe('lifecycle', () => {
      it.runIf(target.persistent)('keeps everything across close and open', async () => {
        const namespace = uniqueNamespace();
        const first = await open({ namespace });
        await first.articles.putMany([article('a1', '2024-03-10T10:00:00Z')], new Date('2024-03-10T12:00:00Z'));
        await first.feeds.put(feedHealth('f', { initialized: true }));
        await first.feeds.markSeen('f', ['g1'], new Date('2024-03-10T12:00:00Z'));
        await first.deliveries.setLastDigestAt('c', '2024-03-10T07:00:00.000Z');
        await first.deliveries.setCursor('c', 1);
        await first.stories.putStories([storyRecord('s1', 1)]);
        await first.stories.commitGrowth([{ seq: 1, at: '2024-03-10T12:00:00.000Z', stories: [] }]);
        await first.close();

        const again = await open({ namespace });
        expect(
          await again.articles.putMany([article('a1', '2024-03-10T10:00:00Z')], new Date('2024-03-10T12:00:00Z')),
        ).toEqual([]);
        expect(await again.articles.head()).toBe(1);
        expect((await again.articles.listPublished(new Date(DAY_10_START), new Date('2024-03-11'))).length).toBe(1);
        expect((await again.feeds.list()).map((h) => h.initialized)).toEqual([true]);
        expect(await again.feeds.seen('f', ['g1', 'g2'])).toEqual(new Set(['g1']));
        expect(await again.deliveries.lastDigestAt('c')).toBe('2024-03-10T07:00:00.000Z');
        expect(await again.deliveries.cursor('c')).toBe(1);
        expect([...(await again.stories.getStories(['s1'])).keys()]).toEqual(['s1']);
        expect(await again.stories.processedSeq()).toBe(1);
      });

      it.runIf(target.persistent)('keeps namespaces apart on one backend', async () => {
        const one = await open();
        const two = await open();
        await one.articles.putMany([article('a1', '2024-03-10T10:00:00Z')], new Date('2024-03-10T12:00:00Z'));
        expect(await two.articles.get('a1')).toBeUndefined();
        expect(
          await two.articles.putMany([article('a1', '2024-03-10T10:00:00Z')], new Date('2024-03-10T12:00:00Z')),
        ).toEqual(['a1']);
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
            await storage.articles.putMany([before], new Date('2024-03-10T12:00:00Z'));
            await storage.feeds.markSeen('f', ['g1'], new Date('2024-03-10T12:00:00Z'));

            await proxy.stop();
            const during = storage.articles.putMany(
              [article('during', '2024-03-10T11:00:00Z')],
              new Date('2024-03-10T12:00:00Z'),
            );
            await expect(during).rejects.toBeInstanceOf(StorageUnavailableError);
            await expect(storage.feeds.seen('f', ['g1'])).rejects.toThrow(/unavailable/);

            await proxy.start();
            await vi.waitFor(() => storage.articles.get('before'), { timeout: 10_000, interval: 100 });
            expect(await storage.articles.get('before')).toEqual({ ...before, seq: 1 });
            expect(await storage.feeds.seen('f', ['g1'])).toEqual(new Set(['g1']));
            expect(
              await storage.articles.putMany(
                [article('after', '2024-03-10T12:00:00Z')],
                new Date('2024-03-10T12:00:00Z'),
              ),
            ).toEqual(['after']);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
