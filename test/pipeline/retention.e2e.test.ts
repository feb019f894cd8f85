// Every stored thing is pruned: forty days of daily polls, digests and prunes with 30 days of retention. What left
// the feed is forgotten (article, result, story, delivery record, seen id); what the feed still lists is never
// stored or posted again.
import { afterEach, describe, expect, it } from 'vitest';
import { digestAll, pollAndProcess, prune } from '../../src/pipeline/app.js';
import { type Harness, localEvent, processedOf, startHarness } from './harness.js';

const DAY_MS = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('retention', () => {
  it('forgets what left the feed after the retention period and never re-posts what it still lists', async () => {
    h = await startHarness(['wire'], [{ id: 'desk' }]);
    await pollAndProcess(h.app, true);
    h.publish('wire', localEvent(0, 'wire'));
    h.publish('wire', localEvent(1, 'wire'));
    let gone: { article: string; story: string; item: string } | undefined;
    const reports = [];
    for (let day = 1; day <= 40; day++) {
      h.now = new Date(h.now.getTime() + DAY_MS);
      if (day === 3) {
        // event 1 leaves the feed; event 0 stays listed for ever
        const record = (await processedOf(h)).get('wire-e1-w0');
        gone = { article: record?.id ?? '', story: record?.storyId ?? '', item: 'wire-e1-w0' };
        h.feeds.set(
          'wire',
          (h.feeds.get('wire') ?? []).filter((e) => e.article.id !== 'wire-e1-w0'),
        );
      }
      await pollAndProcess(h.app, true);
      await digestAll(h.app, h.app.plan.channels);
      reports.push(await prune(h.app));
    }
    expect(h.publisher.posts.map((p) => p.title).sort()).toEqual(
      [localEvent(0, 'wire').title, localEvent(1, 'wire').title].sort(),
    );
    if (!gone) throw new Error('no record of event 1');
    const { articles, stories, deliveries, feeds } = h.storage;
    expect(await articles.get(gone.article)).toBeUndefined();
    expect((await stories.getProcessed([gone.article])).size).toBe(0);
    expect((await stories.getStories([gone.story])).size).toBe(0);
    expect(await deliveries.get('desk', gone.story)).toBeUndefined();
    const url = h.app.plan.feeds[0]?.url ?? '';
    const seen = await feeds.seenMarks(url, ['wire-e0-w0', gone.item]);
    expect([...seen.keys()]).toEqual(['wire-e0-w0']);
    expect(reports.reduce((n, r) => n + r.articles, 0)).toBeGreaterThanOrEqual(2);
    expect(reports.reduce((n, r) => n + r.seenIds, 0)).toBeGreaterThanOrEqual(1);
  });
});
