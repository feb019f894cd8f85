// A digest cut short between "Discord accepted the message" and "the ledger recorded it", retried: every story is
// in its thread once, the digest has one parent message and one thread, and the parent's counts are corrected.
// The real discord.js REST client against the fake Discord, which may or may not list nonces (ADR 009).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../src/discord/platform.js';
import { deliverDigest } from '../../src/pipeline/deliver.js';
import type { ChannelDigest, DeliveryLedger, Lease } from '../../src/ports.js';
import { crashingLedger, Killed } from '../fakes/crashing-ledger.js';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';
import { MemoryLedger } from '../fakes/memory-stores.js';
import { channelDigest, fixture } from './digests.js';
import { recordingLogger } from './support.js';

const TOKEN = 'fake-bot-token';
const NEWS = '100000000000000001';
const logger = recordingLogger();
const now = () => new Date().toISOString();

interface Setup {
  fake: FakeDiscord;
  platform: DiscordPlatform;
}
const setups: Setup[] = [];

async function start(options: { listNonces: boolean; nonceWindowMs: number }): Promise<Setup> {
  const fake = new FakeDiscord({ token: TOKEN, channels: [{ id: NEWS, type: TEXT, name: 'news' }], ...options });
  await fake.start();
  const platform = createDiscordPlatform(
    { token: TOKEN, apiUrl: fake.apiUrl, topicNames: [] },
    { logger, answerQuery: async () => ({ kind: 'empty', message: 'none' }), status: async () => [] },
  );
  const setup = { fake, platform };
  setups.push(setup);
  return setup;
}
afterAll(async () => {
  for (const { fake, platform } of setups) {
    await platform.stop();
    await fake.close();
  }
});

const digest = (): ChannelDigest => channelDigest(fixture, undefined, 'news');
const deliver = (s: Setup, ledger: DeliveryLedger, d = digest()) =>
  deliverDigest(d, s.platform.publisher(NEWS), ledger, logger, now);

/** Each story's messages by the story's title, over every message of the channel and its threads. */
function storyTitles(fake: FakeDiscord): string[] {
  return fake.messages
    .filter((m) => m.channelId !== NEWS)
    .map((m) => {
      const embeds = Array.isArray(m.body.embeds) ? (m.body.embeds as { title?: string }[]) : [];
      return embeds[0]?.title ?? String(m.body.content);
    });
}

// past Discord's nonce window the lookup alone must find the post: the fake answers repeats only within 0 ms
describe.each([
  { listNonces: true, nonceWindowMs: 0, how: 'by its nonce' },
  { listNonces: false, nonceWindowMs: 0, how: 'by what it says (no nonce listed)' },
])('a retry after a crash finds the accepted post $how', ({ how: _how, ...options }) => {
  let s: Setup;
  beforeAll(async () => {
    s = await start(options);
  });

  it('finds a story posted but not recorded, and posts only the rest', async () => {
    s.fake.messages.length = 0;
    s.fake.threads.clear();
    const ledger = new MemoryLedger();
    await expect(deliver(s, crashingLedger(ledger, { before: 'record', storyId: 's-rain' }))).rejects.toThrow(Killed);
    expect(storyTitles(s.fake)).toEqual(['1. Rain *delays* harvest [update]']);

    const result = await deliver(s, ledger);
    expect(result).toEqual({ posted: 1, skipped: 0, found: 1 });
    expect(storyTitles(s.fake)).toEqual(['1. Rain *delays* harvest [update]', '2. Harbour bridge closes for repairs']);
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);
    expect(s.fake.threads.size).toBe(1);
    expect(s.fake.repeatedNonces).toBe(0);
    // both stories recorded, in the one thread
    const [parent] = s.fake.messagesIn(NEWS);
    expect((await ledger.get('news', 's-rain'))?.threadId).toBe(parent?.id);
    expect((await ledger.get('news', 's-bridge'))?.threadId).toBe(parent?.id);
  });

  it('finds a parent posted but not recorded, and goes on in its thread', async () => {
    s.fake.messages.length = 0;
    s.fake.threads.clear();
    const ledger = new MemoryLedger();
    await expect(deliver(s, crashingLedger(ledger, { before: 'recordParent' }))).rejects.toThrow(Killed);
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);

    // the retry runs later: its parent names a later end of the window, and is still the same digest
    const later = { ...digest(), to: '2024-03-02T10:45:00.000Z' };
    expect(await deliver(s, ledger, later)).toEqual({ posted: 2, skipped: 0 });
    expect(String(s.fake.messagesIn(NEWS)[0]?.body.content)).toContain('<t:1709376300:f>');
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);
    expect(s.fake.threads.size).toBe(1);
    expect(storyTitles(s.fake)).toHaveLength(2);
  });
});

