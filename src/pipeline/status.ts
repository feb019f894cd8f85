// `/digest status`: feeds' health and each channel's last and next digest, as plain lines. Shared by the Slack and
// Discord adapters, which only render and reply.
import type { FeedHealth } from '../ports.js';

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
