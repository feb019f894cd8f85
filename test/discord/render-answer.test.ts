// A /digest answer in Discord says what the search could not show and where the asking channel already got a story.
import { describe, expect, it } from 'vitest';
import { messageSchema } from '../../src/discord/limits.js';
import { renderChannelDigest } from '../../src/discord/render.js';
import type { StoryPost } from '../../src/ports.js';
import { channelDigest, fixture } from './digests.js';

const GUILD = '300000000000000001';
const post: StoryPost = {
  channel: 'news-desk',
  messageId: '500000000000000002',
  threadId: '500000000000000001',
  postedAt: '2024-03-01T09:00:00.000Z',
  newArticles: 2,
};
const posted = new Map([['s-bridge', post]]);
const cd = channelDigest(fixture, undefined, '100000000000000001');

describe('a /digest answer', () => {
  const rendered = renderChannelDigest(cd, {
    heading: 'Digest about bridge',
    oneLine: true,
    moreStories: 3,
    posted,
    guildId: GUILD,
  });
  const fieldsOf = (i: number) => rendered.stories[i]?.messages[0]?.embeds?.[0]?.fields ?? [];

  it('says under the heading how many more stories matched and how to narrow the query', () => {
    expect(rendered.parent.content).toBe(
      '**Digest about bridge** · 2 stories · 7 articles from 7 outlets · 3 copies folded\n' +
        '3 more stories matched: narrow with since:, until:, topic: or source:',
    );
  });

  it("says first under a story where the channel got it, as a Discord timestamp, linked to the story's message", () => {
    expect(fieldsOf(1)[0]).toEqual({
      name: 'Earlier post',
      value:
        'Posted here on <t:1709283600:f>, 2 new articles since: ' +
        `[thread](https://discord.com/channels/${GUILD}/${post.threadId}/${post.messageId})`,
    });
    expect(fieldsOf(0).map((f) => f.name)).not.toContain('Earlier post');
    for (const m of rendered.stories.flatMap((s) => s.messages)) expect(messageSchema.safeParse(m).success).toBe(true);
  });

  it('gives no link where the server is unknown (a DM), and "nothing new" when nothing came since', () => {
    const quiet = new Map([['s-bridge', { ...post, newArticles: 0 }]]);
    const dm = renderChannelDigest(cd, { posted: quiet, guildId: null });
    expect(dm.stories[1]?.messages[0]?.embeds?.[0]?.fields?.[0]).toEqual({
      name: 'Earlier post',
      value: 'Posted here on <t:1709283600:f>, nothing new since',
    });
  });

  it('keeps the more line in a private answer too', () => {
    const privately = renderChannelDigest(cd, { heading: 'Digest about bridge', threaded: false, moreStories: 1 });
    expect(privately.parent.content).toContain('\n1 more story matched: narrow with since:, until:, topic: or source:');
  });
});
