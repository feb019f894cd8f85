// A Slack digest cut short between "Slack accepted the message" and "the ledger recorded it", retried: every story
// is in the thread once, the digest has one parent, and the parent's counts are corrected with chat.update. The
// real Bolt WebClient against the fake Slack, which keeps message metadata (ADR 009).
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestStory } from '../../src/domain/types.js';
import { deliverDigest } from '../../src/pipeline/deliver.js';
import type { ChannelDigest, DeliveryLedger } from '../../src/ports.js';
import { createSlackPlatform } from '../../src/slack/app.js';
import { ChannelPacer } from '../../src/slack/pacer.js';
import { STORY_EVENT } from '../../src/slack/publisher.js';
import { crashingLedger, Killed } from '../fakes/crashing-ledger.js';
import { FAKE_TOKEN, type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { MemoryLedger } from '../fakes/memory-stores.js';
import { digest as fixture } from '../render/fixture-digest.js';
import { recordingLogger } from '../storage/helpers.js';

const CHANNEL = 'C0DIGEST';
const rain = fixture.stories[0] as DigestStory;
const bridge = fixture.stories[1] as DigestStory;
const both: ChannelDigest['stories'] = [
  { kind: 'new', story: rain },
  { kind: 'new', story: bridge },
];

function channelDigest(stories = both): ChannelDigest {
  return {
    channel: 'news',
    from: '2024-03-01T06:00:00.000Z',
    to: '2024-03-02T06:00:00.000Z',
    digest: fixture,
    stories,
  };
}

let fake: FakeSlack;
let ledger: MemoryLedger;
const logger = recordingLogger();

function publisher() {
  return createSlackPlatform(
    { botToken: FAKE_TOKEN, signingSecret: 'secret', apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
    {
      logger,
      answerQuery: async () => ({ kind: 'empty', message: 'none' }),
      status: async () => [],
      timeZone: 'UTC',
      retryConfig: webApi.retryPolicies.rapidRetryPolicy,
      pacer: new ChannelPacer({ intervalMs: 20 }),
    },
  ).publisher(CHANNEL, 'UTC');
}

const deliver = (l: DeliveryLedger, d = channelDigest()) =>
  deliverDigest(d, publisher(), l, logger, () => new Date().toISOString());
const parents = () => fake.messages.filter((m) => m.threadTs === null);
const replies = () => fake.messages.filter((m) => m.threadTs !== null);

beforeEach(async () => {
  fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 0 });
  ledger = new MemoryLedger();
});
afterEach(async () => {
  await fake.close();
});

describe('a Slack digest retried after a crash', () => {
  it('finds a story posted but not recorded in its thread by its metadata, and posts only the rest', async () => {
    await expect(deliver(crashingLedger(ledger, { before: 'record', storyId: 's-rain' }))).rejects.toThrow(Killed);
    expect(replies()).toHaveLength(1);

    expect(await deliver(ledger)).toEqual({ posted: 1, skipped: 0, found: 1 });
    expect(parents()).toHaveLength(1);
    expect(replies().map((m) => m.metadata?.event_payload.story_id)).toEqual(['s-rain', 's-bridge']);
    expect(replies().every((m) => m.threadTs === parents()[0]?.ts)).toBe(true);
    const read = fake.calls.find((c) => c.method === 'conversations.replies');
    expect(read?.args).toMatchObject({ ts: parents()[0]?.ts, include_all_metadata: 'true' });
    expect((await ledger.get('news', 's-rain'))?.messageId).toBe(replies()[0]?.ts);
  });

  it('finds a parent posted but not recorded in the channel history, and goes on in its thread', async () => {
    await expect(deliver(crashingLedger(ledger, { before: 'recordParent', withThread: true }))).rejects.toThrow(Killed);
    expect(parents()).toHaveLength(1);
    expect(await deliver(ledger)).toEqual({ posted: 2, skipped: 0 });
    expect(parents()).toHaveLength(1);
    expect(replies()).toHaveLength(2);
    expect(fake.calls.some((c) => c.method === 'conversations.history')).toBe(true);
  });

  it('corrects the parent of a resumed digest to the stories finally posted', async () => {
    const first = channelDigest([{ kind: 'new', story: rain }]);
    await expect(deliver(crashingLedger(ledger, { before: 'record', storyId: 's-rain' }), first)).rejects.toThrow(
      Killed,
    );
    expect(parents()[0]?.text).toContain('1 story');
    await deliver(ledger);
    expect(parents()).toHaveLength(1);
    expect(parents()[0]?.edits).toBe(1);
    expect(parents()[0]?.text).toContain('2 stories');
    expect(replies()).toHaveLength(2);
  });

  it('tags every digest message with metadata naming the story, and looks nothing up on a first attempt', async () => {
    await deliver(ledger);
    for (const reply of replies()) {
      expect(reply.metadata?.event_type).toBe(STORY_EVENT);
      expect(reply.metadata?.event_payload).toMatchObject({ part: 0 });
    }
    expect(replies().map((m) => m.metadata?.event_payload.story_id)).toEqual(['s-rain', 's-bridge']);
    expect(fake.calls.filter((c) => c.method.startsWith('conversations.'))).toEqual([]);
  });

  it('a post Slack stored without answering fails the digest; the retry finds it instead of posting it again', async () => {
    // the parent is stored and its connection dropped; this client does not retry (ADR 009: the WebClient's own
    // retry of a lost answer is the window that remains)
    fake.dropNextAccepted(1);
    const noRetry = createSlackPlatform(
      { botToken: FAKE_TOKEN, signingSecret: 'secret', apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
      {
        logger,
        answerQuery: async () => ({ kind: 'empty', message: 'none' }),
        status: async () => [],
        timeZone: 'UTC',
        retryConfig: { retries: 0 },
        pacer: new ChannelPacer({ intervalMs: 20 }),
      },
    ).publisher(CHANNEL, 'UTC');
    await expect(
      deliverDigest(channelDigest(), noRetry, ledger, logger, () => new Date().toISOString()),
    ).rejects.toThrow();
    expect(parents()).toHaveLength(1);
    expect(await deliver(ledger)).toEqual({ posted: 2, skipped: 0 });
    expect(parents()).toHaveLength(1);
    expect(replies()).toHaveLength(2);
  });
});

describe('a Slack digest retried without the history scopes', () => {
  it('warns that it cannot look and posts the story again: a repeat, never a loss', async () => {
    await fake.close();
    fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 0, missingScope: ['conversations.replies'] });
    await expect(deliver(crashingLedger(ledger, { before: 'record', storyId: 's-rain' }))).rejects.toThrow(Killed);
    const warnings = () => logger.lines.filter((l) => l.msg?.includes('could not look for the posts'));
    const before = warnings().length;
    expect(await deliver(ledger)).toEqual({ posted: 2, skipped: 0 });
    expect(warnings().length).toBe(before + 1);
    expect(parents()).toHaveLength(1);
    expect(replies().map((m) => m.metadata?.event_payload.story_id)).toEqual(['s-rain', 's-rain', 's-bridge']);
  });
});
