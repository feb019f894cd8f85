// The shapes the stores write, checked again when read back. Each is pinned to its port type, so a change to
// ports.ts that the schema does not follow fails the type check. Loose objects keep fields a newer version added.
import { z } from 'zod';
import type { DeliveryRecord, FeedHealth, StoredArticle } from '../ports.js';

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
});

export const deliveryRecordSchema: z.ZodType<DeliveryRecord> = z.looseObject({
  channel: z.string(),
  storyId: z.string(),
  articleIds: z.array(z.string()),
  messageId: z.string(),
  threadId: z.string().nullable(),
  postedAt: z.string(),
});

export const stringListSchema = z.array(z.string());
export const stringSchema = z.string();
