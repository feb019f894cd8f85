import { describe, expect, it } from 'vitest';
import { type PreparedArticle, prepareArticle, withoutDateline } from '../../src/domain/article.js';
import { tokensOf } from '../../src/domain/text.js';
import type { ArticleInput } from '../../src/domain/types.js';
import {
  ERROR_ONLY,
  GENEVA_BAY,
  GENEVA_BAY_PARAGRAPHS,
  GENEVA_BODY_PARAGRAPHS,
  GENEVA_COASTLINE,
  GENEVA_METRO,
  GENEVA_METRO_CREDIT,
  GENEVA_QUICK,
  GENEVA_QUICK_QUESTIONS,
  ISTANBUL_LEDGER,
  MUSCAT_DESERT,
  STUB_ONLY,
  SWAP_NORTHERN,
  SWAP_NORTHERN_HEADLINE,
  SWAP_NORTHERN_PARAGRAPHS,
} from '../fixtures/articles.js';

function prepared(input: ArticleInput): PreparedArticle {
  const result = prepareArticle(input, { order: 0 });
  if (!result.ok) throw new Error(`expected ${input.id} to be accepted, got: ${result.rejection.reason}`);
  return result.article;
}

function rejectionOf(input: ArticleInput): string {
  const result = prepareArticle(input, { order: 0 });
  if (result.ok) throw new Error(`expected ${input.id} to be rejected, got title "${result.article.title}"`);
  expect(result.rejection.id).toBe(input.id);
  return result.rejection.reason;
}

const LEAD_BODY = [
  'Can a truce hold without monitors? Diplomats in Geneva are not sure. The envoys met for five hours on Sunday and agreed to meet again within weeks.',
  'A written draft of the ceasefire terms was handed over at the start of the meeting, according to aides on both sides of the table.',
].join('\n');

