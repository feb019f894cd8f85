// Split roles on a real BullMQ queue (Redis): two schedulers and three workers over one store for ten simulated
// minutes. Each worker has its own story engine (a process of its own would), so ingest must catch up with what
// the others processed; both schedulers fire every slot, so job ids and the channel lock must make each slot one
// digest. Needs Redis on 127.0.0.1 (`.ci/run --servers-only`); on CI a missing Redis fails the suite.
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { BullmqJobQueue } from '../../src/jobs/bullmq-queue.js';
import type { App } from '../../src/pipeline/app.js';
import { type Scheduler, startWork } from '../../src/pipeline/work.js';
import type { JobQueue } from '../../src/ports.js';
import { FakeTimetable } from '../fakes/fake-timetable.js';
import { type Harness, localEvent, startHarness } from './harness.js';

const REDIS_URL = process.env.NEWSDIGEST_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await redisAnswers();
if (!available && process.env.CI === 'true') {
  throw new Error(`Redis is required on CI and does not answer at ${REDIS_URL}: run .ci/run --servers-only`);
}

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

let h: Harness | undefined;
const running: Scheduler[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await h?.close();
  h = undefined;
});
afterAll(async () => {
  if (!available) return;
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

function queue(prefix: string): BullmqJobQueue {
  return new BullmqJobQueue({ url: REDIS_URL, logger: silent, prefix, lockMs: 5_000 });
}

/**
 * Waits until the queue has been empty for half a second (a scheduler's tick reads the store before it adds its
 * polls) and everything stored is processed.
 */
async function drained(jobs: JobQueue, harness: Harness, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let quietSince: number | null = null;
  for (;;) {
    const depths = await jobs.depths();
    const idle = Object.values(depths).every((d) => d.waiting === 0 && d.running === 0);
    const processed = (await harness.storage.articles.head()) === (await harness.storage.stories.processedSeq());
    if (idle && processed) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= 500) return;
    } else {
      quietSince = null;
    }
    if (Date.now() > until) throw new Error(`queue not drained: ${JSON.stringify(depths)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(available)('split roles on BullMQ', () => {
  it('two schedulers and three workers over ten slots: every slot digested once, every story posted once', async () => {
    h = await startHarness(
      ['a', 'b', 'c'],
      [
        { id: 'every-minute', schedule: '* * * * *', whenEmpty: 'notice' },
        { id: 'every-other', schedule: '*/2 * * * *', whenEmpty: 'notice' },
      ],
    );
    const harness = h;
    const prefix = `nd-test-${process.pid}-${Date.now().toString(36)}`;
    prefixes.push(prefix);
    const watcher = queue(prefix);
    const schedulers: { app: App; timetable: FakeTimetable }[] = [];
    for (let i = 0; i < 2; i++) {
      const timetable = new FakeTimetable();
      const app = { ...harness.restart(), timetable };
      schedulers.push({ app, timetable });
      running.push(startWork(app, { role: 'scheduler', jobs: queue(prefix) }));
    }
    for (let i = 0; i < 3; i++) {
      const app = { ...harness.restart(), timetable: new FakeTimetable() };
      running.push(startWork(app, { role: 'worker', jobs: queue(prefix) }));
    }
    await drained(watcher, harness);
    // the feeds' backlog (stored as backfill at the first poll) is never posted
    const slots = { 'every-minute': 0, 'every-other': 0 };
    let published = 0;
    for (let minute = 1; minute <= 10; minute++) {
      // a feed is due every 15 minutes: each step is a quarter of an hour, a digest slot on each channel's schedule
      harness.now = new Date(harness.now.getTime() + 15 * 60_000);
      if (minute % 3 === 1) {
        // a new event on two feeds: one story from two outlets
        harness.publish('a', localEvent(published, 'a'));
        harness.publish('b', localEvent(published, 'b', 1));
        published++;
      }
      for (const { timetable } of schedulers) {
        timetable.fire('poll');
        timetable.fire('digest:every-minute');
        if (minute % 2 === 0) timetable.fire('digest:every-other');
      }
      slots['every-minute']++;
      if (minute % 2 === 0) slots['every-other']++;
      // a round's work is done before the clock moves on (digests plan at the time they run)
      await drained(watcher, harness);
    }
    // a last slot on both channels: a story polled in the same minute as a slot's digest comes with the next one
    harness.now = new Date(harness.now.getTime() + 15 * 60_000);
    for (const { timetable } of schedulers) {
      timetable.fire('digest:every-minute');
      timetable.fire('digest:every-other');
    }
    slots['every-minute']++;
    slots['every-other']++;
    await drained(watcher, harness);
    await watcher.close();

    const posts = harness.publisher.posts;
    const notices = harness.publisher.notices;
    for (const channel of ['every-minute', 'every-other'] as const) {
      const newStories = posts.filter((p) => p.channel === channel && p.kind === 'new');
      // every story once: no story id twice as new
      expect(new Set(newStories.map((p) => p.storyId)).size).toBe(newStories.length);
      // every slot digested exactly once (a quiet slot says so), though two schedulers fired each
      expect(harness.publisher.digests.filter((d) => d.channel === channel)).toHaveLength(slots[channel]);
    }
    const minuteStories = new Set(posts.filter((p) => p.channel === 'every-minute').map((p) => p.storyId));
    const otherStories = new Set(posts.filter((p) => p.channel === 'every-other').map((p) => p.storyId));
    // every event published reached both channels, none lost
    expect(minuteStories.size).toBe(published);
    expect(otherStories.size).toBe(published);
    console.log(
      `[roles] 2 schedulers, 3 workers, 10 rounds: ${published} stories; every-minute ${posts.filter((p) => p.channel === 'every-minute').length} posts + ${notices.filter((n) => n.channel === 'every-minute').length} quiet notices over ${slots['every-minute']} slots; every-other ${posts.filter((p) => p.channel === 'every-other').length} posts + ${notices.filter((n) => n.channel === 'every-other').length} quiet over ${slots['every-other']} slots`,
    );
  }, 120_000);

  it('a poll job that failed every attempt (the store down for minutes) is queued again on the next tick', async () => {
    const prefix = `nd-test-${process.pid}-fail-${Date.now().toString(36)}`;
    prefixes.push(prefix);
    const jobs = new BullmqJobQueue({ url: REDIS_URL, logger: silent, prefix, lockMs: 5_000, retryDelayMs: 10 });
    let calls = 0;
    let storeDown = true;
    let polled = 0;
    jobs.work('poll', 1, async () => {
      calls++;
      if (storeDown) throw new Error('storage unavailable');
      polled++;
    });
    const poll = { kind: 'poll' as const, id: 'poll-feed-a', data: { feed: 'a' } };
    await jobs.add(poll);
    await vi.waitFor(() => expect(calls).toBe(5), { timeout: 10_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    storeDown = false;
    // the tick adds the feed's poll again under the same id: it must run, not be ignored as a known failed job
    await jobs.add(poll);
    await vi.waitFor(() => expect(polled).toBe(1), { timeout: 10_000, interval: 50 });
    await jobs.close();
  }, 30_000);
});
