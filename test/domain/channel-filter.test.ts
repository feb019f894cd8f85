// A channel's filter: config and chat merged; which articles are visible; which stories pass keywords/exclusions.
import { describe, expect, it } from 'vitest';
import {
  channelFilter,
  containsWord,
  isOpen,
  isVisible,
  splitKeywords,
  storyPasses,
} from '../../src/domain/channel-filter.js';

const none = { feeds: null, keywords: [], exclusions: [], mutedSources: [] };
const article = (feed: string, title: string, text = '', source: string | null = feed) => ({
  feed,
  source,
  title,
  paragraphs: text ? [text] : [],
});

describe('channelFilter', () => {
  it('is open for a channel on the global list when no feed outside it exists', () => {
    expect(isOpen(channelFilter(none, undefined, ['A', 'B'], true))).toBe(true);
    expect(channelFilter(none, undefined, ['A', 'B'], false).feeds).toEqual(new Set(['a', 'b']));
  });

  it('adds the channel own subscriptions and chat mutes to its config', () => {
    const own = {
      channel: 'desk',
      subscriptions: [{ url: 'https://c.example/', name: 'C', addedBy: 'U1', addedAt: '2024-03-01T00:00:00Z' }],
      muted: ['Tabloid'],
    };
    const filter = channelFilter({ ...none, feeds: ['A'], mutedSources: ['Rag'] }, own, ['A', 'B'], false);
    expect(filter.feeds).toEqual(new Set(['a', 'c']));
    expect(filter.muted).toEqual(new Set(['rag', 'tabloid']));
  });
});

describe('isVisible and storyPasses', () => {
  const filter = channelFilter(
    { feeds: ['Wire'], keywords: ['bridge', 'prisoner swap'], exclusions: ['football'], mutedSources: ['Tabloid'] },
    undefined,
    [],
    false,
  );

  it.each([
    [article('Wire', 'x'), true],
    [article('wire', 'x'), true],
    [article('Other', 'x'), false],
    [article('Wire', 'x', '', 'TABLOID'), false],
    [article('Wire', 'x', '', null), true],
  ])('%j visible: %s', (a, visible) => {
    expect(isVisible(a, filter)).toBe(visible);
  });

  it.each([
    [[article('Wire', 'The bridge reopens')], true],
    [[article('Wire', 'Repairs', 'Traffic on the bridge resumed.')], true],
    [[article('Wire', 'Bridges of the county')], false],
    [[article('Wire', 'A prisoner swap is agreed')], true],
    [
      [article('Wire', 'The bridge reopens'), article('Wire', 'Football club', 'The football club used the bridge.')],
      false,
    ],
    [[], false],
  ])('%j passes: %s', (visible, passes) => {
    expect(storyPasses(visible, filter)).toBe(passes);
  });

  it('matches whole words and phrases only, in any script', () => {
    expect(containsWord('the bridge, at last', 'bridge')).toBe(true);
    expect(containsWord('drawbridge', 'bridge')).toBe(false);
    expect(containsWord('über die brücke', 'brücke')).toBe(true);
    expect(containsWord('brückenbau', 'brücke')).toBe(false);
  });

  it('splits -exclusions from keywords', () => {
    expect(splitKeywords(['iran', ' -gaza', '-', '', 'a-b'])).toEqual({
      keywords: ['iran', '-', 'a-b'],
      exclusions: ['gaza'],
    });
  });
});
