// What a source prints on many of its pages is learned as its boilerplate; two versions of one story (a wire's
// re-issue with a paragraph added) share their lines because they are one report, and teach nothing.
import { describe, expect, it } from 'vitest';
import { edgeLineKeys, SourceLineStats } from '../../src/domain/article.js';
import { lineHash } from '../../src/domain/clean.js';

const LEAD =
  "MADRID (Wire) - Spain's parliament approved a law on Thursday that cuts the standard working week from 40 to 37.5 hours without a cut in pay, the first change in four decades.";
const SECOND =
  'The law passed by 178 votes to 170 after the government won over a Catalan party with a promise of help for small businesses and farmers.';
const CLOSING = 'Labour minister Ana Ruiz said 12 million workers would benefit.';
const ADDED =
  "Spain's main stock index fell 0.4 percent after the vote, led by hotel and restaurant shares, and the opposition said it would go to court over the law.";
const PROMO = 'Sign up for our Europe newsletter';

const OTHER_STORY = [
  'LISBON (Wire) - Portugal will hold a snap general election on March 9 after the prime minister resigned over an investigation into lithium and hydrogen contracts, the president said on Thursday.',
  'The president dissolved parliament after meeting party leaders, saying a vote was the only way to restore confidence in the government after two weeks of turmoil.',
  'The budget will be approved first.',
];

const boilerplateOf = (...texts: string[]): ReadonlySet<number> | undefined => {
  const stats = new SourceLineStats();
  for (const text of texts) stats.add('Wire', text);
  return stats.boilerplateOf('Wire');
};

describe('SourceLineStats', () => {
  it('learns a line the source prints under two different stories', () => {
    const first = [LEAD, SECOND, CLOSING, PROMO].join('\n');
    const other = [...OTHER_STORY, PROMO].join('\n');
    expect(boilerplateOf(first, other)?.has(lineHash(PROMO))).toBe(true);
  });

  it('learns nothing from a re-issued version of one story, however many times it comes', () => {
    const first = [LEAD, SECOND, CLOSING].join('\n');
    const update1 = [LEAD, SECOND, ADDED, CLOSING].join('\n');
    const update2 = [LEAD, SECOND, ADDED, CLOSING, 'Reporting by the Madrid bureau.'].join('\n');
    expect(boilerplateOf(first, update1, update2)?.has(lineHash(CLOSING)) ?? false).toBe(false);
  });

  it('forgets a version without touching what the first one taught', () => {
    const stats = new SourceLineStats();
    const first = edgeLineKeys('Wire', [LEAD, SECOND, CLOSING, PROMO].join('\n'));
    const version = edgeLineKeys('Wire', [LEAD, SECOND, ADDED, CLOSING, PROMO].join('\n'));
    const other = edgeLineKeys('Wire', [...OTHER_STORY, PROMO].join('\n'));
    if (!first || !version || !other) throw new Error('no keys');
    for (const k of [first, version, other]) stats.addKeys(k);
    stats.removeKeys(version);
    expect(stats.boilerplateOf('Wire')?.has(lineHash(PROMO))).toBe(true);
    stats.removeKeys(other);
    expect(stats.boilerplateOf('Wire')?.has(lineHash(PROMO)) ?? false).toBe(false);
  });

  it('keys stored before content keys were kept still count as before', () => {
    const stats = new SourceLineStats();
    const withoutContent = (text: string) => {
      const keys = edgeLineKeys('Wire', text);
      if (!keys) throw new Error('no keys');
      return { source: keys.source, body: keys.body, lines: keys.lines };
    };
    stats.addKeys(withoutContent([LEAD, SECOND, CLOSING].join('\n')));
    stats.addKeys(withoutContent([LEAD, SECOND, ADDED, CLOSING].join('\n')));
    expect(stats.boilerplateOf('Wire')?.has(lineHash(CLOSING))).toBe(true);
  });
});
