import { describe, expect, it } from 'vitest';
import { prepareArticle } from '../../src/domain/article.js';
import { judgeNonArticle, PAGE_NAMES } from '../../src/domain/non-article.js';
import { nonEmptyLines, wordCount } from '../../src/domain/text.js';
import { MENTIONS, NON_ARTICLES } from '../fixtures/non-articles.js';

describe('judgeNonArticle: pages recognised as a whole', () => {
  it.each(NON_ARTICLES.map((f) => [f.name, f] as const))('rejects the %s page with its kind named', (_, fixture) => {
    // long site chrome around the message, as real sites serve it: the first lines alone do not give it away
    expect(wordCount(fixture.text)).toBeGreaterThanOrEqual(120);
    const verdict = judgeNonArticle(nonEmptyLines(fixture.text));
    expect(verdict?.kind).toBe(fixture.kind);
    expect(verdict?.reason).toContain(PAGE_NAMES[verdict?.kind ?? 'login']);
  });

  it.each(MENTIONS.map((f) => [f.name, f] as const))('keeps the %s, which only mentions such a page', (_, fixture) => {
    expect(judgeNonArticle(nonEmptyLines(fixture.text))).toBeNull();
  });

  it('needs more than one status line: a single "Sign in" link on an article page is no login page', () => {
    expect(judgeNonArticle(['Sign in', 'Short text.'])).toBeNull();
  });

  it('a status page whose message comes after a long navigation block is still recognised', () => {
    const nav = Array.from({ length: 40 }, (_, i) => `Section ${i + 1}`);
    const verdict = judgeNonArticle([
      ...nav,
      'Service temporarily unavailable',
      'Please try again later.',
      'Incident ID: 77af-0912',
    ]);
    expect(verdict?.kind).toBe('unavailable');
  });
});

describe('prepareArticle rejects non-articles and keeps the reports about them', () => {
  it.each(NON_ARTICLES.map((f) => [f.name, f] as const))('%s: rejected with the reason', (_, fixture) => {
    const prepared = prepareArticle({ id: fixture.name, title: fixture.title, text: fixture.text }, { order: 0 });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.rejection.reason).toMatch(/^not an article: an? /);
  });

  it.each(MENTIONS.map((f) => [f.name, f] as const))('%s: kept', (_, fixture) => {
    const prepared = prepareArticle({ id: fixture.name, title: fixture.title, text: fixture.text }, { order: 0 });
    expect(prepared.ok).toBe(true);
  });
});
