// What was posted where: one key per (channel, story), one per channel for the end of its last digest, and the
// intents and digest parents that make a retried digest find what an interrupted one posted (ADR 009).
//
// Keys (in the store's namespace):
//   delivery:<channel>:<story>   the DeliveryRecord (parts as in keys.ts: readable, or a hash)
//   last-digest:<channel>        ISO string
//   cursor:<channel>             the last ingest sequence number the channel's digests covered
//   intent:<channel>:<item>      the DeliveryIntent last written before posting the item (a story, or the parent)
//   parent:<channel>             the DigestParent of the channel's latest digest (one key a channel: only the digest
//                                under way can be resumed, so the next one replaces it)
import type { DeliveryIntent, DeliveryLedger, DeliveryRecord, DigestParent } from '../ports.js';
import { keyPart } from './keys.js';
import { decode, type Kv } from './kv.js';
import {
  deliveryIntentSchema,
  deliveryRecordSchema,
  digestParentSchema,
  numberSchema,
  stringSchema,
} from './schemas.js';

const deliveryKey = (channel: string, storyId: string): string => `delivery:${keyPart(channel)}:${keyPart(storyId)}`;
const lastDigestKey = (channel: string): string => `last-digest:${keyPart(channel)}`;
const cursorKey = (channel: string): string => `cursor:${keyPart(channel)}`;
const intentKey = (channel: string, item: string): string => `intent:${keyPart(channel)}:${keyPart(item)}`;
const parentKey = (channel: string): string => `parent:${keyPart(channel)}`;

export class KvDeliveryLedger implements DeliveryLedger {
  constructor(private readonly kv: Kv) {}

  async get(channel: string, storyId: string): Promise<DeliveryRecord | undefined> {
    const key = deliveryKey(channel, storyId);
    return decode(deliveryRecordSchema, key, await this.kv.get(key));
  }

  async record(delivery: DeliveryRecord): Promise<void> {
    await this.kv.set(deliveryKey(delivery.channel, delivery.storyId), delivery);
  }

  async lastDigestAt(channel: string): Promise<string | undefined> {
    const key = lastDigestKey(channel);
    return decode(stringSchema, key, await this.kv.get(key));
  }

  async setLastDigestAt(channel: string, iso: string): Promise<void> {
    await this.kv.set(lastDigestKey(channel), iso);
  }

  async cursor(channel: string): Promise<number | undefined> {
    const key = cursorKey(channel);
    return decode(numberSchema, key, await this.kv.get(key));
  }

  async setCursor(channel: string, seq: number): Promise<void> {
    await this.kv.set(cursorKey(channel), seq);
  }

  async forget(channel: string, storyIds: readonly string[]): Promise<void> {
    await this.kv.deleteMany([
      ...storyIds.map((id) => deliveryKey(channel, id)),
      ...storyIds.map((id) => intentKey(channel, id)),
    ]);
  }

  async intent(channel: string, item: string): Promise<DeliveryIntent | undefined> {
    const key = intentKey(channel, item);
    return decode(deliveryIntentSchema, key, await this.kv.get(key));
  }

  async recordIntent(intent: DeliveryIntent): Promise<void> {
    await this.kv.set(intentKey(intent.channel, intent.item), intent);
  }

  async parent(channel: string, window: string): Promise<DigestParent | undefined> {
    const key = parentKey(channel);
    const parent = decode(digestParentSchema, key, await this.kv.get(key));
    return parent?.window === window ? parent : undefined;
  }

  async recordParent(parent: DigestParent): Promise<void> {
    await this.kv.set(parentKey(parent.channel), parent);
  }
}
