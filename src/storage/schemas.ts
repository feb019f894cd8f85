// The shapes the stores write, checked again when read back. Each is pinned to its port type, so a change to
// ports.ts that the schema does not follow fails the type check. Loose objects keep fields a newer version added.
import { z } from 'zod';
import type {
  ChannelOverrides,
  DeliveryIntent,
  DeliveryRecord,
  DigestParent,
  FeedHealth,
  IngestEntry,
  StoredArticle,
  StoryGrowth,
  StoryRecord,
} from '../ports.js';

const optionalText = z.string().optional();

export const storedArticleSchema: z.ZodType<StoredArticle> = z.looseObject({
  id: z.string(),
  feed: z.string(),
  fetchedAt: z.string(),
  publishedAt: z.string(),
  backfill: z.boolean(),
  title: optionalText,
  text: optionalText,
  html: optionalText,
  url: optionalText,
  source: optionalText,
  claimedPublishedAt: optionalText,
  seq: z.number().optional(),
});

const isoOrNull = z.string().nullable();

export const feedHealthSchema: z.ZodType<FeedHealth> = z.looseObject({
  feed: z.string(),
  url: z.string(),
  lastSuccessAt: isoOrNull,
  lastErrorAt: isoOrNull,
  lastError: z.string().nullable(),
  consecutiveFailures: z.number(),
  nextPollAt: isoOrNull,
  pausedAt: isoOrNull,
  items: z.number(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  initialized: z.boolean(),
  lastWarning: z.string().nullable().optional(),
});

export const deliveryRecordSchema: z.ZodType<DeliveryRecord> = z.looseObject({
  channel: z.string(),
  storyId: z.string(),
  articleIds: z.array(z.string()),
  messageId: z.string(),
  threadId: z.string().nullable(),
  postedAt: z.string(),
  title: optionalText,
});

export const deliveryIntentSchema: z.ZodType<DeliveryIntent> = z.looseObject({
  channel: z.string(),
  item: z.string(),
  window: z.string(),
  nonce: z.string(),
  at: z.string(),
});

export const digestParentSchema: z.ZodType<DigestParent> = z.looseObject({
  channel: z.string(),
  window: z.string(),
  messageId: z.string(),
  threadId: z.string().nullable(),
  at: z.string(),
});

export const stringListSchema = z.array(z.string());
export const stringSchema = z.string();

export const numberSchema = z.number();

export const ingestEntrySchema: z.ZodType<IngestEntry> = z.looseObject({
  seq: z.number(),
  at: z.string(),
  articleIds: z.array(z.string()),
});

export const storyGrowthSchema: z.ZodType<StoryGrowth> = z.looseObject({
  seq: z.number(),
  at: z.string(),
  stories: z.array(z.looseObject({ storyId: z.string(), articleIds: z.array(z.string()) })),
});

export const storyRecordSchema: z.ZodType<StoryRecord> = z.looseObject({
  id: z.string(),
  revision: z.number(),
  createdSeq: z.number(),
  updatedSeq: z.number(),
  updatedAt: z.string(),
  articles: z.array(z.string()),
  copies: z.array(z.string()),
  sources: z.array(z.string()),
  topicCounts: z.record(z.string(), z.number()),
  firstPublishedAt: isoOrNull,
  lastPublishedAt: isoOrNull,
});

export const channelOverridesSchema: z.ZodType<ChannelOverrides> = z.looseObject({
  channel: z.string(),
  subscriptions: z.array(
    z.looseObject({ url: z.string(), name: z.string(), addedBy: z.string(), addedAt: z.string() }),
  ),
  muted: z.array(z.string()),
});
