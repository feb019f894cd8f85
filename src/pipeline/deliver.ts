// Handing a channel digest to its publisher and writing down every story as soon as it is posted, so a restart
// resumes after the last posted story and never posts one twice. The journal handed along writes an intent
// before each message and keeps the digest's parent, so a post accepted just before a crash is found, not repeated
// (docs/adr/009-exactly-once-delivery.md).
import { createHash } from 'node:crypto';
import type {
  ChannelDigest,
  DeliveryJournal,
  DeliveryLedger,
  Lease,
  Logger,
  Publisher,
  StoryDelivery,
} from '../ports.js';

export interface DeliveryResult {
  readonly posted: number;
  readonly skipped: number;
  /** Stories an interrupted attempt had posted without recording them: found in the channel, not posted again. */
  readonly found?: number;
}

/** Stories the ledger already holds with these same articles were posted by an earlier, interrupted run. */
async function unposted(digest: ChannelDigest, ledger: DeliveryLedger): Promise<StoryDelivery[]> {
  const out: StoryDelivery[] = [];
  for (const delivery of digest.stories) {
    const record = await ledger.get(digest.channel, delivery.story.id);
    const wanted = articleIdsAfter(delivery, digest);
    if (record && wanted.every((id) => record.articleIds.includes(id))) continue;
    out.push(delivery);
  }
  return out;
}

/** The articles a channel has of a story once this delivery is posted (originals and their copies). */
export function articleIdsAfter(delivery: StoryDelivery, digest: ChannelDigest): string[] {
  const members = new Set(delivery.story.articles);
  for (const a of digest.digest.articles) if (a.duplicateOf !== null && members.has(a.duplicateOf)) members.add(a.id);
  if (delivery.kind === 'update') for (const id of delivery.earlier.articleIds) members.add(id);
  return [...members];
}

/**
 * 20 hex characters naming one item of one digest window in one channel: the same on every attempt, different for
 * every other item, window and channel. Discord accepts nonces of up to 25 characters; a message adds `.<part>`.
 */
export function deliveryNonce(channel: string, window: string, item: string): string {
  return createHash('sha256').update(`${channel}\n${window}\n${item}`).digest('hex').slice(0, 20);
}

/** The journal of one digest over the ledger: intents and the parent, keyed by the channel and the window's start. */
export function ledgerJournal(
  digest: ChannelDigest,
  ledger: DeliveryLedger,
  at: () => string,
  planned: readonly StoryDelivery[] = digest.stories,
  lease?: Lease,
): DeliveryJournal {
  const { channel, from: window } = digest;
  return {
    window,
    planned,
    async parent() {
      const parent = await ledger.parent(channel, window);
      return parent && { messageId: parent.messageId, threadId: parent.threadId };
    },
    recordParent: (messageId, threadId) => ledger.recordParent({ channel, window, messageId, threadId, at: at() }),
    async intend(item) {
      const nonce = deliveryNonce(channel, window, item);
      const before = await ledger.intent(channel, item);
      const earlier = before && before.window === window && before.nonce === nonce ? { at: before.at } : null;
      // an earlier intent of this window is kept as it is: its time bounds where the retry looks
      if (!earlier) await ledger.recordIntent({ channel, item, window, nonce, at: at() });
      return { nonce, earlier };
    },
    // a process that stalled past its digest lock stops before sending: another process may post this digest now
    beforeSend: async () => {
      await lease?.confirm();
    },
  };
}

export async function deliverDigest(
  digest: ChannelDigest,
  publisher: Publisher,
  ledger: DeliveryLedger,
  logger: Logger,
  postedAt: () => string,
  lease?: Lease,
): Promise<DeliveryResult> {
  const todo = await unposted(digest, ledger);
  const skipped = digest.stories.length - todo.length;
  if (skipped > 0) logger.info({ skipped }, 'stories already posted by an earlier run are not posted again');
  let posted = 0;
  let found = 0;
  const byStory = new Map(todo.map((d) => [d.story.id, d]));
  const journal = ledgerJournal(digest, ledger, postedAt, digest.stories, lease);
  await publisher.publish(
    { ...digest, stories: todo },
    async (p) => {
      const delivery = byStory.get(p.storyId);
      if (!delivery) return;
      // an update keeps the title the story was first posted under; a first post records its own
      const title = delivery.kind === 'update' ? delivery.earlier.title : delivery.story.title;
      await ledger.record({
        channel: digest.channel,
        storyId: p.storyId,
        articleIds: articleIdsAfter(delivery, digest),
        messageId: p.messageId,
        threadId: p.threadId,
        postedAt: postedAt(),
        ...(title !== undefined ? { title } : {}),
      });
      if (p.found) found++;
      else posted++;
    },
    journal,
  );
  if (found > 0) logger.info({ found }, 'posts of an interrupted attempt found in the channel and recorded');
  await ledger.setLastDigestAt(digest.channel, digest.to);
  return { posted, skipped, ...(found > 0 ? { found } : {}) };
}
