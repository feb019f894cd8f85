// The scheduler over the Timetable port: what it schedules, that a task still queued is not queued again (a busy
// bot runs a missed slot once, not three times), and that stop waits for the work under way.
import { afterEach, describe, expect, it } from 'vitest';
import { digestAll, pollAndProcess, startScheduler } from '../../src/pipeline/app.js';
import { type BoundLine, bindingLogger, repeatedKeys } from '../fakes/binding-logger.js';
import { type Harness, localEvent, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

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

  it('runs a digest slot fired three times while the bot is busy once, and posts each story once', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    const scheduler = startScheduler(h.app);
    await settle();
    h.publish('a', localEvent(1, 'a'));
    h.publish('a', localEvent(2, 'a'));
    h.now = new Date(h.now.getTime() + 3_600_000);
    h.timetable.fire('poll');
    // three slots of the digest come due while the poll still runs
    h.timetable.fire('digest:desk');
    h.timetable.fire('digest:desk');
    h.timetable.fire('digest:desk');
    await settle();
    await scheduler.stop();
    expect(h.publisher.posts).toHaveLength(2);
    expect(new Set(h.publisher.posts.map((p) => p.storyId)).size).toBe(2);
  });

  it('does not queue a poll again while one is still queued', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    const stories = h.app.stories;
    const process = stories.processPending.bind(stories);
    let polls = 0;
    stories.processPending = () => {
      polls++;
      return process();
    };
    const scheduler = startScheduler(h.app);
    for (let i = 0; i < 5; i++) h.timetable.fire('poll');
    await settle();
    await scheduler.stop();
    // the first poll at start-up, and one of the five turns that came while it ran
    expect(polls).toBe(2);
  });

  it('stop waits for the work under way, and nothing fires after it', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    const scheduler = startScheduler(h.app);
    h.publish('a', localEvent(3, 'a'));
    h.timetable.fire('digest:desk');
    await scheduler.stop();
    // the first poll (the feed's backlog, stored as backfill) was processed before stop resolved
    const processed = await h.storage.stories.processedSeq();
    expect(processed).toBe(1);
    h.timetable.fire('poll');
    await settle();
    expect(await h.storage.stories.processedSeq()).toBe(processed);
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
