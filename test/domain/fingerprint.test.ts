import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandKeys,
  estimateContainment,
  estimateJaccard,
  type Fingerprint,
  fingerprint,
  LSH_BANDS,
  LSH_ROWS,
  SHINGLE_WORDS,
  SIGNATURE_BINS,
  shingleHashes,
  U32MultiMap,
} from '../../src/domain/fingerprint.js';
import { tokenize } from '../../src/domain/text.js';
import {
  GENEVA_BAY_PARAGRAPHS,
  GENEVA_BODY_PARAGRAPHS,
  GENEVA_METRO_CREDIT,
  ISTANBUL_LEDGER,
  MUSCAT_DESERT,
} from '../fixtures/articles.js';

function printOf(text: string): Fingerprint {
  return fingerprint(tokenize(text));
}

function similarity(a: string, b: string): { jaccard: number; containment: number } {
  const x = printOf(a);
  const y = printOf(b);
  const jaccard = estimateJaccard(x, y);
  return { jaccard, containment: estimateContainment(x, y, jaccard) };
}

const BODY = GENEVA_BODY_PARAGRAPHS.join('\n');
const TRAILER =
  'Metro Daily readers can follow the negotiations on our live page, where correspondents in Geneva, Kyiv and Moscow post updates through the day.';

describe('shingleHashes', () => {
  it.each([
    [[], 0],
    [['geneva'], 1],
    [['envoys', 'met', 'in', 'geneva'], 1],
    [['envoys', 'met', 'in', 'geneva', 'on'], 1],
    [['envoys', 'met', 'in', 'geneva', 'on', 'sunday'], 2],
    [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], 10 - SHINGLE_WORDS + 1],
  ] as const)('%j -> %i shingles', (tokens, count) => {
    expect(shingleHashes(tokens)).toHaveLength(count);
  });

  it('depends on word order', () => {
    const a = shingleHashes(['envoys', 'met', 'in', 'geneva', 'today']);
    const b = shingleHashes(['geneva', 'met', 'in', 'envoys', 'today']);
    expect(a[0]).not.toBe(b[0]);
  });
});

describe('fingerprint', () => {
  it('has SIGNATURE_BINS bins and counts distinct shingles', () => {
    const tokens = tokenize(BODY);
    const print = fingerprint(tokens);
    expect(print.signature).toHaveLength(SIGNATURE_BINS);
    expect(print.shingles).toBe(tokens.length - SHINGLE_WORDS + 1);
    // a text printed twice has the same shingles plus the few that straddle the seam
    const doubled = fingerprint([...tokens, ...tokens]);
    expect(doubled.shingles).toBeLessThanOrEqual(print.shingles + SHINGLE_WORDS - 1);
  });

  it("counts each distinct shingle once, and keeps a short text's distinct shingles sorted", () => {
    // few distinct words, so that shingles repeat; long and short texts both
    const words = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 400 });
    fc.assert(
      fc.property(words, (tokens) => {
        const distinct = [...new Set(shingleHashes(tokens))].sort((x, y) => x - y);
        const print = fingerprint(tokens);
        expect(print.shingles).toBe(distinct.length);
        expect(print.exact === null ? null : Array.from(print.exact)).toEqual(distinct.length < 128 ? distinct : null);
      }),
      { numRuns: 300 },
    );
  });

  it('of no tokens has no shingles', () => {
    expect(fingerprint([]).shingles).toBe(0);
  });

  it('is deterministic', () => {
    expect(Array.from(printOf(BODY).signature)).toEqual(Array.from(printOf(BODY).signature));
  });
});

