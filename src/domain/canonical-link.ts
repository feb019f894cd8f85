// One string per page: a link without what says where a click came from (utm_*, fbclid...) or where on the page it
// points (the fragment), its remaining parameters sorted. What item identities and seen marks compare.

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
