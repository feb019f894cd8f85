// Feed URLs with `user:password@`. undici refuses to request such a URL, and the URL is what every log line, error
// and feed health record names. So the userinfo is taken out when the config is read: the feed is known (keyed,
// logged, shown) by its URL with the password as `***`, and the credentials travel beside it to the fetcher, which
// sends them as `Authorization: Basic` to the feed's own origin only.
import { MASK, maskUrlPassword } from '../secrets.js';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Credentials by the URL a feed is known by (its shown URL), as `httpFeedFetcher` looks them up. */
export type FeedCredentials = ReadonlyMap<string, BasicCredentials>;

export interface SplitFeedUrl {
  /** What is requested: the URL without userinfo. */
  readonly url: string;
  /**
   * What the feed is known by in logs, errors, feed health and store keys: the URL as given when it has no
   * userinfo (so existing feeds keep their keys), else with the password as `***`. A user name without a password
   * is often a token, so it is masked too.
   */
  readonly shown: string;
  readonly credentials: BasicCredentials | null;
}

/** Takes the userinfo out of a feed URL. A URL the WHATWG parser refuses is returned as it is, masked. */
export function splitFeedUrl(input: string): SplitFeedUrl {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    return { url: input, shown: maskUrlPassword(input), credentials: null };
  }
  if (parsed.username === '' && parsed.password === '') return { url: input, shown: input, credentials: null };
  const credentials = { username: decoded(parsed.username), password: decoded(parsed.password) };
  const userinfo = parsed.password === '' ? MASK : `${parsed.username}:${MASK}`;
  parsed.username = '';
  parsed.password = '';
  const shown = `${parsed.protocol}//${userinfo}@${parsed.href.slice(parsed.protocol.length + 2)}`;
  return { url: parsed.href, shown, credentials };
}

/** The URL a feed is known by (see `SplitFeedUrl.shown`). */
export function shownFeedUrl(input: string): string {
  return splitFeedUrl(input).shown;
}

/** True when the URL's userinfo is a mask (`user:***@`, `***@`): the real credentials must come from elsewhere. */
export function hasMaskedCredentials(input: string): boolean {
  const credentials = splitFeedUrl(input).credentials;
  return credentials !== null && (credentials.password === MASK || credentials.username === MASK);
}

/** The credentials of every feed that has some, by the URL the feed is known by. */
export function feedCredentials(
  feeds: readonly { readonly url: string; readonly credentials?: BasicCredentials | undefined }[],
): FeedCredentials {
  const found = new Map<string, BasicCredentials>();
  for (const feed of feeds) if (feed.credentials) found.set(feed.url, feed.credentials);
  return found;
}

export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
