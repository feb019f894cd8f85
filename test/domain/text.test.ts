import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endsLikeSentence } from '../../src/domain/boilerplate.js';
import { fingerprint, fingerprintOfWordHashes } from '../../src/domain/fingerprint.js';
import { featureId } from '../../src/domain/stories.js';
import {
  ComparisonStream,
  comparisonHash,
  comparisonKey,
  contentTerms,
  contentTermsOf,
  fnv1a,
  hasMoreWordsThan,
  isQuestion,
  isWordChar,
  readSentence,
  STOPWORDS,
  stem,
  tokenize,
  tokensOf,
  WORD_MEMO_CAP,
  wordCount,
  wordMemoGeneration,
  wordMemoSize,
  wordOf,
  wordRun,
} from '../../src/domain/text.js';

/** tokenize() as the spec says it, one string per word, no memo: what the memoised scanner must agree with. */
function plainTokens(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  let word = '';
  let runStart = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if (i < lower.length && isWordChar(c)) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart < 0) continue;
    word += lower.slice(runStart, i);
    runStart = -1;
    if ((c === 0x27 || c === 0x2019) && isWordChar(lower.charCodeAt(i + 1))) {
      if (lower.charCodeAt(i + 1) === 115 && !isWordChar(lower.charCodeAt(i + 2))) i++;
      else continue;
    }
    out.push(word);
    word = '';
  }
  return out;
}

const PIECES = [
  'talks',
  'Talks',
  'negotiations',
  "don't",
  'Witkoff’s',
  "Witkoff's",
  "rock'n'roll",
  'U.S.',
  'well-known',
  'İstanbul',
  'ΟΔΟΣ',
  'café',
  '2024',
  '3.5',
  'the',
  'a',
  "'s",
  '’',
  "'",
  ' ',
  '  ',
  ',',
  '.',
  '\n',
  '—',
  '…',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

describe('wordRun', () => {
  it('gives tokenize, stem, contentTermsOf, fnv1a and the grouping term id of every word, as computed one word at a time', () => {
    fc.assert(
      fc.property(text, (t) => {
        const tokens = plainTokens(t);
        const run = wordRun(t);
        expect(tokenize(t)).toEqual(tokens);
        expect(run.tokens).toEqual(tokens);
        expect(run.stems).toEqual(tokens.map(stem));
        expect(run.terms).toEqual(contentTermsOf(tokens));
        expect(Array.from(run.hashes)).toEqual(tokens.map((w) => fnv1a(w)));
        expect(Array.from(run.termIds)).toEqual(run.terms.map((term) => featureId(term, 't')));
      }),
      { numRuns: 500 },
    );
  });

  it('marks stopwords and one-letter words as no content terms', () => {
    const run = wordRun('The envoy and a minister met in Geneva');
    expect(run.terms).toEqual(['envoy', 'minister', 'met', 'geneva']);
    expect(run.terms.some((t) => STOPWORDS.has(t))).toBe(false);
  });

  it('keeps the fingerprint the token strings give', () => {
    const sentences = ['Envoys met in Geneva on Friday to talk.', 'The talks, said an aide, went well.'];
    const byTokens = fingerprint(sentences.map((s) => tokenize(s)));
    const byHashes = fingerprintOfWordHashes(sentences.map((s) => wordRun(s).hashes));
    expect(byHashes).toEqual(byTokens);
  });

  it('holds at most WORD_MEMO_CAP distinct words, and answers the same after it starts over', () => {
    const first = wordRun('alpha beta gamma');
    for (let i = 0; i <= WORD_MEMO_CAP; i += 500) {
      const words: string[] = [];
      for (let k = i; k < i + 500; k++) words.push(`w${k.toString(36)}x`);
      wordRun(words.join(' '));
      expect(wordMemoSize()).toBeLessThanOrEqual(WORD_MEMO_CAP);
    }
    expect(wordRun('alpha beta gamma')).toEqual(first);
  });

  it('reads a text right when its new words would fill the memo while it is read', () => {
    // the memo two thousand words short of its cap, then a text with three thousand new words
    let n = 0;
    while (wordMemoSize() < WORD_MEMO_CAP - 2000) {
      wordRun(Array.from({ length: 200 }, () => `f${(n++).toString(36)}q`).join(' '));
    }
    const crossing = Array.from({ length: 3000 }, (_, k) => `c${k.toString(36)}z`).join(' ');
    expect(wordRun(crossing).tokens).toEqual(tokenize(crossing));
    while (wordMemoSize() < WORD_MEMO_CAP - 2000) {
      wordRun(Array.from({ length: 200 }, () => `g${(n++).toString(36)}q`).join(' '));
    }
    const ascii = Array.from({ length: 3000 }, (_, k) => `d${k.toString(36)}y`).join(' ');
    const read = readSentence(ascii, new ComparisonStream());
    expect(tokensOf({ text: ascii, wordEntries: read.wordEntries })).toEqual(tokenize(ascii));
  });

  it("reads a sentence's words again once the memo has started over since the sentence was read", () => {
    const sentence = 'Envoys met in Geneva on Friday to talk about the ceasefire.';
    const reading = readSentence(sentence, new ComparisonStream());
    const generation = wordMemoGeneration();
    let n = 0;
    while (wordMemoGeneration() === generation) {
      wordRun(Array.from({ length: 200 }, () => `r${(n++).toString(36)}q`).join(' '));
    }
    expect(tokensOf({ text: sentence, wordEntries: reading.wordEntries })).toEqual(tokenize(sentence));
  });

  it('reads a single text with more distinct words than the cap, then is bounded again', () => {
    const huge = Array.from({ length: WORD_MEMO_CAP + 5000 }, (_, k) => `h${k.toString(36)}`).join(' ');
    expect(wordRun(huge).tokens).toEqual(tokenize(huge));
    wordRun('alpha beta gamma');
    expect(wordMemoSize()).toBeLessThanOrEqual(WORD_MEMO_CAP);
    expect(wordRun('alpha beta gamma').tokens).toEqual(['alpha', 'beta', 'gamma']);
  });
});

describe('readSentence', () => {
  it('gives comparisonHash, wordCount and wordRun of the text, and the stream the hash of all it read', () => {
    const caps = text.map((t) => t.toUpperCase());
    fc.assert(
      fc.property(fc.array(fc.oneof(text, caps), { maxLength: 4 }), (sentences) => {
        const stream = new ComparisonStream();
        for (const t of sentences) {
          const reading = readSentence(t, stream);
          expect(reading.key).toBe(comparisonHash(t));
          expect(reading.words).toBe(wordCount(t));
          const tokens = reading.wordEntries.entries.map(wordOf);
          const run = wordRun(t);
          expect(tokens).toEqual(run.tokens);
          expect(contentTerms(t)).toEqual(run.terms);
        }
        if (stream.hash !== null) expect(stream.hash).toBe(comparisonHash(sentences.join('\n')));
      }),
      { numRuns: 1000 },
    );
  });

  it('knows the stream hash of ASCII and general punctuation, and not after other text', () => {
    const stream = new ComparisonStream();
    readSentence('Envoys met in Geneva on Friday — “talks”.', stream);
    readSentence("Witkoff's aide didn't say.", stream);
    expect(stream.hash).toBe(comparisonHash("Envoys met in Geneva on Friday — “talks”.\nWitkoff's aide didn't say."));
    readSentence('They met in İstanbul.', stream);
    expect(stream.hash).toBeNull();
  });
});

describe('comparisonHash', () => {
  it('is the same with and without the lower-case copy: a no-break space sends a text down the toLowerCase path', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        // U+00A0 is no word char and has no case: it changes nothing but the path taken
        expect(comparisonHash(`${a}\u00a0`)).toBe(comparisonHash(a));
        expect(comparisonHash(`\u00a0${a}`)).toBe(comparisonHash(a));
        expect(comparisonHash(a.toUpperCase()) === comparisonHash(a)).toBe(
          comparisonKey(a.toUpperCase()) === comparisonKey(a),
        );
        if (comparisonKey(a) === comparisonKey(b)) expect(comparisonHash(a)).toBe(comparisonHash(b));
      }),
      { numRuns: 500 },
    );
  });
});

