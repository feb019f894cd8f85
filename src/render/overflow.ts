// What a capped digest or search answer says about the stories it could not show, in one wording for every
// platform and the console: how many, and the query that shows them (ready to paste).
import { plural } from './plural.js';

/** Stories that grew but did not fit in a digest, and since when (ISO) they grew. */
export interface Overflow {
  readonly stories: number;
  readonly since: string;
}

/**
 * `since:2025-03-01`: the UTC day of `since`. The query parser reads a bare date as the start of that UTC day, so
 * the query covers every story the digest left out (and at most a day more). Null when `since` is unreadable.
 */
export function sinceQuery(since: string): string | null {
  const t = Date.parse(since);
  return Number.isNaN(t) ? null : `since:${new Date(t).toISOString().slice(0, 10)}`;
}

/**
 * "12 more stories did not fit in this digest: see them with /digest since:2025-03-01". `command` is how the
 * reader asks: `/digest` in chat, `newsdigest search` on the console.
 */
export function overflowLine(overflow: Overflow, command: string): string {
  const told = `${plural(overflow.stories, 'more story', 'more stories')} did not fit in this digest`;
  const query = sinceQuery(overflow.since);
  return query === null ? `${told}.` : `${told}: see them with ${command} ${query}`;
}

/** "3 more stories matched: narrow with since:, until:, topic: or source:" under a capped search answer. */
export function moreStoriesLine(stories: number): string {
  return `${plural(stories, 'more story', 'more stories')} matched: narrow with since:, until:, topic: or source:`;
}
