// `/digest` answered from stored stories through the search index: words (stemmed as the builder does, folded
// further), phrases, exclusions, windows, stored topics; no grouping at query time. Real SQLite, real ingest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialHealth } from '../../src/feeds/poll-feed.js';
import { digestAll, pollAndProcess } from '../../src/pipeline/app.js';
import { STORIES_SHOWN } from '../../src/pipeline/search.js';
import { describeStatus } from '../../src/pipeline/status.js';
import type { QueryAnswer } from '../../src/ports.js';
import { GENEVA_BAY, GENEVA_COASTLINE, ISTANBUL_LEDGER, MUSCAT_DESERT, SWAP_NORTHERN } from '../fixtures/articles.js';
import { askDigest, type Harness, localEvent, startHarness } from './harness.js';

const DAY_MS = 86_400_000;

/** Names with accents, as outlets write them; people search without them. */
const KRAKOW_TRAMS = {
  id: 'krakow-trams',
  title: 'Kraków tram drivers walk out as pay talks with Łódź operator stall',
  text: [
    'Tram drivers in Kraków stopped work on Monday morning after pay talks between their union and the city operator broke down, leaving commuters to queue for buses across the old town.',
    "Zuzanna Wróbel, who leads the drivers' union, said the operator had offered a rise of four percent, half of what drivers in Gdańsk and Łódź won last spring.",
    'The operator said the strike was illegal because the union had not held a ballot, and that it would ask a court in Kraków to stop it.',
    'Wróbel said the drivers would stay out until Thursday unless the offer improved.',
  ].join('\n\n'),
};
let h: Harness;

beforeAll(async () => {
  h = await startHarness(['wire', 'courier'], [{ id: 'desk' }]);
  h.now = new Date('2025-03-20T12:00:00Z');
  // the backlog at the first poll is backfill: searchable, never posted
  h.publish('wire', GENEVA_COASTLINE, 'Mon, 17 Mar 2025 09:00:00 GMT');
  h.publish('wire', SWAP_NORTHERN, 'Tue, 18 Mar 2025 09:00:00 GMT');
  h.publish('wire', KRAKOW_TRAMS, 'Mon, 17 Mar 2025 11:00:00 GMT');
  await pollAndProcess(h.app, true);
  h.now = new Date(h.now.getTime() + DAY_MS);
  h.publish('courier', GENEVA_BAY, 'Wed, 19 Mar 2025 09:00:00 GMT');
  h.publish('courier', ISTANBUL_LEDGER, 'Thu, 20 Mar 2025 12:00:00 GMT');
  h.publish('courier', MUSCAT_DESERT, 'Fri, 21 Mar 2025 08:00:00 GMT');
  for (let e = 0; e < STORIES_SHOWN + 3; e++) h.publish('wire', localEvent(e, 'wire'));
  await pollAndProcess(h.app, true);
  await digestAll(h.app, h.app.plan.channels);
});
afterAll(async () => {
  await h.close();
});

function ask(input: string, channel: string | null = null): Promise<QueryAnswer> {
  return askDigest(h, input, channel);
}

const titles = (a: QueryAnswer) => (a.kind === 'digest' ? a.digest.stories.map((s) => s.title) : []);

