// Nothing late is lost: late articles, impossible dates, weekly digests, a bot that was down, a feed that
// recovered. Each runs the real fetch/parse, SQLite, the story engine and the run loop at fake-clock times, and
// asserts what reached the recording publisher.
import { afterEach, describe, expect, it } from 'vitest';
import { digestAll, pollAndProcess } from '../../src/pipeline/app.js';
import { type Harness, localEvent, processedOf, startHarness } from './harness.js';

const DAY_MS = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The feed's first poll: what it lists now is backfill, never posted. */
async function addFeeds(harness: Harness): Promise<void> {
  await pollAndProcess(harness.app, true);
  await digestAll(harness.app, harness.app.plan.channels);
}

function later(harness: Harness, ms: number): void {
  harness.now = new Date(harness.now.getTime() + ms);
}

describe('nothing late is lost', () => {
  it('posts an article published ten days before it was first fetched', async () => {
    h = await startHarness(['wire'], [{ id: 'desk' }]);
    h.publish('wire', localEvent(0, 'wire'));
    await addFeeds(h);
    expect(h.publisher.posts).toEqual([]);

    later(h, DAY_MS);
    h.publish('wire', localEvent(1, 'wire'), new Date(h.now.getTime() - 10 * DAY_MS).toUTCString());
    await pollAndProcess(h.app, true);
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts.map((p) => [p.kind, p.title])).toEqual([['new', localEvent(1, 'wire').title]]);
  });

  it('posts items dated in the future or in 1970 with their fetch time, and the feed health says so', async () => {
    h = await startHarness(['wire'], [{ id: 'desk' }]);
    await addFeeds(h);
    later(h, DAY_MS);
    h.publish('wire', localEvent(2, 'wire'), new Date(h.now.getTime() + 2 * 3_600_000).toUTCString());
    h.publish('wire', localEvent(3, 'wire'), 'Thu, 01 Jan 1970 00:00:00 GMT');
    h.publish('wire', localEvent(4, 'wire'), '0001-01-01T00:00:00Z');
    await pollAndProcess(h.app, true);
    const fetchedAt = h.now.toISOString();
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts.map((p) => p.title).sort()).toEqual(
      [2, 3, 4].map((e) => localEvent(e, 'wire').title).sort(),
    );
    const processed = await processedOf(h);
    expect(processed.size).toBe(3);
    for (const record of processed.values()) {
      expect(record.publishedAt).toBe(fetchedAt);
      expect(record.claimedPublishedAt).not.toBeNull();
      expect(record.warnings.find((w) => w.kind === 'date-replaced')?.message).toMatch(
        /; shown with the time it was fetched$/,
      );
    }
    const health = await h.storage.feeds.get(h.app.plan.feeds[0]?.url ?? '');
    expect(health?.lastWarning).toMatch(/3 items with an impossible date .*: shown with the time they were fetched/);
  });

  it('a weekly digest holds every story of the week', async () => {
    h = await startHarness(['wire'], [{ id: 'weekly', schedule: '0 7 * * 1' }]);
    await addFeeds(h);
    for (let day = 0; day < 7; day++) {
      later(h, DAY_MS);
      h.publish('wire', localEvent(day, 'wire'));
      await pollAndProcess(h.app, true);
    }
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts).toHaveLength(7);
    expect(new Set(h.publisher.posts.map((p) => p.kind))).toEqual(new Set(['new']));
  });

  it('after four days down, a restarted bot posts everything that came in meanwhile', async () => {
    h = await startHarness(['wire', 'courier'], [{ id: 'desk' }]);
    await addFeeds(h);
    later(h, DAY_MS);
    h.publish('wire', localEvent(0, 'wire'));
    await pollAndProcess(h.app, true);
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts).toHaveLength(1);
    // down: nothing polls for four days while both feeds publish
    for (let day = 1; day <= 4; day++) {
      later(h, DAY_MS);
      h.publish('wire', localEvent(day, 'wire'));
      h.publish('courier', localEvent(day + 2, 'courier', 1));
    }
    later(h, 3_600_000);
    h.restart();
    await pollAndProcess(h.app, true);
    await digestAll(h.app, h.app.plan.channels);
    const titles = h.publisher.posts.slice(1).map((p) => [p.kind, p.storyId]);
    // events 1..6 are new; events 3 and 4 came from both feeds in different words: one story each
    expect(titles.filter(([kind]) => kind === 'new')).toHaveLength(6);
    expect(new Set(titles.map(([, id]) => id)).size).toBe(6);
  });

  it('posts the items a feed listed while it was failing, once it recovers', async () => {
    h = await startHarness(['wire'], [{ id: 'desk' }]);
    await addFeeds(h);
    h.failing.add('wire');
    for (let day = 0; day < 3; day++) {
      later(h, DAY_MS);
      h.publish('wire', localEvent(day, 'wire'));
      const [report] = await pollAndProcess(h.app, true);
      expect(report?.outcome).toBe('failed');
      await digestAll(h.app, h.app.plan.channels);
    }
    expect(h.publisher.posts).toEqual([]);
    h.failing.delete('wire');
    later(h, DAY_MS);
    await pollAndProcess(h.app, true);
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts.map((p) => p.title).sort()).toEqual(
      [0, 1, 2].map((e) => localEvent(e, 'wire').title).sort(),
    );
  });
});

describe('feed health over time', () => {
  it('a failing feed is reported once, paused, probed every few hours, and resumes with nothing lost', async () => {
    h = await startHarness(['wire'], [{ id: 'desk' }], { pauseAfter: 5, admin: true });
    await addFeeds(h);
    h.failing.add('wire');
    const outcomes: string[] = [];
    for (let hour = 1; hour <= 48; hour++) {
      later(h, 3_600_000);
      if (hour === 2) h.publish('wire', localEvent(4, 'wire'));
      const reports = await pollAndProcess(h.app, false);
      outcomes.push(reports[0]?.outcome ?? '?');
    }
    const admin = () => h?.publisher.notices.filter((n) => n.channel === 'admin').map((n) => n.text) ?? [];
    expect(admin().filter((t) => /is failing/.test(t))).toHaveLength(1);
    expect(admin().filter((t) => /is paused/.test(t))).toHaveLength(1);
    // paused: only probes reach the feed, one every six hours
    const polled = outcomes.filter((o) => o === 'failed').length;
    expect(outcomes.filter((o) => o === 'paused').length).toBeGreaterThan(20);
    expect(polled).toBeLessThan(15);
    h.failing.delete('wire');
    later(h, 6 * 3_600_000);
    await pollAndProcess(h.app, false);
    await digestAll(h.app, h.app.plan.channels);
    expect(admin().filter((t) => /recovered/.test(t))).toHaveLength(1);
    expect(h.publisher.posts.filter((p) => p.channel === 'desk').map((p) => p.title)).toEqual([
      localEvent(4, 'wire').title,
    ]);
    const health = await h.storage.feeds.get(h.app.plan.feeds[0]?.url ?? '');
    expect(health?.pausedAt).toBeNull();
  });
});
