// Story grouping on articles of our own writing, messy as feeds deliver them (a dateline, a byline, a promo line):
// one event told by three outlets in their own words joins one story; two events of one kind in one country, a
// week apart, with the same agency and much the same words, stay two.
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../src/domain/story-engine.js';
import { compileTopics } from '../../src/domain/topics.js';
import type { ArticleInput } from '../../src/domain/types.js';
import { loadBackgroundVocabulary } from '../../src/lexicon/subtlex.js';
import { BLAST_AND_FOLLOW_UP, MARKET_WEEK, TALKS_AND_REACTIONS } from '../fixtures/market-week.js';
import { RESULTS_EVENING } from '../fixtures/results-evening.js';
import { RIYADH_DESK, RIYADH_FOLLOW_UP, RIYADH_QA, RIYADH_WIRE, SAME_DAY_CALL } from '../fixtures/riyadh-talks.js';
import { WEEK_OF_STRIKES } from '../fixtures/week-of-strikes.js';

const engine = () => new StoryEngine({ topics: compileTopics([]) });

const article = (id: string, source: string, publishedAt: string, title: string, text: string): ArticleInput => ({
  id,
  source,
  publishedAt,
  title,
  text,
  url: `https://${source}/news/${id}`,
});

// Filler from other subjects, so that document frequencies are those of a stream and not of three articles.
const filler: ArticleInput[] = [
  [
    'Council approves budget for harbour repairs',
    'The city council approved a budget for repairs to the old harbour wall. Work starts in spring and will close the promenade for two months. Traders asked for compensation.',
  ],
  [
    'Rail union calls off weekend strike',
    'The rail union called off a strike planned for the weekend after the operator offered a new pay deal. Members will vote on the offer next month.',
  ],
  [
    'Museum returns bronze heads to Benin',
    'A museum in the north returned twelve bronze heads taken more than a century ago. The handover was attended by the culture minister and a delegation from Nigeria.',
  ],
  [
    'Wheat prices fall on good harvest forecasts',
    'Wheat futures fell for a third day as forecasters raised their estimates for the harvest in the plains. Traders expect exports to rise.',
  ],
].map(([title, text], i) => article(`f${i}`, 'daily.example', `2024-03-0${i + 1}T09:00:00Z`, title ?? '', text ?? ''));

/**
 * Runs `articles` through a fresh engine (with the general-English background, as the bot runs) and expects one
 * story per event and no story shared by two events.
 */
function expectOneStoryPerEvent(articles: readonly { event: string; input: ArticleInput }[], at: number): void {
  const engine = new StoryEngine({ topics: compileTopics([]), background: loadBackgroundVocabulary() });
  const placed = engine.processBatch(
    articles.map((a) => a.input),
    at,
  );
  const storiesOf = new Map<string, Set<string | null>>();
  articles.forEach((a, i) => {
    const set = storiesOf.get(a.event) ?? new Set();
    set.add(placed[i]?.processed.storyId ?? null);
    storiesOf.set(a.event, set);
  });
  for (const [event, stories] of storiesOf) expect({ event, stories: stories.size }).toEqual({ event, stories: 1 });
  expect(new Set(placed.map((p) => p.processed.storyId)).size).toBe(storiesOf.size);
}

