// Per-channel settings editors change from chat: feeds subscribed, outlets muted. Small (a record per channel), so a
// channel's settings are one value, and a catalogue names the channels that have any.
//
// Keys (in the store's namespace):
//   channel:<id-hash>    the ChannelOverrides
//   channels             the channel ids that have a record, so list() reads no more than those
import type { ChannelOverrides, ChannelSettingsStore, Locks } from '../ports.js';
import { hashPart } from './keys.js';
import { decode, type Kv } from './kv.js';
import { SharedMutex } from './mutex.js';
import { channelOverridesSchema, stringListSchema } from './schemas.js';

const CATALOGUE = 'channels';
const channelKey = (id: string): string => `channel:${hashPart(id)}`;

export class KvChannelSettingsStore implements ChannelSettingsStore {
  readonly #locks: SharedMutex;

  constructor(
    private readonly kv: Kv,
    /** Shared with the other processes on the store (a scheduler answering chat, a CLI import). */
    locks: Locks | null = null,
  ) {
    this.#locks = new SharedMutex(locks, 'channels');
  }

  async get(channel: string): Promise<ChannelOverrides | undefined> {
    const key = channelKey(channel);
    return decode(channelOverridesSchema, key, await this.kv.get(key));
  }

  async list(): Promise<ChannelOverrides[]> {
    const ids = decode(stringListSchema, CATALOGUE, await this.kv.get(CATALOGUE)) ?? [];
    const values = await this.kv.getMany(ids.map(channelKey));
    return values.flatMap((value, i) => decode(channelOverridesSchema, channelKey(ids[i] ?? ''), value) ?? []);
  }

  update(channel: string, change: (current: ChannelOverrides) => ChannelOverrides): Promise<ChannelOverrides> {
    return this.#locks.run(channel, async () => {
      const current = (await this.get(channel)) ?? { channel, subscriptions: [], muted: [] };
      const next = { ...change(current), channel };
      if (JSON.stringify(next) === JSON.stringify(current)) return current;
      await this.kv.set(channelKey(channel), next);
      await this.#locks.run(CATALOGUE, async () => {
        const ids = decode(stringListSchema, CATALOGUE, await this.kv.get(CATALOGUE)) ?? [];
        if (!ids.includes(channel)) await this.kv.set(CATALOGUE, [...ids, channel]);
      });
      return next;
    });
  }
}
