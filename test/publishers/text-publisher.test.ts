// The console and file publisher: a capped digest says how many stories did not fit and how to see them.
import { describe, expect, it } from 'vitest';
import type { ChannelDigest } from '../../src/ports.js';
import { createTextPublisher } from '../../src/publishers/text-publisher.js';
import { digest } from '../render/fixture-digest.js';

function channelDigest(extra: Partial<ChannelDigest> = {}): ChannelDigest {
  return {
    channel: 'desk',
    from: '2024-03-01T06:00:00.000Z',
    to: '2024-03-02T06:00:00.000Z',
    digest,
    stories: digest.stories.map((story) => ({ kind: 'new', story })),
    ...extra,
  };
}

async function published(cd: ChannelDigest, timeZone?: string): Promise<string> {
  const written: string[] = [];
  const publisher = createTextPublisher({
    write: (text) => void written.push(text),
    ...(timeZone ? { timeZone } : {}),
  });
  await publisher.publish(cd, async () => {});
  return written.join('');
}

describe('text publisher', () => {
  it('says how many stories did not fit, with the command that shows them', async () => {
    const text = await published(channelDigest({ overflow: { stories: 12, since: '2024-03-01T06:00:00.000Z' } }));
    const [window, overflow] = text.split('\n');
    expect(window).toBe('# desk: 1 Mar, 06:00 – 2 Mar, 06:00 UTC');
    expect(overflow).toBe(
      '12 more stories did not fit in this digest: see them with newsdigest search since:2024-03-01',
    );
    expect(text).toContain('2. Harbour bridge closes for repairs');
  });

  it('names the UTC day of the first story left out, whatever the channel zone', async () => {
    // 06:30 in Auckland on 2 March is still 1 March in UTC, and since:2024-03-01 starts at 00:00 UTC
    const text = await published(
      channelDigest({ overflow: { stories: 2, since: '2024-03-01T17:30:00.000Z' } }),
      'Pacific/Auckland',
    );
    expect(text).toContain('see them with newsdigest search since:2024-03-01\n');
  });

  it('says nothing about overflow when everything fit', async () => {
    expect(await published(channelDigest())).not.toContain('did not fit');
  });
});
