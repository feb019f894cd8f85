// Handing a channel digest to its publisher and writing down every story as soon as it is posted, so a restart
// resumes after the last posted story and never posts one twice.
import type { ChannelDigest, DeliveryLedger, Logger, Publisher, StoryDelivery } from '../ports.js';

export interface DeliveryResult {
  readonly posted: number;
  readonly skipped: number;
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

export async function deliverDigest(
  digest: ChannelDigest,
  publisher: Publisher,
  ledger: DeliveryLedger,
  logger: Logger,
  postedAt: () => string,
): Promise<DeliveryResult> {
  const todo = await unposted(digest, ledger);
  const skipped = digest.stories.length - todo.length;
  if (skipped > 0) logger.info({ skipped }, 'stories already posted by an earlier run are not posted again');
  let posted = 0;
  const byStory = new Map(todo.map((d) => [d.story.id, d]));
  await publisher.publish({ ...digest, stories: todo }, async (p) => {
    const delivery = byStory.get(p.storyId);
    if (!delivery) return;
    await ledger.record({
      channel: digest.channel,
      storyId: p.storyId,
      articleIds: articleIdsAfter(delivery, digest),
      messageId: p.messageId,
      threadId: p.threadId,
      postedAt: postedAt(),
    });
    posted++;
  });
  await ledger.setLastDigestAt(digest.channel, digest.to);
  return { posted, skipped };
}
