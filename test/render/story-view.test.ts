import { describe, expect, it } from 'vitest';
import { renderChannelDigest as renderForDiscord } from '../../src/discord/render.js';
import { shownLink } from '../../src/domain/canonical-link.js';
import type { Digest } from '../../src/domain/types.js';
import { addedSourcesPhrase, joinNames, outletName, viewDigest } from '../../src/render/story-view.js';
import { renderText } from '../../src/render/text.js';
import { renderChannelDigest as renderForSlack } from '../../src/slack/render.js';
import { digest } from './fixture-digest.js';

describe('viewDigest', () => {
  const view = viewDigest(digest);
  const bridge = view.stories[1];

  it('keeps the story order and numbers the stories', () => {
    expect(view.stories.map((s) => [s.number, s.title])).toEqual([
      [1, 'Rain *delays* harvest [update]'],
      [2, 'Harbour bridge closes for repairs'],
    ]);
  });

  it('counts stories, articles, folded duplicates and rejections', () => {
    expect(view.generatedAt).toBe('2 Mar 2024, 09:30 UTC');
    expect(view.counts).toBe('2 stories, 7 articles, 3 duplicates folded, 2 rejected');
  });

  it('lists the story articles, then their copies and copies of copies', () => {
    expect(bridge?.sources.map((s) => [s.ref, s.outlet, s.copyOf])).toEqual([
      [1, 'Coastline Wire', null],
      [2, 'Harbour Post', null],
      [3, 'Bridge closing time explained', null],
      [4, 'Metro Daily', 'Coastline Wire'],
      [5, 'Bay Courier', 'Coastline Wire'],
      [6, 'Town Wire', 'Metro Daily'],
    ]);
  });

  it('does not repeat a title that stands in for the outlet, and leaves missing fields null', () => {
    expect(bridge?.sources[2]).toEqual({
      ref: 3,
      articleId: 'qa1',
      outlet: 'Bridge closing time explained',
      title: null,
      url: null,
      time: null,
      copyOf: null,
      revised: false,
    });
  });

  it('points each summary sentence at its source', () => {
    expect(bridge?.summary.map((s) => s.ref)).toEqual([1, 2]);
  });

  it('names who reported first', () => {
    expect(bridge?.firstReport).toEqual({ outlet: 'Coastline Wire', time: '1 Mar 2024, 08:00 UTC' });
  });

  it('turns warnings into sentences', () => {
    expect(bridge?.warnings).toEqual([
      "Metro Daily and Bay Courier re-published Coastline Wire's report",
      "Town Wire re-published Metro Daily's report",
      '"Bridge closing time explained" reads like an SEO question-and-answer rewrite',
      'Bay Courier repeats its own paragraphs',
    ]);
    expect(view.stories[0]?.warnings).toEqual(["Boilerplate was cut from Farm Chronicle's text"]);
  });

  it('formats times in the given zone', () => {
    const berlin = viewDigest(digest, { timeZone: 'Europe/Berlin' });
    expect(berlin.stories[1]?.sources[0]?.time).toBe('1 Mar 2024, 09:00 CET');
  });

  it('prints a time at exactly midnight UTC as its day alone, in any zone: a date without a time of day', () => {
    const dayOnly: Digest = {
      ...digest,
      articles: digest.articles.map((a) => ({
        ...a,
        publishedAt: a.publishedAt === null ? null : '2026-12-04T00:00:00.000Z',
      })),
    };
    const newYork = viewDigest(dayOnly, { timeZone: 'America/New_York' });
    expect(newYork.stories[1]?.sources[0]?.time).toBe('4 Dec 2026');
    expect(newYork.generatedAt).toMatch(/:\d\d E[SD]T$/);
  });

  it('rejects an unknown time zone with a clear message', () => {
    expect(() => viewDigest(digest, { timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });

  it('adds a source line for a summary sentence from an article the story does not list', () => {
    const odd: Digest = {
      generatedAt: 'not a date',
      articles: [],
      rejected: [],
      stories: [
        {
          id: 's',
          title: 'T',
          topics: [],
          articles: [],
          bestSource: 'ghost',
          summary: [{ text: 'A line.', articleId: 'ghost', url: 'https://ghost.example/', source: 'Ghost Gazette' }],
          sources: [],
          firstPublishedAt: null,
          lastPublishedAt: null,
        },
      ],
    };
    const v = viewDigest(odd);
    expect(v.generatedAt).toBe('not a date');
    expect(v.counts).toBe('1 story, 0 articles, 0 duplicates folded, 0 rejected');
    expect(v.stories[0]?.summary).toEqual([{ text: 'A line.', ref: 1 }]);
    expect(v.stories[0]?.sources[0]).toMatchObject({ outlet: 'Ghost Gazette', url: 'https://ghost.example/' });
    expect(v.stories[0]?.firstReport).toBeNull();
  });

  it('says when an outlet copied itself', () => {
    const self: Digest = {
      ...digest,
      articles: digest.articles.map((a) => (a.id === 'md1' ? { ...a, source: 'Coastline Wire' } : a)),
    };
    expect(viewDigest(self).stories[1]?.warnings.slice(0, 2)).toEqual([
      "Bay Courier re-published Coastline Wire's report",
      'Coastline Wire published the same report more than once',
    ]);
  });
});

describe("titles that are empty or only a page title's leftovers", () => {
  const withTitles = (storyTitle: string, articleTitle: string): Digest => ({
    ...digest,
    articles: digest.articles.map((a) => (a.id === 'cw1' ? { ...a, title: articleTitle, source: 'NYT' } : a)),
    stories: digest.stories.map((s) => (s.id === 's-bridge' ? { ...s, title: storyTitle } : s)),
  });

  it.each([
    ['an empty story title, an empty headline', '', '', 'NYT'],
    ['a story title that is a separator and the outlet', '| NYT', '| NYT', 'NYT'],
    ['an empty story title, a headline with a dangling separator', '', 'Bridge shuts —', 'Bridge shuts'],
    ['a story title with a sign, not a separator', '-5°C: bridge frozen', '', '-5°C: bridge frozen'],
  ])('%s is shown as "%s"', (_name, storyTitle, articleTitle, shown) => {
    expect(viewDigest(withTitles(storyTitle, articleTitle)).stories[1]?.title).toBe(shown);
  });

  it('never lists "| NYT" as a source headline beside the outlet NYT', () => {
    const source = viewDigest(withTitles('Bridge', '| NYT')).stories[1]?.sources[0];
    expect(source).toMatchObject({ outlet: 'NYT', title: null });
    expect(renderText(withTitles('', '| NYT'))).not.toContain('|');
  });
});

describe('helpers', () => {
  it.each([
    [[], ''],
    [['A'], 'A'],
    [['A', 'B'], 'A and B'],
    [['A', 'B', 'C'], 'A, B and C'],
  ])('joinNames(%j)', (names, expected) => {
    expect(joinNames(names)).toBe(expected);
  });

  it.each([
    [{ id: 'i', title: 'T', source: 'S' }, 'S'],
    [{ id: 'i', title: 'T', source: null }, '"T"'],
    [{ id: 'i', title: '  ', source: null }, 'article i'],
    [{ id: 'i', title: 'T', source: null, url: 'https://www.harbor.example/a/1' }, 'harbor.example'],
    [
      {
        id: 'i',
        title: 'A headline far too long to stand in for the name of the outlet that printed it',
        source: null,
      },
      'article i',
    ],
  ])('outletName(%j)', (a, expected) => {
    expect(outletName(a)).toBe(expected);
  });
});

describe('addedSourcesPhrase', () => {
  it.each([
    [2, 0, '2 new sources'],
    [1, 0, '1 new source'],
    [2, 1, '1 new source and 1 copy'],
    [3, 2, '1 new source and 2 copies'],
    [1, 1, '1 copy'],
  ])('%i new articles, %i of them copies: %s', (added, copies, phrase) => {
    expect(addedSourcesPhrase({ added, copies, revisions: 0 })).toBe(phrase);
  });

  it.each([
    [1, 0, 1, '1 updated report'],
    [2, 0, 1, '1 new source and 1 updated report'],
    [3, 1, 1, '1 new source, 1 updated report and 1 copy'],
    [2, 1, 1, '1 updated report and 1 copy'],
  ])('%i new articles, %i copies, %i later versions: %s', (added, copies, revisions, phrase) => {
    expect(addedSourcesPhrase({ added, copies, revisions })).toBe(phrase);
  });
});

describe('first reported by, with a date known only to the day', () => {
  const member = (id: string, source: string, publishedAt: string) => ({
    id,
    title: `Report ${id}`,
    url: null,
    source,
    publishedAt,
    topics: [],
    storyId: 's1',
    duplicateOf: null,
    duplicateKind: null,
    warnings: [],
    words: 200,
  });
  const firstOf = (articles: ReturnType<typeof member>[]) =>
    viewDigest({
      generatedAt: '2026-12-07T00:00:00.000Z',
      articles,
      stories: [
        {
          id: 's1',
          title: 'Flood barrier costs double',
          topics: [],
          articles: articles.map((a) => a.id),
          bestSource: articles[0]?.id ?? '',
          summary: [],
          sources: articles.map((a) => a.source),
          firstPublishedAt: null,
          lastPublishedAt: null,
        },
      ],
      rejected: [],
    }).stories[0]?.firstReport;

  it('is not a day-only date over a report timed the same day', () => {
    const first = firstOf([
      member('a', 'River Post', '2026-12-03T00:00:00.000Z'),
      member('b', 'Town Wire', '2026-12-03T09:00:00.000Z'),
    ]);
    expect(first?.outlet).toBe('Town Wire');
  });

  it('is a day-only date of an earlier day', () => {
    const first = firstOf([
      member('a', 'River Post', '2026-12-02T00:00:00.000Z'),
      member('b', 'Town Wire', '2026-12-03T09:00:00.000Z'),
    ]);
    expect(first).toEqual({ outlet: 'River Post', time: '2 Dec 2026' });
  });
});

describe('story titles without urgency labels', () => {
  it.each([
    ['BREAKING: Strong earthquake hits eastern Turkey', 'Strong earthquake hits eastern Turkey'],
    ['UPDATE 2-Spain cuts working week', 'Spain cuts working week'],
    ['Exclusive - Envoy to meet Putin on Friday', 'Envoy to meet Putin on Friday'],
    ['Breaking news | Rates held', 'Rates held'],
    ['Update on the talks expected Friday', 'Update on the talks expected Friday'],
    ['BREAKING:', 'BREAKING:'],
  ])('%j -> %j', (written, shown) => {
    const view = viewDigest({
      generatedAt: '2026-12-07T00:00:00.000Z',
      articles: [],
      stories: [
        {
          id: 's1',
          title: written,
          topics: [],
          articles: [],
          bestSource: '',
          summary: [],
          sources: [],
          firstPublishedAt: null,
          lastPublishedAt: null,
        },
      ],
      rejected: [],
    });
    expect(view.stories[0]?.title).toBe(shown);
  });
});

describe('links as readers see them', () => {
  it('drops the parameters that say where a click came from, and keeps the page, its parameters and fragment', () => {
    expect(shownLink('https://coastline.example/bridge?utm_source=rss&utm_medium=feed')).toBe(
      'https://coastline.example/bridge',
    );
    expect(shownLink('https://news.example/story?id=42&utm_campaign=x&fbclid=abc#live')).toBe(
      'https://news.example/story?id=42#live',
    );
    // untouched: nothing to drop, or not a URL
    expect(shownLink('https://news.example/a?b=1&a=2')).toBe('https://news.example/a?b=1&a=2');
    expect(shownLink('not a link?utm_source=x')).toBe('not a link?utm_source=x');
  });

  it('shows sources and summary references without tracking parameters', () => {
    const tracked: Digest = {
      ...digest,
      articles: digest.articles.map((a) => (a.url === null ? a : { ...a, url: `${a.url}?utm_source=rss&ref=feed` })),
    };
    const urls = viewDigest(tracked).stories.flatMap((s) => s.sources.map((source) => source.url));
    expect(urls.filter((u) => u !== null).length).toBeGreaterThan(2);
    for (const url of urls) expect(url ?? '').not.toMatch(/utm_|ref=/);
    expect(renderText(tracked)).not.toMatch(/utm_source/);
    // the chat messages too: the link of each story's title and of its sources
    const inChannel = {
      channel: 'news',
      from: '2024-03-01T00:00:00.000Z',
      to: '2024-03-02T09:30:00.000Z',
      digest: tracked,
      stories: tracked.stories.map((story) => ({ kind: 'new' as const, story })),
    };
    const slack = JSON.stringify(renderForSlack(inChannel, { timeZone: 'UTC' }));
    const discord = JSON.stringify(renderForDiscord(inChannel));
    for (const posted of [slack, discord]) {
      expect(posted).toContain('https://coastline.example/bridge');
      expect(posted).not.toMatch(/utm_source/);
    }
  });
});