describe('answerSearch', () => {
  it('finds a word in stored stories, backfill included, with the story summarised', async () => {
    const answer = await ask('villa since:2w');
    expect(answer.kind).toBe('digest');
    if (answer.kind !== 'digest') return;
    expect(answer.digest.stories).toHaveLength(1);
    const story = answer.digest.stories[0];
    expect(story?.articles).toHaveLength(2);
    expect(story?.summary.length).toBeGreaterThan(0);
    expect(answer.matched).toBe(2);
  });

  it('folds word forms the way the builder stems them, and further: negotiators finds negotiations', async () => {
    expect(titles(await ask('truces since:2w'))).toEqual(titles(await ask('truce since:2w')));
    expect(titles(await ask('negotiators since:2w')).length).toBeGreaterThan(0);
    expect(titles(await ask('negotiators since:2w'))).toEqual(titles(await ask('negotiations since:2w')));
  });

  it('keeps phrases in order, leaves out excluded words, and ends the window at until:', async () => {
    expect(titles(await ask('"villa beaulac" since:2w'))).toHaveLength(1);
    expect((await ask('"beaulac villa" since:2w')).kind).toBe('empty');
    const withGeneva = titles(await ask('ceasefire since:2w'));
    const without = titles(await ask('ceasefire -geneva since:2w'));
    expect(without.length).toBeLessThan(withGeneva.length);
    expect(without.some((t) => /geneva/i.test(t))).toBe(false);
    expect((await ask('istanbul since:2025-03-01 until:2025-03-19')).kind).toBe('empty');
    expect(titles(await ask('istanbul since:2025-03-01 until:2025-03-20'))).toHaveLength(1);
  });

  it('finds names written with accents from their plain spelling, and the accented query too', async () => {
    expect(titles(await ask('krakow since:2w'))).toEqual([KRAKOW_TRAMS.title]);
    expect(titles(await ask('wrobel lodz since:2w'))).toEqual([KRAKOW_TRAMS.title]);
    expect(titles(await ask('Wróbel "Łódź operator" since:2w'))).toEqual([KRAKOW_TRAMS.title]);
  });

  it('answers a search that only leaves words out, and says when nothing is left to search', async () => {
    const everything = await ask('since:2w');
    const withoutGeneva = await ask('-geneva since:2w');
    expect(everything.kind === 'digest' && withoutGeneva.kind === 'digest').toBe(true);
    if (everything.kind !== 'digest' || withoutGeneva.kind !== 'digest') return;
    expect(withoutGeneva.matched).toBeGreaterThan(0);
    expect(withoutGeneva.matched).toBeLessThan(everything.matched);
    for (const story of withoutGeneva.digest.stories) expect(story.title).not.toMatch(/geneva/i);
    expect(await ask('🔥 since:2w')).toEqual({
      kind: 'empty',
      message:
        "Nothing to search for about '🔥' in the last 2 weeks: common words (the, of) and symbols are not searched.",
    });
  });

  it('filters by the topics stored at ingest and by outlet', async () => {
    expect(titles(await ask('topic:iran since:2w'))).toEqual([MUSCAT_DESERT.title]);
    const swaps = await ask('topic:"prisoner swaps" since:2w');
    expect(swaps.kind === 'digest' && swaps.digest.stories.map((s) => s.topics)).toEqual([['Prisoner swaps']]);
    const courier = await ask('source:courier since:2w');
    expect(courier.kind).toBe('digest');
    if (courier.kind !== 'digest') return;
    // whole stories come back: each holds an article from the outlet asked for
    for (const story of courier.digest.stories) expect(story.sources).toContain('courier');
    expect(courier.digest.stories).toHaveLength(3);
  });

  it('caps the answer and says how many more stories matched', async () => {
    const answer = await ask('source:wire since:2d');
    expect(answer.kind).toBe('digest');
    if (answer.kind !== 'digest') return;
    expect(answer.digest.stories).toHaveLength(STORIES_SHOWN);
    expect(answer.moreStories).toBe(3);
  });

  it('says where the asking channel already got a story', async () => {
    const answer = await ask('istanbul since:2w', 'desk');
    expect(answer.kind).toBe('digest');
    if (answer.kind !== 'digest') return;
    const id = answer.digest.stories[0]?.id ?? '';
    expect(answer.posted?.get(id)?.channel).toBe('desk');
    expect(answer.posted?.get(id)?.newArticles).toBe(0);
  });

  it('says plainly when nothing matched, with the retention period', async () => {
    expect(await ask('zanzibar since:3d')).toEqual({
      kind: 'empty',
      message: "No articles about 'zanzibar' in the last 3 days; articles are kept 30 days.",
    });
    expect((await ask('the of and')).kind).toBe('empty');
  });

  it('says when older articles match, and how far back to ask; the advice finds them', async () => {
    const answer = await ask('villa since:1d');
    expect(answer).toEqual({
      kind: 'empty',
      message:
        "No articles about 'villa' in the last day; 2 older articles match, the newest 3 days old: try since:3d.",
    });
    const advised = await ask('villa since:3d');
    expect(advised.kind === 'digest' && advised.matched).toBe(1);
    // a window that ends in the past gets no advice about what lies before it
    expect(await ask('villa since:2025-03-20 until:2025-03-21')).toEqual({
      kind: 'empty',
      message: "No articles about 'villa' since 2025-03-20 until 2025-03-21; articles are kept 30 days.",
    });
  });
});

describe('describeStatus', () => {
  it('counts healthy feeds and lists failing ones and each channel', () => {
    const lines = describeStatus(
      [
        { ...initialHealth({ url: 'u1', name: 'Wire' }), lastSuccessAt: 'x', items: 3, initialized: true },
        {
          ...initialHealth({ url: 'u2', name: 'Broken' }),
          lastErrorAt: 'y',
          lastError: 'HTTP 503',
          consecutiveFailures: 4,
        },
      ],
      [{ id: 'desk', lastDigestAt: '2025-03-20T08:00:00.000Z', nextDigestAt: '2025-03-21T08:00:00.000Z' }],
    );
    expect(lines[0]).toBe('2 feeds, 1 healthy, 1 failing or paused.');
    expect(lines[1]).toBe('• Broken: 4 failures in a row; last error: HTTP 503');
    expect(lines[2]).toContain('desk: last digest 2025-03-20T08:00:00.000Z, next 2025-03-21T08:00:00.000Z');
  });
});
