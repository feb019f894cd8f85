// The fake must be as strict as Discord, or the other tests prove nothing: what it refuses, and how.
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, TEXT } from '../fakes/fake-discord.js';

const TOKEN = 'fake-bot-token';
const NEWS = '100000000000000001';
const fake = new FakeDiscord({ token: TOKEN, channels: [{ id: NEWS, type: TEXT, name: 'news' }], ackDeadlineMs: 100 });
let rest: REST;

beforeAll(async () => {
  await fake.start();
  rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken(TOKEN);
});
afterAll(async () => {
  await fake.close();
});

async function codeOf(request: Promise<unknown>): Promise<number | string> {
  try {
    await request;
    return 'ok';
  } catch (error) {
    return error instanceof DiscordAPIError ? error.code : String(error);
  }
}

describe('fake Discord', () => {
  it.each([
    ['content over 2,000', { content: 'x'.repeat(2001) }, 50035],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, 50035],
    ['a title over 256', { embeds: [{ title: 'x'.repeat(257) }] }, 50035],
    ['a description over 4,096', { embeds: [{ description: 'x'.repeat(4097) }] }, 50035],
    ['26 fields', { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }, 50035],
    ['a field value over 1,024', { embeds: [{ fields: [{ name: 'n', value: 'x'.repeat(1025) }] }] }, 50035],
    ['an empty field name', { embeds: [{ fields: [{ name: '', value: 'v' }] }] }, 50035],
    ['a footer over 2,048', { embeds: [{ footer: { text: 'x'.repeat(2049) } }] }, 50035],
    [
      '6,001 characters across embeds',
      { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] },
      50035,
    ],
    ['nothing to send', { content: '' }, 50006],
    ['a fine message', { content: 'hello' }, 'ok'],
  ])('answers %s with %s', async (_name, body, code) => {
    expect(await codeOf(rest.post(Routes.channelMessages(NEWS), { body }))).toBe(code);
  });

  it('refuses a wrong token, an unknown channel and a second thread on one message', async () => {
    const stranger = new REST({ api: fake.apiUrl, retries: 0 }).setToken('wrong');
    expect(await codeOf(stranger.get(Routes.channel(NEWS)))).toBe(0);
    expect(fake.calls.at(-1)?.status).toBe(401);
    expect(await codeOf(rest.post(Routes.channelMessages('999'), { body: { content: 'x' } }))).toBe(10003);
    const message = (await rest.post(Routes.channelMessages(NEWS), { body: { content: 'parent' } })) as { id: string };
    const thread = { body: { name: 'digest', auto_archive_duration: 1440 } };
    expect(await codeOf(rest.post(Routes.threads(NEWS, message.id), thread))).toBe('ok');
    expect(await codeOf(rest.post(Routes.threads(NEWS, message.id), thread))).toBe(160004);
    const other = (await rest.post(Routes.channelMessages(NEWS), { body: { content: 'other' } })) as { id: string };
    const longName = { body: { name: 'x'.repeat(101) } };
    expect(await codeOf(rest.post(Routes.threads(NEWS, other.id), longName))).toBe(50035);
  });

  it('refuses an interaction acknowledged late or twice', async () => {
    const late = fake.interact(NEWS, {});
    await new Promise((resolve) => setTimeout(resolve, 150));
    const deferred = { body: { type: 5, data: { flags: 64 } }, auth: false };
    expect(await codeOf(rest.post(Routes.interactionCallback(late.id, late.token), deferred))).toBe(10062);
    const twice = fake.interact(NEWS, {});
    expect(await codeOf(rest.post(Routes.interactionCallback(twice.id, twice.token), deferred))).toBe('ok');
    expect(await codeOf(rest.post(Routes.interactionCallback(twice.id, twice.token), deferred))).toBe(40060);
    const edit = rest.patch(Routes.webhookMessage(fake.applicationId, twice.token, '@original'), {
      body: { content: 'done' },
      auth: false,
    });
    expect(await codeOf(edit)).toBe('ok');
    expect(twice.original?.content).toBe('done');
  });

  it('speaks the gateway: Hello, READY after Identify pointing resumes back at itself, heartbeat ACKs', async () => {
    const socket = new WebSocket(`${fake.gateway.url}?v=10&encoding=json`);
    const frames: { op: number; t?: string | null; d?: { resume_gateway_url?: string } }[] = [];
    socket.on('message', (raw) => frames.push(JSON.parse(String(raw))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 1, properties: {} } }));
    socket.send(JSON.stringify({ op: 1, d: null }));
    const until = Date.now() + 2000;
    while (frames.length < 4 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    socket.close();
    expect(frames.map((f) => f.t ?? f.op)).toEqual([10, 'READY', 'GUILD_CREATE', 11]);
    expect(frames[1]?.d?.resume_gateway_url).toBe(fake.gateway.url);
  });
});
