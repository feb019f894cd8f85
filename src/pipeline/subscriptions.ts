// The feeds of one poll round: the configured ones, then the ones editors subscribed from chat (read again every
// round, so a subscription is polled at the next tick without a restart), each URL once, bounded.
import type { PolledFeed } from '../domain/feed-health.js';
import type { ChannelSettingsStore, Logger } from '../ports.js';

/** Most chat subscriptions polled in all (each channel has its own smaller limit when subscribing). */
export const MAX_SUBSCRIBED_FEEDS = 2_000;

export async function feedsOfRound(
  configured: readonly PolledFeed[],
  settings: ChannelSettingsStore,
  intervalMs: number,
  logger: Logger,
): Promise<PolledFeed[]> {
  const feeds = [...configured];
  const urls = new Set(configured.map((f) => f.url));
  let left = 0;
  for (const channel of await settings.list()) {
    for (const s of channel.subscriptions) {
      if (urls.has(s.url)) continue;
      if (feeds.length - configured.length >= MAX_SUBSCRIBED_FEEDS) {
        left++;
        continue;
      }
      urls.add(s.url);
      feeds.push({ url: s.url, name: s.name, intervalMs });
    }
  }
  if (left > 0) {
    logger.warn({ left, max: MAX_SUBSCRIBED_FEEDS }, 'more chat subscriptions than are polled: the rest wait');
  }
  return feeds;
}
