import { describe, expect, it } from 'vitest';
import { DIGEST_HELP } from '../../src/domain/digest-query.js';
import type { Digest, DigestArticle, DigestStory } from '../../src/domain/types.js';
import type { ChannelDigest, DeliveryRecord } from '../../src/ports.js';
import { checkMessage, limitProblems, SlackLimitError, type SlackMessage } from '../../src/slack/limits.js';
import { link, splitPiece } from '../../src/slack/mrkdwn.js';
import {
  MESSAGE_CHARS,
  packForResponses,
  queryErrorMessage,
  renderChannelDigest,
  renderQueryAnswer,
} from '../../src/slack/render.js';
import { messageProblem } from '../fakes/fake-slack.js';
import { digest as fixture } from '../render/fixture-digest.js';

const TZ = 'Europe/Berlin';

function channelDigest(d: Digest, stories = d.stories): ChannelDigest {
  return {
    channel: 'news',
    from: '2024-03-01T06:00:00.000Z',
    to: '2024-03-02T06:00:00.000Z',
    digest: d,
    stories: stories.map((story) => ({ kind: 'new' as const, story })),
  };
}

/** All mrkdwn text of a message, blocks and fallback. */
function allText(m: SlackMessage): string {
  return [m.text, ...(m.blocks ?? []).flatMap((b) => JSON.stringify(b))].join('\n');
}

function assertWithinLimits(messages: readonly SlackMessage[]): void {
  for (const m of messages) {
    expect(limitProblems(m)).toEqual([]);
    // the fake's own, independent reading of Slack's limits
    expect(messageProblem({ text: m.text, blocks: m.blocks })).toBeNull();
  }
}

