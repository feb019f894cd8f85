// The one shape every feed format is turned into, whatever it was on the wire.

export interface FeedItem {
  /** Identity across polls: guid / id, else canonical link, else `sha256:` of title and date. */
  readonly id: string;
  readonly title: string | null;
  /** Absolute http(s) URL, resolved against the feed URL. */
  readonly link: string | null;
  /** ISO 8601, or null when the feed gave no readable date. */
  readonly publishedAt: string | null;
  readonly author: string | null;
  /** The fullest HTML body the feed carries (content:encoded, Atom content, content_html, description). */
  readonly contentHtml: string | null;
  /** Plain text of the content: JSON Feed content_text, else the HTML body with its tags removed. */
  readonly contentText: string | null;
  /** A short description next to a fuller body (Atom summary, RSS description beside content:encoded). */
  readonly summary: string | null;
}

/** An item link dropped for its scheme: only http and https are followed (a file:, ftp: or data: link never is). */
export interface RefusedLink {
  /** `file:`, `ftp:`, `data:`, `javascript:` ... */
  readonly scheme: string;
  /** The item's identity (FeedItem.id); the item itself is kept, without a link. */
  readonly item: string;
}

export interface ParsedFeed {
  readonly title: string | null;
  readonly format: 'rss' | 'atom' | 'rdf' | 'json';
  readonly items: readonly FeedItem[];
  /** Present when some item links were dropped for their scheme. */
  readonly refusedLinks?: readonly RefusedLink[];
}
