// The real Bolt App and its real WebClient posting digests to the strict fake Slack on 127.0.0.1.
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestStory } from '../../src/domain/types.js';
import { deliverDigest } from '../../src/pipeline/deliver.js';
import type { ChannelDigest, DeliveryLedger, DeliveryRecord, Publisher } from '../../src/ports.js';
import { createSlackPlatform, type SlackPlatform } from '../../src/slack/app.js';
import { SlackDeliveryError } from '../../src/slack/errors.js';
import { ChannelPacer } from '../../src/slack/pacer.js';
import { ledgerThreads } from '../../src/slack/publisher.js';
import { FAKE_TOKEN, type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { MemoryLedger } from '../fakes/memory-stores.js';
import { digest as fixture } from '../render/fixture-digest.js';
import { recordingLogger } from '../storage/helpers.js';

const CHANNEL = 'C0DIGEST';
const rain = fixture.stories[0] as DigestStory;
const bridge = fixture.stories[1] as DigestStory;

function channelDigest(stories: ChannelDigest['stories'], from = '2024-03-01T06:00:00.000Z'): ChannelDigest {
  return { channel: 'news', from, to: '2024-03-02T06:00:00.000Z', digest: fixture, stories };
}

let fake: FakeSlack;
let logger: ReturnType<typeof recordingLogger>;
let ledger: MemoryLedger;

function platform(options: { token?: string; fast?: boolean; defaultRetries?: boolean } = {}): SlackPlatform {
  return createSlackPlatform(
    { botToken: options.token ?? FAKE_TOKEN, signingSecret: 'secret', apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
    {
      logger,
      answerQuery: async () => ({ kind: 'empty', message: 'none' }),
      status: async () => [],
      timeZone: 'UTC',
      threads: ledgerThreads(ledger),
      // the production policy where a test is about retry timing, the rapid one elsewhere
      ...(options.defaultRetries ? {} : { retryConfig: webApi.retryPolicies.rapidRetryPolicy }),
      ...(options.fast ? { pacer: new ChannelPacer({ intervalMs: 120 }) } : {}),
    },
  );
}

const deliver = (d: ChannelDigest, publisher: Publisher, l: DeliveryLedger = ledger) =>
  deliverDigest(d, publisher, l, logger, () => '2024-03-02T06:00:05.000Z');

beforeEach(async () => {
  logger = recordingLogger();
  ledger = new MemoryLedger();
});
afterEach(async () => {
  await fake.close();
});

describe('posting a digest', () => {
  it('posts the parent, then one reply per story in its thread, paced to one message a second', async () => {
    fake = await startFakeSlack({ channels: [CHANNEL] });
    const publisher = platform().publisher(CHANNEL, 'Europe/Berlin');
    const result = await deliver(channelDigest(fixture.stories.map((story) => ({ kind: 'new', story }))), publisher);

    expect(result).toEqual({ posted: 2, skipped: 0 });
    const [parent, ...replies] = fake.messages;
    expect(parent?.threadTs).toBeNull();
    expect(replies.map((m) => m.threadTs)).toEqual([parent?.ts, parent?.ts]);
    expect(replies.map((m) => m.text)).toEqual([
      expect.stringMatching(/^Rain \*delays\* harvest/),
      expect.stringMatching(/^Harbour bridge closes/),
    ]);
    // the strict fake refuses anything above one message a second: none was refused, and the gaps show the pacing
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
    for (let i = 1; i < fake.messages.length; i++) {
      expect((fake.messages[i]?.at ?? 0) - (fake.messages[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    }
    expect(await ledger.get('news', 's-bridge')).toMatchObject({ messageId: replies[1]?.ts, threadId: parent?.ts });
  });

  it('posts an update into the thread of the earlier post and links it from the new parent', async () => {
    fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 100 });
    const publisher = platform({ fast: true }).publisher(CHANNEL, 'UTC');
    await deliver(channelDigest([{ kind: 'new', story: { ...bridge, articles: ['cw1', 'qa1'] } }]), publisher);
    const [firstParent, firstReply] = fake.messages;
    const earlier = (await ledger.get('news', 's-bridge')) as DeliveryRecord;
    expect(earlier.threadId).toBe(firstParent?.ts);

    const later = channelDigest(
      [
        { kind: 'new', story: rain },
        { kind: 'update', story: bridge, newArticleIds: ['hp1'], earlier },
      ],
      '2024-03-02T06:00:00.000Z',
    );
    await deliver(later, publisher);
    const [, , secondParent, rainReply, update] = fake.messages;
    expect(rainReply?.threadTs).toBe(secondParent?.ts);
    expect(update?.threadTs).toBe(firstParent?.ts);
    expect(update?.text).toBe('Update: Harbour bridge closes for repairs: 1 new source');
    expect(JSON.stringify(update?.blocks)).toContain('1 new source: Harbour Post');
    const permalink = `https://fake-workspace.slack.com/archives/${CHANNEL}/p${firstReply?.ts.replace('.', '')}`;
    expect(JSON.stringify(secondParent?.blocks)).toContain(`<${permalink}|Harbour bridge closes for repairs>`);
  });

  it('resumes an interrupted digest at the first unposted story, in the same thread', async () => {
    fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 100 });
    const publisher = platform({ fast: true }).publisher(CHANNEL, 'UTC');
    const digest = channelDigest(fixture.stories.map((story) => ({ kind: 'new', story })));
    // the process dies right after recording the first story
    const crashing: DeliveryLedger = {
      get: (c, s) => ledger.get(c, s),
      cursor: (c) => ledger.cursor(c),
      setCursor: (c, seq) => ledger.setCursor(c, seq),
      forget: (c, ids) => ledger.forget(c, ids),
      lastDigestAt: (c) => ledger.lastDigestAt(c),
      setLastDigestAt: (c, iso) => ledger.setLastDigestAt(c, iso),
      intent: (c, item) => ledger.intent(c, item),
      recordIntent: (i) => ledger.recordIntent(i),
      parent: (c, w) => ledger.parent(c, w),
      recordParent: (p) => ledger.recordParent(p),
      record: async (r) => {
        await ledger.record(r);
        if (r.storyId === 's-rain') throw new Error('killed');
      },
    };
    await expect(deliver(digest, publisher, crashing)).rejects.toThrow();
    expect(fake.messages).toHaveLength(2);

    const restarted = platform({ fast: true }).publisher(CHANNEL, 'UTC');
    expect(await deliver(digest, restarted)).toEqual({ posted: 1, skipped: 1 });
    const [parent, first, second] = fake.messages;
    expect(fake.messages).toHaveLength(3);
    expect(fake.messages.filter((m) => m.threadTs === null)).toHaveLength(1);
    expect([first?.threadTs, second?.threadTs]).toEqual([parent?.ts, parent?.ts]);
    expect(second?.text).toMatch(/^Harbour bridge/);
  });

  it('says in the parent Slack received how many stories did not fit', async () => {
    fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 100 });
    const publisher = platform({ fast: true }).publisher(CHANNEL, 'UTC');
    const capped = {
      ...channelDigest([{ kind: 'new', story: rain }]),
      overflow: { stories: 4, since: '2024-02-27T22:00:00Z' },
    };
    await deliver(capped, publisher);
    expect(JSON.stringify(fake.messages[0]?.blocks)).toContain(
      '4 more stories did not fit in this digest: see them with /digest since:2024-02-27',
    );
  });

  it('waits for a 429 Retry-After and posts the message once', async () => {
    fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 100 });
    const publisher = platform({ fast: true }).publisher(CHANNEL, 'UTC');
    fake.rateLimitNext(CHANNEL, 1);
    await deliver(channelDigest([{ kind: 'new', story: rain }]), publisher);

    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.status)).toEqual([429, 200, 200]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(fake.messages).toHaveLength(2);
    expect(new Set(fake.messages.map((m) => m.text)).size).toBe(2);
  });
});

