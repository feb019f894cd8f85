// The real discord.js REST client (through createDiscordPlatform) against the strict fake Discord on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordDeliveryError } from '../../src/discord/errors.js';
import { createDiscordPlatform, type DiscordPlatform } from '../../src/discord/platform.js';
import { deliverDigest } from '../../src/pipeline/deliver.js';
import { FakeDiscord, FORUM, TEXT } from '../fakes/fake-discord.js';
import { MemoryLedger } from '../fakes/memory-stores.js';
import { channelDigest, fixture } from './digests.js';
import { recordingLogger } from './support.js';

const TOKEN = 'fake-bot-token';
const NEWS = '100000000000000001';
const LOCKED = '100000000000000002';
const FORUM_ID = '100000000000000003';
const NO_THREADS = '100000000000000004';

const fake = new FakeDiscord({
  token: TOKEN,
  channels: [
    { id: NEWS, type: TEXT, name: 'news' },
    { id: LOCKED, type: TEXT, name: 'locked' },
    { id: FORUM_ID, type: FORUM, name: 'digests' },
    { id: NO_THREADS, type: TEXT, name: 'no-threads' },
  ],
  missingPermissions: [LOCKED],
  noThreads: [NO_THREADS],
});
const logger = recordingLogger();
let platform: DiscordPlatform;
const now = () => new Date().toISOString();

beforeAll(async () => {
  await fake.start();
  platform = createDiscordPlatform(
    { token: TOKEN, apiUrl: fake.apiUrl, topicNames: [] },
    { logger, answerQuery: async () => ({ kind: 'empty', message: 'none' }), status: async () => [] },
  );
});
afterAll(async () => {
  await platform.stop();
  await fake.close();
});
afterEach(() => {
  fake.calls.length = 0;
  fake.messages.length = 0;
  fake.threads.clear();
  logger.lines.length = 0;
});

const titles = (channel: string) => fake.messagesIn(channel).map((m) => firstTitle(m.body));
function firstTitle(body: Record<string, unknown>): string {
  const embeds = Array.isArray(body.embeds) ? (body.embeds as { title?: string }[]) : [];
  return embeds[0]?.title ?? String(body.content ?? '');
}

