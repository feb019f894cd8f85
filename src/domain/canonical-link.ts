// One string per page: a link without what says where a click came from (utm_*, fbclid...) or where on the page it
// points (the fragment), its remaining parameters sorted. What item identities and seen marks compare. And the link
// a reader is shown: the same page without the tracking, otherwise as the feed wrote it.

/** Query parameters that say where a click came from, not what the page is. */
const TRACKING_PARAMS = new Set(['fbclid', 'gclid', 'mc_cid', 'mc_eid', 'ref', 'cmpid', 'ocid']);

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

/** The link without tracking parameters or fragment, remaining parameters sorted: one string per page. */
export function canonicalLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link.trim();
  }
  url.hash = '';
  const kept = [...url.searchParams].filter(([name]) => !isTracking(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  url.search = new URLSearchParams(kept).toString();
  return url.href;
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * The link as a digest shows it: without the parameters that say where a click came from (a feed's
 * `?utm_source=rss`), its other parameters and fragment as they were. Anything that does not parse is left alone.
 */
export function shownLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  const names = [...url.searchParams.keys()];
  if (!names.some(isTracking)) return link;
  for (const name of new Set(names)) if (isTracking(name)) url.searchParams.delete(name);
  return url.href;
}
