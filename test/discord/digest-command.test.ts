// `/digest` end to end: the real discord.js Client logs in to the fake gateway on 127.0.0.1, receives
// INTERACTION_CREATE, and answers through the real REST client to the fake Discord REST server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../src/discord/platform.js';
import type { DigestSearch } from '../../src/domain/digest-query.js';
import type { QueryAnswer } from '../../src/ports.js';
import { FakeDiscord, type FakeInteraction, TEXT } from '../fakes/fake-discord.js';
import { fixture } from './digests.js';
import { recordingLogger, waitFor } from './support.js';

const TOKEN = 'fake-bot-token';
const NEWS = '100000000000000001';
const EPHEMERAL = 64;
const NOW = new Date('2024-03-02T10:00:00.000Z');

const fake = new FakeDiscord({ token: TOKEN, channels: [{ id: NEWS, type: TEXT, name: 'news' }] });
const logger = recordingLogger();
const asked: DigestSearch[] = [];
/** The configured channel each search was asked in, as answerQuery received it. */
const askedIn: (string | null)[] = [];
let answerDelayMs = 0;
let platform: DiscordPlatform;

async function answerQuery(query: DigestSearch, channel: string | null): Promise<QueryAnswer> {
  asked.push(query);
  askedIn.push(channel);
  await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
  if (query.terms.includes('nothing'))
    return { kind: 'empty', message: 'No articles about nothing; articles are kept 30 days.' };
  const answer = {
    kind: 'digest',
    digest: fixture,
    matched: 7,
    description: `about ${query.terms.join(' ')}`,
  } as const;
  if (!query.terms.includes('seen')) return answer;
  return { ...answer, moreStories: 2, posted: new Map([['s-bridge', EARLIER]]) };
}

/** Where the channel already got the bridge story: a message in an earlier digest thread. */
const EARLIER = {
  channel: 'news-desk',
  messageId: '100000000000000077',
  threadId: '100000000000000070',
  postedAt: '2024-03-01T09:00:00.000Z',
  newArticles: 3,
};

beforeAll(async () => {
  await fake.start();
  platform = createDiscordPlatform(
    { token: TOKEN, apiUrl: fake.apiUrl, guildId: fake.guildId, topicNames: ['Ukraine talks', 'Prisoner swaps'] },
    {
      logger,
      answerQuery,
      status: async () => ['3 feeds, 3 healthy, 0 failing or paused.'],
      clock: { now: () => NOW },
      channelOf: (id) => (id === NEWS ? 'news-desk' : undefined),
    },
  );
  await platform.start();
});
afterAll(async () => {
  await platform.stop();
  await fake.close();
});

const content = (i: FakeInteraction) => String(i.original?.content ?? '');

