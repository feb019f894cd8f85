// Answering `/digest ...` from stored articles with the same digest builder as the scheduled digests, and
// `/digest status`. Shared by the Slack and Discord adapters, which only render and reply.

import { type BuilderOptions, buildDigest } from '../domain/digest.js';
import { type DigestSearch, describeQuery, matchesQuery } from '../domain/digest-query.js';
import type { ArticleStore, Clock, FeedHealth, QueryAnswer } from '../ports.js';

const DAY_MS = 86_400_000;

export interface QueryDeps {
  readonly articles: ArticleStore;
  readonly builder: BuilderOptions;
  readonly retentionDays: number;
  readonly clock: Clock;
}

export async function answerDigestQuery(deps: QueryDeps, query: DigestSearch): Promise<QueryAnswer> {
  const now = deps.clock.now();
  const kept = now.getTime() - deps.retentionDays * DAY_MS;
  const since = new Date(Math.max(Date.parse(query.since), kept));
  const stored = await deps.articles.listPublished(since, new Date(now.getTime() + 1));
  const description = describeQuery(query);
  // topics come from the builder, so "iran" also finds articles classified as Iran talks; a query that names
  // neither words nor a topic needs no classification, and the builder runs once
  const needsTopics = stored.length > 0 && (query.terms.length > 0 || query.topic !== null);
  const all = needsTopics ? buildDigest(stored, { ...deps.builder, now: now.toISOString() }) : null;
  const topicsOf = new Map(all?.articles.map((a) => [a.id, a.topics]) ?? []);
  const matched = stored.filter((a) => matchesQuery(a, topicsOf.get(a.id) ?? [], query));
  if (matched.length === 0) {
    return {
      kind: 'empty',
      message: `No articles ${description}; articles are kept ${deps.retentionDays} days.`,
    };
  }
  const digest = buildDigest(matched, { ...deps.builder, now: now.toISOString() });
  return { kind: 'digest', digest, matched: matched.length, description };
}

export interface ChannelStatus {
  readonly id: string;
  readonly lastDigestAt: string | null;
  readonly nextDigestAt: string | null;
}

/** `/digest status`: every feed's health, then each channel's last and next digest, as plain lines. */
export function describeStatus(feeds: readonly FeedHealth[], channels: readonly ChannelStatus[]): string[] {
  const lines: string[] = [];
  const failing = feeds.filter((f) => f.pausedAt !== null || f.consecutiveFailures > 0);
  lines.push(`${feeds.length} feeds, ${feeds.length - failing.length} healthy, ${failing.length} failing or paused.`);
  for (const f of failing) {
    const state = f.pausedAt ? `paused since ${f.pausedAt}` : `${f.consecutiveFailures} failures in a row`;
    lines.push(`• ${f.feed}: ${state}; last error: ${f.lastError ?? 'unknown'}`);
  }
  for (const c of channels) {
    lines.push(`• ${c.id}: last digest ${c.lastDigestAt ?? 'never'}, next ${c.nextDigestAt ?? 'not scheduled'}`);
  }
  return lines;
}
