// `/digest feeds` tells when each feed was last polled in the channel's own zone, as its digests do.
import { describe, expect, it } from 'vitest';
import { answerEditorCommand, type EditorDeps } from '../../src/pipeline/editor-commands.js';
import type { ChannelOverrides, FeedHealth } from '../../src/ports.js';
import { zonedTime } from '../../src/render/zoned-time.js';

const health = { url: 'https://wire.example/rss', lastSuccessAt: '2026-12-07T06:25:00.000Z', items: 3 } as FeedHealth;
const none: ChannelOverrides = { channel: 'desk', subscriptions: [], muted: [] };
const deps: EditorDeps = {
  settings: { get: async () => none, list: async () => [], update: async () => none },
  configFeeds: [{ name: 'Wire', url: health.url }],
  globalFeeds: ['Wire'],
  health: async () => ({ ...health, consecutiveFailures: 0, pausedAt: null }) as FeedHealth,
  validateFeed: async () => null,
  pollMinutes: 15,
  now: () => new Date('2026-12-07T07:00:00Z'),
  dateTime: (iso, zone) => zonedTime(zone).dateTime(iso) ?? iso,
};
const channel = (timezone: string) => ({
  id: 'desk',
  topics: [],
  feeds: null,
  keywords: [],
  exclusions: [],
  mutedSources: [],
  timezone,
});

describe('/digest feeds', () => {
  it("shows the last poll in the channel's zone", async () => {
    const asker = { id: 'U1', mayEdit: false, whoMay: 'workspace admins' };
    const berlin = await answerEditorCommand({ kind: 'feeds', private: true }, channel('Europe/Berlin'), asker, deps);
    const tokyo = await answerEditorCommand({ kind: 'feeds', private: true }, channel('Asia/Tokyo'), asker, deps);
    expect(berlin).toContain(`last polled ${zonedTime('Europe/Berlin').dateTime(health.lastSuccessAt ?? '')}`);
    expect(berlin).toMatch(/07:25/);
    expect(tokyo).toMatch(/15:25/);
    expect(berlin).not.toContain('UTC');
  });
});
