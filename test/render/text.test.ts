import { describe, expect, it } from 'vitest';
import { renderAnswerText, renderText, wrap } from '../../src/render/text.js';
import { digest } from './fixture-digest.js';

describe('renderText', () => {
  const text = renderText(digest, {});
  const lines = text.split('\n');

  it.each([
    ['title', 'NEWS DIGEST'],
    ['generated', 'Generated 2 Mar 2024, 09:30 UTC'],
    ['counts', '2 stories, 7 articles, 3 duplicates folded, 2 rejected'],
    ['first story', '1. Rain *delays* harvest [update]'],
    ['second story', '2. Harbour bridge closes for repairs'],
    ['topics', '   Topics: transport'],
    [
      'wrapped summary',
      '   The harbour bridge will close for six weeks from Monday. [1] Drivers are told to use the ring',
    ],
    ['summary continuation', '   road. [2]'],
    ['source', '   [1] Coastline Wire — Harbour bridge to close for six weeks — https://coastline.example/bridge —'],
    ['source continuation keeps the time whole', '       1 Mar 2024, 08:00 UTC'],
    ['title standing in for the outlet', '   [3] Bridge closing time explained'],
    ['copy without url or date', '   [5] Bay Courier (copy of Coastline Wire) — Bridge closure for six weeks'],
    ['copy of a copy', '   [6] Town Wire (copy of Metro Daily) — Harbour bridge to close for six weeks —'],
    ['its time on the next line', '       1 Mar 2024, 11:00 UTC'],
    ['first report', '   First reported by Coastline Wire, 1 Mar 2024, 08:00 UTC.'],
    ['duplicate warning', "   - Metro Daily and Bay Courier re-published Coastline Wire's report."],
    ['qa warning', '   - "Bridge closing time explained" reads like an SEO question-and-answer rewrite.'],
    ['boilerplate warning', "   - Boilerplate was cut from Farm Chronicle's text."],
    ['rejected heading', 'REJECTED'],
    ['rejected entry', '   - x9: no text'],
  ])('has the %s line', (_name, line) => {
    expect(lines).toContain(line);
  });

  it('keeps to 100 columns', () => {
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('has no markdown syntax and no missing values', () => {
    expect(text).not.toMatch(/^#|\*\*|\]\(|null|undefined|NaN/m);
  });

  it('orders stories as given', () => {
    expect(text.indexOf('1. Rain')).toBeLessThan(text.indexOf('2. Harbour'));
    expect(text.indexOf('2. Harbour')).toBeLessThan(text.indexOf('REJECTED'));
  });
});

describe('wrap', () => {
  it.each([
    { text: 'a b c', prefix: '', width: 100, out: ['a b c'] },
    { text: 'aaa bbb ccc', prefix: '- ', width: 9, out: ['- aaa bbb', '  ccc'] },
    {
      text: 'short https://a-very-long.example/path/that/does/not/fit end',
      prefix: '',
      width: 20,
      out: ['short', 'https://a-very-long.example/path/that/does/not/fit', 'end'],
    },
    { text: 'x 1\u00a0Mar\u00a02024', prefix: '', width: 8, out: ['x', '1 Mar 2024'] },
    { text: '', prefix: '   ', width: 10, out: [''] },
  ])('wraps $text at $width', ({ text, prefix, width, out }) => {
    expect(wrap(text, prefix, width)).toEqual(out);
  });
});

describe('renderAnswerText', () => {
  const posted = new Map([['s-bridge', { postedAt: '2024-03-01T09:00:00.000Z', newArticles: 2 }]]);
  const notes = { description: "about 'bridge' in the last 3 days", matched: 7, moreStories: 4, posted };
  const lines = renderAnswerText(digest, notes, { timeZone: 'Europe/Berlin', channel: 'desk' }).split('\n');

  it('heads the answer with what was asked, what was found and what was left out', () => {
    expect(lines.slice(0, 4)).toEqual([
      "Digest about 'bridge' in the last 3 days",
      '2 stories from 7 matching articles',
      '4 more stories matched: narrow with since:, until:, topic: or source:',
      '',
    ]);
  });

  it("says under a story's title where the channel got it, in the channel zone", () => {
    const title = lines.indexOf('2. Harbour bridge closes for repairs');
    expect(lines[title + 1]).toBe('   Posted in desk on 1 Mar 2024, 10:00 CET, 2 new articles since');
    expect(lines.filter((l) => l.includes('Posted'))).toHaveLength(1);
  });
});
