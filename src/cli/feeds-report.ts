// What `newsdigest feeds` prints: each configured feed's health as the last poll left it, and what that poll
// noted (impossible dates), with paused feeds said first and plainly: they are polled only to probe, if at all.
import type { FeedHealth } from '../domain/feed-health.js';
import { plural } from '../domain/plural.js';
import type { ChannelOverrides } from '../ports.js';
import { terminalSafe } from '../render/terminal-safe.js';

export interface ReportedFeed {
  readonly name: string;
  readonly url: string;
  readonly pollMinutes: number;
}

type State = 'ok' | 'failing' | 'paused' | 'never polled';

function stateOf(h: FeedHealth | undefined): State {
  if (!h) return 'never polled';
  if (h.pausedAt) return 'paused';
  return h.lastError && h.consecutiveFailures > 0 ? 'failing' : 'ok';
}

/** The lines for one feed. */
export function feedLines(feed: ReportedFeed, h: FeedHealth | undefined): string[] {
  const state = stateOf(h);
  const lines = [`${feed.name}  ${feed.url}`];
  if (h?.pausedAt) {
    // a paused feed with a next poll is probed then, and resumes when it answers; without one nothing polls it
    const then = h.nextPollAt ? `tried once more at ${h.nextPollAt}, resumed when it answers` : 'no longer polled';
    lines.push(`  PAUSED since ${h.pausedAt} after ${plural(h.consecutiveFailures, 'failure')} in a row: ${then}`);
  }
  const shown = state === 'paused' ? 'PAUSED' : state;
  lines.push(`  state: ${shown}; items in last poll: ${h?.items ?? 0}; every ${feed.pollMinutes} min`);
  const next =
    state !== 'paused' ? (h?.nextPollAt ?? 'at the next tick') : h?.nextPollAt ? `${h.nextPollAt} (a probe)` : 'none';
  lines.push(`  last success: ${h?.lastSuccessAt ?? 'never'}; next poll: ${next}`);
  if (h?.lastError) {
    lines.push(`  last error (${h.lastErrorAt ?? '?'}, ${h.consecutiveFailures} in a row): ${h.lastError}`);
  }
  if (h?.lastWarning) lines.push(`  last poll noted: ${h.lastWarning}`);
  return lines;
}

/** Every feed's lines (the config file's, then those subscribed from chat, by channel), then a count by state. */
export function feedsReport(
  configured: readonly ReportedFeed[],
  healthOf: ReadonlyMap<string, FeedHealth>,
  settings: readonly ChannelOverrides[] = [],
  subscribedPollMinutes = 15,
): string {
  const lines: string[] = [];
  const feeds = [...configured];
  const polled = new Set(configured.map((f) => f.url));
  const chatLines: string[] = [];
  for (const channel of settings) {
    if (channel.subscriptions.length === 0 && channel.muted.length === 0) continue;
    chatLines.push(`channel ${channel.channel}:`);
    for (const s of channel.subscriptions) {
      chatLines.push(`  subscribed ${s.name}  ${s.url} (by ${s.addedBy}, ${s.addedAt})`);
      if (polled.has(s.url)) continue;
      polled.add(s.url);
      feeds.push({ name: s.name, url: s.url, pollMinutes: subscribedPollMinutes });
    }
    if (channel.muted.length > 0) chatLines.push(`  muted: ${channel.muted.join(', ')}`);
  }
  const counts = new Map<State, number>();
  let warned = 0;
  for (const feed of feeds) {
    const h = healthOf.get(feed.url);
    const state = stateOf(h);
    counts.set(state, (counts.get(state) ?? 0) + 1);
    if (h?.lastWarning) warned++;
    lines.push(...feedLines(feed, h));
  }
  const tally = (['ok', 'failing', 'paused', 'never polled'] as const)
    .filter((s) => (counts.get(s) ?? 0) > 0)
    .map((s) => `${counts.get(s)} ${s === 'paused' ? 'PAUSED' : s}`);
  if (warned > 0) tally.push(`${warned} with a warning`);
  if (chatLines.length > 0) lines.push('', 'Set from chat (/digest subscribe, mute):', ...chatLines, '');
  const fromChat = feeds.length - configured.length;
  const chat = fromChat > 0 ? ` (${fromChat} subscribed from chat)` : '';
  lines.push(`${plural(feeds.length, 'feed')}${chat}${tally.length > 0 ? `: ${tally.join(', ')}` : ''}`);
  // feed names, errors and warnings carry text from the feeds themselves
  return terminalSafe(`${lines.join('\n')}\n`);
}