describe('renderChannelDigest', () => {
  const rendered = renderChannelDigest(channelDigest(fixture), { timeZone: TZ });
  const replies = rendered.stories.flatMap((s) => s.messages);
  const bridge = rendered.stories.find((s) => s.storyId === 's-bridge')?.messages ?? [];
  const bridgeText = bridge.map(allText).join('\n');

  it('renders a parent with the window, counts and topics, and one reply per story in order', () => {
    expect(rendered.stories.map((s) => s.storyId)).toEqual(['s-rain', 's-bridge']);
    const parent = allText(rendered.parent);
    expect(parent).toContain('News digest · 2 Mar 2024');
    expect(parent).toContain('1 Mar, 07:00 – 2 Mar, 07:00 CET');
    expect(parent).toContain('*2 stories*');
    expect(parent).toContain('7 articles');
    expect(parent).toContain('3 duplicates folded');
    expect(parent).toContain('Topics: weather, farming, transport');
    assertWithinLimits([rendered.parent, ...replies]);
  });

  it.each([
    ['the title linked to the best source', '*<https://coastline.example/bridge|Harbour bridge closes for repairs>*'],
    ['sentence 1 linked to its source', 'from Monday. <https://coastline.example/bridge|[1]>'],
    ['sentence 2 linked to its source', 'use the ring road. <https://harbourpost.example/detours|[2]>'],
    [
      'an outlet with its time in the channel zone',
      '[1] <https://coastline.example/bridge|Coastline Wire> · 1 Mar 2024, 09:00 CET',
    ],
    ['a copy named as such', 'Metro Daily> (copy of Coastline Wire)'],
    ['who reported first', 'First reported by Coastline Wire, 1 Mar 2024, 09:00 CET'],
    ['the re-publishing warning', "Metro Daily and Bay Courier re-published Coastline Wire's report."],
    ['the self-repeat warning', 'Bay Courier repeats its own paragraphs.'],
    ['the SEO warning', 'reads like an SEO question-and-answer rewrite.'],
  ])('shows %s', (_what, expected) => {
    expect(bridgeText).toContain(expected);
  });

  it('links every summary sentence to a numbered source', () => {
    for (const story of fixture.stories) {
      const text = (rendered.stories.find((s) => s.storyId === story.id)?.messages ?? []).map(allText).join('\n');
      for (const sentence of story.summary)
        expect(text).toMatch(new RegExp(`${escapeRe(sentence.text)} <https?://[^|>]+\\|\\[\\d+\\]>`));
    }
  });

  it('gives every message a text fallback for notifications', () => {
    for (const m of [rendered.parent, ...replies]) expect(m.text.length).toBeGreaterThan(0);
    expect(bridge[0]?.text).toMatch(/^Harbour bridge closes for repairs: The harbour bridge/);
  });

  it('escapes Slack control characters in text', () => {
    const evil = structuredClone(fixture);
    const story = evil.stories[1];
    if (story) story.title = 'Bridge <!channel> & <https://evil.example|click>';
    const text = renderChannelDigest(channelDigest(evil), { timeZone: TZ }).stories.map((s) =>
      s.messages.map(allText).join(''),
    );
    expect(text.join('')).toContain('Bridge &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(text.join('')).not.toContain('<!channel>');
  });

  it('posts just the notice on a quiet day', () => {
    const quiet = renderChannelDigest(
      { ...channelDigest(fixture, []), notice: 'Quiet day: nothing new.' },
      { timeZone: TZ },
    );
    expect(quiet.parent).toEqual({ text: 'Quiet day: nothing new.' });
    expect(quiet.stories).toEqual([]);
  });
});

describe('a digest capped at the channel maxStories', () => {
  it('says in the parent how many stories did not fit and the /digest that shows them', () => {
    const capped = { ...channelDigest(fixture), overflow: { stories: 12, since: '2024-03-01T06:00:00.000Z' } };
    const rendered = renderChannelDigest(capped, { timeZone: 'Pacific/Auckland' });
    expect(allText(rendered.parent)).toContain(
      '12 more stories did not fit in this digest: see them with /digest since:2024-03-01',
    );
    assertWithinLimits([rendered.parent]);
    expect(allText(renderChannelDigest(channelDigest(fixture), { timeZone: TZ }).parent)).not.toContain('did not fit');
  });
});

describe('time zones on the parent', () => {
  it('names the zone the way the sources do: EDT, not GMT-4', () => {
    const summer = { ...channelDigest(fixture), from: '2024-07-01T12:00:00.000Z', to: '2024-07-02T12:00:00.000Z' };
    const rendered = renderChannelDigest(summer, { timeZone: 'America/New_York' });
    const parent = allText(rendered.parent);
    expect(parent).toContain('1 Jul, 08:00 – 2 Jul, 08:00 EDT');
    expect(parent).not.toContain('GMT-4');
    expect(allText(rendered.stories[1]?.messages[0] ?? { text: '' })).toContain('1 Mar 2024, 03:00 EST');
  });
});

describe('counts on the parent', () => {
  it('leave out a count of nothing: no "0 duplicates folded"', () => {
    const rain = fixture.stories[0] as DigestStory;
    const parent = allText(renderChannelDigest(channelDigest(fixture, [rain]), { timeZone: TZ }).parent);
    expect(parent).toContain('*1 story* · 1 article');
    expect(parent).not.toContain('duplicate');
  });
});

describe('updates', () => {
  const earlier: DeliveryRecord = {
    channel: 'news',
    storyId: 's-bridge',
    articleIds: ['cw1', 'qa1'],
    messageId: '1709280000.000002',
    threadId: '1709280000.000001',
    postedAt: '2024-03-01T09:00:00.000Z',
  };
  const bridge = fixture.stories[1] as DigestStory;
  const digest: ChannelDigest = {
    ...channelDigest(fixture),
    stories: [
      { kind: 'new', story: fixture.stories[0] as DigestStory },
      { kind: 'update', story: bridge, newArticleIds: ['hp1', 'md1'], earlier },
    ],
  };
  const permalinks = new Map([['s-bridge', 'https://fake.slack.com/archives/C1/p1709280000000002']]);
  const rendered = renderChannelDigest(digest, { timeZone: TZ, permalinks });
  const update = rendered.stories[1];

  it('says how many new sources and shows only the new sentences', () => {
    expect(update?.kind).toBe('update');
    const text = (update?.messages ?? []).map(allText).join('\n');
    expect(text).toContain('Update: *<https://coastline.example/bridge|Harbour bridge closes for repairs>*');
    expect(text).toContain('1 new source and 1 copy: Harbour Post, Metro Daily');
    expect(text).toContain('Drivers are told to use the ring road. <https://harbourpost.example/detours|[2]>');
    expect(text).not.toContain('close for six weeks from Monday');
    assertWithinLimits(update?.messages ?? []);
  });

  it('names a later version of a posted page (same URL) an updated report, and lists only that version', () => {
    const cw1 = fixture.articles.find((a) => a.id === 'cw1') as DigestArticle;
    const later: DigestArticle = {
      ...cw1,
      id: 'cw1-v2',
      publishedAt: '2024-03-01T15:00:00.000Z',
      warnings: [
        { kind: 'revised', message: "Re-issues Coastline Wire's report with text of its own added (article cw1)." },
      ],
    };
    const grown: DigestStory = {
      ...bridge,
      articles: [...bridge.articles, later.id],
      summary: [
        ...bridge.summary,
        { text: 'The closure now starts on Tuesday.', articleId: later.id, url: null, source: null },
      ],
    };
    const revised: ChannelDigest = {
      ...channelDigest({ ...fixture, articles: [...fixture.articles, later] }),
      stories: [{ kind: 'update', story: grown, newArticleIds: [later.id], earlier }],
    };
    const out = renderChannelDigest(revised, { timeZone: TZ, permalinks });
    const text = (out.stories[0]?.messages ?? []).map(allText).join('\n');
    expect(text).toContain('1 updated report: Coastline Wire');
    expect(text).toContain('The closure now starts on Tuesday.');
    expect(text).toContain('Coastline Wire updated its report with new text');
    // the version posted before shares the URL but is not new
    const newSources = text.slice(text.indexOf('*New sources*'));
    expect(newSources.match(/coastline\.example\/bridge/g)).toHaveLength(1);
    expect(newSources).toContain('1 Mar 2024, 16:00 CET');
  });

  it('links the earlier post from the new parent', () => {
    const parent = allText(rendered.parent);
    expect(parent).toContain('*2 stories* (1 update)');
    expect(parent).toContain(
      '<https://fake.slack.com/archives/C1/p1709280000000002|Harbour bridge closes for repairs>: 1 new source and 1 copy',
    );
  });

  it.each([
    ['after the new story', ['new', 'update']],
    ['before the new story', ['update', 'new']],
    ['alone', ['update']],
  ])('names the updated story in the parent when it comes %s', (_where, order) => {
    const rain = fixture.stories[0] as DigestStory;
    const stories = order.map((kind) =>
      kind === 'new'
        ? ({ kind: 'new', story: rain } as const)
        : ({ kind: 'update', story: bridge, newArticleIds: ['hp1'], earlier } as const),
    );
    const parent = allText(renderChannelDigest({ ...digest, stories }, { timeZone: TZ }).parent);
    expect(parent).toContain('• Harbour bridge closes for repairs: 1 new source (in its earlier thread)');
    expect(parent).not.toContain('• Rain');
  });
});

describe('splitting a story too long for one message', () => {
  const long = bigDigest(70, 40);
  const rendered = renderChannelDigest(channelDigest(long), { timeZone: 'UTC' });
  const messages = rendered.stories[0]?.messages ?? [];

  it('splits into several messages, each within Slack limits and our size', () => {
    expect(messages.length).toBeGreaterThan(1);
    assertWithinLimits(messages);
    for (const m of messages) {
      const chars = (m.blocks ?? []).reduce((n, b) => n + JSON.stringify(b).length, 0);
      expect(chars).toBeLessThan(MESSAGE_CHARS * 1.5);
    }
    expect(messages.map((m) => m.text.slice(-5))).toEqual(messages.map((_, i) => `(${i + 1}/${messages.length})`));
  });

  it('keeps every sentence and its link whole, and every source', () => {
    const text = messages.map(allText).join('\n');
    for (let i = 0; i < 40; i++)
      expect(text).toContain(`sentence ${i} ends here. <https://outlet${i % 70}.example/a|[${(i % 70) + 1}]>`);
    for (let i = 0; i < 70; i++) expect(text).toContain(`|Outlet ${i}>`);
    for (const m of messages) {
      for (const b of m.blocks ?? []) {
        const t = 'text' in b ? b.text.text : b.type === 'context' ? b.elements.map((e) => e.text).join('') : '';
        expect((t.match(/</g) ?? []).length).toBe((t.match(/>/g) ?? []).length);
      }
    }
  });
});

describe('limits', () => {
  it.each([
    [
      'a section of 3,001 characters',
      { text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }] },
    ],
    [
      'a header of 151 characters',
      { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
    ],
    ['51 blocks', { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }],
    [
      '11 context elements',
      {
        text: 'x',
        blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      },
    ],
    ['a fallback of 40,001 characters', { text: 't'.repeat(40_001) }],
    ['no fallback text', { text: '', blocks: [{ type: 'divider' }] }],
  ])('refuses %s', (_what, message) => {
    expect(() => checkMessage(message as SlackMessage)).toThrow(SlackLimitError);
  });

  it('never cuts inside a link when splitting text', () => {
    const piece = `${'word '.repeat(50)}${link('https://example.com/a-long-path', 'label')} ${'more '.repeat(50)}`;
    const parts = splitPiece(piece, 270);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.some((p) => p.includes('<https://example.com/a-long-path|label>'))).toBe(true);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(270);
  });
});

