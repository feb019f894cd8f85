// `/digest status`: feeds' health and each channel's last and next digest, as plain lines. Shared by the Slack and
// Discord adapters, which only render and reply.
import type { FeedHealth } from '../ports.js';

export interface ChannelStatus {
  readonly id: string;
  readonly lastDigestAt: string | null;
  readonly nextDigestAt: string | null;
}

/**
 * `/digest status`: every feed's health, then each channel's last and next digest, as plain lines. `time` writes an
 * ISO time as the reader sees it (the channel's zone); by default it is left as it is.
 */
export function describeStatus(
  feeds: readonly FeedHealth[],
  channels: readonly ChannelStatus[],
  time: (iso: string) => string = (iso) => iso,
): string[] {
  const lines: string[] = [];
  const failing = feeds.filter((f) => f.pausedAt !== null || f.consecutiveFailures > 0);
  lines.push(`${feeds.length} feeds, ${feeds.length - failing.length} healthy, ${failing.length} failing or paused.`);
  for (const f of failing) {
    const state = f.pausedAt ? `paused since ${time(f.pausedAt)}` : `${f.consecutiveFailures} failures in a row`;
    lines.push(`• ${f.feed}: ${state}; last error: ${f.lastError ?? 'unknown'}`);
  }
  for (const f of feeds) if (f.lastWarning) lines.push(`• ${f.feed}: ${f.lastWarning}`);
  for (const c of channels) {
    const last = c.lastDigestAt ? time(c.lastDigestAt) : 'never';
    const next = c.nextDigestAt ? time(c.nextDigestAt) : 'not scheduled';
    lines.push(`• ${c.id}: last digest ${last}, next ${next}`);
  }
  return lines;
}
