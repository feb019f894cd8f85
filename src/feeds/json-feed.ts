// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). The structure is validated (an object with a known
// version and an array of item objects); a field of the wrong type inside an item is dropped rather than failing
// the whole feed, because one odd item should not silence a source.
import { z } from 'zod';
import { FeedParseError } from './errors.js';
import type { FeedItem, ParsedFeed, RefusedLink } from './feed-types.js';
import { itemIdentity, refusedScheme, resolveLink } from './item-identity.js';

const blankToNull = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined || String(v).trim() === '' ? null : String(v);
const optionalText = z.string().nullish().catch(null).transform(blankToNull);
// The spec says string; numbers are common enough in the wild to accept.
const optionalId = z.union([z.string(), z.number()]).nullish().catch(null).transform(blankToNull);

const author = z.object({ name: optionalText }).nullish().catch(null);

const item = z.object({
  id: optionalId,
  url: optionalText,
  external_url: optionalText,
  title: optionalText,
  content_html: optionalText,
  content_text: optionalText,
  summary: optionalText,
  date_published: optionalText,
  date_modified: optionalText,
  author,
  authors: z.array(author).nullish().catch(null),
});

const VERSION = /^(?:https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?|1(?:\.\d+)?)$/;

const jsonFeed = z.object({
  version: z.string({ error: 'missing "version" (is this a JSON Feed?)' }).regex(VERSION, {
    error: (issue) => `unsupported version ${JSON.stringify(issue.input)} (expected https://jsonfeed.org/version/1.x)`,
  }),
  title: optionalText,
  author,
  authors: z.array(author).nullish().catch(null),
  items: z.array(item, { error: '"items" must be an array of objects' }),
});

type JsonFeedItem = z.infer<typeof item>;

function isoDate(value: string | null): string | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

type Author = z.infer<typeof author>;

function authorName(entry: { author?: Author; authors?: readonly Author[] | null | undefined }): string | null {
  const names = (entry.authors ?? []).map((a) => a?.name ?? null).filter((n): n is string => n !== null);
  return names.length > 0 ? names.join(', ') : (entry.author?.name ?? null);
}

export function parseJsonFeed(text: string, url: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new FeedParseError(`${url} is not valid JSON: ${detail}`, url, { cause: error });
  }
  const result = jsonFeed.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new FeedParseError(`${url} is not a valid JSON Feed: ${problems.slice(0, 5).join('; ')}`, url, {
      cause: result.error,
    });
  }
  const feed = result.data;
  const feedAuthor = authorName(feed);
  const items = feed.items.map((entry) => toItem(entry, url, feedAuthor));
  const refusedLinks = feed.items.flatMap((entry, i): RefusedLink[] => {
    const item = items[i];
    if (!item || item.link !== null) return [];
    const scheme = refusedScheme(entry.url, url) ?? refusedScheme(entry.external_url, url);
    return scheme === null ? [] : [{ scheme, item: item.id }];
  });
  return { title: feed.title, format: 'json', items, ...(refusedLinks.length > 0 ? { refusedLinks } : {}) };
}

function toItem(entry: JsonFeedItem, feedUrl: string, feedAuthor: string | null): FeedItem {
  const link = resolveLink(entry.url, feedUrl) ?? resolveLink(entry.external_url, feedUrl);
  const publishedAt = isoDate(entry.date_published) ?? isoDate(entry.date_modified);
  return {
    id: itemIdentity({ guid: entry.id, link, title: entry.title, date: publishedAt }),
    title: entry.title,
    link,
    publishedAt,
    author: authorName(entry) ?? feedAuthor,
    contentHtml: entry.content_html,
    contentText: entry.content_text,
    summary: entry.summary,
  };
}
