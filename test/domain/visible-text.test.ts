import { describe, expect, it } from 'vitest';
import { prepareArticle } from '../../src/domain/article.js';
import { standInOf } from '../../src/domain/publish-date.js';
import { titleText, visibleText } from '../../src/domain/visible-text.js';

describe('titleText', () => {
  it.each([
    ['a title encoded twice', 'Council &amp;amp; mayor clash', 'Council & mayor clash'],
    ['a numeric entity left over', 'Mayor&#8217;s plan', 'Mayor’s plan'],
    ['zero-width spaces inside words', 'Flood\u200b barrier\u200b costs', 'Flood barrier costs'],
    ['a bidi override that reverses the title', '\u202eelpmaxe\u202c breaking', 'elpmaxe breaking'],
    ['control characters and a byte-order mark', '\ufeffBell\u0007 rings\u0000', 'Bell rings'],
    ['a soft hyphen', 'Infra\u00adstructure bill', 'Infrastructure bill'],
    ['a terminal colour, sequence and all', '\u001b[1;31mRed\u001b[0m alert', 'Red alert'],
    ['a window-title sequence', 'Talks\u001b]0;owned\u0007 resume', 'Talks resume'],
    ['plain text with an ampersand', 'Q&A: the talks & what next', 'Q&A: the talks & what next'],
  ])('%s', (_what, raw, shown) => {
    expect(titleText(raw)).toBe(shown);
  });

  it('keeps the joiners scripts and emoji need, and right-to-left marks', () => {
    const persian = 'می\u200cخواهم';
    const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
    expect(titleText(`${persian} ${family} \u200fנ`)).toBe(`${persian} ${family} \u200fנ`);
  });
});

describe('visibleText', () => {
  it('keeps line breaks and tabs, drops what no reader sees', () => {
    expect(visibleText('One\u200b line.\nTwo\tlines.\u202e')).toBe('One line.\nTwo\tlines.');
  });
});

describe('articles as chat shows them', () => {
  it('neither a title nor a summary sentence carries an override or a zero-width space', () => {
    const prepared = prepareArticle(
      {
        id: 'x',
        title: '\u202eCouncil &amp;amp; mayor clash\u202c',
        text: 'The town council and the mayor clashed on\u200b Tuesday over the cost of the flood barrier, which has doubled to 40 million euros.\nA vote on extra funding is due next week, the council said in a statement.',
      },
      { order: 0 },
    );
    if (!prepared.ok) throw new Error(prepared.rejection.reason);
    expect(prepared.article.title).toBe('Council & mayor clash');
    expect(prepared.article.sentences.map((s) => s.text).join(' ')).not.toMatch(/[\u200b\u202e]/);
  });

  it('a title of nothing visible is no title: the lead stands in', () => {
    const prepared = prepareArticle(
      {
        id: 'y',
        title: '\u200b\u202e',
        text: 'The town council approved an audit of the flood barrier project on Tuesday, the town hall said in a statement.',
      },
      { order: 0 },
    );
    if (!prepared.ok) throw new Error(prepared.rejection.reason);
    expect(prepared.article.title).toMatch(/^The town council approved an audit/);
  });
});

describe('standInOf', () => {
  const fetchedAt = '2026-12-07T10:00:00.000Z';
  it.each([
    [[{ publishedAt: fetchedAt, fetchedAt }], 'the time it was fetched'],
    [[{ publishedAt: '2026-12-03T00:00:00.000Z', fetchedAt }], 'the day its address names'],
    [
      [
        { publishedAt: '2026-12-03T00:00:00.000Z', fetchedAt },
        { publishedAt: fetchedAt, fetchedAt },
      ],
      'the day their address names, else the time they were fetched',
    ],
  ])('%j: %s', (articles, phrase) => {
    expect(standInOf(articles)).toBe(phrase);
  });
});
