// The scheduler and workers over the Timetable port and the in-process job queue: what it schedules, that a job
// still queued is not queued again (a busy bot runs a missed slot once, not three times), and that stop waits for
// the work under way.
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.js';
import { type App, digestAll, pollAndProcess } from '../../src/pipeline/app.js';
import { startWork } from '../../src/pipeline/work.js';
import { type BoundLine, bindingLogger, repeatedKeys } from '../fakes/binding-logger.js';
import { type Harness, localEvent, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function startScheduler(app: App) {
  return startWork(app, { role: 'all', jobs: new InProcessJobQueue({ logger: app.logger }) });
}

/** Lets queued work run to the end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the scheduler', () => {
  it('schedules polling, pruning and each channel digest in its own zone', async () => {
    h = await startHarness(
      ['a'],
      [
        { id: 'desk', schedule: '30 8 * * 1-5' },
        { id: 'weekly', schedule: '0 7 * * 1' },
      ],
    );
    const scheduler = startScheduler(h.app);
    await scheduler.stop();
    expect(h.timetable.entries.map((e) => [e.name, e.cron])).toEqual([
      ['poll', '* * * * *'],
      ['prune', '17 3 * * *'],
      ['digest:desk', '30 8 * * 1-5'],
      ['digest:weekly', '0 7 * * 1'],
    ]);
    expect(h.timetable.stopped).toBe(true);
  });

  it('runs digest slots that piled up behind a busy digest once, and posts each story once', async () => {
    h = await startHarness(['a'], [{ id: 'desk', whenEmpty: 'notice' }]);
    const scheduler = startScheduler(h.app);
    await settle();
    h.publish('a', localEvent(1, 'a'));
    h.publish('a', localEvent(2, 'a'));
    h.now = new Date(h.now.getTime() + 3_600_000);
    h.timetable.fire('poll');
    await settle();
    // slots at :00, :01 and :02 fire before the first digest gets to plan (the bot was busy until :02:25)
    const start = h.now.getTime();
    h.timetable.fire('digest:desk');
    h.now = new Date(start + 60_000);
    h.timetable.fire('digest:desk');
    h.now = new Date(start + 120_000);
    h.timetable.fire('digest:desk');
    h.now = new Date(start + 145_000);
    await settle();
    // a slot that comes due after that digest is a new one: nothing new since, so a quiet notice
    h.now = new Date(start + 180_000);
    h.timetable.fire('digest:desk');
    await settle();
    await scheduler.stop();
    expect(h.publisher.posts).toHaveLength(2);
    expect(new Set(h.publisher.posts.map((p) => p.storyId)).size).toBe(2);
    expect(h.publisher.notices.filter((n) => n.channel === 'desk')).toHaveLength(1);
  });

  it('fires a slot twice (two schedulers) into one digest', async () => {
    h = await startHarness(['a'], [{ id: 'desk', whenEmpty: 'notice' }]);
    const scheduler = startScheduler(h.app);
    await settle();
    h.timetable.fire('digest:desk');
    h.timetable.fire('digest:desk');
    await settle();
    await scheduler.stop();
    expect(h.publisher.notices.filter((n) => n.channel === 'desk')).toHaveLength(1);
  });

  it('does not queue a poll of a feed again while one is still queued or running', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    let polls = 0;
    const source = h.app.ingest.source;
    const app: App = {
      ...h.app,
      ingest: {
        ...h.app.ingest,
        source: {
          poll: async (feed, health) => {
            polls++;
            return source.poll(feed, health);
          },
        },
      },
    };
    const scheduler = startScheduler(app);
    // the feed is due every time: its health is not written until its poll ends
    for (let i = 0; i < 5; i++) h.timetable.fire('poll');
    await settle();
    await scheduler.stop();
    // the first poll at start-up; the five turns that came while it was queued or running added nothing
    expect(polls).toBe(1);
  });

  it('stop waits for the work under way, and nothing fires after it', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    h.publish('a', localEvent(3, 'a'));
    const scheduler = startScheduler(h.app);
    await settle();
    const processed = await h.storage.stories.processedSeq();
    // the first poll (the feed's backlog, stored as backfill) was processed
    expect(processed).toBe(1);
    h.publish('a', localEvent(4, 'a'));
    h.now = new Date(h.now.getTime() + 3_600_000);
    h.timetable.fire('poll');
    await scheduler.stop();
    // the poll under way finished: its article is stored (processed now, or by the next start)
    expect(await h.storage.articles.head()).toBe(2);
    h.timetable.fire('poll');
    await settle();
    expect(await h.storage.articles.head()).toBe(2);
  });
});

describe('run ids', () => {
  it("tags every line of one poll and one digest with the run's id, once", async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    const lines: BoundLine[] = [];
    const app = { ...h.app, logger: bindingLogger(lines) };
    await pollAndProcess(app, true);
    h.publish('a', localEvent(1, 'a'));
    h.now = new Date(h.now.getTime() + 3_600_000);
    await pollAndProcess(app, true);
    await digestAll(app, app.plan.channels);
    const polled = lines.filter((l) => l.msg === 'feed polled');
    const delivered = lines.filter((l) => l.msg === 'digest delivered');
    expect(polled).toHaveLength(2);
    expect(delivered).toHaveLength(1);
    for (const line of [...polled, ...delivered]) {
      expect(line.boundKeys).toContain('runId');
      expect(repeatedKeys(line)).toEqual([]);
    }
  });
});
