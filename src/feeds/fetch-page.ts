// The article page behind a snippet-only feed item: fetched with the feed limits (guard, timeout, size) and read
// with the extractor. The pipeline calls it through its PageEnricher, with the poll's deadline as `signal`.
import type { FeedItem } from '../ports.js';
import { extractArticle } from './extract-article.js';
import { type FetchTextOptions, fetchText } from './http-fetch.js';

const PAGE_ACCEPT = 'text/html,application/xhtml+xml';

/** Fetches and extracts an item's page; null when the item has no link or the page holds no article. */
export function httpPageFetcher(
  limits: Omit<FetchTextOptions, 'validators' | 'accept' | 'signal' | 'credentials'>,
): (item: FeedItem, signal?: AbortSignal) => Promise<{ text: string; title: string | null } | null> {
  return async (item, signal) => {
    if (!item.link) return null;
    const page = await fetchText(item.link, { ...limits, accept: PAGE_ACCEPT, ...(signal ? { signal } : {}) });
    if (page.notModified) return null;
    const article = extractArticle(page.text, page.url);
    return article ? { text: article.text, title: article.title } : null;
  };
}
