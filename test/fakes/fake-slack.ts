// A strict fake of the Slack Web API on 127.0.0.1, for the real Bolt App and WebClient. It records every call and
// answers as Slack does: invalid_blocks and msg_too_long for messages outside Slack's documented limits (checked
// here independently of src/slack/limits.ts, so a mistake there is caught), channel_not_found / not_in_channel,
// invalid_auth for a wrong token, and 429 with Retry-After when a channel gets more than one message a second.
// Also a response_url endpoint for slash-command responses, and a helper sending signed slash commands. Messages
// keep their `metadata`, which conversations.replies and conversations.history show with include_all_metadata;
// chat.update edits them; posts can be slowed after they are stored (`acceptDelayMs`) or dropped unanswered
// (`dropNextAccepted`), so a test can kill the bot between "Slack accepted it" and "the bot recorded it".
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly status: number;
  readonly error: string | null;
  readonly at: number;
}

export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | null;
  text: string | null;
  blocks: unknown[] | null;
  readonly at: number;
  readonly metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
  /** Times chat.update changed it. */
  edits: number;
}

export interface FakeResponse {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export interface FakeSlackOptions {
  /** The bot token the fake accepts. */
  readonly token?: string;
  /** Channels the bot is a member of. */
  readonly channels?: readonly string[];
  /** Channels that exist but the bot was not invited to. */
  readonly notMember?: readonly string[];
  /** The shortest gap between two messages to one channel before 429 (Slack: about one a second). */
  readonly minIntervalMs?: number;
  /** Methods the token lacks the scope for: answered `missing_scope` (e.g. conversations.replies). */
  readonly missingScope?: readonly string[];
  /** Milliseconds chat.postMessage waits after the message is stored, before answering (a slow Slack). */
  readonly acceptDelayMs?: number | (() => number);
  /** Workspace members users.info knows, with their role (anyone else: user_not_found). */
  readonly users?: Readonly<Record<string, { readonly is_admin?: boolean; readonly is_owner?: boolean }>>;
  /** User groups usergroups.users.list knows, with their members (any other id: no_such_subteam). */
  readonly userGroups?: Readonly<Record<string, readonly string[]>>;
}

export interface FakeSlack {
  /** `http://127.0.0.1:<port>/api/`, the WebClient's slackApiUrl. */
  readonly apiUrl: string;
  readonly calls: FakeCall[];
  /** Messages Slack accepted (chat.postMessage), in order. */
  readonly messages: FakeMessage[];
  readonly ephemerals: Record<string, unknown>[];
  readonly responses: FakeResponse[];
  responseUrl(id: string): string;
  /** The next `times` chat.postMessage calls to `channel` get 429 with this Retry-After (seconds). */
  rateLimitNext(channel: string, retryAfterSeconds?: number, times?: number): void;
  /** The next `times` chat.postMessage calls are stored, then their connection is closed without an answer. */
  dropNextAccepted(times?: number): void;
  close(): Promise<void>;
}

export const FAKE_TOKEN = 'xoxb-fake-token';
const MAX_TEXT = 40_000;

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? FAKE_TOKEN;
  const members = new Set(options.channels ?? ['C0DIGEST']);
  const outsiders = new Set(options.notMember ?? []);
  const minInterval = options.minIntervalMs ?? 1_000;
  const calls: FakeCall[] = [];
  const messages: FakeMessage[] = [];
  const ephemerals: Record<string, unknown>[] = [];
  const responses: FakeResponse[] = [];
  const lastPost = new Map<string, number>();
  const injected = new Map<string, { seconds: number; times: number }>();
  let counter = 0;
  let dropAccepted = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { ok: false, error: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/response/')) {
      const body = JSON.parse(raw) as Record<string, unknown>;
      const problem = messageProblem(body);
      if (problem) return send(res, 400, { ok: false, error: problem });
      responses.push({ id: decodeURIComponent(path.slice('/response/'.length)), body, at: Date.now() });
      return send(res, 200, { ok: true });
    }
    if (!path.startsWith('/api/')) return send(res, 404, { ok: false, error: 'not_found' });
    const method = path.slice('/api/'.length);
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const auth = req.headers.authorization ?? (typeof args.token === 'string' ? `Bearer ${args.token}` : '');
    const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      calls.push({ method, args, status, error: typeof body.error === 'string' ? body.error : null, at: Date.now() });
      send(res, status, body, headers);
    };
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const shown = (m: FakeMessage) => ({
      type: 'message',
      ts: m.ts,
      text: m.text ?? '',
      ...(m.threadTs === null ? {} : { thread_ts: m.threadTs }),
      ...(m.blocks === null ? {} : { blocks: m.blocks }),
      ...(withMetadata && m.metadata !== null ? { metadata: m.metadata } : {}),
      bot_id: 'B0BOT',
    });
    if (auth === '') return answer(200, { ok: false, error: 'not_authed' });
    if (auth !== `Bearer ${token}`) return answer(200, { ok: false, error: 'invalid_auth' });

    const channel = typeof args.channel === 'string' ? args.channel : '';
    if (options.missingScope?.includes(method)) {
      return answer(200, { ok: false, error: 'missing_scope', needed: 'channels:history', provided: 'chat:write' });
    }
    switch (method) {
      case 'auth.test':
        return answer(200, {
          ok: true,
          url: 'https://fake-workspace.slack.com/',
          team: 'Fake',
          team_id: 'T0FAKE',
          user: 'newsdigest',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        });
      case 'chat.postMessage': {
        const known = channelProblem(channel);
        if (known) return answer(200, { ok: false, error: known });
        const injectedWait = injected.get(channel);
        if (injectedWait !== undefined) {
          if (injectedWait.times <= 1) injected.delete(channel);
          else injected.set(channel, { ...injectedWait, times: injectedWait.times - 1 });
          return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(injectedWait.seconds) });
        }
        const now = Date.now();
        const last = lastPost.get(channel);
        if (last !== undefined && now - last < minInterval) {
          const wait = Math.max(1, Math.ceil((minInterval - (now - last)) / 1000));
          return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
        }
        const problem = messageProblem(args);
        if (problem) return answer(200, { ok: false, error: problem });
        const threadTs = typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : null;
        if (threadTs !== null && !messages.some((m) => m.channel === channel && m.ts === threadTs)) {
          return answer(200, { ok: false, error: 'thread_not_found' });
        }
        const metadata = metadataOf(args.metadata);
        if (metadata === 'invalid') return answer(200, { ok: false, error: 'invalid_metadata_format' });
        const ts = `${Math.floor(now / 1000)}.${String(++counter).padStart(6, '0')}`;
        lastPost.set(channel, now);
        messages.push({
          channel,
          ts,
          threadTs,
          text: typeof args.text === 'string' ? args.text : null,
          blocks: Array.isArray(args.blocks) ? args.blocks : null,
          at: now,
          metadata,
          edits: 0,
        });
        if (dropAccepted > 0) {
          dropAccepted--;
          calls.push({ method, args, status: 0, error: 'dropped', at: now });
          req.socket.destroy();
          return;
        }
        const delay = typeof options.acceptDelayMs === 'function' ? options.acceptDelayMs() : options.acceptDelayMs;
        if (delay !== undefined && delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        return answer(200, { ok: true, channel, ts, message: { text: args.text, ts } });
      }
      case 'chat.update': {
        const known = channelProblem(channel);
        if (known) return answer(200, { ok: false, error: known });
        const message = messages.find((m) => m.channel === channel && m.ts === args.ts);
        if (!message) return answer(200, { ok: false, error: 'message_not_found' });
        const problem = messageProblem(args);
        if (problem) return answer(200, { ok: false, error: problem });
        message.text = typeof args.text === 'string' ? args.text : message.text;
        message.blocks = Array.isArray(args.blocks) ? args.blocks : message.blocks;
        message.edits++;
        return answer(200, { ok: true, channel, ts: message.ts, text: message.text });
      }
      case 'conversations.replies': {
        const known = channelProblem(channel);
        if (known) return answer(200, { ok: false, error: known });
        const parent = messages.find((m) => m.channel === channel && m.ts === args.ts);
        if (!parent) return answer(200, { ok: false, error: 'thread_not_found' });
        // the parent first, then its replies oldest first, as Slack lists a thread
        const thread = messages.filter((m) => m.channel === channel && (m === parent || m.threadTs === parent.ts));
        return answer(200, page(thread.map(shown), args));
      }
      case 'conversations.history': {
        const known = channelProblem(channel);
        if (known) return answer(200, { ok: false, error: known });
        const oldest = Number(args.oldest ?? 0);
        const top = messages.filter((m) => m.channel === channel && m.threadTs === null && Number(m.ts) > oldest);
        return answer(200, page(top.reverse().map(shown), args));
      }
      case 'chat.postEphemeral': {
        const known = channelProblem(channel);
        if (known) return answer(200, { ok: false, error: known });
        if (typeof args.user !== 'string') return answer(200, { ok: false, error: 'user_not_in_channel' });
        const problem = messageProblem(args);
        if (problem) return answer(200, { ok: false, error: problem });
        ephemerals.push(args);
        return answer(200, { ok: true, message_ts: `${Math.floor(Date.now() / 1000)}.${++counter}` });
      }
      case 'chat.getPermalink': {
        const ts = args.message_ts;
        if (!messages.some((m) => m.channel === channel && m.ts === ts)) {
          return answer(200, { ok: false, error: 'message_not_found' });
        }
        const id = String(ts).replace('.', '');
        return answer(200, {
          ok: true,
          channel,
          permalink: `https://fake-workspace.slack.com/archives/${channel}/p${id}`,
        });
      }
      case 'users.info': {
        const id = typeof args.user === 'string' ? args.user : '';
        const role = options.users?.[id];
        if (!role) return answer(200, { ok: false, error: 'user_not_found' });
        return answer(200, {
          ok: true,
          user: { id, team_id: 'T0FAKE', name: id.toLowerCase(), is_admin: false, is_owner: false, ...role },
        });
      }
      case 'usergroups.users.list': {
        const group = typeof args.usergroup === 'string' ? args.usergroup : '';
        const members = options.userGroups?.[group];
        if (!members) return answer(200, { ok: false, error: 'no_such_subteam' });
        return answer(200, { ok: true, users: [...members] });
      }
      default:
        return answer(200, { ok: false, error: 'unknown_method' });
    }
  }

  function channelProblem(channel: string): string | null {
    if (members.has(channel)) return null;
    return outsiders.has(channel) ? 'not_in_channel' : 'channel_not_found';
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${origin}/api/`,
    calls,
    messages,
    ephemerals,
    responses,
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id)}`,
    rateLimitNext: (channel, seconds = 1, times = 1) => {
      injected.set(channel, { seconds, times });
    },
    dropNextAccepted: (times = 1) => {
      dropAccepted += times;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The WebClient sends form fields with objects as JSON; some callers send JSON bodies. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const json =
      ((key === 'blocks' || key === 'attachments') && value.startsWith('[')) ||
      (key === 'metadata' && value.startsWith('{'));
    out[key] = json ? JSON.parse(value) : value;
  }
  return out;
}