describe('/digest answers', () => {
  it('renders a query answer as a parent naming the query and the asker, stories as replies', () => {
    const rendered = renderQueryAnswer(
      { digest: fixture, description: "about 'bridge' in the last 3 days" },
      { timeZone: TZ, user: 'U123' },
    );
    expect(allText(rendered.parent)).toContain("*Digest about 'bridge' in the last 3 days*, asked by <@U123>");
    expect(rendered.stories).toHaveLength(2);
    assertWithinLimits([rendered.parent, ...rendered.stories.flatMap((s) => s.messages)]);
  });

  it('packs a private answer into at most five responses', () => {
    const rendered = renderQueryAnswer(
      { digest: bigDigest(70, 40, 6), description: 'about everything' },
      { timeZone: TZ },
    );
    const packed = packForResponses(rendered);
    expect(packed.length).toBeLessThanOrEqual(5);
    expect(packed.at(-1)?.text).toMatch(/more messages? not shown: narrow the query/);
    assertWithinLimits(packed);
  });

  it('answers a bad query with the parser message and the help', () => {
    const m = queryErrorMessage('since:3x is not a duration: try since:3d');
    expect(m.text).toContain('since:3x is not a duration: try since:3d');
    expect(m.text).toContain(DIGEST_HELP);
  });
});