describe('prepareArticle titles', () => {
  const LEAD_SENTENCE = withoutDateline(GENEVA_BODY_PARAGRAPHS[0] ?? '');
  it.each([
    ['input title', GENEVA_COASTLINE, GENEVA_COASTLINE.title, 'input'],
    ['tweaked input title of a copy', GENEVA_METRO, GENEVA_METRO.title, 'input'],
    ['headline line after an error preamble', SWAP_NORTHERN, SWAP_NORTHERN_HEADLINE, 'headline'],
    ['input title of a Q&A rewrite', GENEVA_QUICK, GENEVA_QUICK.title, 'input'],
    [
      'input title with its whitespace squashed',
      { id: 'squashed', title: '  Envoys   meet in\nGeneva ', text: GENEVA_BODY_PARAGRAPHS.join('\n') },
      'Envoys meet in Geneva',
      'input',
    ],
    [
      'a blank input title counts as none',
      { id: 'blank-title', title: '   ', text: `${SWAP_NORTHERN_HEADLINE}\n${SWAP_NORTHERN_PARAGRAPHS.join('\n')}` },
      SWAP_NORTHERN_HEADLINE,
      'headline',
    ],
    [
      'lead sentence, skipping an opening question',
      { id: 'lead-question', text: LEAD_BODY },
      'Diplomats in Geneva are not sure.',
      'lead',
    ],
    [
      'a feed title with the outlet appended loses it',
      {
        id: 'outlet-suffix',
        title: 'Envoys meet in Geneva - Coastline Wire',
        source: 'Coastline Wire',
        text: LEAD_BODY,
      },
      'Envoys meet in Geneva',
      'input',
    ],
    [
      'a given title that only says when is no headline',
      { id: 'timestamp-title', title: '18 September 2013 Last updated at 13:59 GMT', text: LEAD_BODY },
      'Diplomats in Geneva are not sure.',
      'lead',
    ],
  ] as const)('%s', (_name, input, title, from) => {
    const article = prepared(input);
    expect(article.title).toBe(title);
    expect(article.titleFrom).toBe(from);
  });

  it('a timestamp title still dates an undated article', () => {
    const article = prepared({
      id: 'stamp',
      title: 'Last Updated: Monday, 28 November 2005, 02:24 GMT',
      text: LEAD_BODY,
    });
    expect(article.publishedAt).toBe('2005-11-28T00:00:00.000Z');
  });

  it('without any other date, the day in the address dates the article; a date in the text comes first', () => {
    const url = 'https://news.example/2013/05/02/envoys-meet/';
    expect(prepared({ id: 'addressed', text: LEAD_BODY, url }).publishedAt).toBe('2013-05-02T00:00:00.000Z');
    const lead = `Published May 1, 2013\n${LEAD_BODY}`;
    expect(prepared({ id: 'dated-lead', text: lead, url }).publishedAt).toBe('2013-05-01T00:00:00.000Z');
  });

  it('a long lead sentence is shortened at a word boundary, without its dateline', () => {
    const article = prepared({ id: 'lead-dateline', text: GENEVA_BODY_PARAGRAPHS.join('\n') });
    expect(article.titleFrom).toBe('lead');
    expect(LEAD_SENTENCE.length).toBeGreaterThan(160);
    expect(article.title).toMatch(/…$/);
    expect(article.title.length).toBeLessThanOrEqual(161);
    const kept = article.title.slice(0, -1);
    expect(LEAD_SENTENCE.startsWith(kept)).toBe(true);
    expect(LEAD_SENTENCE[kept.length]).toBe(' ');
  });

  it('a lead-sentence title is never a question and never starts with a dateline', () => {
    for (const input of [
      { id: 'a', text: LEAD_BODY },
      { id: 'b', text: GENEVA_BODY_PARAGRAPHS.join('\n') },
      { id: 'c', text: (GENEVA_QUICK.text ?? '').split('\n').slice(1).join('\n') },
    ]) {
      const article = prepared(input);
      expect(article.titleFrom).toBe('lead');
      expect(article.title).not.toMatch(/\?\s*["'”’]?\s*$/);
      expect(article.title).not.toMatch(/^\S*\s*\(/);
    }
  });
});

describe('prepareArticle rejections', () => {
  it.each([
    ['error-only', ERROR_ONLY, /error page/i],
    ['stub-only', STUB_ONLY, /too little article text/i],
    ['blank text', { id: 'empty', text: '  \n ' }, /no article text/i],
    ['no text and no html', { id: 'nothing' }, /no article text/i],
    ['one short line', { id: 'one-line', text: 'Envoys met in Geneva on Sunday.' }, /too little article text/i],
  ] as const)('rejects %s', (_name, input, reason) => {
    expect(rejectionOf(input)).toMatch(reason);
  });

  it('the error-page reason quotes the error lines', () => {
    const reason = rejectionOf(ERROR_ONLY);
    expect(reason).toContain('500');
    expect(reason).toContain('Internal Server Error');
  });

  it('the stub reason says how many words were left', () => {
    expect(rejectionOf(STUB_ONLY)).toMatch(/\b0 words\b/);
  });

  it('a wire flash under a shouted kicker is a report, not an error page', () => {
    const flash = {
      id: 'flash',
      title: 'Prime minister resigns after losing confidence vote',
      text: 'BREAKING NEWS!!\nThe prime minister resigned on Monday after losing a vote of no confidence in parliament, his office said.',
    };
    expect(prepared(flash).paragraphs.at(-1)).toMatch(/^The prime minister resigned on Monday/);
    // a page that is sorry stays an error page
    const sorry = { ...flash, id: 'sorry', text: flash.text.replace('BREAKING NEWS!!', 'Sorry!!') };
    expect(rejectionOf(sorry)).toMatch(/error page/);
  });

  it('an article with an error preamble on top is kept, with a warning', () => {
    const article = prepared(SWAP_NORTHERN);
    expect(article.paragraphs).toEqual([...SWAP_NORTHERN_PARAGRAPHS]);
    const warning = article.warnings.find((w) => w.kind === 'boilerplate-removed');
    expect(warning?.message).toContain('404');
  });
});

describe('prepareArticle warnings', () => {
  it('plain articles carry none', () => {
    for (const input of [GENEVA_COASTLINE, GENEVA_METRO, ISTANBUL_LEDGER, MUSCAT_DESERT]) {
      expect(prepared(input).warnings).toEqual([]);
    }
  });

  it('a page printing its paragraphs twice: collapsed, with a self-repeat warning', () => {
    const article = prepared(GENEVA_BAY);
    expect(article.paragraphs).toEqual([...GENEVA_BAY_PARAGRAPHS]);
    expect(article.warnings.map((w) => w.kind)).toEqual(['self-repeat']);
    expect(article.warnings[0]?.message).toContain('4 paragraphs');
    expect(article.qaRewrite).toBe(false);
  });

  it('an SEO question-and-answer rewrite: flagged, and none of its question lines quotable', () => {
    const article = prepared(GENEVA_QUICK);
    expect(article.qaRewrite).toBe(true);
    expect(article.warnings.map((w) => w.kind)).toEqual(['qa-rewrite']);
    const questions = article.sentences.filter((s) => GENEVA_QUICK_QUESTIONS.includes(s.text));
    expect(questions).toHaveLength(GENEVA_QUICK_QUESTIONS.length);
    expect(questions.filter((s) => s.quotable)).toEqual([]);
    expect(article.sentences.filter((s) => s.quotable && s.text.endsWith('?'))).toEqual([]);
    // its answers are still quotable text
    expect(article.sentences.filter((s) => s.quotable).length).toBeGreaterThan(5);
  });
});

describe('prepareArticle fields', () => {
  it('keeps the syndicated body and drops the page furniture around it', () => {
    const article = prepared(GENEVA_METRO);
    expect(article.paragraphs).toEqual([...GENEVA_BODY_PARAGRAPHS, GENEVA_METRO_CREDIT]);
  });

  it('counts words, splits sentences in order and tokenizes them', () => {
    const article = prepared(GENEVA_COASTLINE);
    expect(article.paragraphs).toEqual([...GENEVA_BODY_PARAGRAPHS]);
    expect(article.sentences.map((s) => s.index)).toEqual(article.sentences.map((_, i) => i));
    expect(article.sentences.reduce((n, s) => n + s.words, 0)).toBe(article.words);
    expect(article.sentences[0]?.paragraph).toBe(0);
    expect(article.sentences.at(-1)?.paragraph).toBe(GENEVA_BODY_PARAGRAPHS.length - 1);
    const lead = article.sentences[0];
    expect(lead && tokensOf(lead).slice(0, 4)).toEqual(['geneva', 'coastline', 'wire', 'american']);
  });

  it.each([
    ['input source wins over the dateline', { source: 'Metro Daily' }, 'Metro Daily'],
    ['the lead dateline names the outlet when the input does not', {}, 'Coastline Wire'],
    ['a blank input source counts as none', { source: '  ' }, 'Coastline Wire'],
  ] as const)('source: %s', (_name, extra, source) => {
    const article = prepared({ id: 'x', text: GENEVA_BODY_PARAGRAPHS.join('\n'), ...extra });
    expect(article.source).toBe(source);
  });

  it.each([
    ['an ISO time, normalised', '2025-03-03T09:00:00Z', '', '2025-03-03T09:00:00.000Z'],
    [
      'an unparsable time falls back to the date line',
      'yesterday',
      'Published March 4, 2025\n',
      '2025-03-04T00:00:00.000Z',
    ],
    ['a date line in the text', undefined, 'Updated: 17 March 2025\n', '2025-03-17T00:00:00.000Z'],
    ['no date anywhere', undefined, '', null],
  ] as const)('publishedAt: %s', (_name, publishedAt, prefix, expected) => {
    const article = prepared({ id: 'x', text: `${prefix}${GENEVA_BAY_PARAGRAPHS.join('\n')}`, publishedAt });
    expect(article.publishedAt).toBe(expected);
    expect(article.time).toBe(expected === null ? null : Date.parse(expected));
  });

  it('keeps url and order, and null for a missing url', () => {
    const result = prepareArticle(GENEVA_COASTLINE, { order: 7 });
    expect(result.ok && result.article.order).toBe(7);
    expect(result.ok && result.article.url).toBe(GENEVA_COASTLINE.url);
    expect(prepared({ id: 'x', text: GENEVA_BAY_PARAGRAPHS.join('\n') }).url).toBeNull();
  });
});

describe('withoutDateline', () => {
  it.each([
    ['GENEVA (Coastline Wire) — American envoys met.', 'American envoys met.'],
    ['(MENAFN) The envoys met.', 'The envoys met.'],
    ['(Reuters) - The envoys met.', 'The envoys met.'],
    ['The envoys (both veterans) met.', 'The envoys (both veterans) met.'],
    ['OSLO, Norway, Dec. 5, 2026 /PRNewswire/ -- Northwind Energy reported.', 'Northwind Energy reported.'],
    ['Revenue on Dec. 5, 2026 rose / fell -- no dateline.', 'Revenue on Dec. 5, 2026 rose / fell -- no dateline.'],
  ])('%j -> %j', (sentence, expected) => {
    expect(withoutDateline(sentence)).toBe(expected);
  });
});

describe('a sentence that ends in an emoji', () => {
  it('is a finished sentence, quoted without it; an emoji inside a sentence stays', () => {
    const prepared = prepareArticle(
      {
        id: 'emoji',
        title: 'Council and mayor clash over flood barrier',
        text: [
          'The town council and the mayor clashed on Tuesday over the cost of the flood barrier, which has doubled to 40 million euros. \u{1F30A}\u{1F4B6}',
          'Residents wore \u{1F30A} badges to the meeting, where a vote on extra funding was put off until next week.',
        ].join('\n'),
      },
      { order: 0 },
    );
    if (!prepared.ok) throw new Error(prepared.rejection.reason);
    const [first, second] = prepared.article.sentences;
    expect(first?.quotable).toBe(true);
    expect(first?.text).toMatch(/40 million euros\.$/);
    expect(second?.text).toContain('\u{1F30A} badges');
  });
});