describe('story grouping fixtures', () => {
  it('joins one earthquake told by three outlets in their own words', () => {
    const quake: ArticleInput[] = [
      article(
        'q1',
        'wire.example',
        '2024-03-11T04:10:00Z',
        'Strong quake shakes eastern Turkey, 12 dead',
        'MALATYA, Turkey (Wire) - A magnitude 6.1 earthquake struck eastern Turkey on Monday, killing at least 12 people and ' +
          'bringing down houses in villages around Malatya, the disaster agency AFAD said.\n' +
          'Rescuers searched the rubble through the night. Aftershocks rattled the region.\n' +
          'Sign up for our morning newsletter.',
      ),
      article(
        'q2',
        'herald.example',
        '2024-03-11T09:30:00Z',
        'Villages flattened as earthquake hits Malatya province',
        "By our correspondent\nHouses collapsed across Malatya province after Monday's magnitude 6.1 tremor, and AFAD put " +
          'the death toll at 12. Families slept outside in the cold as aftershocks continued.\n' +
          'The quake was felt as far away as Diyarbakir.',
      ),
      article(
        'q3',
        'post.example',
        '2024-03-12T07:00:00Z',
        'Turkey quake: rescuers race to reach trapped villagers',
        'Rescue teams in eastern Turkey dug through collapsed homes on Tuesday, a day after the 6.1-magnitude earthquake ' +
          'near Malatya killed 12 people, according to AFAD. Tents were sent to the villages.\n' +
          'Read more: our coverage of the region.',
      ),
    ];
    const placed = engine().processBatch([...filler, ...quake], Date.parse('2024-03-12T08:00:00Z'));
    const stories = placed.slice(filler.length).map((p) => p.processed.storyId);
    expect(stories[0]).not.toBeNull();
    expect(new Set(stories).size).toBe(1);
  });

  it('keeps apart two earthquakes in one country a week apart, with the same agency and words', () => {
    const first = article(
      'e1',
      'wire.example',
      '2024-03-11T04:10:00Z',
      'Strong quake shakes eastern Turkey, 12 dead',
      'MALATYA, Turkey (Wire) - A magnitude 6.1 earthquake struck eastern Turkey on Monday, killing at least 12 people ' +
        'and bringing down houses in villages around Malatya, the disaster agency AFAD said.\n' +
        'Rescuers searched the rubble through the night.',
    );
    const firstFollow = article(
      'e2',
      'herald.example',
      '2024-03-11T09:30:00Z',
      'Villages flattened as earthquake hits Malatya province',
      "Houses collapsed across Malatya province after Monday's magnitude 6.1 tremor, and AFAD put the death toll at 12.",
    );
    const second = article(
      'e3',
      'wire.example',
      '2024-03-18T05:00:00Z',
      'Strong quake shakes eastern Turkey, 3 dead',
      'VAN, Turkey (Wire) - A magnitude 5.4 earthquake struck eastern Turkey on Monday, killing at least 3 people and ' +
        'bringing down houses in villages around Van, the disaster agency AFAD said.\n' +
        'Rescuers searched the rubble through the night.',
    );
    const placed = engine().processBatch([...filler, first, firstFollow, second], Date.parse('2024-03-18T08:00:00Z'));
    const [a, b, c] = placed.slice(filler.length).map((p) => p.processed.storyId);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  describe('a first batch that is all one meeting', () => {
    // No filler: the stream so far is these reports alone, so every word they share is used by most of it. With the
    // general-English background, as the bot runs: without it a stream of four has no idea which words are rare.
    const withBackground = () => new StoryEngine({ topics: compileTopics([]), background: loadBackgroundVocabulary() });
    const meeting = [RIYADH_WIRE, RIYADH_DESK, RIYADH_QA];
    const at = Date.parse('2026-12-05T09:00:00Z');

    it('a next-day report naming the meeting day joins it: shared words are agreement, not the stream subject', () => {
      const placed = withBackground().processBatch([...meeting, RIYADH_FOLLOW_UP], at);
      const stories = placed.map((p) => p.processed.storyId);
      expect(stories[0]).not.toBeNull();
      expect(new Set(stories).size).toBe(1);
    });

    it('another event of the same day stays apart', () => {
      const placed = withBackground().processBatch([...meeting, SAME_DAY_CALL], at);
      const [a, b, c, d] = placed.map((p) => p.processed.storyId);
      expect(new Set([a, b, c]).size).toBe(1);
      expect(d).not.toBe(a);
    });
  });

  it("two companies' results told in one wire's template the same evening: two stories, each with its outlets", () => {
    for (const order of [RESULTS_EVENING, [...RESULTS_EVENING].reverse()]) {
      expectOneStoryPerEvent(order, Date.parse('2026-12-04T08:00:00Z'));
    }
  });

  it("one outlet's next-day reactions that name only their own day join the talks; its follow-up naming the day too", () => {
    const days = [...TALKS_AND_REACTIONS, ...BLAST_AND_FOLLOW_UP];
    for (const order of [days, [...days].reverse()]) expectOneStoryPerEvent(order, Date.parse('2026-12-02T08:00:00Z'));
  });

  it("known limit: a week of one outlet's market closes, each told in its template, is one story", () => {
    // leads a day apart agree (the one-day tolerance); telling apart a template re-run from a next-day reaction (the
    // test above) needs more than the days: an outlet-and-own-day rule that split the week also split the reactions
    // (ADR 001, session 19, measured and not taken)
    const engine = new StoryEngine({ topics: compileTopics([]), background: loadBackgroundVocabulary() });
    const placed = engine.processBatch(
      MARKET_WEEK.map((a) => a.input),
      Date.parse('2026-12-05T08:00:00Z'),
    );
    expect(new Set(placed.map((p) => p.processed.storyId)).size).toBeLessThan(5);
    // turned on, the rule gives one story a day, in both orders
    const strict = new StoryEngine({
      topics: compileTopics([]),
      background: loadBackgroundVocabulary(),
      grouping: { ownDayConflict: 0.7 },
    });
    const split = strict.processBatch(
      MARKET_WEEK.map((a) => a.input),
      Date.parse('2026-12-05T08:00:00Z'),
    );
    expect(new Set(split.map((p) => p.processed.storyId)).size).toBe(5);
  });

  it('decides the same after a restart mid-week: the outlet comes back with the stored record (rule turned on)', () => {
    const inputs = MARKET_WEEK.map((a) => a.input);
    const at = Date.parse('2026-12-05T08:00:00Z');
    const create = () =>
      new StoryEngine({
        topics: compileTopics([]),
        background: loadBackgroundVocabulary(),
        grouping: { ownDayConflict: 0.7 },
      });
    const whole = create().processBatch(inputs, at);
    const first = create().processBatch(inputs.slice(0, 6), at);
    const restarted = create();
    restarted.restore(first.map((p) => ({ processed: p.processed, at })));
    const rest = restarted.processBatch(inputs.slice(6), at);
    const stories = [...first, ...rest].map((p) => p.processed.storyId);
    expect(stories).toEqual(whole.map((p) => p.processed.storyId));
    expect(new Set(stories).size).toBe(5);
  });

  it('a week of follow-ups: each event one story, a plea "three days after" the strike included', () => {
    expectOneStoryPerEvent(WEEK_OF_STRIKES, Date.parse('2026-12-05T12:00:00Z'));
  });
});