describe('a restart of a digest', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await start({ listNonces: false, nonceWindowMs: 300_000 });
  });

  it('a digest whose lock lapsed while it ran sends nothing more; the holder of the lock then posts the rest once', async () => {
    s.fake.messages.length = 0;
    s.fake.threads.clear();
    const ledger = new MemoryLedger();
    // the lease is confirmed right before each request that sends: the parent, its thread and the first story;
    // then the process stalled
    let confirmations = 0;
    const lapsing: Lease = {
      confirm: async () => {
        if (++confirmations > 3) throw new Error('the lock "digest-news" lapsed while this process was stalled');
      },
    };
    await expect(deliverDigest(digest(), s.platform.publisher(NEWS), ledger, logger, now, lapsing)).rejects.toThrow(
      /lapsed/,
    );
    expect(storyTitles(s.fake)).toEqual(['1. Rain *delays* harvest [update]']);
    // the process that took the lock over goes on in the same parent and thread, and posts the second story once
    expect(await deliver(s, ledger)).toEqual({ posted: 1, skipped: 1 });
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);
    expect(storyTitles(s.fake)).toEqual(['1. Rain *delays* harvest [update]', '2. Harbour bridge closes for repairs']);
  });

  it('goes on in the same parent and thread and corrects the parent to what was posted in the end', async () => {
    s.fake.messages.length = 0;
    s.fake.threads.clear();
    const ledger = new MemoryLedger();
    const [rain, bridge] = fixture.stories;
    if (!rain || !bridge) throw new Error('fixture changed');
    // the first attempt planned one story and was killed once it was up; the restart plans both
    const first = { ...digest(), stories: [{ kind: 'new' as const, story: rain }] };
    await expect(deliver(s, crashingLedger(ledger, { before: 'record', storyId: 's-rain' }), first)).rejects.toThrow(
      Killed,
    );
    const parent = s.fake.messagesIn(NEWS)[0];
    expect(String(parent?.body.content)).toContain('1 new story');

    const result = await deliver(s, ledger);
    expect(result).toEqual({ posted: 1, skipped: 0, found: 1 });
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);
    expect(s.fake.threads.size).toBe(1);
    expect(storyTitles(s.fake)).toEqual(['1. Rain *delays* harvest [update]', '2. Harbour bridge closes for repairs']);
    expect(parent?.edits).toBe(1);
    expect(String(parent?.body.content)).toContain('2 new stories');
  });

  it('posts every message with a nonce of at most 25 characters and enforce_nonce', async () => {
    s.fake.calls.length = 0;
    await deliver(s, new MemoryLedger(), { ...digest(), from: '2024-03-05T00:00:00.000Z' });
    const posts = s.fake.calls.filter((c) => c.route === 'POST /channels/:id/messages');
    expect(posts.length).toBeGreaterThan(2);
    for (const call of posts) {
      const body = call.body as { nonce?: unknown; enforce_nonce?: unknown };
      expect(body.enforce_nonce).toBe(true);
      expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    }
    expect(new Set(posts.map((c) => (c.body as { nonce: string }).nonce)).size).toBe(posts.length);
  });

  it('a post whose answer was lost fails the digest; the retry finds it and posts the rest', async () => {
    s.fake.messages.length = 0;
    s.fake.threads.clear();
    s.fake.repeatedNonces = 0;
    const ledger = new MemoryLedger();
    const d = { ...digest(), from: '2024-03-06T00:00:00.000Z' };
    // the parent is stored and its connection dropped: discord.js does not send a message again on a lost socket
    s.fake.dropNextAccepted(1);
    await expect(deliver(s, ledger, d)).rejects.toThrow(/could not post digest: other side closed/);
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);
    expect(await deliver(s, ledger, d)).toEqual({ posted: 2, skipped: 0 });
    expect(s.fake.messagesIn(NEWS)).toHaveLength(1);
    expect(storyTitles(s.fake)).toHaveLength(2);
  });

  it('a repeated nonce with enforce_nonce is answered with the first message (the fake, as Discord documents)', async () => {
    s.fake.repeatedNonces = 0;
    const body = { content: 'hello', nonce: 'n-1', enforce_nonce: true };
    const post = () =>
      fetch(`${s.fake.apiUrl}/v10/channels/${NEWS}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const [a, b] = [await post(), await post()];
    expect(b.id).toBe(a.id);
    expect(s.fake.repeatedNonces).toBe(1);
    const long = await fetch(`${s.fake.apiUrl}/v10/channels/${NEWS}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'x', nonce: 'n'.repeat(26) }),
    });
    expect(long.status).toBe(400);
  });
});
