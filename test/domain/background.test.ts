import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBackground } from '../../src/domain/background.js';
import { stem, termId } from '../../src/domain/text.js';

const COUNTS: [string, number][] = [
  ['putin', 40],
  ['vladimir', 90],
  ['kyiv', 30],
  ['new', 5000],
  ['york', 700],
  ['al', 300],
  ['qaeda', 20],
  ['são', 15],
  ['paulo', 25],
];

describe('createBackground', () => {
  const background = createBackground(COUNTS);
  const total = COUNTS.reduce((n, [, c]) => n + c, 0);
  /** nameProbability as the rarest word, split by the regex the ASCII fast path stands in for. */
  const reference = (name: string): number => {
    let p = 1;
    for (const part of name.split(/[\s-]+/)) {
      if (!part) continue;
      const count = COUNTS.find(([w]) => w === part)?.[1];
      p = Math.min(p, count === undefined ? 0 : 1 - Math.exp((-count / total) * 500));
    }
    return p === 1 ? 0 : p;
  };

  it('rates a name as its rarest word, whatever separates the words', () => {
    const parts = ['putin', 'vladimir', 'kyiv', 'new', 'york', 'al', 'qaeda', 'são', 'paulo', 'unknown', '12'];
    const seps = [' ', '-', '  ', ' - ', '\t', '\u00a0', '\u2009', '--'];
    const name = fc
      .array(fc.tuple(fc.constantFrom(...parts), fc.constantFrom(...seps)), { maxLength: 5 })
      .map((xs) => xs.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(name, (n) => {
        expect(background.nameProbability(n)).toBe(reference(n));
      }),
      { numRuns: 500 },
    );
    expect(background.nameProbability('vladimir putin')).toBe(reference('putin'));
    expect(background.nameProbability('al-qaeda')).toBe(reference('qaeda'));
  });

  it('rates a stemmed term by the counts of the words with its stem, with or without its id', () => {
    for (const word of ['putin', 'york', 'qaeda', 'são', 'unknown', 'yorks', '']) {
      const stemmed = stem(word);
      const count = COUNTS.filter(([w]) => stem(w) === stemmed).reduce((n, [, c]) => n + c, 0);
      const expected = count === 0 ? 0 : 1 - Math.exp((-count / total) * 500);
      expect(background.termProbability(stemmed)).toBe(expected);
      expect(background.termProbability(stemmed, termId(stemmed))).toBe(expected);
    }
  });
});
