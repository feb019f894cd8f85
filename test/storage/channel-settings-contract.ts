// The channel settings store's part of the storage contract (subscriptions and mutes from chat), run inside
// defineStorageContract for every backend.
import { describe, expect, it } from 'vitest';
import type { ChannelOverrides, SubscribedFeed } from '../../src/ports.js';
import type { Storage, StorageOptions } from '../../src/storage/index.js';
import { uniqueNamespace } from './helpers.js';

const feed = (url: string, name: string): SubscribedFeed => ({
  url,
  name,
  addedBy: 'U1',
  addedAt: '2024-03-10T12:00:00.000Z',
});

export function defineChannelSettingsContract(
  open: (options?: StorageOptions) => Promise<Storage>,
  persistent: boolean,
): void {
  describe('channel settings (self-service)', () => {
    it('answers undefined and an empty list before any change', async () => {
      const { channelSettings } = await open();
      expect(await channelSettings.get('desk')).toBeUndefined();
      expect(await channelSettings.list()).toEqual([]);
    });

    it('applies changes in order, keeps channels apart, and lists the channels that have settings', async () => {
      const { channelSettings } = await open();
      const subscribe = (f: SubscribedFeed) => (c: ChannelOverrides) => ({
        ...c,
        subscriptions: [...c.subscriptions, f],
      });
      await channelSettings.update('desk', subscribe(feed('https://a.example/rss', 'a.example')));
      const after = await channelSettings.update('desk', (c) => ({ ...c, muted: [...c.muted, 'Tabloid'] }));
      await channelSettings.update('sport', subscribe(feed('https://b.example/rss', 'b.example')));
      expect(after).toEqual({
        channel: 'desk',
        subscriptions: [feed('https://a.example/rss', 'a.example')],
        muted: ['Tabloid'],
      });
      expect(await channelSettings.get('desk')).toEqual(after);
      expect((await channelSettings.get('sport'))?.subscriptions.map((s) => s.name)).toEqual(['b.example']);
      expect((await channelSettings.list()).map((c) => c.channel).sort()).toEqual(['desk', 'sport']);
    });

    it('loses no change when many arrive at once', async () => {
      const { channelSettings } = await open();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          channelSettings.update('desk', (c) => ({ ...c, muted: [...c.muted, `outlet ${i}`] })),
        ),
      );
      expect((await channelSettings.get('desk'))?.muted).toHaveLength(20);
    });

    it('writes nothing for a change that changes nothing', async () => {
      const { channelSettings } = await open();
      expect(await channelSettings.update('quiet', (c) => c)).toEqual({
        channel: 'quiet',
        subscriptions: [],
        muted: [],
      });
      expect(await channelSettings.list()).toEqual([]);
    });

    it.runIf(persistent)('keeps subscriptions and mutes across close and open (a restart)', async () => {
      const namespace = uniqueNamespace();
      const first = await open({ namespace });
      await first.channelSettings.update('desk', (c) => ({
        ...c,
        subscriptions: [feed('https://a.example/rss', 'a.example')],
        muted: ['Tabloid'],
      }));
      await first.close();
      const again = await open({ namespace });
      expect(await again.channelSettings.list()).toEqual([
        { channel: 'desk', subscriptions: [feed('https://a.example/rss', 'a.example')], muted: ['Tabloid'] },
      ]);
    });
  });
}
