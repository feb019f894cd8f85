import { describe, expect, it } from 'vitest';
import { renderAnswerMarkdown, renderMarkdown } from '../../src/render/markdown.js';
import { digest } from './fixture-digest.js';

describe('renderMarkdown', () => {
  const md = renderMarkdown(digest, {});
  const lines = md.split('\n');

  it.each([
    ['title heading', '# News digest'],
    ['header', 'Generated 2 Mar 2024, 09:30 UTC. 2 stories, 7 articles, 3 duplicates folded, 2 rejected.'],
    ['escaped story heading', '## 1. Rain \\*delays\\* harvest \\[update\\]'],
    ['second story heading', '## 2. Harbour bridge closes for repairs'],
    ['topics', '**Topics:** weather, farming'],
    [
      'summary with references',
      'The harbour bridge will close for six weeks from Monday. [1] Drivers are told to use the ring road. [2]',
    ],
    [
      'linked source',
      '- [1] Coastline Wire — [Harbour bridge to close for six weeks](https://coastline.example/bridge) — 1 Mar 2024, 08:00 UTC',
    ],
    [
      'url with parentheses in angle brackets',
      '- [1] Farm Chronicle — [Rain \\*delays\\* harvest \\[update\\]](<https://farm.example/rain_(update)>) — 1 Mar 2024, 12:00 UTC',
    ],
    ['source with only a title-as-outlet', '- [3] Bridge closing time explained'],
    [
      'copy under its original story',
      '- [4] Metro Daily (copy of Coastline Wire) — [Harbour bridge to close for six weeks](https://metro.example/news/1) — 1 Mar 2024, 09:00 UTC',
    ],
    ['copy without url or date', '- [5] Bay Courier (copy of Coastline Wire) — Bridge closure for six weeks'],
    [
      'copy of a copy',
      '- [6] Town Wire (copy of Metro Daily) — Harbour bridge to close for six weeks — 1 Mar 2024, 11:00 UTC',
    ],
    ['first report', 'First reported by Coastline Wire, 1 Mar 2024, 08:00 UTC.'],
    ['duplicate warning', "- Metro Daily and Bay Courier re-published Coastline Wire's report."],
    ['self-repeat warning', '- Bay Courier repeats its own paragraphs.'],
    ['qa warning', '- "Bridge closing time explained" reads like an SEO question-and-answer rewrite.'],
    ['rejected heading', '## Rejected'],
    ['rejected entry', '- x10: not an article: a cookie notice'],
  ])('has the %s line', (_name, line) => {
    expect(lines).toContain(line);
  });

  it('orders stories as given and rejections last', () => {
    const rain = md.indexOf('## 1. Rain');
    const bridge = md.indexOf('## 2. Harbour');
    expect(rain).toBeGreaterThan(0);
    expect(bridge).toBeGreaterThan(rain);
    expect(md.indexOf('## Rejected')).toBeGreaterThan(bridge);
  });

  it('never prints a missing value', () => {
    expect(md).not.toMatch(/null|undefined|NaN|Invalid Date/);
  });

  it('escapes markdown that would change meaning at the start of a line', () => {
    const tricky = {
      ...digest,
      stories: [
        {
          ...digest.stories[0],
          id: 's',
          title: 'T',
          topics: [],
          articles: [],
          bestSource: '',
          sources: [],
          firstPublishedAt: null,
          lastPublishedAt: null,
          summary: [{ text: '# 1 seed wins <b>', articleId: 'none', url: 'javascript:alert(1)', source: null }],
        },
      ],
      rejected: [],
    };
    const out = renderMarkdown(tricky, {}).split('\n');
    expect(out).toContain('\\# 1 seed wins \\<b\\> [1]');
    // only http(s) addresses become links
    expect(out).toContain('- [1] none — javascript:alert(1)');
  });

  it('uses the given time zone', () => {
    expect(renderMarkdown(digest, { timeZone: 'America/New_York' })).toContain(
      'First reported by Coastline Wire, 1 Mar 2024, 03:00 EST.',
    );
  });
});

describe('renderAnswerMarkdown', () => {
  it('heads the answer with its notes and says under a story where the channel got it', () => {
    const posted = new Map([['s-rain', { postedAt: '2024-03-01T09:00:00.000Z', newArticles: 0 }]]);
    const notes = { description: 'about *rain*', matched: 3, moreStories: 1, posted };
    const md = renderAnswerMarkdown(digest, notes, { channel: 'farm_desk' });
    expect(md).toMatch(
      /^# Digest about \\\*rain\\\*\n\n2 stories from 3 matching articles\n\n1 more story matched: narrow with since:, until:, topic: or source:\n\n## 1\. Rain/,
    );
    expect(md).toContain(
      '## 1. Rain \\*delays\\* harvest \\[update\\]\n\n_Posted in farm\\_desk on 1 Mar 2024, 09:00 UTC, nothing new since_\n',
    );
  });
});