describe('Retry-After', () => {
  it("is honoured exactly, without the retry policy's backoff added on top, 429 after 429", async () => {
    fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 0 });
    const publisher = platform({ fast: true, defaultRetries: true }).publisher(CHANNEL, 'UTC');
    fake.rateLimitNext(CHANNEL, 1, 2);
    await deliver(channelDigest([{ kind: 'new', story: rain }]), publisher);

    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.status)).toEqual([429, 429, 200, 200]);
    for (const i of [1, 2]) {
      const gap = (posts[i]?.at ?? 0) - (posts[i - 1]?.at ?? 0);
      expect(gap, `wait before attempt ${i + 1}`).toBeGreaterThanOrEqual(950);
      expect(gap, `wait before attempt ${i + 1}`).toBeLessThan(1_400);
    }
    expect(fake.messages).toHaveLength(2);
  });
});

describe('Slack refusing a channel', () => {
  it.each([
    ['C0MISSING', 'channel_not_found', /use the channel's id/],
    ['C0OUTSIDE', 'not_in_channel', /\/invite @newsdigest/],
  ])('%s: %s is logged with a hint and the next channel is still served', async (channel, code, hint) => {
    fake = await startFakeSlack({ channels: [CHANNEL], notMember: ['C0OUTSIDE'], minIntervalMs: 100 });
    const slack = platform({ fast: true });
    const failures: SlackDeliveryError[] = [];
    // what the run loop does: one channel's failure is logged and the others go on
    for (const target of [channel, CHANNEL]) {
      try {
        await deliver(
          { ...channelDigest([{ kind: 'new', story: rain }]), channel: target },
          slack.publisher(target, 'UTC'),
        );
      } catch (error) {
        if (!(error instanceof SlackDeliveryError)) throw error;
        failures.push(error);
      }
    }
    expect(failures.map((f) => [f.code, f.channel])).toEqual([[code, channel]]);
    expect(failures[0]?.message).toMatch(hint);
    const logged = logger.lines.find((l) => l.level === 'error');
    expect(logged?.obj).toMatchObject({ code, hint: expect.stringMatching(hint) });
    expect(fake.messages.map((m) => m.channel)).toEqual([CHANNEL, CHANNEL]);
  });

  it('invalid_auth names the token to fix', async () => {
    fake = await startFakeSlack({ channels: [CHANNEL] });
    const publisher = platform({ token: 'xoxb-wrong' }).publisher(CHANNEL, 'UTC');
    const error = await deliver(channelDigest([{ kind: 'new', story: rain }]), publisher).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect((error as SlackDeliveryError).code).toBe('invalid_auth');
    expect((error as SlackDeliveryError).hint).toContain('SLACK_BOT_TOKEN');
    expect(fake.messages).toEqual([]);
  });
});