describe('Discord publisher', () => {
  it('posts the parent, starts a thread from it and posts one message per story in order', async () => {
    const ledger = new MemoryLedger();
    const result = await deliverDigest(
      channelDigest(fixture, undefined, 'news'),
      platform.publisher(NEWS),
      ledger,
      logger,
      now,
    );
    expect(result).toEqual({ posted: 2, skipped: 0 });
    const [parent] = fake.messagesIn(NEWS);
    expect(String(parent?.body.content)).toMatch(/^\*\*News digest\*\* · <t:\d+:f> to <t:\d+:f>/);
    expect(fake.threads.get(parent?.id ?? '')).toEqual({ parent: NEWS, name: 'News digest 2 Mar 2024, 09:30 UTC' });
    expect(titles(parent?.id ?? '')).toEqual([
      '1. Rain *delays* harvest [update]',
      '2. Harbour bridge closes for repairs',
    ]);
    expect(fake.calls.every((c) => c.status < 300)).toBe(true);
    const record = await ledger.get('news', 's-bridge');
    expect(record?.threadId).toBe(parent?.id);
    expect(record?.messageId).toBe(fake.messagesIn(parent?.id ?? '')[1]?.id);
  });

  it('waits out a 429 on one route and posts every story exactly once', async () => {
    // the parent and first story go through; the second story's post is rate limited for 0.6 s
    fake.rateLimit('POST', '/channels/:id/messages', 0.6, 2);
    await deliverDigest(
      channelDigest(fixture, undefined, 'news'),
      platform.publisher(NEWS),
      new MemoryLedger(),
      logger,
      now,
    );
    const posts = fake.calls.filter((c) => c.route === 'POST /channels/:id/messages');
    expect(posts.map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(posts.some((c) => c.early)).toBe(false);
    expect((posts[3]?.at ?? 0) - (posts[2]?.at ?? 0)).toBeGreaterThanOrEqual(590);
    const thread = fake.messagesIn(NEWS)[0]?.id ?? '';
    expect(titles(thread)).toEqual(['1. Rain *delays* harvest [update]', '2. Harbour bridge closes for repairs']);
    expect(logger.lines.some((l) => l.msg === 'discord rate limit: waiting')).toBe(true);
  });

  it('reports missing permissions with a hint and still serves the next channel', async () => {
    const failures: unknown[] = [];
    for (const [id, key] of [
      [LOCKED, 'locked'],
      [NEWS, 'news'],
    ] as const) {
      try {
        await deliverDigest(
          channelDigest(fixture, undefined, key),
          platform.publisher(id),
          new MemoryLedger(),
          logger,
          now,
        );
      } catch (error) {
        failures.push(error);
      }
    }
    expect(failures).toHaveLength(1);
    const failure = failures[0];
    expect(failure).toBeInstanceOf(DiscordDeliveryError);
    if (!(failure instanceof DiscordDeliveryError)) return;
    expect([failure.channelId, failure.step, failure.code, failure.isPermission]).toEqual([
      LOCKED,
      'post digest',
      50013,
      true,
    ]);
    expect(failure.message).toContain('Send Messages, Create Public Threads, Send Messages in Threads and Embed Links');
    expect(logger.lines.some((l) => l.level === 'error' && JSON.stringify(l.obj).includes('"code":50013'))).toBe(true);
    expect(fake.messagesIn(LOCKED)).toEqual([]);
    expect(titles(fake.messagesIn(NEWS)[0]?.id ?? '')).toHaveLength(2);
  });

  it('says so when the bot may not create threads', async () => {
    const publishing = deliverDigest(
      channelDigest(fixture),
      platform.publisher(NO_THREADS),
      new MemoryLedger(),
      logger,
      now,
    );
    await expect(publishing).rejects.toThrow(/needs Create Public Threads/);
    await expect(publishing).rejects.toMatchObject({ step: 'create thread', code: 50013 });
  });

  it('says in the parent Discord received how many stories did not fit', async () => {
    const capped = { ...channelDigest(fixture), overflow: { stories: 9, since: '2024-03-01T00:00:00.000Z' } };
    await deliverDigest(capped, platform.publisher(NEWS), new MemoryLedger(), logger, now);
    expect(String(fake.messagesIn(NEWS)[0]?.body.content)).toContain(
      '9 more stories did not fit in this digest: see them with /digest since:2024-03-01',
    );
  });

  it('creates a forum post in a forum channel, stories inside it', async () => {
    await deliverDigest(channelDigest(fixture), platform.publisher(FORUM_ID), new MemoryLedger(), logger, now);
    const [post] = [...fake.threads.entries()];
    expect(post?.[1]).toEqual({ parent: FORUM_ID, name: 'News digest 2 Mar 2024, 09:30 UTC' });
    const inPost = titles(post?.[0] ?? '');
    expect(inPost[0]).toMatch(/^\*\*News digest\*\*/);
    expect(inPost.slice(1)).toEqual(['1. Rain *delays* harvest [update]', '2. Harbour bridge closes for repairs']);
  });

  it('posts an update into the earlier thread and never re-posts what the ledger holds', async () => {
    const ledger = new MemoryLedger();
    const bridge = fixture.stories[1];
    if (!bridge) throw new Error('fixture changed');
    const first = { ...fixture, stories: [{ ...bridge, articles: ['cw1'] }] };
    await deliverDigest(channelDigest(first), platform.publisher(NEWS), ledger, logger, now);
    const earlier = await ledger.get('news', 's-bridge');
    if (!earlier?.threadId) throw new Error('not recorded');
    // the next digest covers the next window (a digest's window is where its parent and nonces are kept)
    const update = {
      ...channelDigest(fixture, [{ kind: 'update', story: bridge, newArticleIds: ['hp1'], earlier }]),
      from: '2024-03-02T09:30:00.000Z',
    } as const;
    await deliverDigest(update, platform.publisher(NEWS), ledger, logger, now);
    const inThread = fake.messagesIn(earlier.threadId);
    expect(inThread.map((m) => m.body.content)).toEqual([undefined, '**1 new source:** Harbour Post']);
    const parents = fake.messagesIn(NEWS);
    expect(String(parents[1]?.body.content)).toContain(`in <#${earlier.threadId}>`);
    expect(fake.threads.size).toBe(1);

    // the same digest again (a retried run): the ledger already has it, nothing is posted
    const before = fake.messages.length;
    const again = await deliverDigest(update, platform.publisher(NEWS), ledger, logger, now);
    expect(again).toEqual({ posted: 0, skipped: 1 });
    expect(fake.messages.length).toBe(before);
  });

  it('posts an update whose earlier thread is gone into the new digest thread', async () => {
    const bridge = fixture.stories[1];
    if (!bridge) throw new Error('fixture changed');
    const earlier = {
      channel: 'news',
      storyId: 's-bridge',
      articleIds: ['cw1'],
      messageId: '555',
      threadId: '556',
      postedAt: now(),
    };
    // the next digest covers the next window (a digest's window is where its parent and nonces are kept)
    const update = {
      ...channelDigest(fixture, [{ kind: 'update', story: bridge, newArticleIds: ['hp1'], earlier }]),
      from: '2024-03-02T09:30:00.000Z',
    } as const;
    const ledger = new MemoryLedger();
    await deliverDigest(update, platform.publisher(NEWS), ledger, logger, now);
    const parent = fake.messagesIn(NEWS)[0];
    expect(fake.messagesIn(parent?.id ?? '').map((m) => m.body.content)).toEqual(['**1 new source:** Harbour Post']);
    expect((await ledger.get('news', 's-bridge'))?.threadId).toBe(parent?.id);
    expect(logger.lines.some((l) => l.msg === 'earlier thread unavailable: update posted anew')).toBe(true);
  });

  it('posts into a thread configured as the channel without starting another', async () => {
    await platform.publisher(NEWS).publish(channelDigest(fixture), async () => {});
    const parent = fake.messagesIn(NEWS)[0];
    const thread = parent?.id ?? '';
    fake.messages.length = 0;
    await deliverDigest(channelDigest(fixture), platform.publisher(thread), new MemoryLedger(), logger, now);
    expect(fake.threads.size).toBe(1);
    expect(titles(thread)).toEqual([
      expect.stringMatching(/^\*\*News digest\*\*/),
      '1. Rain *delays* harvest [update]',
      '2. Harbour bridge closes for repairs',
    ]);
  });
});
