import { describe, expect, it } from 'vitest';
import { textFeatures } from '../../src/domain/features.js';
import { StoryGrouper } from '../../src/domain/stories.js';
import { splitSentences, tokenize } from '../../src/domain/text.js';

function features(title: string, body: string, published: number | null) {
  const sentences = splitSentences(body).map((text) => ({ text, tokens: tokenize(text) }));
  return textFeatures(title, sentences, published);
}

const at = (iso: string): number => Date.parse(iso);

// Two port strikes a week apart, told in the same words: only the day the lead names tells them apart.
const STRIKE_TITLE = 'Dockers at Harwick stop work over night shifts';
const STRIKE_BODY = (when: string): string =>
  `Dockers at the Harwick container terminal walked out ${when} after talks with the Harbour Board on night shifts ` +
  'broke down. The union said the stoppage would last a day. Ships queued outside the breakwater.';

/** Similarity of the second article to the first, each alone in a fresh grouper besides filler articles. */
function pairSimilarity(
  first: [string, string, number | null],
  second: [string, string, number | null],
  options: ConstructorParameters<typeof StoryGrouper>[0] = {},
): number {
  const grouper = new StoryGrouper(options);
  const a = grouper.add(features(...first), first[2]);
  const b = grouper.add(features(...second), second[2]);
  return grouper.similarity(a.member, b.member);
}

describe('StoryGrouper: the days a lead names', () => {
  it('reads "on Friday" a week later as another day, where the weekday alone would agree', () => {
    const first: [string, string, number] = [STRIKE_TITLE, STRIKE_BODY('on Friday'), at('2025-03-14T18:00:00Z')];
    const sameWordsNextWeek: [string, string, number] = [
      STRIKE_TITLE,
      STRIKE_BODY('on Friday'),
      at('2025-03-21T18:00:00Z'),
    ];
    const nextDayReport: [string, string, number] = [
      STRIKE_TITLE,
      STRIKE_BODY('yesterday'),
      at('2025-03-15T08:00:00Z'),
    ];
    const apart = pairSimilarity(first, sameWordsNextWeek);
    const together = pairSimilarity(first, nextDayReport);
    const noDays = pairSimilarity(first, sameWordsNextWeek, { anchorWeight: 0 });
    expect(apart).toBeLessThan(noDays); // the lead's days disagree: damped
    expect(together).toBeGreaterThan(apart * 1.3);
  });

  it('keeps weekday words for undated texts and compares them as words', () => {
    const friday = pairSimilarity(
      [STRIKE_TITLE, STRIKE_BODY('on Friday'), null],
      [STRIKE_TITLE, STRIKE_BODY('on Friday'), null],
    );
    const monday = pairSimilarity(
      [STRIKE_TITLE, STRIKE_BODY('on Friday'), null],
      [STRIKE_TITLE, STRIKE_BODY('on Monday'), null],
    );
    expect(friday).toBeGreaterThan(monday * 1.3);
  });
});

describe('StoryGrouper: the years undated texts name', () => {
  const title = 'Champion keeps his belts with a stoppage in the seventh';
  const body = (year: string): string =>
    `The champion stopped the challenger in the seventh round in ${year} to keep three heavyweight belts. ` +
    'The referee waved it off after a second knockdown.';

  it('damps two undated texts whose latest years lie two or more apart, and not those a year apart', () => {
    const far = pairSimilarity([title, body('2008'), null], [title, body('2012'), null]);
    const near = pairSimilarity([title, body('2011'), null], [title, body('2012'), null]);
    const off = pairSimilarity([title, body('2008'), null], [title, body('2012'), null], { eraWeight: 0 });
    expect(far).toBeCloseTo(off * 0.7, 5);
    expect(near).toBeGreaterThan(far);
  });

  it('leaves dated texts to the time decay', () => {
    const dated = pairSimilarity(
      [title, body('2008'), at('2012-07-08T12:00:00Z')],
      [title, body('2012'), at('2012-07-08T14:00:00Z')],
    );
    const off = pairSimilarity(
      [title, body('2008'), at('2012-07-08T12:00:00Z')],
      [title, body('2012'), at('2012-07-08T14:00:00Z')],
      { eraWeight: 0 },
    );
    expect(dated).toBe(off);
  });
});

describe('StoryGrouper: restore', () => {
  it('restores vectors stored before days and years were kept, comparing them as before', () => {
    const grouper = new StoryGrouper();
    const placed = grouper.add(features(STRIKE_TITLE, STRIKE_BODY('on Friday'), null), null);
    const { days: _days, latestYear: _year, ...old } = placed.vectors;
    const restored = new StoryGrouper();
    const member = restored.restore(old, null, 0);
    restored.refresh();
    const next = restored.add(features(STRIKE_TITLE, STRIKE_BODY('on Friday'), null), null);
    expect(next.story).toBe(0);
    expect(restored.similarity(member, next.member)).toBeGreaterThan(0.5);
  });
});

