import { describe, expect, it } from 'vitest';
import { collapseRepeats, describeRepeats, isSelfRepeating } from '../../src/domain/repeats.js';
import { wordCount } from '../../src/domain/text.js';
import { GENEVA_BAY_PARAGRAPHS, GENEVA_BODY_PARAGRAPHS } from '../fixtures/articles.js';

const S1 = 'The envoys met for five hours in Geneva on Sunday and agreed to meet again within weeks.';
const S2 = 'Their aides said a written draft of the ceasefire terms had been handed over at the start.';
const S3 = 'Officials in Kyiv were briefed by telephone once the two delegations had left the villa.';
const PULL_QUOTE = '“We did not come to Geneva to sign anything, we came to listen,” the envoy said.';

function words(paragraphs: readonly string[]): number {
  return paragraphs.reduce((n, p) => n + wordCount(p), 0);
}

describe('collapseRepeats', () => {
  const body = [...GENEVA_BODY_PARAGRAPHS];
  const cases: {
    name: string;
    input: readonly string[];
    paragraphs: readonly string[];
    repeatedParagraphs: number;
    repeatedSentences: number;
    selfRepeating: boolean;
  }[] = [
    {
      name: 'every paragraph printed twice',
      input: [...GENEVA_BAY_PARAGRAPHS, ...GENEVA_BAY_PARAGRAPHS],
      paragraphs: GENEVA_BAY_PARAGRAPHS,
      repeatedParagraphs: 4,
      repeatedSentences: 0,
      selfRepeating: true,
    },
    {
      name: 'sentences doubled inside one flattened paragraph',
      input: [`${S1} ${S2} ${S3} ${S1} ${S2} ${S3}`],
      paragraphs: [`${S1} ${S2} ${S3}`],
      repeatedParagraphs: 0,
      repeatedSentences: 3,
      selfRepeating: true,
    },
    {
      name: 'a flattened copy of the body after its paragraphs',
      input: [S1, S2, S3, `${S1} ${S2} ${S3}`],
      paragraphs: [S1, S2, S3],
      repeatedParagraphs: 0,
      repeatedSentences: 3,
      selfRepeating: true,
    },
    {
      name: 'a pull quote printed once more',
      input: [body[0] ?? '', body[1] ?? '', PULL_QUOTE, body[2] ?? '', body[3] ?? '', PULL_QUOTE, body[4] ?? ''],
      paragraphs: [body[0] ?? '', body[1] ?? '', PULL_QUOTE, body[2] ?? '', body[3] ?? '', body[4] ?? ''],
      repeatedParagraphs: 1,
      repeatedSentences: 0,
      selfRepeating: false,
    },
    {
      name: 'nothing repeated',
      input: body,
      paragraphs: body,
      repeatedParagraphs: 0,
      repeatedSentences: 0,
      selfRepeating: false,
    },
    {
      name: 'a short refrain may recur',
      input: [S1, 'Talks resume.', S2, 'Talks resume.'],
      paragraphs: [S1, 'Talks resume.', S2, 'Talks resume.'],
      repeatedParagraphs: 0,
      repeatedSentences: 0,
      selfRepeating: false,
    },
    {
      name: 'a repeat differing only in case, quotes and spacing',
      input: [S1, S2, S1.toUpperCase(), `  ${S2.replace('draft', ' draft')}`],
      paragraphs: [S1, S2],
      repeatedParagraphs: 2,
      repeatedSentences: 0,
      selfRepeating: true,
    },
  ];

  it.each(cases)('$name', ({ input, paragraphs, repeatedParagraphs, repeatedSentences, selfRepeating }) => {
    const r = collapseRepeats(input);
    expect(r.paragraphs).toEqual(paragraphs);
    expect(r.repeatedParagraphs).toBe(repeatedParagraphs);
    expect(r.repeatedSentences).toBe(repeatedSentences);
    expect(r.totalWords).toBe(words(input));
    expect(r.repeatedWords).toBe(words(input) - words(paragraphs));
    expect(isSelfRepeating(r)).toBe(selfRepeating);
  });
});

describe('describeRepeats', () => {
  it('names the repeated paragraphs and the share of words', () => {
    const r = collapseRepeats([...GENEVA_BAY_PARAGRAPHS, ...GENEVA_BAY_PARAGRAPHS]);
    const half = words(GENEVA_BAY_PARAGRAPHS);
    const message = describeRepeats(r);
    expect(message).toContain('4 paragraphs');
    expect(message).toContain(`${half} of ${2 * half} words`);
    expect(message).toContain('50%');
    expect(message).not.toContain('sentence');
  });

  it('names the repeated sentences', () => {
    const message = describeRepeats(collapseRepeats([`${S1} ${S2} ${S3} ${S1} ${S2} ${S3}`]));
    expect(message).toContain('3 sentences');
    expect(message).not.toContain('paragraph');
  });

  it('uses the singular for one of each', () => {
    const long = `${S1} ${S2} ${S3}`;
    const message = describeRepeats(collapseRepeats([long, long, `${S2} ${S1}`]));
    expect(message).toMatch(/\b1 paragraph\b/);
    expect(message).toMatch(/\b2 sentences\b/);
  });
});
