// Building one channel's digest from stored articles: which stories are new to the channel, which are updates to
// stories it already has, with ids that stay the same from run to run.
import type { BuilderOptions } from '../domain/digest.js';
import { createDigestBuilder } from '../domain/digest.js';
import { fnv1a } from '../domain/text.js';
import type { Digest, DigestStory } from '../domain/types.js';
import type { ChannelDigest, DeliveryLedger, StoredArticle, StoryDelivery, StoryStore } from '../ports.js';

export interface ChannelSpec {
  /** The channel's id in the configuration (also the delivery ledger's key). */
  readonly id: string;
  /** Topic names wanted; empty means every story. */
  readonly topics: readonly string[];
  readonly maxStories: number;
}

export interface ChannelDigestInput {
  readonly channel: ChannelSpec;
  /** Articles the builder reads: the window plus earlier context, so later articles join earlier stories. */
  readonly articles: readonly StoredArticle[];
  /** Only articles fetched in [from, to) and not backfill make a story worth posting (a late feed's old news is
   * still news to the channel). */
  readonly from: Date;
  readonly to: Date;
  readonly builder: BuilderOptions;
  readonly stories: StoryStore;
  readonly ledger: DeliveryLedger;
}

/**
 * Builds the digest over all given articles, gives its stories their lasting ids (from earlier assignments, or new
 * ones), and returns what the channel should receive: stories with fresh articles, as new posts or as updates to
 * the post the channel already has.
 */
export async function buildChannelDigest(input: ChannelDigestInput): Promise<ChannelDigest> {
  const { channel, from, to } = input;
  const ordered = [...input.articles].sort(
    (a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.fetchedAt.localeCompare(b.fetchedAt),
  );
  const digest = createDigestBuilder(input.builder).add(ordered).result(to.toISOString());
  const lasting = await lastingStoryIds(digest, input.stories);
  const remapped = withStoryIds(digest, lasting);

  const byId = new Map(ordered.map((a) => [a.id, a]));
  const fresh = (id: string) => {
    const a = byId.get(id);
    if (!a || a.backfill) return false;
    const t = Date.parse(a.fetchedAt);
    return t >= from.getTime() && t < to.getTime();
  };
  const copiesOf = new Map<string, string[]>();
  for (const a of remapped.articles) {
    if (a.duplicateOf === null) continue;
    copiesOf.set(a.duplicateOf, [...(copiesOf.get(a.duplicateOf) ?? []), a.id]);
  }
  const wanted = new Set(channel.topics);
  const deliveries: StoryDelivery[] = [];
  for (const story of remapped.stories) {
    if (wanted.size > 0 && !story.topics.some((t) => wanted.has(t))) continue;
    const all = story.articles.flatMap((id) => [id, ...(copiesOf.get(id) ?? [])]);
    if (!all.some(fresh)) continue;
    const earlier = await input.ledger.get(channel.id, story.id);
    if (!earlier) {
      deliveries.push({ kind: 'new', story });
      continue;
    }
    const known = new Set(earlier.articleIds);
    const newArticleIds = all.filter((id) => !known.has(id));
    if (newArticleIds.length > 0) deliveries.push({ kind: 'update', story, newArticleIds, earlier });
  }
  return {
    channel: channel.id,
    from: from.toISOString(),
    to: to.toISOString(),
    digest: remapped,
    stories: deliveries.slice(0, channel.maxStories),
  };
}

/** For each story of the digest, the id it had in earlier runs (most of its articles' id), else a new one. */
async function lastingStoryIds(digest: Digest, store: StoryStore): Promise<Map<string, string>> {
  const known = await store.assignments(digest.articles.map((a) => a.id));
  const copiesOf = new Map<string, string[]>();
  for (const a of digest.articles) {
    if (a.duplicateOf !== null) copiesOf.set(a.duplicateOf, [...(copiesOf.get(a.duplicateOf) ?? []), a.id]);
  }
  const out = new Map<string, string>();
  const taken = new Set<string>();
  const assignments: { articleId: string; storyId: string }[] = [];
  for (const story of digest.stories) {
    const members = story.articles.flatMap((id) => [id, ...(copiesOf.get(id) ?? [])]);
    const votes = new Map<string, number>();
    for (const id of members) {
      const s = known.get(id);
      if (s !== undefined && !taken.has(s)) votes.set(s, (votes.get(s) ?? 0) + 1);
    }
    let lasting = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    if (lasting === undefined) lasting = newStoryId(story, taken);
    taken.add(lasting);
    out.set(story.id, lasting);
    for (const id of members) if (known.get(id) !== lasting) assignments.push({ articleId: id, storyId: lasting });
  }
  if (assignments.length > 0) await store.assign(assignments);
  return out;
}

function newStoryId(story: DigestStory, taken: ReadonlySet<string>): string {
  const first = [...story.articles].sort()[0] ?? story.id;
  let id = `st-${fnv1a(first).toString(36)}`;
  for (let n = 2; taken.has(id); n++) id = `st-${fnv1a(first).toString(36)}-${n}`;
  return id;
}

function withStoryIds(digest: Digest, ids: ReadonlyMap<string, string>): Digest {
  return {
    ...digest,
    articles: digest.articles.map((a) => ({
      ...a,
      storyId: a.storyId === null ? null : (ids.get(a.storyId) ?? a.storyId),
    })),
    stories: digest.stories.map((s) => ({ ...s, id: ids.get(s.id) ?? s.id })),
  };
}
