import { describe, expect, it } from 'vitest';
import { DuplicateIndex } from '../../src/domain/duplicates.js';
import { type Fingerprint, fingerprint } from '../../src/domain/fingerprint.js';
import { comparisonHash, tokenize } from '../../src/domain/text.js';
import {
  GENEVA_BAY_PARAGRAPHS,
  GENEVA_BODY_PARAGRAPHS,
  GENEVA_METRO_CREDIT,
  GENEVA_QUICK,
  ISTANBUL_LEDGER,
  MUSCAT_DESERT,
} from '../fixtures/articles.js';

interface Text {
  key: number;
  print: Fingerprint;
}

function textOf(body: string): Text {
  return { key: comparisonHash(body), print: fingerprint(tokenize(body)) };
}

const BODY = GENEVA_BODY_PARAGRAPHS.join('\n');
const EXTRA_A =
  'Correspondents in Geneva, Kyiv and Moscow will follow the negotiations through the week and post updates on our live page.';
const EXTRA_B =
  'This version of the report corrects the name of the villa, which was given wrongly in an earlier edition of this page.';

function index(...originals: string[]): DuplicateIndex {
  const idx = new DuplicateIndex();
  originals.forEach((body, item) => {
    const t = textOf(body);
    idx.add(item, t.key, t.print);
  });
  return idx;
}

function find(idx: DuplicateIndex, body: string) {
  const t = textOf(body);
  return idx.find(t.key, t.print);
}

describe('DuplicateIndex', () => {
  it('an empty index finds nothing', () => {
    expect(find(new DuplicateIndex(), BODY)).toBeNull();
  });

  it.each([
    ['the same text', BODY],
    ['the same text in other case, quotes and spacing', BODY.toUpperCase().replace(/\n/g, '\n\n').replace(/’/g, "'")],
  ])('%s is an exact copy', (_name, copy) => {
    expect(find(index(BODY), copy)).toEqual({
      original: 0,
      kind: 'exact',
      jaccard: 1,
      containment: 1,
      revision: false,
    });
  });

  it('a longer version that adds paragraphs of its own is a revision; a trailer line is not', () => {
    const update = `${BODY}\n${EXTRA_A}\n${EXTRA_B}`;
    const revision = find(index(BODY), update);
    expect(revision?.original).toBe(0);
    expect(revision?.revision).toBe(true);
    expect(find(index(BODY), `${BODY}\n${EXTRA_A}`)?.revision).toBe(false);
    // the shorter text is never the revision of the longer one
    expect(find(index(update), BODY)?.revision).toBe(false);
    // a copy of the later version is its copy, not a revision of the first report
    const copyOfUpdate = find(index(BODY, update), `${update}\n${GENEVA_METRO_CREDIT}`);
    expect(copyOfUpdate).toMatchObject({ original: 1, revision: false });
  });

  it.each([
    ['with a credit line added', `${BODY}\n${GENEVA_METRO_CREDIT}`],
    ['with a trailer paragraph added', `${BODY}\n${EXTRA_A}`],
    ['with its last paragraph cut', GENEVA_BODY_PARAGRAPHS.slice(0, 4).join('\n')],
    ['with one paragraph edited', BODY.replace('five hours', 'nearly five hours').replace('six delegates', 'seven')],
  ])('a copy %s is a near copy', (_name, copy) => {
    const match = find(index(MUSCAT_DESERT.text ?? '', BODY), copy);
    expect(match).not.toBeNull();
    expect(match?.original).toBe(1);
    expect(match?.kind).toBe('near');
    expect(Math.max(match?.jaccard ?? 0, match?.containment ?? 0)).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    ['the same meeting in other words', GENEVA_BAY_PARAGRAPHS.join('\n')],
    ['a question-and-answer rewrite of it', GENEVA_QUICK.text ?? ''],
    ['another meeting on the same subject', ISTANBUL_LEDGER.text ?? ''],
    ['an unrelated story', MUSCAT_DESERT.text ?? ''],
    ['one sentence of it', GENEVA_BODY_PARAGRAPHS[3] ?? ''],
  ])('%s is not a duplicate', (_name, other) => {
    expect(find(index(BODY), other)).toBeNull();
  });

  it('the earliest original wins among near matches', () => {
    // items 0 and 1 are both registered (1 is itself close to 0); a third copy points at 0
    const idx = index(BODY, `${BODY}\n${EXTRA_A}`);
    const match = find(idx, `${BODY}\n${EXTRA_B}`);
    expect(match?.original).toBe(0);
    expect(match?.kind).toBe('near');
  });

  it('the earliest original wins among exact matches', () => {
    const idx = index(BODY, BODY);
    expect(find(idx, BODY)?.original).toBe(0);
  });

  it('find does not register the text it looks up', () => {
    const idx = index(MUSCAT_DESERT.text ?? '');
    expect(find(idx, BODY)).toBeNull();
    expect(find(idx, BODY)).toBeNull();
  });
});
