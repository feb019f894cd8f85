// What a reader sees of a digest, worked out once for every output format: numbered sources per story (copies
// included), readable warning sentences, times in the reader's zone. Renderers only lay this out.

import { shownLink } from '../domain/canonical-link.js';
import { plural } from '../domain/plural.js';
import { squash } from '../domain/text.js';
import type { ArticleWarning, Digest, DigestArticle, DigestStory, Rejection } from '../domain/types.js';
import { type ZonedTime, zonedTime } from './zoned-time.js';

export interface RenderOptions {
  /** IANA zone for printed times; UTC when absent. */
  timeZone?: string;
}

export interface SourceView {
  ref: number;
  /** The article this line stands for (several versions of one page share its URL). */
  articleId: string;
  outlet: string;
  /** Null when absent or when the title already stands in as the outlet name. */
  title: string | null;
  url: string | null;
  /** Formatted publish time. */
  time: string | null;
  /** Outlet of the article this one copies. */
  copyOf: string | null;
  /** A later version of a report already in the story (a live blog's new entries, a wire's re-issue). */
  revised: boolean;
}

export interface SummaryView {
  text: string;
  /** The `ref` of the source the sentence comes from. */
  ref: number | null;
}

export interface StoryView {
  number: number;
  title: string;
  topics: string[];
  summary: SummaryView[];
  sources: SourceView[];
  firstReport: { outlet: string; time: string } | null;
  warnings: string[];
}

export interface DigestView {
  generatedAt: string;
  /** e.g. "3 stories, 12 articles, 2 duplicates folded, 1 rejected". */
  counts: string;
  stories: StoryView[];
  rejected: Rejection[];
}

const UTC_MIDNIGHT = /T00:00:00(?:\.0+)?Z$/;

/**
 * An article's time as printed. One at exactly midnight UTC is a day without a time of day (a feed's date-only
 * value, the day in the article's address or text): printed as that day, which no zone's clock should move.
 */
function publishedTime(zoned: ZonedTime, iso: string | null): string | null {
  if (iso !== null && UTC_MIDNIGHT.test(iso)) return zonedTime('UTC').day(iso);
  return zoned.dateTime(iso);
}

/**
 * For "first reported by": a time known only to the day may be any moment of it, so it is first only over reports
 * of later days; a report timed 09:00 on the same day came first as far as anyone can tell.
 */
function latestMomentOf(iso: string | null): number {
  if (iso === null) return Number.NaN;
  const at = Date.parse(iso);
  return UTC_MIDNIGHT.test(iso) ? at + 86_400_000 - 1 : at;
}

export function viewDigest(digest: Digest, options: RenderOptions = {}): DigestView {
  const zoned = zonedTime(options.timeZone ?? 'UTC');
  const formatTime = (iso: string | null) => publishedTime(zoned, iso);
  const byId = new Map(digest.articles.map((a) => [a.id, a]));
  const copiesOf = new Map<string, DigestArticle[]>();
  for (const a of digest.articles) {
    if (a.duplicateOf === null) continue;
    const list = copiesOf.get(a.duplicateOf) ?? [];
    list.push(a);
    copiesOf.set(a.duplicateOf, list);
  }
  const duplicates = digest.articles.filter((a) => a.duplicateOf !== null).length;
  const counts = [
    plural(digest.stories.length, 'story', 'stories'),
    plural(digest.articles.length, 'article', 'articles'),
    `${plural(duplicates, 'duplicate', 'duplicates')} folded`,
    `${digest.rejected.length} rejected`,
  ].join(', ');
  return {
    generatedAt: zoned.dateTime(digest.generatedAt) ?? squash(digest.generatedAt),
    counts,
    stories: digest.stories.map((story, index) => viewStory(story, index + 1, byId, copiesOf, formatTime)),
    rejected: digest.rejected.map((r) => ({ id: squash(r.id), reason: squash(r.reason) })),
  };
}

