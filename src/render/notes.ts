// What a digest or a search answer says beside its stories, in one wording for every platform and the console:
// the stories a capped digest or answer could not show (how many, and the query that shows them, ready to paste),
// and where the asking channel already got a story.

import { plural } from '../domain/plural.js';
import type { Digest } from '../domain/types.js';
import { zonedTime } from './zoned-time.js';

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

/**
 * "Posted here on 3 Mar 2025, 09:00 CET, 2 new articles since". `where` is "here" in chat, "in <channel>" on the
 * console; `when` is the post's time as the platform shows it (null when unreadable).
 */
export function postedLine(where: string, when: string | null, newArticles: number): string {
  const since = newArticles === 0 ? 'nothing new since' : `${plural(newArticles, 'new article')} since`;
  return `Posted ${where} ${when === null ? 'earlier' : `on ${when}`}, ${since}`;
}

/** A search answer's notes, as the console renderers need them (ports' QueryAnswer, which render/ does not see). */
export interface AnswerNotes {
  /** "about 'bridge' in the last 3 days" */
  readonly description: string;
  /** Articles that matched. */
  readonly matched: number;
  readonly moreStories?: number | undefined;
  /** Where a channel already got a story, by story id. */
  readonly posted?: ReadonlyMap<string, { readonly postedAt: string; readonly newArticles: number }> | undefined;
}

/** The head lines of a search answer: what was asked, what was found, what was left out. */
/** For each story of an answer, the line saying where `channel` already got it (null where it did not). */
export function postedLines(
  digest: Digest,
  notes: AnswerNotes,
  options: { readonly timeZone?: string; readonly channel?: string },
): (string | null)[] {
  const zoned = zonedTime(options.timeZone ?? 'UTC');
  const where = `in ${options.channel ?? 'the channel'}`;
  return digest.stories.map((story) => {
    const post = notes.posted?.get(story.id);
    return post ? postedLine(where, zoned.dateTime(post.postedAt), post.newArticles) : null;
  });
}

export function answerHeadLines(notes: AnswerNotes, stories: number): string[] {
  const lines = [
    `Digest ${notes.description}`,
    `${plural(stories, 'story', 'stories')} from ${plural(notes.matched, 'matching article')}`,
  ];
  if (notes.moreStories) lines.push(moreStoriesLine(notes.moreStories));
  return lines;
}
