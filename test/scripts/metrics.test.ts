import { describe, expect, it } from 'vitest';
import {
  bcubed,
  clusterCount,
  duplicateChain,
  duplicateLinks,
  groupingFromDigest,
  pairwise,
  shingleJaccard,
  shingles,
} from '../../scripts/lib/metrics.js';
import type { Digest, DigestArticle } from '../../src/domain/types.js';

const partition = (groups: Record<string, string[]>): Map<string, string> =>
  new Map(Object.entries(groups).flatMap(([label, ids]) => ids.map((id): [string, string] => [id, label])));

// gold {a b c}{d e}; predicted {a b}{c d e}
const gold = partition({ G1: ['a', 'b', 'c'], G2: ['d', 'e'] });
const pred = partition({ P1: ['a', 'b'], P2: ['c', 'd', 'e'] });

describe('bcubed', () => {
  it('averages per-item precision and recall', () => {
    // precision per item: 1, 1, 1/3, 2/3, 2/3 -> 11/15; recall: 2/3, 2/3, 1/3, 1, 1 -> 11/15
    const s = bcubed(pred, gold);
    expect(s.precision).toBeCloseTo(11 / 15, 10);
    expect(s.recall).toBeCloseTo(11 / 15, 10);
    expect(s.f1).toBeCloseTo(11 / 15, 10);
  });

  it('is perfect on identical partitions, whatever the labels', () => {
    const s = bcubed(partition({ x: ['a', 'b', 'c'], y: ['d', 'e'] }), gold);
    expect(s).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('counts items missing from the prediction as singletons', () => {
    // all singletons: precision 1; recall (3 * 1/3 + 2 * 1/2) / 5 = 2/5; F1 = 2 * 0.4 / 1.4 = 4/7
    const s = bcubed(new Map(), gold);
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(2 / 5, 10);
    expect(s.f1).toBeCloseTo(4 / 7, 10);
  });

  it('scores one big cluster', () => {
    // precision: (3 * 3/5 + 2 * 2/5) / 5 = 13/25; recall 1
    const s = bcubed(partition({ all: ['a', 'b', 'c', 'd', 'e'] }), gold);
    expect(s.precision).toBeCloseTo(13 / 25, 10);
    expect(s.recall).toBe(1);
  });
});

describe('pairwise', () => {
  it('counts pairs put together', () => {
    // predicted pairs 1 + 3 = 4, gold pairs 3 + 1 = 4, shared: (a,b) and (d,e)
    const s = pairwise(pred, gold);
    expect(s.precision).toBeCloseTo(0.5, 10);
    expect(s.recall).toBeCloseTo(0.5, 10);
    expect(s.f1).toBeCloseTo(0.5, 10);
  });

  it('gives precision 1 and recall 0 to all singletons', () => {
    expect(pairwise(new Map(), gold)).toEqual({ precision: 1, recall: 0, f1: 0 });
  });

  it('scores one big cluster', () => {
    // 10 predicted pairs, 4 of them gold
    const s = pairwise(partition({ all: ['a', 'b', 'c', 'd', 'e'] }), gold);
    expect(s.precision).toBeCloseTo(0.4, 10);
    expect(s.recall).toBe(1);
  });
});

const article = (id: string, storyId: string | null, duplicateOf: string | null = null): DigestArticle => ({
  id,
  title: id,
  url: null,
  source: null,
  publishedAt: null,
  topics: [],
  storyId,
  duplicateOf,
  duplicateKind: duplicateOf === null ? null : 'near',
  warnings: [],
  words: 100,
});

describe('groupingFromDigest', () => {
  const digest: Digest = {
    generatedAt: '2024-01-01T00:00:00Z',
    articles: [
      article('a', 's1'),
      article('b', 's1'),
      article('c', null, 'b'),
      article('d', null, 'c'),
      article('e', 's2'),
      article('x', null),
    ],
    stories: [],
    rejected: [{ id: 'x', reason: 'not an article' }],
  };

  it('puts duplicates in their original story and leaves storyless articles out', () => {
    expect(groupingFromDigest(digest)).toEqual(
      new Map([
        ['a', 's1'],
        ['b', 's1'],
        ['c', 's1'],
        ['d', 's1'],
        ['e', 's2'],
      ]),
    );
    expect(clusterCount(groupingFromDigest(digest))).toBe(2);
  });

  it('follows duplicate chains and stops on cycles', () => {
    const links = duplicateLinks(digest);
    expect(duplicateChain(links, 'd')).toEqual(['c', 'b']);
    expect(duplicateChain(links, 'a')).toEqual([]);
    const cyclic = new Map([
      ['p', { duplicateOf: 'q' }],
      ['q', { duplicateOf: 'p' }],
    ]);
    expect(duplicateChain(cyclic, 'p')).toEqual(['q']);
  });
});

describe('shingleJaccard', () => {
  it('compares word 5-shingles, ignoring case and punctuation', () => {
    // 6 words -> 2 shingles each; one shared ("b c d e f"): 1 / (2 + 2 - 1)
    expect(shingles('A b c d e f')).toEqual(new Set(['a b c d e', 'b c d e f']));
    expect(shingleJaccard('a b c d e f', 'B, c. d e f g')).toBeCloseTo(1 / 3, 10);
    expect(shingleJaccard('a b c d e f', 'a b c d e f')).toBe(1);
    expect(shingleJaccard('a b c d e f', 'u v w x y z')).toBe(0);
  });

  it('treats a text shorter than k words as one shingle', () => {
    expect(shingles('Hello world')).toEqual(new Set(['hello world']));
    expect(shingleJaccard('', '')).toBe(1);
  });
});