function viewStory(
  story: DigestStory,
  number: number,
  byId: ReadonlyMap<string, DigestArticle>,
  copiesOf: ReadonlyMap<string, DigestArticle[]>,
  formatTime: (iso: string | null) => string | null,
): StoryView {
  const members = storyMembers(story, byId, copiesOf);
  const sources: SourceView[] = members.map((a, i) => sourceView(a, i + 1, byId, formatTime));
  const refOf = new Map(members.map((a, i) => [a.id, i + 1]));

  const summary = story.summary.map((sentence): SummaryView => {
    let ref = refOf.get(sentence.articleId);
    if (ref === undefined) {
      // a sentence drawn from an article the story does not list still gets a source line to point at
      ref = sources.length + 1;
      refOf.set(sentence.articleId, ref);
      const known = byId.get(sentence.articleId);
      sources.push(
        known
          ? sourceView(known, ref, byId, formatTime)
          : {
              ref,
              articleId: sentence.articleId,
              outlet: clean(sentence.source) ?? sentence.articleId,
              title: null,
              url: linkOf(sentence.url),
              time: null,
              copyOf: null,
              revised: false,
            },
      );
    }
    return { text: squash(sentence.text), ref };
  });

  let first: DigestArticle | null = null;
  let firstAt = Number.POSITIVE_INFINITY;
  for (const a of members) {
    const at = latestMomentOf(a.publishedAt);
    if (at < firstAt) {
      first = a;
      firstAt = at;
    }
  }
  const firstTime = first ? formatTime(first.publishedAt) : null;

  return {
    number,
    title: storyTitle(story, byId),
    topics: story.topics.map(squash).filter(Boolean),
    summary,
    sources,
    firstReport: first && firstTime ? { outlet: outletName(first), time: firstTime } : null,
    warnings: storyWarnings(members, byId, copiesOf),
  };
}

/**
 * An outlet's urgency label ("BREAKING:", "UPDATE 2-", "EXCLUSIVE -", "URGENT:") is stale by the time a digest
 * posts the story, and a later update would still wear it: the story's title goes without it (its source line
 * keeps the outlet's headline as written).
 */
const URGENCY_LABEL =
  /^(?:breaking(?: news)?|update(?: \d+)?|updated|exclusive|urgent|flash|alert|just in|developing)\s*(?:[:|–—]\s*|-\s*)/i;

/**
 * The story's title without an urgency label; when it is empty, its best source's headline, else that source's
 * outlet, so no renderer ever shows an empty heading (or sends Discord an empty embed title, which it refuses).
 */
function storyTitle(story: DigestStory, byId: ReadonlyMap<string, DigestArticle>): string {
  const title = headline(story.title);
  if (title) return headline(title.replace(URGENCY_LABEL, '')) ?? title;
  const best = byId.get(story.bestSource) ?? byId.get(story.articles[0] ?? '');
  if (!best) return UNTITLED;
  return headline(best.title) ?? clean(best.source) ?? hostOf(best.url) ?? UNTITLED;
}

/**
 * A headline without the separators a page title leaves around an empty headline: "<title> | NYT</title>" gives
 * "| NYT", shown as the outlet alone ("NYT"). Only a separator standing apart is removed ("-5°C" keeps its sign).
 */
function headline(value: string | null | undefined): string | null {
  const s = clean(value);
  if (!s) return null;
  const stripped = s.replace(/^(?:[|•·:–—-](?:\s+|$))+/, '').replace(/(?:(?:^|\s+)[|•·:–—-])+$/, '');
  return stripped.trim() || null;
}

const UNTITLED = 'Untitled story';

/** The story's articles in the builder's order, then their copies (and copies of copies) in digest order. */
function storyMembers(
  story: DigestStory,
  byId: ReadonlyMap<string, DigestArticle>,
  copiesOf: ReadonlyMap<string, DigestArticle[]>,
): DigestArticle[] {
  const members: DigestArticle[] = [];
  const seen = new Set<string>();
  for (const id of story.articles) {
    const a = byId.get(id);
    if (a && !seen.has(id)) {
      seen.add(id);
      members.push(a);
    }
  }
  for (let i = 0; i < members.length; i++) {
    for (const copy of copiesOf.get(members[i]?.id ?? '') ?? []) {
      if (seen.has(copy.id)) continue;
      seen.add(copy.id);
      members.push(copy);
    }
  }
  return members;
}

function sourceView(
  a: DigestArticle,
  ref: number,
  byId: ReadonlyMap<string, DigestArticle>,
  formatTime: (iso: string | null) => string | null,
): SourceView {
  const title = headline(a.title);
  // in a source list an unnamed outlet is simply its headline, shown once
  const outlet = clean(a.source) ?? hostOf(a.url) ?? title ?? a.id;
  const original = a.duplicateOf === null ? undefined : byId.get(a.duplicateOf);
  return {
    ref,
    articleId: a.id,
    outlet,
    title: title === outlet ? null : title,
    url: linkOf(a.url),
    time: formatTime(a.publishedAt),
    copyOf: a.duplicateOf === null ? null : original ? outletName(original) : a.duplicateOf,
    revised: isRevision(a),
  };
}

/** Who published an article: its source, else its web site, else a short headline, else its id. */
export function outletName(a: Pick<DigestArticle, 'id' | 'title' | 'source'> & { url?: string | null }): string {
  const source = clean(a.source);
  if (source) return source;
  const host = hostOf(a.url ?? null);
  if (host) return host;
  const title = headline(a.title);
  if (title && title.length <= 60) return `"${title}"`;
  return `article ${a.id}`;
}