describe('one-pass measures', () => {
  it('hasMoreWordsThan agrees with wordCount', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 30 }), (t, limit) => {
        expect(hasMoreWordsThan(t, limit)).toBe(wordCount(t) > limit);
      }),
      { numRuns: 500 },
    );
  });
});

describe('sentence ends read by char codes', () => {
  const ENDS = [
    'Talks resumed',
    '.',
    '!',
    '?',
    '...',
    '…',
    '"',
    "'",
    '”',
    '’',
    ')',
    ']',
    ' ',
    '\t',
    '\u00a0',
    '\u2009',
    'x',
  ];
  const ending = fc.array(fc.constantFrom(...ENDS), { maxLength: 8 }).map((parts) => parts.join(''));

  it('endsLikeSentence is what its regexes said', () => {
    const byRegex = (line: string) =>
      !/(?:\.\.\.|…)\s*$/.test(line) && (/[.!?]["'”’)\]]*\s*$/.test(line) || /[.!?]["'”’]\s*$/.test(line));
    fc.assert(
      fc.property(ending, (line) => {
        expect(endsLikeSentence(line)).toBe(byRegex(line));
      }),
      { numRuns: 2000 },
    );
  });

  it('isQuestion is what its regex said', () => {
    fc.assert(
      fc.property(ending, (line) => {
        expect(isQuestion(line)).toBe(/\?\s*["'”’)\]]?\s*$/.test(line));
      }),
      { numRuns: 2000 },
    );
  });
});
