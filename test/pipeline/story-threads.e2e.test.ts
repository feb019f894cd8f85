// One event, one post: later articles are updates in the story's thread, in one channel or several on their own
// schedules; restarts mid-ingest and mid-digest neither skip nor repeat anything; a re-issued copy is no update.
import { afterEach, describe, expect, it } from 'vitest';
import { digestAll, pollAndProcess } from '../../src/pipeline/app.js';
import type { StoryStore } from '../../src/ports.js';
import { bindingLogger } from '../fakes/binding-logger.js';
import {
  askDigest,
  type Harness,
  localEvent,
  processedOf,
  startHarness,
  type Wording,
  withStories,
} from './harness.js';

const DAY_MS = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function day(harness: Harness, channels = harness.app.plan.channels): Promise<void> {
  harness.now = new Date(harness.now.getTime() + DAY_MS);
  await pollAndProcess(harness.app, true);
  await digestAll(harness.app, channels);
}

describe('one event, one thread', () => {
  it('an event told over five digests: one new post, then four updates in its thread', async () => {
    h = await startHarness(['a', 'b', 'c'], [{ id: 'desk' }]);
    await day(h);
    const tellings = [
      ['a', localEvent(3, 'a', 0)],
      ['b', localEvent(3, 'b', 1)],
      ['c', localEvent(3, 'c', 2)],
      ['a', localEvent(3, 'a', 3)],
      ['b', localEvent(3, 'b', 4)],
    ] as const;
    for (const [feed, article] of tellings) {
      h.publish(feed, article);
      await day(h);
    }
    const posts = h.publisher.posts;
    expect(posts.map((p) => p.kind)).toEqual(['new', 'update', 'update', 'update', 'update']);
    expect(new Set(posts.map((p) => p.storyId)).size).toBe(1);
    for (const update of posts.slice(1)) {
      expect(update.threadId).toBe(posts[0]?.threadId ?? 'm1');
      expect(update.newArticleIds).toHaveLength(1);
    }
  });

  it('two channels on their own schedules: each gets the story once, then updates', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'daily' }, { id: 'weekly' }]);
    const [daily, weekly] = h.app.plan.channels;
    if (!daily || !weekly) throw new Error('channels');
    await day(h);
    for (const [n, feed] of ['a', 'b', 'a', 'b', 'a'].entries()) {
      h.publish(feed, localEvent(3, feed, n as Wording));
      // the weekly channel digests after the second and the fifth telling only
      await day(h, n === 1 || n === 4 ? [daily, weekly] : [daily]);
    }
    const of = (channel: string) => h?.publisher.posts.filter((p) => p.channel === channel).map((p) => p.kind);
    expect(of('daily')).toEqual(['new', 'update', 'update', 'update', 'update']);
    expect(of('weekly')).toEqual(['new', 'update']);
    expect(new Set(h.publisher.posts.map((p) => p.storyId)).size).toBe(1);
  });

  it('a feed re-issuing the same article under a new id is a copy, never an update', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    await day(h);
    h.publish('a', localEvent(1, 'a'));
    await day(h);
    h.publish('a', { ...localEvent(1, 'a'), id: 'a-e1-reissued' });
    await day(h);
    expect(h.publisher.posts.map((p) => p.kind)).toEqual(['new']);
    const processed = await processedOf(h);
    expect(processed.get('a-e1-reissued')?.duplicateOf).toBe(processed.get('a-e1-w0')?.id);
    expect(processed.get('a-e1-reissued')?.duplicateKind).toBe('exact');
  });

  it('a re-issue with news of its own added is an update in the thread; the first version keeps its lines', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    await day(h);
    const first = localEvent(1, 'a');
    h.publish('a', first);
    await day(h);
    const added = [
      'Hours after the announcement the regional assembly voted to hold a public inquiry into the costs, its speaker said.',
      'Opposition members said they would ask the national audit office to review every contract signed so far.',
    ];
    h.publish('a', { ...first, id: 'a-e1-update', text: `${first.text}\n${added.join('\n')}` });
    await day(h);
    expect(h.publisher.posts.map((p) => p.kind)).toEqual(['new', 'update']);
    const processed = await processedOf(h);
    const update = processed.get('a-e1-update');
    expect(update?.duplicateOf).toBeNull();
    expect(update?.warnings.map((w) => w.kind)).toContain('revised');
    expect(update?.storyId).toBe(processed.get('a-e1-w0')?.storyId);
  });

  it('an opinion piece on a posted story is an update that lists it and quotes none of it', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'desk' }]);
    await day(h);
    h.publish('a', localEvent(2, 'a', 0));
    await day(h);
    const report = localEvent(2, 'b', 1);
    const column: typeof report = {
      ...report,
      id: 'b-column',
      title: `Opinion: ${report.title}`,
      text: `${report.text}\nThe views expressed here are the author's own.`,
    };
    h.publish('b', column);
    await day(h);
    const [first, update] = h.publisher.posts;
    expect(h.publisher.posts.map((p) => p.kind)).toEqual(['new', 'update']);
    expect(update?.newArticleIds).toHaveLength(1);
    const columnId = update?.newArticleIds[0] ?? '';
    expect(update?.quoted.length).toBeGreaterThan(0);
    expect(update?.quoted).not.toContain(columnId);
    expect(first?.quoted).not.toContain(columnId);
    const processed = await processedOf(h);
    expect(processed.get('b-column')?.warnings.map((w) => w.kind)).toContain('opinion');
  });

  it("an update is named as its thread was, though a later report became the story's best source", async () => {
    h = await startHarness(['a', 'b'], [{ id: 'desk' }, { id: 'late' }]);
    const [desk, late] = h.app.plan.channels;
    if (!desk || !late) throw new Error('channels');
    await day(h, [desk]);
    // a column is the first telling: alone, it is its story's face
    const telling = localEvent(2, 'a', 0);
    h.publish('a', { ...telling, id: 'a-column', title: `Opinion: ${telling.title}` });
    await day(h, [desk]);
    // a report comes in: a report, not a column, is the story's best source from now on
    const report = localEvent(2, 'b', 1);
    h.publish('b', report);
    await day(h, [desk, late]);
    const of = (channel: string) => h?.publisher.posts.filter((p) => p.channel === channel) ?? [];
    const [first, update] = of('desk');
    expect(of('desk').map((p) => p.kind)).toEqual(['new', 'update']);
    expect(first?.title).toBe(`Opinion: ${telling.title}`);
    expect(update?.title).toBe(first?.title);
    // and links to the column that bears that title, not to the report whose headline it is not
    expect(first?.linkedHeadline).toBe(first?.title);
    expect(update?.linkedHeadline).toBe(first?.title);
    // a channel that first sees the story now gets it under the report's headline
    expect(of('late').map((p) => [p.kind, p.storyId, p.title])).toEqual([['new', first?.storyId, report.title]]);
    // /digest answers each channel with the story under the title its thread has
    const asked = async (channel: string | null) => {
      if (!h) throw new Error('harness');
      const answer = await askDigest(h, `${(telling.title ?? '').split(' ').slice(-1)[0]} since:2w`, channel);
      if (answer.kind !== 'digest') throw new Error(answer.kind);
      const story = answer.digest.stories.find((st) => st.id === first?.storyId);
      return [story?.title, answer.digest.articles.find((a) => a.id === story?.bestSource)?.title];
    };
    expect(await asked('desk')).toEqual([first?.title, first?.title]);
    expect(await asked('late')).toEqual([report.title, report.title]);
  });

  it('says in the log why an article never reached chat', async () => {
    const logger = bindingLogger();
    h = await startHarness(['a'], [{ id: 'desk' }], { logger });
    await day(h);
    h.publish('a', {
      id: 'a-briefing',
      title: 'Morning Briefing: talks, a strike and a rate decision',
      text: [
        'Good morning. Here is what is in the news today.',
        'Envoy in Moscow',
        'The US envoy spent five hours with the Russian president in the Kremlin last night, without a deal on territory.',
        'Ferry strike',
        'Greek ferry crews extend their walkout for a second day, stranding thousands of passengers at Piraeus.',
        'Rates decision',
        'The central bank is expected to hold its main interest rate at 3.75 percent when it decides at noon.',
        'You are receiving this newsletter because you signed up. Unsubscribe at any time.',
      ].join('\n'),
    });
    await day(h);
    expect(h.publisher.posts).toHaveLength(0);
    const line = logger.lines.find((l) => l.msg === 'article rejected');
    expect(line?.level).toBe('info');
    expect(line?.obj).toMatchObject({ title: 'Morning Briefing: talks, a strike and a rate decision' });
    expect(String(line?.obj.reason)).toMatch(/^not an article: a newsletter roundup/);
  });

  it('caps a digest at maxStories and says how many more there are', async () => {
    h = await startHarness(['a'], [{ id: 'desk', maxStories: 3 }]);
    await day(h);
    for (let e = 0; e < 7; e++) h.publish('a', localEvent(e, 'a'));
    const captured: number[] = [];
    const publish = h.publisher.publish.bind(h.publisher);
    h.publisher.publish = async (digest, onPosted) => {
      captured.push(digest.overflow?.stories ?? 0);
      return publish(digest, onPosted);
    };
    await day(h);
    expect(h.publisher.posts).toHaveLength(3);
    expect(captured).toEqual([4]);
  });
});

