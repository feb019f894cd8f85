// PostgreSQL gone for 15 seconds while the bot runs (in-process job lanes, the real store through a TCP proxy that
// is cut and restored): the jobs that meet the outage fail with a clear line, nothing crashes, and once it is back
// every story is processed and posted once. Needs PostgreSQL (`.ci/run --servers-only`); on CI its absence fails.
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.js';
import { type Scheduler, startWork } from '../../src/pipeline/work.js';
import { openStorage, retryPolicies } from '../../src/storage/index.js';
import { type BoundLine, bindingLogger } from '../fakes/binding-logger.js';
import { TcpProxy, uniqueNamespace } from '../storage/helpers.js';
import { type Harness, localEvent, startHarness } from './harness.js';

const PG_URL =
  process.env.NEWSDIGEST_TEST_POSTGRES_URL ?? 'postgres://newsdigest:newsdigest@127.0.0.1:5432/newsdigest_test';

async function postgresAnswers(): Promise<boolean> {
  try {
    const storage = await openStorage(PG_URL, { retry: retryPolicies.once });
    await storage.close();
    return true;
  } catch {
    return false;
  }
}

const available = await postgresAnswers();
if (!available && process.env.CI === 'true') {
  throw new Error(`PostgreSQL is required on CI and does not answer at ${PG_URL}: run .ci/run --servers-only`);
}

let h: Harness | undefined;
let scheduler: Scheduler | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await scheduler?.stop();
  await h?.close();
  await proxy?.stop();
  h = undefined;
  scheduler = undefined;
});

const settle = async (ms = 1_500) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(available)('PostgreSQL stopped for 15 s mid-run', () => {
  it('fails the jobs that meet it with a clear line, never crashes, and loses and doubles nothing', async () => {
    const target = new URL(PG_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const via = new URL(PG_URL);
    via.hostname = '127.0.0.1';
    via.port = String(proxy.port);
    const lines: BoundLine[] = [];
    h = await startHarness(['a', 'b'], [{ id: 'desk' }], {
      storage: { url: via.toString(), namespace: uniqueNamespace() },
      logger: bindingLogger(lines),
    });
    const harness = h;
    scheduler = startWork(harness.app, { role: 'all', jobs: new InProcessJobQueue({ logger: harness.app.logger }) });
    await settle();
    const day = 86_400_000;
    // before: one event, polled, processed, posted
    harness.publish('a', localEvent(0, 'a'));
    harness.now = new Date(harness.now.getTime() + day);
    harness.timetable.fire('poll');
    await settle();
    harness.timetable.fire('digest:desk');
    await settle();
    expect(harness.publisher.posts).toHaveLength(1);

    // the database goes away: a poll and a digest meet the outage
    await proxy.stop();
    const cut = Date.now();
    harness.publish('b', localEvent(1, 'b'));
    harness.now = new Date(harness.now.getTime() + day);
    harness.timetable.fire('poll');
    harness.timetable.fire('digest:desk');
    await settle(15_000 - (Date.now() - cut));
    await proxy.start();

    // back: the next turns do what the failed ones could not
    harness.now = new Date(harness.now.getTime() + 60_000);
    harness.timetable.fire('poll');
    await settle(3_000);
    harness.now = new Date(harness.now.getTime() + 60_000);
    harness.timetable.fire('digest:desk');
    await settle(3_000);

    const ids = harness.publisher.posts.map((p) => p.storyId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    const failures = lines.filter((l) => l.level === 'error' && /failed/.test(l.msg ?? ''));
    expect(failures.length).toBeGreaterThan(0);
    // the log says what was unavailable, with the password masked
    const text = failures
      .map((l) => `${l.msg} ${l.obj.err instanceof Error ? l.obj.err.message : JSON.stringify(l.obj)}`)
      .join('\n');
    expect(text).toMatch(/postgres storage at .* is unavailable/);
    expect(text).not.toContain(':newsdigest@');
  }, 60_000);
});