/** A later version of a report the story holds: the story engine said so with a 'revised' warning. */
export function isRevision(a: Pick<DigestArticle, 'warnings'>): boolean {
  return a.warnings.some((w) => w.kind === 'revised');
}

/** What an update's new articles are: reports from other sources, re-issued copies, later versions of reports. */
export interface AddedArticles {
  readonly added: number;
  readonly copies: number;
  readonly revisions: number;
}

/**
 * What an update adds, neither a re-issued copy nor a later version counted as a source: "2 new sources",
 * "1 new source and 1 copy", "1 updated report", "1 copy".
 */
export function addedSourcesPhrase({ added, copies, revisions }: AddedArticles): string {
  const sources = added - copies - revisions;
  const parts: string[] = [];
  if (sources > 0 || (copies === 0 && revisions === 0)) parts.push(plural(sources, 'new source'));
  if (revisions > 0) parts.push(plural(revisions, 'updated report'));
  if (copies > 0) parts.push(plural(copies, 'copy', 'copies'));
  return parts.length === 3 ? `${parts[0]}, ${parts[1]} and ${parts[2]}` : parts.join(' and ');
}

/** addedSourcesPhrase() of an update's new article ids, the copies known by their duplicateOf. */
export function newArticlesPhrase(
  ids: readonly string[],
  byId: ReadonlyMap<string, Pick<DigestArticle, 'duplicateOf' | 'warnings'>>,
): string {
  const articles = ids.flatMap((id) => byId.get(id) ?? []);
  const copies = articles.filter((a) => a.duplicateOf !== null).length;
  const revisions = articles.filter((a) => a.duplicateOf === null && isRevision(a)).length;
  return addedSourcesPhrase({ added: ids.length, copies, revisions });
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname;
    return host ? host.replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}

function storyWarnings(
  members: readonly DigestArticle[],
  byId: ReadonlyMap<string, DigestArticle>,
  copiesOf: ReadonlyMap<string, DigestArticle[]>,
): string[] {
  const sentences: string[] = [];
  const memberIds = new Set(members.map((a) => a.id));
  for (const original of members) {
    const copies = (copiesOf.get(original.id) ?? []).filter((c) => memberIds.has(c.id));
    if (copies.length === 0) continue;
    const name = outletName(original);
    const copiers = unique(copies.map(outletName));
    const others = copiers.filter((n) => n !== name);
    if (others.length > 0) sentences.push(`${joinNames(others)} re-published ${possessive(name)} report`);
    if (others.length < copiers.length) sentences.push(`${name} published the same report more than once`);
  }
  for (const a of members) {
    for (const warning of a.warnings) {
      const sentence = warningSentence(a, warning, byId);
      if (sentence) sentences.push(sentence);
    }
  }
  return unique(sentences);
}

function warningSentence(
  a: DigestArticle,
  warning: ArticleWarning,
  byId: ReadonlyMap<string, DigestArticle>,
): string | null {
  const name = outletName(a);
  switch (warning.kind) {
    case 'duplicate':
      // copies with a known original are already told as "X re-published Y's report"
      if (a.duplicateOf !== null && byId.has(a.duplicateOf)) return null;
      return `${name} copies another report`;
    case 'self-repeat':
      return `${name} repeats its own paragraphs`;
    case 'qa-rewrite':
      return `${name} reads like an SEO question-and-answer rewrite`;
    case 'opinion':
      return `${possessive(name)} piece is opinion: listed, not quoted as news`;
    case 'not-an-article':
      return `${name} does not read like a news article`;
    case 'boilerplate-removed':
      return `Boilerplate was cut from ${possessive(name)} text`;
    case 'revised':
      // a live blog or a page updated in place keeps its URL: the same page, read again with more in it
      return hasEarlierVersion(a, byId)
        ? `${name} updated its report with new text`
        : `${name} re-issued a report with text of its own added`;
    default: {
      const message = clean(String((warning as { message?: unknown }).message ?? ''));
      return message ? `${name}: ${message}` : null;
    }
  }
}

function hasEarlierVersion(a: DigestArticle, byId: ReadonlyMap<string, DigestArticle>): boolean {
  if (a.url === null) return false;
  for (const other of byId.values()) if (other.id !== a.id && other.url === a.url) return true;
  return false;
}

/** An article's link as a reader is shown it (shownLink), or null. */
export function linkOf(url: string | null | undefined): string | null {
  const link = clean(url);
  return link === null ? null : shownLink(link);
}

function clean(value: string | null | undefined): string | null {
  const s = value === null || value === undefined ? '' : squash(value);
  return s ? s : null;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}