describe('restarts', () => {
  it('a crash mid-ingest: the restart processes the rest, nothing twice, nothing skipped', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'desk' }]);
    await day(h);
    for (let e = 0; e < 4; e++) {
      h.publish('a', localEvent(e, 'a', 0));
      h.publish('b', localEvent(e, 'b', 1));
    }
    // the process dies after the first batch's results are stored, before the batch is marked done
    let commits = 0;
    const written: string[] = [];
    const crashing = (stories: StoryStore): StoryStore =>
      withStories(stories, {
        putProcessed: async (records) => {
          written.push(...records.map((r) => r.id));
          await stories.putProcessed(records);
        },
        commitGrowth: async (growth) => {
          if (commits++ === 0) throw new Error('killed');
          await stories.commitGrowth(growth);
        },
      });
    h.restart(crashing);
    h.now = new Date(h.now.getTime() + DAY_MS);
    await expect(pollAndProcess(h.app, true)).rejects.toThrow('killed');
    const before = written.length;
    expect(before).toBeGreaterThan(0);
    h.restart(crashing);
    await pollAndProcess(h.app, true);
    await digestAll(h.app, h.app.plan.channels);
    // every article processed exactly once across both runs
    expect(written.length).toBe(8);
    expect(new Set(written).size).toBe(8);
    expect(h.publisher.posts.map((p) => p.kind)).toEqual(['new', 'new', 'new', 'new']);
  });

  it('a store write that fails mid-ingest in a running process: the next run processes those articles', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'desk' }]);
    await day(h);
    for (let e = 0; e < 3; e++) {
      h.publish('a', localEvent(e, 'a', 0));
      h.publish('b', localEvent(e, 'b', 1));
    }
    // the storage is down when the results are written; the same process (a daemon) tries again later
    let failures = 1;
    h.restart((stories) =>
      withStories(stories, {
        putProcessed: async (records) => {
          if (failures-- > 0) throw new Error('connection refused');
          await stories.putProcessed(records);
        },
      }),
    );
    h.now = new Date(h.now.getTime() + DAY_MS);
    await expect(pollAndProcess(h.app, true)).rejects.toThrow('connection refused');
    await pollAndProcess(h.app, true);
    const processed = await processedOf(h);
    expect(processed.size).toBe(6);
    expect(new Set([...processed.values()].map((p) => p.storyId)).size).toBe(3);
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts.map((p) => p.kind)).toEqual(['new', 'new', 'new']);
  });

  it('a crash mid-digest: the restart posts the rest into the same digest, nothing twice', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    await day(h);
    for (let e = 0; e < 4; e++) h.publish('a', localEvent(e, 'a'));
    h.publisher.failAfter = 2;
    h.now = new Date(h.now.getTime() + DAY_MS);
    await pollAndProcess(h.app, true);
    const [report] = await digestAll(h.app, h.app.plan.channels);
    expect(report?.error).toMatch(/crashed/);
    expect(h.publisher.posts).toHaveLength(2);
    h.restart();
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts).toHaveLength(4);
    expect(new Set(h.publisher.posts.map((p) => p.storyId)).size).toBe(4);
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts).toHaveLength(4);
  });

  it('a digest cut short is planned whole again: the parent counts every story, only the rest is posted', async () => {
    h = await startHarness(['a'], [{ id: 'desk' }]);
    h.publisher.useJournal = true;
    await day(h);
    for (let e = 0; e < 4; e++) h.publish('a', localEvent(e, 'a'));
    h.publisher.failAfter = 2;
    h.now = new Date(h.now.getTime() + DAY_MS);
    await pollAndProcess(h.app, true);
    await digestAll(h.app, h.app.plan.channels);
    h.restart();
    h.publisher.useJournal = true;
    const [report] = await digestAll(h.app, h.app.plan.channels);
    expect(report).toMatchObject({ posted: 2, skipped: 2 });
    const [first, second] = h.publisher.planned;
    expect(first?.storyIds).toHaveLength(4);
    expect(second?.storyIds).toEqual(first?.storyIds);
    // one digest thread for all four, and the next digest starts its own
    expect(new Set(h.publisher.posts.map((p) => p.threadId))).toEqual(new Set(['thread-1']));
    expect(h.publisher.posts).toHaveLength(4);
    await digestAll(h.app, h.app.plan.channels);
    expect(h.publisher.posts).toHaveLength(4);
  });

  it('a restart between batches decides exactly as an uninterrupted run', async () => {
    const stories = async (restartAfter: number | null): Promise<string[]> => {
      const harness = await startHarness(['a', 'b'], [{ id: 'desk' }]);
      try {
        await day(harness);
        for (let n = 0; n < 6; n++) {
          harness.publish('a', localEvent(n, 'a', (n % 5) as Wording));
          harness.publish('b', localEvent((n + 2) % 8, 'b', ((n + 1) % 5) as Wording));
          if (n === restartAfter) harness.restart();
          await day(harness);
        }
        // story ids name the first article's feed URL (a port of its own per run): compare the grouping itself
        const processed = [...(await processedOf(harness))].sort(([a], [b]) => a.localeCompare(b));
        const firstOf = new Map<string | null, string>();
        for (const [item, p] of processed) if (!firstOf.has(p.storyId)) firstOf.set(p.storyId, item);
        return processed.map(([item, p]) => `${item} in the story of ${firstOf.get(p.storyId)}`);
      } finally {
        await harness.close();
      }
    };
    expect(await stories(3)).toEqual(await stories(null));
  });

  it('two workers on one store, taking batches in turn, decide exactly as one', async () => {
    const stories = async (workers: number): Promise<string[]> => {
      const harness = await startHarness(['a', 'b'], [{ id: 'desk' }]);
      try {
        // each worker a process of its own: its own story engine over the shared store
        const apps = Array.from({ length: workers }, () => harness.restart());
        for (let n = 0; n < 8; n++) {
          // each batch's first event is the previous batch's second: the other worker placed it
          harness.publish('a', localEvent((n + 1) % 8, 'a', (n % 5) as Wording));
          harness.publish('b', localEvent((n + 2) % 8, 'b', ((n + 1) % 5) as Wording));
          harness.app = apps[n % workers] as typeof harness.app;
          await day(harness);
        }
        const processed = [...(await processedOf(harness))].sort(([a], [b]) => a.localeCompare(b));
        const firstOf = new Map<string | null, string>();
        for (const [item, p] of processed) if (!firstOf.has(p.storyId)) firstOf.set(p.storyId, item);
        return processed.map(([item, p]) => `${item} in the story of ${firstOf.get(p.storyId)}`);
      } finally {
        await harness.close();
      }
    };
    const one = await stories(1);
    expect(one.length).toBeGreaterThan(10);
    expect(await stories(2)).toEqual(one);
  });
});
