// Slash commands as Slack sends them (form-encoded, signed) to the real Bolt HTTP receiver, answered through the
// real WebClient and response_url against the strict fake Slack on 127.0.0.1.
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_HELP, type DigestSearch } from '../../src/domain/digest-query.js';
import type { QueryAnswer } from '../../src/ports.js';
import { createSlackPlatform, type SlackPlatform } from '../../src/slack/app.js';
import { ChannelPacer } from '../../src/slack/pacer.js';
import { FAKE_TOKEN, type FakeSlack, sendSlashCommand, startFakeSlack, waitFor } from '../fakes/fake-slack.js';
import { digest as fixture } from '../render/fixture-digest.js';
import { recordingLogger } from '../storage/helpers.js';

const SECRET = 'signing-secret-for-tests';
const CHANNEL = 'C0DIGEST';
/** A second channel the app is in, configured in another zone. */
const TOKYO = 'C0TOKYO';
const NOW = new Date('2024-03-02T09:00:00.000Z');

let fake: FakeSlack;
let slack: SlackPlatform;
let logger: ReturnType<typeof recordingLogger>;
let queries: DigestSearch[];
/** The configured channel each search was asked in, as answerQuery received it. */
let askedIn: (string | null)[];
let answerDelayMs: number;
let answer: QueryAnswer;
let failWith: Error | null;