/** `metadata` as Slack takes it: an event_type and an object payload; null when absent. */
function metadataOf(value: unknown): FakeMessage['metadata'] | 'invalid' {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'object' || value === null) return 'invalid';
  const { event_type: type, event_payload: payload } = value as { event_type?: unknown; event_payload?: unknown };
  if (typeof type !== 'string' || type === '' || typeof payload !== 'object' || payload === null) return 'invalid';
  return { event_type: type, event_payload: payload as Record<string, unknown> };
}

/** One page of a listing (limit, default 100; cursor = the offset), with Slack's next_cursor when more follow. */
function page(all: readonly Record<string, unknown>[], args: Record<string, unknown>): Record<string, unknown> {
  const limit = Math.max(1, Math.min(1_000, Number(args.limit ?? 100)));
  const start = Number(args.cursor ?? 0) || 0;
  const messages = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return { ok: true, messages, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
}

/** Slack's checks on a message, as its documentation states them; the Slack error code, or null. */
export function messageProblem(args: Record<string, unknown>): string | null {
  const text = typeof args.text === 'string' ? args.text : '';
  const blocks = args.blocks;
  if (text === '' && (blocks === undefined || blocks === '')) return 'no_text';
  if ([...text].length > MAX_TEXT) return 'msg_too_long';
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return 'invalid_blocks';
  return blocks.every(validBlock) ? null : 'invalid_blocks';
}

function textObject(value: unknown, max: number, types: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { type, text } = value as { type?: unknown; text?: unknown };
  return (
    typeof type === 'string' &&
    types.includes(type) &&
    typeof text === 'string' &&
    text.length > 0 &&
    [...text].length <= max
  );
}

function validBlock(block: unknown): boolean {
  if (typeof block !== 'object' || block === null) return false;
  const b = block as { type?: unknown; text?: unknown; elements?: unknown };
  switch (b.type) {
    case 'section':
      return textObject(b.text, 3_000, ['mrkdwn', 'plain_text']);
    case 'header':
      return textObject(b.text, 150, ['plain_text']);
    case 'context':
      return (
        Array.isArray(b.elements) &&
        b.elements.length > 0 &&
        b.elements.length <= 10 &&
        b.elements.every((e) => textObject(e, 3_000, ['mrkdwn', 'plain_text']))
      );
    case 'divider':
      return true;
    default:
      return false;
  }
}

/** Sends `/digest <text>` to a Bolt HTTP receiver as Slack would: form-encoded and signed with the secret. */
export async function sendSlashCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  options: { badSignature?: boolean; timestamp?: number } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const body = new URLSearchParams({ command: '/digest', ...fields }).toString();
  const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const hmac = createHmac('sha256', options.badSignature ? `${secret}-wrong` : secret)
    .update(`v0:${ts}:${body}`)
    .digest('hex');
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${hmac}`,
    },
    body,
  });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms in vain`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
