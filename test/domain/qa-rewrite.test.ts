import { describe, expect, it } from 'vitest';
import { prepareArticle } from '../../src/domain/article.js';
import { detectQaShape, isQuestionLine } from '../../src/domain/qa-rewrite.js';
import { nonEmptyLines } from '../../src/domain/text.js';
import { GENEVA_BODY_PARAGRAPHS, GENEVA_QUICK, GENEVA_QUICK_QUESTIONS } from '../fixtures/articles.js';

const BODY = [...GENEVA_BODY_PARAGRAPHS];
const ANSWER =
  'The two delegations spent five hours at a lakeside villa and left with an agreement to meet again within weeks, officials said.';
const ANSWER_2 =
  'A written draft was handed over by the American side, and the Russian envoy asked for time to study it before replying.';

describe('isQuestionLine', () => {
  it.each([
    ['What did the envoys agree in Geneva?', true],
    ['Why is a 30-day energy truce important?', true],
    ['What happens next?', true],
    ['Who pays?', false],
    ['The envoys met for five hours. Was it worth it?', false],
    ['The envoys met for five hours in Geneva on Sunday.', false],
    ['“What did we achieve today?” the envoy asked reporters.', false],
  ] as const)('%j -> %s', (line, expected) => {
    expect(isQuestionLine(line)).toBe(expected);
  });
});

describe('detectQaShape', () => {
  it.each([
    {
      name: 'the quick-answers fixture',
      paragraphs: nonEmptyLines(GENEVA_QUICK.text ?? ''),
      questionLines: GENEVA_QUICK_QUESTIONS.length,
    },
    {
      name: 'four question headings, each answered',
      paragraphs: [
        BODY[0] ?? '',
        'What did the envoys agree in Geneva?',
        ANSWER,
        'Where were the talks held?',
        ANSWER_2,
        'Who took part in the meeting?',
        ANSWER,
        'What happens after the Geneva meeting?',
        ANSWER_2,
      ],
      questionLines: 4,
    },
    {
      name: 'two questions under an FAQ header',
      paragraphs: [
        BODY[0] ?? '',
        BODY[1] ?? '',
        'Frequently asked questions',
        'Where were the talks held?',
        ANSWER,
        'Who took part in the meeting?',
        ANSWER_2,
      ],
      questionLines: 2,
    },
  ])('$name is a rewrite', ({ paragraphs, questionLines }) => {
    expect(detectQaShape(paragraphs)).toEqual({ questionLines, isRewrite: true, isInterview: false });
  });

  it.each([
    {
      name: 'a normal article',
      paragraphs: BODY,
      questionLines: 0,
    },
    {
      name: 'a normal article with one quoted question',
      paragraphs: [
        BODY[0] ?? '',
        BODY[1] ?? '',
        '“What did we achieve today?” the envoy asked reporters outside the villa, before answering that both sides now understood each other better.',
        BODY[2] ?? '',
        BODY[3] ?? '',
      ],
      questionLines: 0,
    },
    {
      name: 'an article with a rhetorical question ending a paragraph',
      paragraphs: [
        BODY[0] ?? '',
        'Five hours of talks produced no signed text and no date for a second round. So can a truce hold without monitors on the ground?',
        BODY[2] ?? '',
        BODY[3] ?? '',
      ],
      questionLines: 0,
    },
    {
      name: 'an article with one question subhead',
      paragraphs: [BODY[0] ?? '', BODY[1] ?? '', 'What happens next?', BODY[2] ?? '', BODY[3] ?? '', BODY[4] ?? ''],
      questionLines: 1,
    },
    {
      name: 'questions with no answers under them',
      paragraphs: [
        BODY[0] ?? '',
        'Who will monitor the truce?',
        'Who will pay for the monitors?',
        'Who decides?',
        BODY[1] ?? '',
      ],
      questionLines: 0,
    },
  ])('$name is not a rewrite', ({ paragraphs, questionLines }) => {
    expect(detectQaShape(paragraphs)).toEqual({ questionLines, isRewrite: false, isInterview: false });
  });
});

// An interview printed as a transcript: speaker marks on each question and answer, answers in the first person.
const TRANSCRIPT = [
  'The deputy foreign minister spoke to us in Geneva on Thursday evening, after the first day of talks with the United States. The interview has been edited for length.',
  'Q: Was today a success?',
  'A: It was serious and detailed. We did not expect a deal on the first day, and there was none.',
  'Q: Will your country accept a cap on enrichment?',
  'A: Our right to enrich is not negotiable. The level is something we can discuss if sanctions are lifted first.',
  'Q: The US says it offered to lift oil sanctions in phases. Is that enough?',
  'Rezaei: Phases that take years are not relief. We want the oil sanctions lifted in the first step.',
];

describe('interview transcripts', () => {
  it('are interviews, not SEO rewrites, when their questions and answers carry speaker marks', () => {
    const shape = detectQaShape(TRANSCRIPT);
    expect(shape).toMatchObject({ isInterview: true, isRewrite: false });
  });

  it('without the marks the same exchanges read as a rewrite', () => {
    const unmarked = TRANSCRIPT.map((l) => l.replace(/^(?:Q|A|Rezaei): /, '')).map((l, i) =>
      i % 2 === 0 && i > 0 ? `${l} The ministry later repeated the point in a written statement to reporters.` : l,
    );
    expect(detectQaShape(unmarked)).toMatchObject({ isInterview: false, isRewrite: true });
  });

  it('quote their introduction, never an exchange, and carry no rewrite warning', () => {
    const prepared = prepareArticle(
      { id: 'int1', title: 'Iran negotiator: a cap is possible if sanctions go first', text: TRANSCRIPT.join('\n') },
      { order: 0 },
    );
    if (!prepared.ok) throw new Error(prepared.rejection.reason);
    const quotable = prepared.article.sentences.filter((s) => s.quotable).map((s) => s.text);
    expect(quotable.length).toBeGreaterThan(0);
    expect(quotable.every((t) => !/^(?:Q|A|Rezaei):/.test(t) && !/not negotiable|first step/.test(t))).toBe(true);
    expect(prepared.article.warnings.map((w) => w.kind)).not.toContain('qa-rewrite');
  });
});