describe('/digest over the gateway', () => {
  it('logs in through the fake gateway and registers /digest in the configured guild with topic choices', async () => {
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.calls.some((c) => c.route === 'GET /gateway/bot')).toBe(true);
    const [command] = fake.commands;
    expect(command?.scope).toBe(`guild:${fake.guildId}`);
    const options = ((command?.body ?? []) as { options: { name: string; choices?: { value: string }[] }[] }[])[0]
      ?.options;
    expect(options?.map((o) => o.name)).toEqual(['query', 'since', 'topic', 'source', 'private']);
    expect(options?.[2]?.choices?.map((c) => c.value)).toEqual(['Ukraine talks', 'Prisoner swaps']);
  });

  it('defers within 3 s, posts the digest in the channel with a thread, and links to it', async () => {
    answerDelayMs = 3_300; // longer than Discord's 3 s: only a deferred reply survives this
    const before = fake.messagesIn(NEWS).length;
    const interaction = fake.interact(NEWS, { query: 'bridge', topic: 'Prisoner swaps', since: '2d' });
    const answered = await waitFor(() => content(interaction).includes('Posted') && interaction, 15_000);
    answerDelayMs = 0;
    expect(answered.ack?.type).toBe(5);
    expect(answered.ack?.flags).toBe(EPHEMERAL);
    expect((answered.ack?.at ?? Number.POSITIVE_INFINITY) - answered.dispatchedAt).toBeLessThan(3_000);
    expect(asked.at(-1)).toMatchObject({ terms: ['bridge'], topic: 'Prisoner swaps', sinceLabel: 'the last 2 days' });
    const parent = fake.messagesIn(NEWS)[before];
    // one line of channel noise per query; the stories are in its thread
    expect(parent?.body.content).toBe(
      '**Digest about bridge** · 2 stories · 7 articles from 7 outlets · 3 copies folded',
    );
    expect(fake.messagesIn(parent?.id ?? '')).toHaveLength(2);
    expect(content(answered)).toContain(`https://discord.com/channels/${fake.guildId}/${NEWS}/${parent?.id}`);
  });

  it('says in the thread where the channel already got a story, linked, and in the parent how many more matched', async () => {
    const before = fake.messagesIn(NEWS).length;
    const interaction = fake.interact(NEWS, { query: 'seen' });
    await waitFor(() => content(interaction).includes('Posted') && interaction);
    const parent = fake.messagesIn(NEWS)[before];
    expect(String(parent?.body.content)).toContain(
      '\n2 more stories matched: narrow with since:, until:, topic: or source:',
    );
    const [, bridge] = fake.messagesIn(parent?.id ?? '');
    const fields = (bridge?.body.embeds as { fields?: { name: string; value: string }[] }[] | undefined)?.[0]?.fields;
    expect(fields?.[0]).toEqual({
      name: 'Earlier post',
      value:
        'Posted here on <t:1709283600:f>, 3 new articles since: ' +
        `[thread](https://discord.com/channels/${fake.guildId}/${EARLIER.threadId}/${EARLIER.messageId})`,
    });
  });

  it('answers a bad option at once, only to the asker, with the help', async () => {
    const interaction = fake.interact(NEWS, { since: 'yesterday' });
    await waitFor(() => interaction.ack);
    expect(interaction.ack?.type).toBe(4);
    expect(interaction.ack?.flags).toBe(EPHEMERAL);
    expect(content(interaction)).toContain('since:yesterday is not a duration: try since:3d');
    expect(content(interaction)).toContain('**/digest** builds a digest');
  });

  it('answers help at once', async () => {
    const interaction = fake.interact(NEWS, { query: 'help' });
    await waitFor(() => interaction.ack);
    expect([interaction.ack?.type, interaction.ack?.flags]).toEqual([4, EPHEMERAL]);
    expect(content(interaction)).toMatch(/^\*\*\/digest\*\* builds a digest/);
  });

  it('says "no articles" in the deferred reply when nothing matched, posting nothing', async () => {
    const before = fake.messages.length;
    const interaction = fake.interact(NEWS, { query: 'nothing' });
    await waitFor(() => content(interaction) !== '' && interaction);
    expect(interaction.ack?.type).toBe(5);
    expect(content(interaction)).toBe('No articles about nothing; articles are kept 30 days.');
    expect(fake.messages.length).toBe(before);
  });

  it('puts the stories into the ephemeral reply when private', async () => {
    const before = fake.messages.length;
    const interaction = fake.interact(NEWS, { query: 'bridge', private: true });
    await waitFor(() => interaction.followUps.length === 2 && interaction);
    expect(content(interaction)).toContain('**Digest about bridge**');
    // no thread is started for a private answer, so none is mentioned
    expect(content(interaction)).not.toMatch(/thread/i);
    expect(interaction.followUps.map((f) => f.flags)).toEqual([EPHEMERAL, EPHEMERAL]);
    expect(fake.messages.length).toBe(before);
  });

  it.each([
    [NEWS, 'news-desk'],
    ['100000000000000999', null],
  ])('searches for %s as the configured channel %s, so the answer can say what it already got', async (channel, id) => {
    const interaction = fake.interact(channel, { query: 'nothing' });
    await waitFor(() => content(interaction) !== '' && interaction);
    expect(askedIn.at(-1)).toBe(id);
  });

  it('answers status', async () => {
    const interaction = fake.interact(NEWS, { query: 'status' });
    await waitFor(() => content(interaction) !== '' && interaction);
    expect(content(interaction)).toBe('3 feeds, 3 healthy, 0 failing or paused.');
  });

  it('registers globally when no guild id is configured', async () => {
    const global = createDiscordPlatform(
      { token: TOKEN, apiUrl: fake.apiUrl, topicNames: [] },
      { logger, answerQuery, status: async () => [] },
    );
    await global.register();
    await global.stop();
    expect(fake.commands.at(-1)?.scope).toBe('global');
    expect(fake.calls.some((c) => c.route === 'GET /applications/@me')).toBe(true);
  });
});
