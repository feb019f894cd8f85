// A strict fake Discord on 127.0.0.1 for the real discord.js Client and REST: the REST API under /api/v10 (the
// routes newsdigest uses, checked against Discord's limits), a fake gateway (fake-discord-gateway.ts) that
// `GET /gateway/bot` points at, injected 429s per route, channels where the bot lacks access or permissions, and
// interactions with Discord's 3-second acknowledgement deadline. Every request is recorded. Messages keep their
// nonce: with `enforce_nonce` a repeated nonce within `nonceWindowMs` answers the message already made (as Discord
// does "within the past few minutes"); GET and PATCH of channel messages read and edit them; message posts can be
// slowed after they are stored (`acceptDelayMs`) or dropped unanswered (`dropNextAccepted`), so a test can kill
// the bot between "Discord accepted it" and "the bot recorded it".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDiscordGateway, interactionCreate } from './fake-discord-gateway.js';
import {
  checkMessage,
  commandErrors,
  error,
  formError,
  type Json,
  messageErrors,
  ok,
  parseBody,
  type Reply,
  readBody,
  routeOf,
  threadErrors,
  tooMany,
} from './fake-discord-limits.js';

export const TEXT = 0;
export const FORUM = 15;
const PUBLIC_THREAD = 11;

export interface FakeChannel {
  readonly id: string;
  readonly type: number;
  readonly name: string;
}

export interface FakeDiscordOptions {
  readonly token: string;
  readonly channels: readonly FakeChannel[];
  /** Channels where posting answers 403 50013 Missing Permissions. */
  readonly missingPermissions?: readonly string[];
  /** Channels the bot cannot see at all: 403 50001 Missing Access. */
  readonly missingAccess?: readonly string[];
  /** Channels where starting a thread answers 50013 (no Create Public Threads). */
  readonly noThreads?: readonly string[];
  /** Milliseconds an interaction may wait for its first response (Discord: 3 s). */
  readonly ackDeadlineMs?: number;
  /** The gateway accepts connections and never answers them. */
  readonly silentGateway?: boolean;
  /** How long a repeated nonce with enforce_nonce returns the first message (Discord: "a few minutes"). */
  readonly nonceWindowMs?: number;
  /**
   * Whether listed messages (GET channel messages) show their nonce. Discord documents the field but not when it
   * is kept, so by default the listing leaves it out and a lookup must match otherwise.
   */
  readonly listNonces?: boolean;
  /** Milliseconds a message post waits after the message is stored, before answering (a slow Discord). */
  readonly acceptDelayMs?: number | (() => number);
}

export interface RecordedCall {
  readonly method: string;
  /** Decoded path after /api/v10, without the query. */
  readonly path: string;
  /** The route's template, e.g. "POST /channels/:id/messages". */
  readonly route: string;
  readonly body: unknown;
  readonly status: number;
  readonly at: number;
  /** Sent again before the last 429's retry_after was over. */
  readonly early: boolean;
}

export interface FakeMessage {
  readonly id: string;
  readonly channelId: string;
  body: Record<string, unknown>;
  readonly nonce: string | null;
  readonly at: number;
  /** Times the message was edited (PATCH). */
  edits: number;
}

export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly dispatchedAt: number;
  ack: { type: number; at: number; flags: number; data: Record<string, unknown> | null } | null;
  original: Record<string, unknown> | null;
  readonly followUps: Record<string, unknown>[];
}

