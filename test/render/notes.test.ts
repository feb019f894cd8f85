// What a capped digest says about the stories it left out (the wording, and a since: query the /digest parser
// accepts that reaches back to, or before, the first story left out), and where a channel already got a story.
import { describe, expect, it } from 'vitest';
import { parseDigestQuery } from '../../src/domain/digest-query.js';
import { moreStoriesLine, overflowLine, postedLine, sinceQuery } from '../../src/render/notes.js';

const NOW = new Date('2025-03-04T10:00:00.000Z');

describe('overflowLine', () => {
  it.each([
    [
      { stories: 12, since: '2025-03-01T07:15:00.000Z' },
      '/digest',
      '12 more stories did not fit in this digest: see them with /digest since:2025-03-01',
    ],
    [
      { stories: 1, since: '2025-03-03T23:59:59.999Z' },
      '/digest',
      '1 more story did not fit in this digest: see them with /digest since:2025-03-03',
    ],
    [
      { stories: 3, since: '2025-03-01T00:00:00.000Z' },
      'newsdigest search',
      '3 more stories did not fit in this digest: see them with newsdigest search since:2025-03-01',
    ],
    [{ stories: 2, since: 'not a time' }, '/digest', '2 more stories did not fit in this digest.'],
  ])('%j with %s', (overflow, command, expected) => {
    expect(overflowLine(overflow, command)).toBe(expected);
  });

  it.each([
    '2025-03-01T07:15:00.000Z',
    '2025-03-03T23:59:59.999Z',
    '2025-02-28T23:30:00+01:00',
    '2025-03-04T10:00:00Z',
  ])('gives a since: the query parser accepts, reaching back to %s', (since) => {
    const query = sinceQuery(since);
    const parsed = parseDigestQuery(query ?? '', NOW);
    expect(parsed.kind).toBe('search');
    if (parsed.kind !== 'search') return;
    expect(Date.parse(parsed.since)).toBeLessThanOrEqual(Date.parse(since));
    // never more than a day earlier than needed
    expect(Date.parse(since) - Date.parse(parsed.since)).toBeLessThan(86_400_000);
  });
});

describe('moreStoriesLine', () => {
  it.each([
    [1, '1 more story matched: narrow with since:, until:, topic: or source:'],
    [5, '5 more stories matched: narrow with since:, until:, topic: or source:'],
  ])('%i', (n, expected) => {
    expect(moreStoriesLine(n)).toBe(expected);
  });
});

describe('postedLine', () => {
  it.each([
    ['here', '3 Mar 2025, 09:00 CET', 2, 'Posted here on 3 Mar 2025, 09:00 CET, 2 new articles since'],
    ['here', '3 Mar 2025, 09:00 CET', 1, 'Posted here on 3 Mar 2025, 09:00 CET, 1 new article since'],
    ['in desk', '3 Mar 2025, 09:00 CET', 0, 'Posted in desk on 3 Mar 2025, 09:00 CET, nothing new since'],
    ['here', null, 4, 'Posted here earlier, 4 new articles since'],
  ])('%s %s %i', (where, when, n, expected) => {
    expect(postedLine(where, when, n)).toBe(expected);
  });
});