describe('estimateJaccard and estimateContainment', () => {
  it('identical texts: Jaccard 1 and containment 1', () => {
    expect(similarity(BODY, BODY)).toEqual({ jaccard: 1, containment: 1 });
  });

  it('texts differing only in case and punctuation are identical', () => {
    const noisy = BODY.toUpperCase().replace(/,/g, ' ,').replace(/—/g, '-');
    expect(similarity(BODY, noisy).jaccard).toBe(1);
  });

  it.each([
    ['a copy with a credit line', `${BODY}\n${GENEVA_METRO_CREDIT}`],
    ['a copy with a trailer paragraph', `${BODY}\n${TRAILER}`],
    ['a copy with its last paragraph cut', GENEVA_BODY_PARAGRAPHS.slice(0, 4).join('\n')],
  ])('%s: high containment', (_name, copy) => {
    const { jaccard, containment } = similarity(BODY, copy);
    expect(containment).toBeGreaterThanOrEqual(0.8);
    expect(jaccard).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    ['two outlets retelling the same meeting', GENEVA_BAY_PARAGRAPHS.join('\n')],
    ['another meeting on the same subject', ISTANBUL_LEDGER.text ?? ''],
    ['an unrelated story', MUSCAT_DESERT.text ?? ''],
  ])('%s: low Jaccard', (_name, other) => {
    const { jaccard, containment } = similarity(BODY, other);
    expect(jaccard).toBeLessThan(0.2);
    expect(containment).toBeLessThan(0.5);
  });

  it('containment is symmetric', () => {
    const a = printOf(BODY);
    const b = printOf(`${BODY}\n${TRAILER}`);
    const j = estimateJaccard(a, b);
    expect(estimateJaccard(b, a)).toBe(j);
    expect(estimateContainment(a, b, j)).toBe(estimateContainment(b, a, j));
  });

  it('containment of an empty text is 0', () => {
    const empty = fingerprint([]);
    const full = printOf(BODY);
    expect(estimateContainment(empty, full, estimateJaccard(empty, full))).toBe(0);
  });
});

describe('bandKeys', () => {
  it('equal signatures have equal band keys', () => {
    const a = printOf(BODY).signature;
    const b = Uint32Array.from(a);
    expect(bandKeys(a)).toHaveLength(LSH_BANDS);
    expect(Array.from(bandKeys(a))).toEqual(Array.from(bandKeys(b)));
  });

  it.each([0, 1, LSH_ROWS, 10 * LSH_ROWS + 2, LSH_BANDS * LSH_ROWS - 1])(
    'changing signature bin %i changes exactly the band that holds it',
    (bin) => {
      const a = printOf(BODY).signature;
      const b = Uint32Array.from(a);
      b[bin] = (b[bin] ?? 0) + 1;
      const ka = bandKeys(a);
      const kb = bandKeys(b);
      const changed = Array.from(ka.keys()).filter((i) => ka[i] !== kb[i]);
      expect(changed).toEqual([Math.floor(bin / LSH_ROWS)]);
    },
  );

  it('the same rows in different bands give different keys', () => {
    const flat = new Uint32Array(SIGNATURE_BINS).fill(7);
    const keys = bandKeys(flat);
    expect(new Set(keys).size).toBe(LSH_BANDS);
  });
});

describe('U32MultiMap', () => {
  it('returns every value of a key, newest first, and nothing for a missing key', () => {
    const map = new U32MultiMap(16);
    map.add(42, 1);
    map.add(42, 2);
    map.add(7, 3);
    map.add(42, 4);
    const got: number[] = [];
    map.forEach(42, (v) => got.push(v));
    expect(got).toEqual([4, 2, 1]);
    const none: number[] = [];
    map.forEach(43, (v) => none.push(v));
    expect(none).toEqual([]);
  });

  it('keeps every value of every key through many growths', () => {
    const map = new U32MultiMap(16);
    const keys = 5000;
    // spread keys over the whole 32-bit range, including 0 and 0xffffffff
    const keyOf = (i: number): number => (i === 0 ? 0 : i === 1 ? 0xffffffff : Math.imul(i, 0x9e3779b1) >>> 0);
    for (let i = 0; i < keys; i++) map.add(keyOf(i), i);
    for (let i = 0; i < keys; i++) map.add(keyOf(i), keys + i);
    for (let i = 0; i < keys; i++) {
      const got: number[] = [];
      map.forEach(keyOf(i), (v) => got.push(v));
      expect(got).toEqual([keys + i, i]);
    }
  });

  it('treats keys as unsigned 32-bit', () => {
    const map = new U32MultiMap();
    map.add(-1, 5);
    const got: number[] = [];
    map.forEach(0xffffffff, (v) => got.push(v));
    expect(got).toEqual([5]);
  });
});
