// Edge cases the property tests found in the Discord renderer, kept as plain examples.
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS } from '../../src/discord/limits.js';
import { renderChannelDigest } from '../../src/discord/render.js';
import type { DeliveryRecord, StoryDelivery } from '../../src/ports.js';
import { channelDigest, fixture } from './digests.js';

const [rain, bridge] = fixture.stories;
if (!rain || !bridge) throw new Error('fixture changed');

const earlier: DeliveryRecord = {
  channel: 'news',
  storyId: bridge.id,
  articleIds: ['cw1'],
  messageId: '900000000000000001',
  threadId: '900000000000000001',
  postedAt: '2024-03-01T09:00:00.000Z',
};

describe('Discord renderer edges', () => {
  it('a parent whose heading fills the message still ends within 2,000 characters, saying what was left out', () => {
    const stories: StoryDelivery[] = [
      { kind: 'new', story: rain },
      { kind: 'update', story: bridge, newArticleIds: ['hp1'], earlier },
    ];
    for (const length of [1_950, 1_985, 1_990, 1_999, 2_000, 2_100]) {
      const rendered = renderChannelDigest(channelDigest(fixture, stories), { heading: 'a'.repeat(length) });
      const content = rendered.parent.content ?? '';
      expect(content.length, `heading of ${length}`).toBeLessThanOrEqual(DISCORD_LIMITS.content);
      expect(content).toMatch(/\n…and 1 more$/);
    }
  });

  it('an update whose story has an empty title renders, titled by its best source', () => {
    const untitled = { ...bridge, title: '' };
    const stories: StoryDelivery[] = [{ kind: 'update', story: untitled, newArticleIds: ['hp1'], earlier }];
    const rendered = renderChannelDigest(channelDigest({ ...fixture, stories: [rain, untitled] }, stories));
    expect(rendered.stories[0]?.messages[0]?.embeds?.[0]?.title).toBe('Harbour bridge to close for six weeks');
    expect(rendered.parent.content).toContain('Updated: **Harbour bridge to close for six weeks**');
  });

  it('an empty notice on a quiet day is still a message', () => {
    const rendered = renderChannelDigest({ ...channelDigest(fixture, []), notice: '  ' });
    expect(rendered.parent.content).toBe('News digest: nothing new.');
  });
});
