// Per-channel feeds, keywords, exclusions and muted outlets, from the config and from chat settings: a story a
// channel should not see is not posted there; a story it sees part of is shown without the hidden articles.
import { afterEach, describe, expect, it } from 'vitest';
import { digestAll, pollAndProcess } from '../../src/pipeline/app.js';
import { feedsOfRound } from '../../src/pipeline/subscriptions.js';
import { type Harness, localEvent, silent, startHarness } from './harness.js';

const DAY_MS = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function day(harness: Harness): Promise<void> {
  harness.now = new Date(harness.now.getTime() + DAY_MS);
  await pollAndProcess(harness.app, true);
  await digestAll(harness.app, harness.app.plan.channels);
}

const postsOf = (harness: Harness, channel: string) => harness.publisher.posts.filter((p) => p.channel === channel);

describe('channel filters', () => {
  it('a channel following one feed gets only stories with an article of it, shown without the others', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'all' }, { id: 'only-a', extra: 'feeds: [a]' }]);
    await day(h);
    h.publish('b', localEvent(0, 'b'));
    h.publish('a', localEvent(1, 'a', 0));
    h.publish('b', localEvent(1, 'b', 1));
    await day(h);
    expect(postsOf(h, 'all')).toHaveLength(2);
    const onlyA = postsOf(h, 'only-a');
    expect(onlyA).toHaveLength(1);
    expect(onlyA[0]?.sources).toEqual(['a']);
    // the same story in the other channel has both outlets
    const shared = postsOf(h, 'all').find((p) => p.storyId === onlyA[0]?.storyId);
    expect([...(shared?.sources ?? [])].sort()).toEqual(['a', 'b']); // in the order the polls came back
  });

  it('never shows a muted outlet, and an update of only muted articles is no update', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'desk', extra: 'mutedSources: [B]' }]);
    await day(h);
    h.publish('b', localEvent(0, 'b'));
    h.publish('a', localEvent(1, 'a', 0));
    await day(h);
    h.publish('b', localEvent(1, 'b', 1));
    await day(h);
    expect(postsOf(h, 'desk').map((p) => [p.kind, p.sources])).toEqual([['new', ['a']]]);
  });

  it('keeps stories with a keyword in title or text, and drops those with an exclusion', async () => {
    h = await startHarness(
      ['a'],
      [
        { id: 'marlow', extra: 'keywords: ["marlow creek"]' },
        { id: 'not-marlow', extra: 'keywords: [-marlow]' },
      ],
    );
    await day(h);
    h.publish('a', localEvent(0, 'a'));
    h.publish('a', localEvent(1, 'a'));
    await day(h);
    expect(postsOf(h, 'marlow').map((p) => p.title)).toEqual([expect.stringContaining('Marlow Creek')]);
    expect(postsOf(h, 'not-marlow').map((p) => p.title)).toEqual([expect.stringContaining('Eastvale')]);
  });

  it('follows a chat subscription to a URL the config lists too, under the config name it is polled as', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'only-a', extra: 'feeds: [a]' }]);
    await day(h);
    // subscribed (under another name) before the operator added the same URL to the config as `b`
    await h.storage.channelSettings.update('only-a', (c) => ({
      ...c,
      subscriptions: [{ url: h?.server.url('/b') ?? '', name: 'b-by-chat', addedBy: 'U1', addedAt: '2025-03-01' }],
    }));
    h.publish('b', localEvent(0, 'b'));
    await day(h);
    expect(postsOf(h, 'only-a').map((p) => p.sources)).toEqual([['b']]);
  });

  it('applies mutes and subscriptions set from chat at the next round, and keeps a subscription to its channel', async () => {
    h = await startHarness(['a', 'b'], [{ id: 'desk' }, { id: 'other' }]);
    const settings = h.storage.channelSettings;
    // the subscribed feed is served by the harness as `b`, but is in no channel's config list
    const harness = h;
    harness.app = {
      ...harness.app,
      plan: {
        ...harness.app.plan,
        feeds: harness.app.plan.feeds.filter((f) => f.name === 'a'),
        globalFeeds: ['a'],
      },
      feedsToPoll: () =>
        feedsOfRound(
          harness.app.plan.feeds.filter((f) => f.name === 'a'),
          settings,
          60_000,
          silent,
        ),
    };
    const bUrl = h.server.url('/b');
    await day(h);
    await settings.update('desk', (c) => ({
      ...c,
      subscriptions: [{ url: bUrl, name: 'b', addedBy: 'U1', addedAt: h?.now.toISOString() ?? '' }],
      muted: ['a'],
    }));
    await day(h); // the subscription's first poll: backfill
    h.publish('a', localEvent(0, 'a'));
    h.publish('b', localEvent(1, 'b'));
    await day(h);
    expect(postsOf(h, 'desk').map((p) => p.sources)).toEqual([['b']]);
    expect(postsOf(h, 'other').map((p) => p.sources)).toEqual([['a']]);
  });
});
