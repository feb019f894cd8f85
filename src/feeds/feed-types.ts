// The one shape every feed format is turned into, whatever it was on the wire (FeedItem is a port type).
import type { FeedItem } from '../ports.js';

export type { FeedItem };

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
