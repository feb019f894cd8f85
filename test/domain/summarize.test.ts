// A summary for a thread's update says something the new articles add, not only that they came.
import { describe, expect, it } from 'vitest';
import { type PreparedArticle, prepareArticle } from '../../src/domain/article.js';
import { summarizeStory } from '../../src/domain/summarize.js';
import type { ArticleInput } from '../../src/domain/types.js';

const prepared = (input: ArticleInput, order: number): PreparedArticle => {
  const result = prepareArticle(input, { order });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.article;
};

const REPORT = [
  "Spain's parliament approved a law on Thursday that cuts the standard working week from 40 to 37.5 hours without a cut in pay.",
  'The law passed by 178 votes to 170 after the government won over a Catalan party with a promise of help for small businesses.',
  "Employers' groups said the change would cost companies 12 billion euros a year and hurt hiring in hospitality and farming.",
  'The shorter week will be phased in over two years, starting in January, the labour ministry said.',
];
const NEWS = 'The opposition People’s Party said on Friday it would challenge the law in the Constitutional Court.';

const wire = prepared({ id: 'w1', source: 'Wire', title: 'Spain cuts working week', text: REPORT.join('\n') }, 0);
const desk = prepared(
  {
    id: 'd1',
    source: 'Desk',
    title: 'Shorter week for Spain',
    text: [
      'Spanish workers will work two and a half hours less a week under a law passed by parliament on Thursday.',
      'Business groups put the cost at 12 billion euros a year, while unions called it a historic day for workers.',
    ].join('\n'),
  },
  1,
);
const update = prepared(
  { id: 'w2', source: 'Wire', title: 'UPDATE 1-Spain cuts working week', text: [...REPORT, NEWS].join('\n') },
  2,
);

describe('summarizeStory for an update', () => {
  it('says what the fresh article adds', () => {
    const plain = summarizeStory([wire, desk, update], undefined, 'Spain cuts working week');
    expect(plain.map((s) => s.text)).not.toContain(NEWS);
    const withFresh = summarizeStory([wire, desk, update], undefined, 'Spain cuts working week', new Set(['w2']));
    expect(withFresh.map((s) => s.text)).toContain(NEWS);
    expect(withFresh.find((s) => s.text === NEWS)?.articleId).toBe('w2');
    expect(withFresh.length).toBeLessThanOrEqual(5);
  });

  it('adds nothing when the fresh article only repeats what others wrote', () => {
    const copy = prepared({ id: 'w3', source: 'Wire', title: 'Spain cuts working week', text: REPORT.join('\n') }, 3);
    const plain = summarizeStory([wire, desk, copy], undefined, 'Spain cuts working week');
    const withFresh = summarizeStory([wire, desk, copy], undefined, 'Spain cuts working week', new Set(['w3']));
    expect(withFresh.map((s) => s.text)).toEqual(plain.map((s) => s.text));
  });
});

describe('summarizeStory opening', () => {
  const lead =
    'Iranian and US negotiators held six hours of talks in Geneva on Thursday and agreed to meet again on Friday, but made no breakthrough on how far Iran may enrich uranium, officials said.';
  const best = prepared(
    {
      id: 'g4',
      source: 'Wire',
      title: 'Iran and US negotiators to meet again in Geneva',
      text: [
        lead,
        'A US official said Washington had offered a phased lifting of oil sanctions in return for a cap.',
      ].join('\n'),
    },
    0,
  );
  // another outlet's aside that shares more of the story's words than the lead does
  const aside = prepared(
    {
      id: 'g3',
      source: 'Observer',
      title: 'Interview with the Iranian negotiator',
      text: [
        "Iran's negotiator spoke to us in Geneva on Thursday evening after the talks with the US negotiators on uranium and sanctions.",
        'He said the talks on uranium enrichment and oil sanctions in Geneva had been serious and detailed.',
      ].join('\n'),
    },
    1,
  );

  it("opens with the best source's lead, a long wire lead included", () => {
    const summary = summarizeStory([best, aside]);
    expect(summary[0]?.text).toBe(lead);
    expect(summary[0]?.articleId).toBe('g4');
  });

  it('opens with the lead of whichever article is the best source', () => {
    const summary = summarizeStory([aside, best]);
    expect(summary[0]?.articleId).toBe('g3');
  });
});
