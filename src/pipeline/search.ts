// `/digest <query>` (and `newsdigest search`) answered from stored stories through the backend's search index:
// no classification and no grouping at query time. Hits are grouped into their stories, stories ranked by their
// best hit (relevance, then recency), the first few described (their summaries computed for them only), each with
// where a channel already got it.
import type { DigestSearch } from '../domain/digest-query.js';
import { describeQuery } from '../domain/digest-query.js';
import { searchTerms } from '../domain/search-terms.js';
import type { DeliveryLedger, QueryAnswer, SearchIndex, SearchRequest, StoryPost, StoryStore } from '../ports.js';
import { DigestCache, namedAs, unposted } from './channel-digest.js';

const DAY_MS = 86_400_000;
/** Hits read to find the best stories (several articles of one story rank together). */
const HITS_READ = 400;
export const STORIES_SHOWN = 8;

export interface SearchDeps {
  readonly stories: StoryStore;
  readonly search: SearchIndex;
  readonly ledger: DeliveryLedger;
  readonly topicOrder: readonly string[];
  readonly retentionDays: number;
  readonly now: () => Date;
}

/** The query in index terms: a quoted phrase (or a word the tokenizer splits) must appear in order. */
export function searchRequestOf(query: DigestSearch, now: Date, retentionDays: number, limit: number): SearchRequest {
  const all: string[] = [];
  const phrases: string[][] = [];
  for (const term of query.terms) {
    const stems = searchTerms(term);
    if (stems.length === 1) all.push(stems[0] ?? '');
    else if (stems.length > 1) phrases.push(stems);
  }
  const kept = now.getTime() - retentionDays * DAY_MS;
  return {
    all,
    phrases,
    none: query.exclude.flatMap(searchTerms),
    since: Math.max(Date.parse(query.since), kept),
    until: query.until === null ? now.getTime() + 1 : Date.parse(query.until),
    topic: query.topic?.toLowerCase() ?? null,
    source: query.source?.toLowerCase() ?? null,
    limit,
  };
}

/** Hits read to find the newest of the matches before a window that had none. */
const OLDER_HITS_READ = 200;

/**
 * What matches before the window, within retention: someone asking `/digest novalux` about a story the last digest
 * posted from articles published four days ago hears that they exist and how far back to ask, not just "no articles".
 */
async function olderMatches(
  deps: SearchDeps,
  request: SearchRequest,
  now: Date,
): Promise<{ total: number; newest: number } | null> {
  const kept = now.getTime() - deps.retentionDays * DAY_MS;
  if (request.since <= kept) return null;
  const { hits, total } = await deps.search.search({
    ...request,
    since: kept,
    until: request.since,
    limit: OLDER_HITS_READ,
  });
  if (hits.length === 0) return null;
  return { total, newest: Math.max(...hits.map((h) => h.publishedAt)) };
}

/**
 * Answers a search from stored stories. `channel` (the configured channel id the question came from) adds, per
 * story, where that channel got it.
 */
export async function answerSearch(
  deps: SearchDeps,
  query: DigestSearch,
  channel: string | null = null,
): Promise<QueryAnswer> {
  const now = deps.now();
  const description = describeQuery(query);
  const request = searchRequestOf(query, now, deps.retentionDays, HITS_READ);
  const nothingToFind = query.terms.length > 0 && request.all.length === 0 && request.phrases.length === 0;
  if (nothingToFind) {
    return {
      kind: 'empty',
      message: `Nothing to search for ${description}: common words (the, of) and symbols are not searched.`,
    };
  }
  const { hits, total } = await deps.search.search(request);
  if (hits.length === 0) {
    const older = query.until === null ? await olderMatches(deps, request, now) : null;
    if (older !== null) {
      const days = Math.max(1, Math.ceil((now.getTime() - older.newest) / DAY_MS));
      const count = older.total === 1 ? '1 older article matches' : `${older.total} older articles match`;
      return {
        kind: 'empty',
        message: `No articles ${description}; ${count}, the newest ${days === 1 ? 'a day' : `${days} days`} old: try since:${days}d.`,
      };
    }
    return { kind: 'empty', message: `No articles ${description}; articles are kept ${deps.retentionDays} days.` };
  }
  const order = [...new Set(hits.map((hit) => hit.storyId))];
  const reader = { stories: deps.stories, ledger: deps.ledger, topicOrder: deps.topicOrder };
  const cache = new DigestCache(reader);
  const records = await cache.stories(order.slice(0, STORIES_SHOWN));
  const described = [];
  for (const record of records) {
    const d = await cache.describe(record);
    if (d) described.push({ ...d, record });
  }
  if (described.length === 0) {
    return {
      kind: 'empty',
      message: `No stories ${description} are stored any more; articles are kept ${deps.retentionDays} days.`,
    };
  }
  const posted = new Map<string, StoryPost>();
  if (channel !== null) {
    for (const d of described) {
      const { record } = d;
      const earlier = await deps.ledger.get(channel, record.id);
      if (!earlier) continue;
      // named as the asking channel's thread is, so the answer leads to the story it saw
      d.story = namedAs(d, earlier.title);
      const { channel: at, messageId, threadId, postedAt } = earlier;
      posted.set(record.id, {
        channel: at,
        messageId,
        threadId,
        postedAt,
        newArticles: unposted(record, earlier).originals,
      });
    }
  }
  // stories among the hits read that are not shown (the hits not read may hold more: `matched` counts them all)
  const more = order.length - described.length;
  return {
    kind: 'digest',
    digest: {
      generatedAt: now.toISOString(),
      articles: described.flatMap((d) => d.articles),
      stories: described.map((d) => d.story),
      rejected: [],
    },
    matched: total,
    description,
    ...(more > 0 ? { moreStories: more } : {}),
    posted,
  };
}
