// The pages of one feed's snippet-only items, fetched within bounds: a few at once, a cap per poll, and a deadline
// for the whole poll. An item whose page was not fetched this poll is neither stored nor marked seen: it waits for
// the next poll, and after `waitPolls` polls of waiting it is stored with its snippet. Nothing is dropped.
import type { FeedItem, FeedStateStore, Logger } from '../ports.js';

/** Full text for an item whose feed gave only a snippet; null when the page could not be had or read. */
export type PageEnricher = (
  item: FeedItem,
  signal?: AbortSignal,
) => Promise<{ text: string; title?: string | null } | null>;

export type Page = Awaited<ReturnType<PageEnricher>>;

export interface PageFetchBounds {
  /** Page fetches under way at once within one feed's poll. */
  readonly concurrency: number;
  /** Page fetches started in one poll of one feed; the other items wait for the next poll. */
  readonly perPoll: number;
  /** Polls an item may wait for its page; at the next one it is stored with its snippet if still not fetched. */
  readonly waitPolls: number;
  /** From the start of a feed's poll: no page fetch starts after it, and those under way are cut off. */
  readonly deadlineMs: number;
}

/**
 * 4 x 20 s (the default page timeout) per round, 5 rounds for 20 pages: the 60 s deadline cuts the worst case
 * (every page hanging) to one poll interval of the scheduler. 3 polls of waiting at 15 min is 45 min at most.
 */
export const DEFAULT_PAGE_FETCH_BOUNDS: PageFetchBounds = {
  concurrency: 4,
  perPoll: 20,
  waitPolls: 3,
  deadlineMs: 60_000,
};

/** A waiting item and how many polls have passed it over. */
interface Waiting {
  readonly item: FeedItem;
  readonly polls: number;
}

/**
 * What waits for its page, per feed, in memory. Kept per feed store so every caller of pollFeeds over one store
 * shares it without wiring. After a restart an item still listed by its feed is simply fetched again (it was never
 * marked seen); only an item that leaves its feed while the process is down is missed.
 */
const waitingByStore = new WeakMap<FeedStateStore, Map<string, ReadonlyMap<string, Waiting>>>();

function waitingOf(store: FeedStateStore): Map<string, ReadonlyMap<string, Waiting>> {
  let byFeed = waitingByStore.get(store);
  if (byFeed === undefined) {
    byFeed = new Map();
    waitingByStore.set(store, byFeed);
  }
  return byFeed;
}

/** Items that waited for their page in an earlier poll and are no longer listed by the feed: still to be stored. */
export function leftTheFeed(store: FeedStateStore, feedUrl: string, listed: readonly FeedItem[]): FeedItem[] {
  const waiting = waitingOf(store).get(feedUrl);
  if (waiting === undefined) return [];
  const ids = new Set(listed.map((i) => i.id));
  return [...waiting.values()].filter((w) => !ids.has(w.item.id)).map((w) => w.item);
}

export interface PagePlan {
  /** Page fetched (or failed for good: null), by item id. Items missing here kept their snippet or wait. */
  readonly pages: ReadonlyMap<string, Page>;
  /** Items that wait for a later poll: not stored, not marked seen. */
  readonly waiting: ReadonlySet<string>;
  /** Items stored with their snippet because they waited `waitPolls` polls already. */
  readonly gaveUp: number;
  /** Page fetches cut off by the deadline. */
  readonly cutOff: number;
}

/**
 * Fetches the pages of `needPages` (items in feed order) within the bounds, longest-waiting first, and records
 * what waits. `startedAt` (performance.now()) is when the feed's poll began: the deadline counts from there.
 */
export async function fetchPages(
  store: FeedStateStore,
  feedUrl: string,
  needPages: readonly FeedItem[],
  deps: { readonly enrich: PageEnricher; readonly bounds: PageFetchBounds; readonly log: Logger },
  startedAt: number,
): Promise<PagePlan> {
  const { bounds, log } = deps;
  const before = waitingOf(store).get(feedUrl) ?? new Map<string, Waiting>();
  const pollsOf = (item: FeedItem) => before.get(item.id)?.polls ?? 0;
  // sort is stable: among items that waited as long, the feed's order (usually newest first) decides
  const queue = [...needPages].sort((a, b) => pollsOf(b) - pollsOf(a)).slice(0, Math.max(0, bounds.perPoll));
  const remainingMs = Math.max(0, bounds.deadlineMs - (performance.now() - startedAt));
  const { pages, cutOff } = await fetchWithin(queue, deps.enrich, bounds.concurrency, remainingMs, log);

  const waiting = new Map<string, Waiting>();
  let gaveUp = 0;
  for (const item of needPages) {
    if (pages.has(item.id)) continue;
    const polls = pollsOf(item) + 1;
    if (polls > bounds.waitPolls) gaveUp++;
    else waiting.set(item.id, { item, polls });
  }
  if (waiting.size > 0) waitingOf(store).set(feedUrl, waiting);
  else waitingOf(store).delete(feedUrl);
  if (waiting.size > 0 || gaveUp > 0 || cutOff > 0) {
    log.warn(
      {
        fetched: pages.size,
        waiting: waiting.size,
        storedWithSnippet: gaveUp,
        cutOff,
        perPoll: bounds.perPoll,
        waitPolls: bounds.waitPolls,
      },
      gaveUp > 0
        ? `pages not fetched: ${waiting.size} items wait for the next poll, ${gaveUp} stored with their snippet after ${bounds.waitPolls} polls of waiting`
        : `pages not fetched: ${waiting.size} items wait for the next poll`,
    );
  }
  return { pages, waiting: new Set(waiting.keys()), gaveUp, cutOff };
}

/**
 * Runs `enrich` over `items`, `concurrency` at once, until `withinMs`. A page that fails is settled as null (the
 * item keeps its snippet, as before); a fetch still under way at the deadline is cut off and its item left out of
 * `pages`. The enricher gets the deadline's signal, and is raced against it too, so one that ignores the signal
 * still cannot hold the poll; its late answer is dropped.
 */
async function fetchWithin(
  items: readonly FeedItem[],
  enrich: PageEnricher,
  concurrency: number,
  withinMs: number,
  log: Logger,
): Promise<{ pages: Map<string, Page>; cutOff: number }> {
  const pages = new Map<string, Page>();
  if (items.length === 0) return { pages, cutOff: 0 };
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`poll deadline of ${withinMs} ms passed`)), withinMs);
  const expired = new Promise<'expired'>((resolve) => {
    deadline.signal.addEventListener('abort', () => resolve('expired'), { once: true });
  });
  let next = 0;
  let cutOff = 0;
  const worker = async () => {
    while (next < items.length && !deadline.signal.aborted) {
      const item = items[next++];
      if (item === undefined) continue;
      const fetching = enrich(item, deadline.signal);
      const outcome = await Promise.race([fetching, expired]).catch((error: unknown) => ({ error }));
      if (outcome === 'expired' || deadline.signal.aborted) {
        fetching.catch(() => undefined);
        cutOff++;
        return;
      }
      if (outcome !== null && 'error' in outcome) {
        // the snippet is kept: a refused or broken page never loses the item
        log.warn({ url: item.link, err: outcome.error }, 'page not fetched');
        pages.set(item.id, null);
      } else {
        pages.set(item.id, outcome);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  } finally {
    clearTimeout(timer);
  }
  return { pages, cutOff };
}
