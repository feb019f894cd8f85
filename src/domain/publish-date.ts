// Which publish date an item gets: the feed's, unless it is missing or impossible (ahead of the moment we fetched
// it, or before there were news feeds); then the day its address names ("/2013/05/02/...") stands in, else the
// fetch time, and the feed's health says so. A late article (published days before we first saw it) keeps its
// date: it is old news to the world but new to the channel.
import { dateFromUrl } from './url-date.js';

/** A feed's clock may run a little ahead of ours; more than this and the date is not believed. */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
/** Dates before this are placeholders (the Unix epoch, year 1, "-1"), not publication dates. */
export const EARLIEST_PLAUSIBLE = Date.UTC(1990, 0, 1);

export interface PublishDate {
  /** ISO; always set. */
  readonly publishedAt: string;
  /** The feed's date when it was not believed, as the feed wrote it. */
  readonly claimed: string | null;
  /** Why it was not believed, for the feed's health and the reader. */
  readonly problem: string | null;
}

export function publishDateOf(
  claimed: string | null | undefined,
  fetchedAt: string,
  url?: string | null | undefined,
): PublishDate {
  const fetched = Date.parse(fetchedAt);
  const fallback = (problem: string | null, given: string | null): PublishDate => {
    const named = dateFromUrl(url);
    const at = named === null ? Number.NaN : Date.parse(named);
    if (!(at >= EARLIEST_PLAUSIBLE)) return { publishedAt: fetchedAt, claimed: given, problem };
    // the address names a day, not a moment: today's (in a zone ahead of UTC) is now
    return { publishedAt: at > fetched ? fetchedAt : (named ?? fetchedAt), claimed: given, problem };
  };
  if (claimed === null || claimed === undefined || claimed.trim() === '') return fallback(null, null);
  const at = Date.parse(claimed);
  if (Number.isNaN(at)) return fallback(`unreadable date ${JSON.stringify(claimed)}`, claimed);
  if (at > fetched + FUTURE_TOLERANCE_MS) {
    const hours = Math.round((at - fetched) / 3_600_000);
    const ahead = hours >= 1 ? `${hours} h` : `${Math.round((at - fetched) / 60_000)} min`;
    return fallback(`dated ${ahead} in the future (${claimed})`, claimed);
  }
  if (at < EARLIEST_PLAUSIBLE) return fallback(`dated before 1990 (${claimed})`, claimed);
  return { publishedAt: new Date(at).toISOString(), claimed: null, problem: null };
}

/**
 * What stood in for the impossible dates of these articles, for the reader: the day their address names, the time
 * they were fetched, or each where it applies.
 */
export function standInOf(articles: readonly { readonly publishedAt: string; readonly fetchedAt: string }[]): string {
  const fromAddress = articles.filter((a) => a.publishedAt !== a.fetchedAt).length;
  if (fromAddress === 0) return articles.length > 1 ? 'the time they were fetched' : 'the time it was fetched';
  if (fromAddress === articles.length)
    return articles.length > 1 ? 'the day their address names' : 'the day its address names';
  return 'the day their address names, else the time they were fetched';
}