describe('StoryGrouper: the era of a story as a whole', () => {
  // An undated report that names its year, an undated one that names none (it joins the first), and a dated report
  // of another title defence by the same champion. The second report says nothing of its era; the story does.
  const first = [
    'Kessler stops Ortega in seventh to keep WBA belt',
    'Dario Kessler beat Miguel Ortega at the Halle arena, his third defence of 2006. Ortega was down twice ' +
      'before the bout was waved off.',
    null,
  ] as const;
  const second = [
    'Kessler too strong for Ortega',
    'Champion Dario Kessler was too strong for Miguel Ortega on Saturday, stopping the challenger in the seventh ' +
      'round at the Halle arena to keep his heavyweight belt. Ortega took two counts.',
    null,
  ] as const;
  const later = (year: string) =>
    [
      'Kessler keeps heavyweight belt with stoppage',
      `Updated ${year}. Dario Kessler kept his heavyweight belt on Saturday, stopping his challenger in the seventh ` +
        'round of a one-sided fight. The referee stopped it after a second knockdown.',
      at(`${year}-07-08T12:00:00Z`),
    ] as const;

  /** Runs the three; returns whether the third joined the story and its similarity to the second. */
  function run(year: string, options: ConstructorParameters<typeof StoryGrouper>[0]) {
    const grouper = new StoryGrouper(options);
    const a = grouper.add(features(...first), null);
    const b = grouper.add(features(...second), null);
    const c = grouper.add(features(...later(year)), at(`${year}-07-08T12:00:00Z`));
    return {
      joined: b.story === a.story && c.story === a.story,
      similarity: grouper.similarity(b.member, c.member),
      toFirst: grouper.similarity(a.member, c.member),
    };
  }

  it('does not let a report six years on join through a member that names no year', () => {
    const { similarity, toFirst } = run('2012', { threshold: 0.01 });
    expect(toFirst).toBeLessThan(similarity * 0.7);
    // a threshold the pair clears, so that only the story's era decides
    const threshold = similarity * 0.85;
    expect(run('2012', { threshold, eraWeight: 0 }).joined).toBe(true);
    expect(run('2012', { threshold }).joined).toBe(false);
    expect(run('2007', { threshold }).joined).toBe(true);
  });

  it('decides the same after a restart from stored vectors, and forgets the era with the member that stated it', () => {
    const { similarity } = run('2012', { threshold: 0.01 });
    const threshold = similarity * 0.85;
    const live = new StoryGrouper({ threshold });
    const a = live.add(features(...first), null);
    const b = live.add(features(...second), null);
    const restored = new StoryGrouper({ threshold });
    const ra = restored.restore(a.vectors, null, a.story);
    restored.restore(b.vectors, null, b.story);
    restored.refresh();
    const when = at('2012-07-08T12:00:00Z');
    const c = live.add(features(...later('2012')), when);
    const rc = restored.add(features(...later('2012')), when);
    expect(rc.story).toBe(c.story);
    expect(rc.story).not.toBe(a.story);
    // once the 2006 report has left the window, nothing in the story says when it was
    const evicted = new StoryGrouper({ threshold });
    evicted.restore(a.vectors, null, a.story);
    evicted.restore(b.vectors, null, b.story);
    evicted.refresh();
    evicted.evict(ra);
    expect(evicted.add(features(...later('2012')), when).story).toBe(b.story);
  });
});

describe('StoryGrouper: what the leads count', () => {
  const title = 'Strong quake shakes the east, several dead';
  const body = (dead: string, when: string, magnitude = '6.1') =>
    `A magnitude ${magnitude} earthquake struck the east ${when}, killing ${dead} people in hill villages, the disaster ` +
    'agency said. Rescuers searched the rubble through the night.';

  it('damps two reports whose toll and magnitude differ a week apart, and not a toll revised the same day', () => {
    const monday = at('2024-03-11T06:00:00Z');
    const nextMonday = at('2024-03-18T06:00:00Z');
    const week = (options = {}) =>
      pairSimilarity(
        [title, body('12', 'on Monday'), monday],
        [title, body('3', 'on Monday', '5.4'), nextMonday],
        options,
      );
    // two things counted differently (people, magnitude): 0.7 x 0.7
    expect(week()).toBeCloseTo(week({ countWeight: 0 }) * 0.49, 5);
    // one number in common says the same event
    const shared = (options = {}) =>
      pairSimilarity([title, body('12', 'on Monday'), monday], [title, body('3', 'on Monday'), nextMonday], options);
    expect(shared()).toBe(shared({ countWeight: 0 }));
    const revised = (options = {}) =>
      pairSimilarity(
        [title, body('3', 'on Monday'), monday],
        [title, body('12', 'on Monday'), at('2024-03-11T18:00:00Z')],
        options,
      );
    expect(revised()).toBe(revised({ countWeight: 0 }));
  });
});
