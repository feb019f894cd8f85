// The one shape every feed format is turned into, whatever it was on the wire (FeedItem is a port type).
import type { FeedItem } from '../ports.js';

export type { FeedItem };

export interface ParsedFeed {
  readonly title: string | null;
  readonly format: 'rss' | 'atom' | 'rdf' | 'json';
  readonly items: readonly FeedItem[];
}