const asJson = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export class FakeDiscord {
  readonly applicationId = '700000000000000001';
  readonly botUserId = '700000000000000001';
  readonly guildId = '700000000000000002';
  readonly calls: RecordedCall[] = [];
  readonly messages: FakeMessage[] = [];
  /** Thread id -> the channel and message it was started from. */
  readonly threads = new Map<string, { parent: string; name: string }>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly commands: { scope: string; body: unknown }[] = [];
  readonly gateway: FakeDiscordGateway;
  private readonly channels = new Map<string, FakeChannel>();
  private readonly limits: { method: string; route: string; after: number; retryAfter: number }[] = [];
  private readonly blockedUntil = new Map<string, number>();
  private server: Server | null = null;
  private nextId = 800_000_000_000_000_000n;
  private dropAccepted = 0;
  /** Message posts answered with the earlier message of their nonce instead of a new one. */
  repeatedNonces = 0;

  constructor(private readonly options: FakeDiscordOptions) {
    for (const c of options.channels) this.channels.set(c.id, c);
    this.gateway = new FakeDiscordGateway({
      applicationId: this.applicationId,
      botUserId: this.botUserId,
      guildId: this.guildId,
      channels: options.channels,
      ...(options.silentGateway === true ? { silent: true } : {}),
    });
  }

  /** The REST base to give discord.js (`rest.api`): discord.js appends /v10. */
  get apiUrl(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake discord not started');
    return `http://127.0.0.1:${address.port}/api`;
  }

  async start(): Promise<void> {
    await this.gateway.start();
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  }

  async close(): Promise<void> {
    await this.gateway.close();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** The `after + 1`-th request on this route gets a 429 with `retry_after` (seconds). */
  rateLimit(method: string, route: string, retryAfter: number, after = 0): void {
    this.limits.push({ method, route, after, retryAfter });
  }

  /** The next `times` message posts are stored, then their connection is closed without an answer. */
  dropNextAccepted(times = 1): void {
    this.dropAccepted += times;
  }

  /** Messages posted in a channel or thread, in order. */
  messagesIn(channelId: string): FakeMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }

  /**
   * Dispatches a `/digest` INTERACTION_CREATE over the gateway; returns the interaction's token. `member`: the
   * asker's user id and permission bits in the channel (default: a reader with every permission).
   */
  interact(
    channelId: string,
    options: Record<string, string | boolean>,
    member: { readonly userId?: string; readonly permissions?: bigint } = {},
  ): FakeInteraction {
    const id = this.snowflake();
    const token = `itoken-${id}`;
    const interaction: FakeInteraction = {
      id,
      token,
      dispatchedAt: Date.now(),
      ack: null,
      original: null,
      followUps: [],
    };
    this.interactions.set(token, interaction);
    const channel = this.channels.get(channelId) ?? { id: channelId, type: TEXT, name: 'unknown' };
    this.gateway.dispatch(
      'INTERACTION_CREATE',
      interactionCreate({
        id,
        token,
        channel,
        options,
        applicationId: this.applicationId,
        guildId: this.guildId,
        ...member,
      }),
    );
    return interaction;
  }

  private snowflake(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    const prefix = '/api/v10';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const route = `${method} ${routeOf(parts)}`;
    const now = Date.now();
    const early = (this.blockedUntil.get(route) ?? 0) > now;
    let reply: Reply;
    const limit = this.limits.find((l) => `${l.method} ${l.route}` === route);
    if (early) {
      reply = tooMany((this.blockedUntil.get(route) ?? now) - now);
    } else if (limit && limit.after-- <= 0) {
      this.limits.splice(this.limits.indexOf(limit), 1);
      this.blockedUntil.set(route, now + limit.retryAfter * 1000);
      reply = tooMany(limit.retryAfter * 1000);
    } else if (!url.pathname.startsWith(prefix)) {
      reply = { status: 404, body: { message: '404: Not Found', code: 0 } };
    } else if (
      !/^(interactions|webhooks)$/.test(parts[0] ?? '') &&
      req.headers.authorization !== `Bot ${this.options.token}`
    ) {
      reply = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    } else {
      reply = this.route(method, parts, body, url.searchParams);
    }
    this.calls.push({ method, path: `/${parts.join('/')}`, route, body, status: reply.status, at: now, early });
    if (reply.status === 200 && (route === 'POST /channels/:id/messages' || route === 'POST /channels/:id/threads')) {
      if (this.dropAccepted > 0) {
        this.dropAccepted--;
        req.socket.destroy();
        return;
      }
      const delay = this.options.acceptDelayMs;
      const ms = typeof delay === 'function' ? delay() : (delay ?? 0);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    }
    const type: Record<string, string> = reply.body === undefined ? {} : { 'content-type': 'application/json' };
    res.writeHead(reply.status, { ...type, ...reply.headers });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  private route(method: string, p: string[], body: unknown, query: URLSearchParams): Reply {
    const [a, b, c, d, e] = p;
    const r = routeOf(p);
    if (method === 'GET' && r === '/gateway/bot') {
      const limit = { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 };
      return ok({ url: this.gateway.url, shards: 1, session_start_limit: limit });
    }
    if (method === 'GET' && r === '/users/@me') {
      return ok({ id: this.botUserId, username: 'newsdigest', discriminator: '0', global_name: null, bot: true });
    }
    if (method === 'GET' && r === '/applications/@me')
      return ok({ id: this.applicationId, name: 'newsdigest', flags: 0 });
    if (method === 'PUT' && r === '/applications/:id/commands' && b === this.applicationId)
      return this.putCommands('global', body);
    if (method === 'PUT' && r === '/applications/:id/guilds/:id/commands' && b === this.applicationId) {
      return d === this.guildId ? this.putCommands(`guild:${d}`, body) : error(403, 50001, 'Missing Access');
    }
    if (a === 'channels' && b) {
      const denied = this.denied(b, method === 'GET' ? 'read' : c === 'messages' && !e ? 'send' : 'thread');
      if (denied) return denied;
      if (method === 'GET' && r === '/channels/:id') return ok(this.channelJson(b));
      if (method === 'POST' && r === '/channels/:id/messages') return this.postMessage(b, body);
      if (method === 'GET' && r === '/channels/:id/messages') return this.listMessages(b, query);
      if (method === 'PATCH' && r === '/channels/:id/messages/:id' && d) return this.editMessage(b, d, body);
      if (method === 'POST' && r === '/channels/:id/messages/:id/threads' && d) return this.startThread(b, d, body);
      if (method === 'POST' && r === '/channels/:id/threads') return this.forumPost(b, body);
    }
    if (method === 'POST' && r === '/interactions/:id/:id/callback' && c) return this.callback(c, body, query);
    if (a === 'webhooks' && b === this.applicationId && c) return this.webhook(method, c, e ?? null, body);
    return error(404, 0, '404: Not Found');
  }

  private denied(channelId: string, action: 'read' | 'send' | 'thread'): Reply | null {
    const thread = this.threads.get(channelId);
    const channel = thread ? thread.parent : channelId;
    if (!this.channels.has(channel)) return error(404, 10003, 'Unknown Channel');
    if (this.options.missingAccess?.includes(channel)) return error(403, 50001, 'Missing Access');
    if (action === 'read') return null;
    if (this.options.missingPermissions?.includes(channel)) return error(403, 50013, 'Missing Permissions');
    if (action === 'thread' && this.options.noThreads?.includes(channel))
      return error(403, 50013, 'Missing Permissions');
    return null;
  }

  private channelJson(id: string): Json {
    const thread = this.threads.get(id);
    if (thread) return { id, type: PUBLIC_THREAD, parent_id: thread.parent, name: thread.name, guild_id: this.guildId };
    const c = this.channels.get(id);
    return { id, type: c?.type ?? TEXT, name: c?.name ?? '', guild_id: this.guildId };
  }

  private postMessage(channelId: string, body: unknown): Reply {
    const channel = this.channels.get(channelId);
    if (channel?.type === FORUM) return error(400, 50024, 'Cannot execute action on this channel type');
    const invalid = checkMessage(body) ?? formError(nonceErrors(body));
    if (invalid) return invalid;
    const b = asJson(body);
    const nonce = b.nonce === undefined || b.nonce === null ? null : String(b.nonce);
    if (nonce !== null && b.enforce_nonce === true) {
      const since = Date.now() - (this.options.nonceWindowMs ?? 300_000);
      const earlier = this.messages.find((m) => m.channelId === channelId && m.nonce === nonce && m.at >= since);
      if (earlier) {
        this.repeatedNonces++;
        return ok(this.messageJson(earlier.id, channelId, earlier.body, nonce));
      }
    }
    return ok(this.store(channelId, b, this.snowflake(), nonce));
  }

  /** Newest first, at most `limit` (1-100, default 50), as Discord lists a channel's messages. */
  private listMessages(channelId: string, query: URLSearchParams): Reply {
    const limit = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return (
        formError([{ path: 'limit', code: 'NUMBER_TYPE_MAX', message: 'int value should be <= 100 and >= 1.' }]) ??
        ok([])
      );
    }
    const listed = this.messagesIn(channelId).slice(-limit).reverse();
    return ok(listed.map((m) => this.messageJson(m.id, channelId, m.body, this.options.listNonces ? m.nonce : null)));
  }

  private editMessage(channelId: string, messageId: string, body: unknown): Reply {
    const message = this.messages.find((m) => m.id === messageId && m.channelId === channelId);
    if (!message) return error(404, 10008, 'Unknown Message');
    const b = asJson(body);
    const invalid = checkMessage({ ...message.body, ...b });
    if (invalid) return invalid;
    message.body = { ...message.body, ...b };
    message.edits++;
    return ok(this.messageJson(message.id, channelId, message.body));
  }

  private startThread(channelId: string, messageId: string, body: unknown): Reply {
    const message = this.messages.find((m) => m.id === messageId && m.channelId === channelId);
    if (!message) return error(404, 10008, 'Unknown Message');
    if (this.threads.has(messageId)) return error(400, 160004, 'A thread has already been created for this message');
    const invalid = formError(threadErrors(body));
    if (invalid) return invalid;
    const name = String(asJson(body).name);
    this.threads.set(messageId, { parent: channelId, name });
    return ok({ ...this.channelJson(messageId), owner_id: this.botUserId, message_count: 0 });
  }

  private forumPost(channelId: string, body: unknown): Reply {
    if (this.channels.get(channelId)?.type !== FORUM)
      return error(400, 50024, 'Cannot execute action on this channel type');
    const b = asJson(body);
    const invalid =
      formError([...threadErrors(body), ...messageErrors(b.message, 'message.')]) ?? checkMessage(b.message);
    if (invalid) return invalid;
    const id = this.snowflake();
    this.threads.set(id, { parent: channelId, name: String(b.name) });
    const message = this.store(id, asJson(b.message), id);
    return ok({ ...this.channelJson(id), message });
  }

  private callback(token: string, body: unknown, query: URLSearchParams): Reply {
    const interaction = this.interactions.get(token);
    const deadline = this.options.ackDeadlineMs ?? 3000;
    if (!interaction || (!interaction.ack && Date.now() - interaction.dispatchedAt > deadline)) {
      return error(404, 10062, 'Unknown interaction');
    }
    if (interaction.ack) return error(400, 40060, 'Interaction has already been acknowledged.');
    const b = asJson(body);
    const data = b.data === undefined ? null : asJson(b.data);
    if (b.type === 4) {
      const invalid = checkMessage(data);
      if (invalid) return invalid;
      interaction.original = data;
    } else if (b.type !== 5) {
      return (
        formError([{ path: 'type', code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (4, 5).' }]) ?? ok({})
      );
    }
    interaction.ack = { type: Number(b.type), at: Date.now(), flags: Number(data?.flags ?? 0), data };
    if (query.get('with_response') !== 'true') return { status: 204 };
    return ok({ interaction: { id: interaction.id, type: 2 }, resource: { type: b.type } });
  }

  private webhook(method: string, token: string, messageId: string | null, body: unknown): Reply {
    const interaction = this.interactions.get(token);
    if (!interaction?.ack) return error(404, 10015, 'Unknown Webhook');
    if (method === 'PATCH' && messageId === '@original') {
      const invalid = checkMessage({ content: 'x', ...asJson(body) });
      if (invalid) return invalid;
      interaction.original = { ...interaction.original, ...asJson(body) };
      return ok(this.messageJson(`original-${interaction.id}`, 'interaction', interaction.original));
    }
    if (method === 'GET' && messageId === '@original') {
      return ok(this.messageJson(`original-${interaction.id}`, 'interaction', interaction.original ?? {}));
    }
    if (method === 'POST' && messageId === null) {
      const invalid = checkMessage(body);
      if (invalid) return invalid;
      interaction.followUps.push(asJson(body));
      return ok(this.messageJson(this.snowflake(), 'interaction', asJson(body)));
    }
    return error(404, 0, '404: Not Found');
  }

  private putCommands(scope: string, body: unknown): Reply {
    const invalid = formError(commandErrors(body));
    if (invalid) return invalid;
    this.commands.push({ scope, body });
    const list = Array.isArray(body) ? body : [];
    return ok(
      list.map((c: unknown) => ({
        ...asJson(c),
        id: this.snowflake(),
        application_id: this.applicationId,
        version: '1',
      })),
    );
  }

  private store(channelId: string, body: Json, id = this.snowflake(), nonce: string | null = null): Json {
    this.messages.push({ id, channelId, body, nonce, at: Date.now(), edits: 0 });
    return this.messageJson(id, channelId, body, nonce);
  }

  private messageJson(id: string, channelId: string, body: Json, nonce: string | null = null): Json {
    return {
      ...(nonce === null ? {} : { nonce }),
      id,
      channel_id: channelId,
      author: {
        id: this.botUserId,
        username: 'newsdigest',
        discriminator: '0',
        global_name: null,
        avatar: null,
        bot: true,
      },
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: [],
      pinned: false,
      type: 0,
      flags: Number(body.flags ?? 0),
    };
  }
}

/** Discord's checks on a nonce: an integer or a string of at most 25 characters. */
function nonceErrors(body: unknown): { path: string; code: string; message: string }[] {
  const nonce = asJson(body).nonce;
  if (nonce === undefined || nonce === null || Number.isInteger(nonce)) return [];
  if (typeof nonce === 'string' && nonce.length <= 25) return [];
  return [{ path: 'nonce', code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }];
}
