import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { checkMessage, DiscordLimitError } from '../../src/discord/limits.js';
import { type MessagePayload, md, mdKeepingCode, renderChannelDigest } from '../../src/discord/render.js';
import type { DeliveryRecord } from '../../src/ports.js';
import { messageErrors } from '../fakes/fake-discord-limits.js';
import { bigDigest, channelDigest, fixture } from './digests.js';

const allMessages = (r: ReturnType<typeof renderChannelDigest>): MessagePayload[] => [
  r.parent,
  ...r.stories.flatMap((s) => s.messages),
];
const embedsOf = (messages: readonly MessagePayload[]): APIEmbed[] => messages.flatMap((m) => m.embeds ?? []);
const textOf = (messages: readonly MessagePayload[]): string =>
  JSON.stringify(messages.map((m) => [m.content, m.embeds]));

describe('renderChannelDigest: one story', () => {
  const rendered = renderChannelDigest(channelDigest(fixture));
  const bridge = rendered.stories[1];
  const embed = bridge?.messages[0]?.embeds?.[0];
  const field = (name: string) => embed?.fields?.find((f) => f.name === name)?.value ?? '';

  it.each([
    ['window as Discord timestamps', rendered.parent.content, '<t:1709251200:f> to <t:1709371800:f>'],
    ['topics', rendered.parent.content, 'Topics: weather, farming, transport'],
    ['counts', rendered.parent.content, '2 new stories · 7 articles from 7 outlets · 3 copies folded'],
    ['title, numbered', embed?.title, '2. Harbour bridge closes for repairs'],
    ['title linked to the best source', embed?.url, 'https://coastline.example/bridge'],
    ['first sentence linked', embed?.description, 'from Monday. [1](https://coastline.example/bridge)'],
    ['second sentence linked', embed?.description, 'ring road. [2](https://harbourpost.example/detours)'],
    ['outlet with relative time', field('Sources'), 'Coastline Wire · [Harbour bridge to close for six weeks]'],
    ['publish time as <t:R>', field('Sources'), '<t:1709280000:R>'],
    ['a copy named as such', field('Sources'), 'Metro Daily (copy of Coastline Wire)'],
    ['who reported first', field('Reported first by'), 'Coastline Wire, <t:1709280000:R>'],
    ['near-duplicate warning', field('Warnings'), "Metro Daily and Bay Courier re-published Coastline Wire's report"],
    ['self-repeat warning', field('Warnings'), 'Bay Courier repeats its own paragraphs'],
    ['Q&A rewrite warning', field('Warnings'), 'reads like an SEO question-and-answer rewrite'],
    ['topics in the footer', embed?.footer?.text, 'Topics: transport'],
  ])('has the %s', (_name, text, expected) => {
    expect(text ?? '').toContain(expected);
  });

  it('says in the parent how many stories did not fit and the /digest that shows them', () => {
    const capped = renderChannelDigest({
      ...channelDigest(fixture),
      overflow: { stories: 1, since: '2024-03-01T00:00:00.000Z' },
    });
    expect(capped.parent.content).toContain(
      '\n1 more story did not fit in this digest: see them with /digest since:2024-03-01\n',
    );
    expect(rendered.parent.content).not.toContain('did not fit');
  });

  it('has one message per story, in digest order, and a thread name', () => {
    expect(rendered.stories.map((s) => [s.delivery.story.id, s.messages.length, s.thread])).toEqual([
      ['s-rain', 1, null],
      ['s-bridge', 1, null],
    ]);
    expect(rendered.threadName).toBe('News digest 2 Mar 2024, 09:30 UTC');
  });

  it('escapes markdown in titles and encodes parentheses in links', () => {
    const rain = rendered.stories[0]?.messages[0]?.embeds?.[0];
    expect(rain?.title).toBe('1. Rain *delays* harvest [update]');
    expect(rain?.url).toBe('https://farm.example/rain_%28update%29');
    expect(rain?.description).toContain('third week. [1](https://farm.example/rain_%28update%29)');
    expect(md('@everyone *bold* <@123> [x](y)')).toBe('@\u200beveryone \\*bold\\* \\<@123\\> \\[x\\](y)');
  });

  it('never pings anyone', () => {
    for (const m of allMessages(rendered)) expect(m.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('renderChannelDigest: Discord limits', () => {
  it.each([
    ['many sources', bigDigest(1, 80, 3)],
    ['many long sentences', bigDigest(1, 5, 120)],
    ['both, over several stories', bigDigest(3, 60, 60)],
    ['one enormous sentence', bigDigest(1, 2, 1, 2000)],
  ])('keeps every message within every limit with %s, splitting the overflow', (_name, digest) => {
    const rendered = renderChannelDigest(channelDigest(digest));
    const messages = allMessages(rendered);
    for (const m of messages) {
      expect(messageErrors(m)).toEqual([]);
      expect(() => checkMessage(m)).not.toThrow();
    }
    for (const [i, story] of digest.stories.entries()) {
      const storyMessages = rendered.stories[i]?.messages ?? [];
      const text = textOf(storyMessages);
      // every sentence (its start survives any cut) and its numbered link is in the story's messages
      for (const [k, sentence] of story.summary.entries()) {
        expect(text).toContain(`Sentence ${k} `);
        const ref = (k % story.articles.length) + 1;
        expect(text).toContain(`[${ref}](https://news.example/${sentence.articleId})`);
      }
      for (const [k] of story.articles.entries()) expect(text).toContain(`**${k + 1}.** Outlet number ${k}`);
    }
  });

  it('splits a story of 80 long sources into continuation embeds and messages', () => {
    const rendered = renderChannelDigest(channelDigest(bigDigest(1, 80, 60)));
    const messages = rendered.stories[0]?.messages ?? [];
    expect(messages.length).toBeGreaterThan(1);
    const embeds = embedsOf(messages);
    expect(embeds[1]?.title).toMatch(/\(continued\)$/);
    expect(embeds.flatMap((e) => e.fields ?? []).some((f) => f.name === 'Sources (continued)')).toBe(true);
  });

  it('checkMessage names the field over its limit', () => {
    const tooLong = { embeds: [{ title: 'x'.repeat(257) }], allowed_mentions: { parse: [] } };
    expect(() => checkMessage(tooLong)).toThrow(DiscordLimitError);
    expect(() => checkMessage(tooLong)).toThrow(/embeds\.0\.title/);
    const total = { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] };
    expect(() => checkMessage(total)).toThrow(/6000 characters/);
    expect(() => checkMessage({ content: '' })).toThrow(/content or an embed/);
  });
});

describe('renderChannelDigest: updates and notices', () => {
  const earlier: DeliveryRecord = {
    channel: 'news',
    storyId: 's-bridge',
    articleIds: ['cw1'],
    messageId: '900',
    threadId: '901',
    postedAt: '2024-03-01T08:30:00.000Z',
  };
  const bridge = fixture.stories[1];
  const rain = fixture.stories[0];
  if (!bridge || !rain) throw new Error('fixture changed');

  it('posts an update into the earlier thread with its new sources, and links it from the parent', () => {
    const rendered = renderChannelDigest(
      channelDigest(fixture, [
        { kind: 'new', story: rain },
        { kind: 'update', story: bridge, newArticleIds: ['hp1', 'md1'], earlier },
      ]),
    );
    const update = rendered.stories[1];
    expect(update?.thread).toBe('901');
    expect(update?.messages[0]?.content).toBe('**1 new source and 1 copy:** Harbour Post and Metro Daily');
    expect(update?.messages[0]?.embeds?.[0]?.title).toBe('Harbour bridge closes for repairs');
    expect(rendered.parent.content).toContain(
      '↳ Updated: **Harbour bridge closes for repairs**: 1 new source and 1 copy in <#901>',
    );
    expect(rendered.parent.content).toContain('1 new story · 1 update');
  });

  it('keeps the parent within 2,000 characters however many updates it links', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      kind: 'update' as const,
      story: { ...bridge, id: `u${i}`, title: `${'Long updated title '.repeat(8)}${i}` },
      newArticleIds: ['hp1'],
      earlier: { ...earlier, storyId: `u${i}`, threadId: `9${i}` },
    }));
    const digest = { ...fixture, stories: many.map((u) => u.story) };
    const rendered = renderChannelDigest(channelDigest(digest, many));
    expect(rendered.parent.content?.length).toBeLessThanOrEqual(2000);
    expect(rendered.parent.content).toMatch(/…and \d+ more$/);
    expect(rendered.stories).toHaveLength(80);
  });

  it('renders a quiet-day notice as the parent alone', () => {
    const rendered = renderChannelDigest({ ...channelDigest(fixture, []), notice: 'Quiet day: nothing new.' });
    expect(rendered.parent.content).toBe('Quiet day: nothing new.');
    expect(rendered.stories).toEqual([]);
  });
});

describe('mdKeepingCode', () => {
  it('keeps our code spans as code and escapes everything else', () => {
    expect(mdKeepingCode('Muted *Wire* [x](y) @everyone: `/digest feeds` and `/digest topics` show it.')).toBe(
      'Muted \\*Wire\\* \\[x\\](y) @\u200beveryone: `/digest feeds` and `/digest topics` show it.',
    );
    // a lone backtick is not a span: escaped
    expect(mdKeepingCode('a ` b')).toBe('a \\` b');
  });
});