beforeEach(async () => {
  fake = await startFakeSlack({
    channels: [CHANNEL, TOKYO, 'C0UNNAMED'],
    notMember: ['C0OUTSIDE'],
    minIntervalMs: 100,
  });
  logger = recordingLogger();
  queries = [];
  askedIn = [];
  answerDelayMs = 0;
  failWith = null;
  answer = { kind: 'digest', digest: fixture, matched: 7, description: "about 'bridge' in the last 3 days" };
  slack = createSlackPlatform(
    { botToken: FAKE_TOKEN, signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
    {
      logger,
      answerQuery: async (q, channel) => {
        queries.push(q);
        askedIn.push(channel);
        await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
        if (failWith) throw failWith;
        return answer;
      },
      status: async () => ['3 feeds, 2 healthy, 1 failing or paused.', '• Metro Daily: 4 failures in a row'],
      timeZone: 'UTC',
      timeZoneOf: (channel) =>
        channel === TOKYO ? 'Asia/Tokyo' : channel === CHANNEL ? 'America/New_York' : undefined,
      channelOf: (channel) => (channel === TOKYO ? 'tokyo-desk' : channel === CHANNEL ? 'desk' : undefined),
      clock: { now: () => NOW },
      retryConfig: webApi.retryPolicies.rapidRetryPolicy,
      pacer: new ChannelPacer({ intervalMs: 120 }),
    },
  );
  await slack.start();
});

afterEach(async () => {
  await slack.stop();
  await fake.close();
});

let commandId = 0;
function command(text: string, options: { channel?: string; badSignature?: boolean } = {}) {
  const id = `cmd${++commandId}`;
  const result = sendSlashCommand(
    `http://127.0.0.1:${slack.port()}/slack/events`,
    SECRET,
    {
      token: 'legacy-verification-token',
      team_id: 'T0FAKE',
      team_domain: 'fake',
      channel_id: options.channel ?? CHANNEL,
      channel_name: 'news',
      user_id: 'U0ASKER',
      user_name: 'asker',
      text,
      api_app_id: 'A0APP',
      response_url: fake.responseUrl(id),
      trigger_id: `trigger-${id}`,
    },
    options.badSignature ? { badSignature: true } : {},
  );
  return { id, result };
}

const responsesTo = (id: string) => fake.responses.filter((r) => r.id === id);

describe('/digest over the HTTP receiver', () => {
  it('refuses a bad signature with 401 and logs it', async () => {
    const { result } = command('witkoff', { badSignature: true });
    expect((await result).status).toBe(401);
    expect(logger.lines.some((l) => l.level === 'warn' && String(l.obj).includes('signature mismatch'))).toBe(true);
    expect(queries).toEqual([]);
  });

  it.each([
    ['help', DIGEST_HELP],
    ['since:3x', 'since:3x is not a duration: try since:3d'],
    ['topic:', 'topic: needs a value, like topic:"Prisoner swaps"'],
    ['status', '*newsdigest status*\n3 feeds, 2 healthy, 1 failing or paused.\n• Metro Daily: 4 failures in a row'],
  ])('answers `/digest %s` ephemerally', async (text, expected) => {
    const { id, result } = command(text);
    expect((await result).status).toBe(200);
    const [response] = await waitFor(() => (responsesTo(id).length > 0 ? responsesTo(id) : undefined));
    expect(response?.body.response_type).toBe('ephemeral');
    expect(String(response?.body.text)).toContain(expected);
    if (text === 'since:3x') expect(String(response?.body.text)).toContain(DIGEST_HELP);
    expect(fake.messages).toEqual([]);
  });

  it.each([
    ['a window of 8,000 ampersands', `since:${'&'.repeat(8_000)}`],
    ['an unclosed quote of 8,000 ampersands', `"${'&'.repeat(8_000)}`],
  ])('answers %s with a message Slack accepts', async (_name, text) => {
    const { id } = command(text);
    const [response] = await waitFor(() => (responsesTo(id).length > 0 ? responsesTo(id) : undefined));
    expect(response?.body.response_type).toBe('ephemeral');
    expect(String(response?.body.text)).toContain('&amp;&amp;');
    expect(String(response?.body.text)).toContain(DIGEST_HELP);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('logs a failed answer with the Error itself, and tells the user', async () => {
    const failure = new Error('storage unreachable', { cause: new Error('ECONNREFUSED') });
    failWith = failure;
    const { id } = command('bridge');
    const [response] = await waitFor(() => (responsesTo(id).length > 0 ? responsesTo(id) : undefined));
    expect(String(response?.body.text)).toContain('Sorry, /digest failed: storage unreachable');
    const line = logger.lines.find((l) => l.msg === '/digest failed');
    expect(line?.obj).toMatchObject({ err: failure });
  });

  it('asks Slack who the bot is once, at start, not again for every command', async () => {
    const authTests = () => fake.calls.filter((c) => c.method === 'auth.test').length;
    expect(authTests()).toBe(1);
    for (const text of ['help', 'status', 'help']) {
      const { id } = command(text);
      await waitFor(() => (responsesTo(id).length > 0 ? true : undefined));
    }
    expect(authTests()).toBe(1);
  });

  it('answers an empty result ephemerally', async () => {
    answer = { kind: 'empty', message: "No articles about 'witkoff' in the last 3 days; articles are kept 30 days." };
    const { id } = command('witkoff');
    const [response] = await waitFor(() => (responsesTo(id).length > 0 ? responsesTo(id) : undefined));
    expect(response?.body).toMatchObject({
      response_type: 'ephemeral',
      text: "No articles about 'witkoff' in the last 3 days; articles are kept 30 days.",
    });
  });

  it('acks within 3 s while the answer takes longer, then posts one message with the stories in its thread', async () => {
    answerDelayMs = 3_500;
    const { result } = command('bridge since:3d');
    const acked = await result;
    expect(acked.status).toBe(200);
    expect(acked.ms).toBeLessThan(3_000);
    expect(fake.messages).toEqual([]);

    const [parent, ...replies] = await waitFor(() => (fake.messages.length >= 3 ? fake.messages : undefined), 10_000);
    expect(parent?.threadTs).toBeNull();
    expect(JSON.stringify(parent?.blocks)).toContain("Digest about 'bridge' in the last 3 days*, asked by <@U0ASKER>");
    expect(replies.map((m) => m.threadTs)).toEqual([parent?.ts, parent?.ts]);
    expect(fake.messages.filter((m) => m.threadTs === null)).toHaveLength(1);
    expect(queries[0]).toMatchObject({ terms: ['bridge'], since: '2024-02-28T09:00:00.000Z', private: false });
  });

  it.each([
    [CHANNEL, '1 Mar 2024, 03:00 EST'],
    [TOKYO, '1 Mar 2024, 17:00 GMT+9'],
    ['C0UNNAMED', '1 Mar 2024, 08:00 UTC'],
  ])(
    'answers in %s with times in its own zone: %s (the default zone where the config names no channel)',
    async (channel, time) => {
      command('bridge', { channel });
      const messages = await waitFor(() => {
        const here = fake.messages.filter((m) => m.channel === channel);
        return here.length >= 3 ? here : undefined;
      });
      expect(JSON.stringify(messages.map((m) => m.blocks))).toContain(`Coastline Wire> · ${time}`);
    },
  );

  it.each([
    [CHANNEL, 'desk'],
    [TOKYO, 'tokyo-desk'],
    ['C0UNNAMED', null],
  ])('searches for %s as the configured channel %s, so the answer can say what it already got', async (channel, id) => {
    const { id: commandId } = command('bridge private', { channel });
    await waitFor(() => (responsesTo(commandId).length > 0 ? true : undefined));
    expect(askedIn).toEqual([id]);
  });

  it('says under each story where this channel got it, linking the thread, and how many more stories matched', async () => {
    command('bridge');
    const first = await waitFor(() => (fake.messages.length >= 3 ? [...fake.messages] : undefined));
    const earlier = first[2];
    const post = { channel: 'desk', threadId: earlier?.threadTs ?? null, postedAt: '2024-03-01T14:00:00Z' };
    answer = {
      kind: 'digest',
      digest: fixture,
      matched: 7,
      description: "about 'bridge' in the last 3 days",
      moreStories: 4,
      posted: new Map([
        ['s-bridge', { ...post, messageId: earlier?.ts ?? '', newArticles: 2 }],
        // a post Slack no longer knows: told without a link
        ['s-rain', { ...post, messageId: '1700000000.000001', newArticles: 0 }],
      ]),
    };
    command('bridge');
    const [parent, rain, bridge] = await waitFor(() =>
      fake.messages.length >= 6 ? fake.messages.slice(3).map((m) => JSON.stringify(m.blocks)) : undefined,
    );
    expect(parent).toContain('4 more stories matched: narrow with since:, until:, topic: or source:');
    const link = `https://fake-workspace.slack.com/archives/${CHANNEL}/p${earlier?.ts.replace('.', '')}`;
    expect(bridge).toContain(`Posted here on 1 Mar 2024, 09:00 EST, 2 new articles since: <${link}|thread>`);
    expect(rain).toContain('Posted here on 1 Mar 2024, 09:00 EST, nothing new since"');
  });

  it('answers a `private` query ephemerally only', async () => {
    const { id } = command('bridge private');
    const [response] = await waitFor(() => (responsesTo(id).length > 0 ? responsesTo(id) : undefined));
    expect(response?.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(response?.body.blocks)).toContain('Harbour bridge closes for repairs');
    // no thread exists for a private answer, so none is mentioned
    expect(JSON.stringify(responsesTo(id).map((r) => r.body))).not.toMatch(/thread/i);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.messages).toEqual([]);
  });

  it('answers privately, saying why, where the app may not post', async () => {
    const { id } = command('bridge', { channel: 'C0OUTSIDE' });
    const responses = await waitFor(() => (responsesTo(id).length >= 2 ? responsesTo(id) : undefined));
    expect(String(responses[0]?.body.text)).toContain('/invite @newsdigest');
    expect(responses.every((r) => r.body.response_type === 'ephemeral')).toBe(true);
    expect(JSON.stringify(responses.map((r) => r.body))).not.toMatch(/in the thread/i);
    expect(fake.messages).toEqual([]);
  });
});
