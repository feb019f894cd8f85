// The day a page's address gives it. Many outlets put the publication day in their article paths
// ("/2013/05/02/lindsay-lohan-...", "/2013/may/03/...", "/story-2013-08-02.html"); an item whose feed gives no
// date, or an impossible one, is better placed by that day than by the moment we fetched it. Only whole days are
// read: a bare year or year and month in a path ("/2013/08/ellen-...") is an archive folder, not a day.
import { monthIndex } from './dates-in-text.js';

/** /YYYY/MM/DD/ or /YYYY/mon/DD/ as consecutive path segments. */
const SEGMENTS = /\/((?:19|20)\d\d)\/(0?[1-9]|1[0-2]|[a-z]{3})\/(0?[1-9]|[12]\d|3[01])(?=[/?#]|$)/i;
/** YYYY-MM-DD inside a path segment, not part of a longer number. */
const DASHED = /(?:^|[/_.-])((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=[/_.?#-]|$)/;
const FIRST_YEAR = 1990;

/**
 * The publication day an article address names, as an ISO time at UTC midnight (as dates written in the text
 * are read), or null. The address is only read, never fetched; query strings and fragments are ignored.
 */
export function dateFromUrl(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  const path = urlPath(url);
  if (path === null) return null;
  const m = SEGMENTS.exec(path) ?? DASHED.exec(path);
  if (m === null) return null;
  const year = Number(m[1]);
  const monthText = m[2] ?? '';
  const month = /^\d+$/.test(monthText) ? Number(monthText) : monthIndex(monthText) + 1;
  const day = Number(m[3]);
  if (month === 0 || year < FIRST_YEAR) return null;
  const at = Date.UTC(year, month - 1, day);
  // 2013/02/30 is not a day: Date.UTC would roll it into March.
  if (new Date(at).getUTCDate() !== day) return null;
  return new Date(at).toISOString();
}

/** The path of an address, or null when it is no URL. */
export function urlPath(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}
