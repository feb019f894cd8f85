import { describe, expect, it } from 'vitest';
import { type DigestSearch, describeQuery, matchesQuery, parseDigestQuery } from '../../src/domain/digest-query.js';

const NOW = new Date('2025-04-10T12:00:00Z');
const search = (input: string): DigestSearch => {
  const q = parseDigestQuery(input, NOW);
  if (q.kind !== 'search') throw new Error(`not a search: ${JSON.stringify(q)}`);
  return q;
};

describe('parseDigestQuery', () => {
  it.each([
    ['witkoff', ['witkoff'], '2025-04-07T12:00:00.000Z', null, null, false],
    ['iran since:3d', ['iran'], '2025-04-07T12:00:00.000Z', null, null, false],
    ['Iran SINCE:12h', ['iran'], '2025-04-10T00:00:00.000Z', null, null, false],
    ['since:2w', [], '2025-03-27T12:00:00.000Z', null, null, false],
    ['topic:"Prisoner swaps" since:2025-04-01', [], '2025-04-01T00:00:00.000Z', 'Prisoner swaps', null, false],
    ['topic:“Prisoner swaps”', [], '2025-04-07T12:00:00.000Z', 'Prisoner swaps', null, false],
    ['source:Reuters private', [], '2025-04-07T12:00:00.000Z', null, 'reuters', true],
    [
      '"prisoner exchange" abu dhabi',
      ['prisoner exchange', 'abu', 'dhabi'],
      '2025-04-07T12:00:00.000Z',
      null,
      null,
      false,
    ],
    ['', [], '2025-04-07T12:00:00.000Z', null, null, false],
  ])('%j', (input, terms, since, topic, source, isPrivate) => {
    const q = search(input);
    expect(q.terms).toEqual(terms);
    expect(q.since).toBe(since);
    expect(q.topic).toBe(topic);
    expect(q.source).toBe(source);
    expect(q.private).toBe(isPrivate);
  });

  it.each([
    ['help', 'help'],
    ['HELP', 'help'],
    ['?', 'help'],
    ['status', 'status'],
  ])('%j is %s', (input, kind) => {
    expect(parseDigestQuery(input, NOW).kind).toBe(kind);
  });

  it.each([
    ['iran since:3x', 'since:3x is not a duration: try since:3d'],
    ['since:0d', 'since:0d is not a duration: try since:3d'],
    ['since:2025-13-40', 'since:2025-13-40 is not a date: try since:2025-04-01'],
    ['since:2030-01-01', 'since:2030-01-01 is in the future'],
    ['topic:"Prisoner swaps', 'a quote is not closed: "Prisoner swaps'],
    [
      'when:today',
      'when: is not something /digest understands: use since:, until:, topic: or source: (see /digest help)',
    ],
    ['source:', 'source: needs a value, like source:reuters'],
  ])('%j is answered with %j', (input, message) => {
    const q = parseDigestQuery(input, NOW);
    expect(q).toEqual({ kind: 'error', message, private: true });
  });

  it('says what was asked in words', () => {
    expect(describeQuery(search('witkoff since:3d'))).toBe("about 'witkoff' in the last 3 days");
    expect(describeQuery(search('topic:"Iran talks" since:2025-04-01'))).toBe('in Iran talks since 2025-04-01');
    expect(describeQuery(search('since:1h source:bbc'))).toBe('from bbc in the last hour');
  });
});

describe('matchesQuery', () => {
  const article = {
    title: 'Envoy meets Putin in Moscow',
    text: 'The talks covered a prisoner exchange.',
    source: 'Reuters World',
    publishedAt: '2025-04-09T08:00:00.000Z',
  };
  it.each([
    ['moscow', true],
    ['moscow since:12h', false],
    ['"prisoner exchange"', true],
    ['"prisoner swap"', false],
    ['envoy putin', true],
    ['envoy tehran', false],
    ['source:reuters', true],
    ['source:bbc', false],
    ['topic:ukraine', true],
    ['topic:"Iran talks"', false],
    ['talks', true],
  ])('%j -> %s', (input, expected) => {
    expect(matchesQuery(article, ['Ukraine talks'], search(input))).toBe(expected);
  });
});

describe('exclusions and until:', () => {
  it.each([
    ['iran -gaza', ['iran'], ['gaza'], null],
    ['iran -"west bank" -', ['iran', '-'], ['west bank'], null],
    ['iran until:2025-04-08', ['iran'], [], '2025-04-09T00:00:00.000Z'],
    ['iran since:2w until:2d', ['iran'], [], '2025-04-08T12:00:00.000Z'],
  ])('%j', (input, terms, exclude, until) => {
    const q = search(input);
    expect(q.terms).toEqual(terms);
    expect(q.exclude).toEqual(exclude);
    expect(q.until).toBe(until);
  });

  it.each([
    ['iran until:tomorrow', /until:tomorrow is not a date or a duration/],
    ['iran since:2025-04-05 until:2025-04-01', /until: must come after since:/],
    ['iran until:', /until: needs a value, like until:2025-04-10/],
  ])('%j is refused with a message', (input, message) => {
    const q = parseDigestQuery(input, NOW);
    expect(q.kind).toBe('error');
    expect(q.kind === 'error' && q.message).toMatch(message);
  });

  it('describes them and matches by them', () => {
    const q = search('iran -gaza since:2025-04-01 until:2025-04-08');
    expect(describeQuery(q)).toBe("about 'iran' without 'gaza' since 2025-04-01 until 2025-04-08");
    const article = { title: 'Iran talks', text: 'in Oman', publishedAt: '2025-04-05T00:00:00.000Z' };
    expect(matchesQuery(article, [], q)).toBe(true);
    expect(matchesQuery({ ...article, text: 'Gaza too' }, [], q)).toBe(false);
    expect(matchesQuery({ ...article, publishedAt: '2025-04-09T00:00:00.000Z' }, [], q)).toBe(false);
  });
});