/** `stories` stories, each with `sources` outlets and `sentences` long summary sentences. */
function bigDigest(sources: number, sentences: number, stories = 1): Digest {
  const articles: DigestArticle[] = [];
  const out: DigestStory[] = [];
  for (let s = 0; s < stories; s++) {
    const ids: string[] = [];
    for (let i = 0; i < sources; i++) {
      const id = `a${s}-${i}`;
      ids.push(id);
      articles.push({
        id,
        title: `Headline ${i}`,
        url: `https://outlet${i}.example/a`,
        source: `Outlet ${i}`,
        publishedAt: `2024-03-01T${String(i % 24).padStart(2, '0')}:00:00.000Z`,
        topics: ['Big'],
        storyId: `big${s}`,
        duplicateOf: null,
        duplicateKind: null,
        warnings: [{ kind: 'boilerplate-removed', message: 'cut' }],
        words: 500,
      });
    }
    out.push({
      id: `big${s}`,
      title: `A very big story ${s}`,
      topics: ['Big'],
      articles: ids,
      bestSource: ids[0] ?? '',
      summary: Array.from({ length: sentences }, (_, i) => ({
        text: `${'Long words of reporting '.repeat(30)}sentence ${i} ends here.`,
        articleId: ids[i % sources] ?? '',
        url: null,
        source: null,
      })),
      sources: ids.map((_, i) => `Outlet ${i}`),
      firstPublishedAt: null,
      lastPublishedAt: null,
    });
  }
  return { generatedAt: '2024-03-02T06:00:00.000Z', articles, stories: out, rejected: [] };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
