// A fake Discord gateway on 127.0.0.1: enough of the protocol for the real discord.js Client to log in and receive
// interactions. Hello (op 10) -> Identify (op 2) -> READY and GUILD_CREATE dispatches; heartbeats (op 1) answered
// with op 11; Resume (op 6) answered with RESUMED. `dispatch` sends any event to every identified connection.
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeGatewayOptions {
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly channels: readonly { id: string; type: number; name: string }[];
  /** Accept connections and never say a word (no Hello, no READY): a gateway that does not answer. */
  readonly silent?: boolean;
}

interface Frame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

export class FakeDiscordGateway {
  readonly identifies: unknown[] = [];
  heartbeats = 0;
  /** WebSocket connections accepted, answered or not. */
  connections = 0;
  private server: WebSocketServer | null = null;
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly options: FakeGatewayOptions) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake gateway not started');
    return `ws://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server = server;
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.on('connection', (socket) => {
      this.connections++;
      if (this.options.silent === true) return;
      this.send(socket, { op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
      socket.on('message', (raw) => this.receive(socket, String(raw)));
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Resolves once a client has identified (and been sent READY). */
  identified(): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  dispatch(event: string, data: unknown): void {
    for (const socket of this.sockets) this.send(socket, { op: 0, t: event, s: ++this.seq, d: data });
  }

  async close(): Promise<void> {
    for (const socket of this.server?.clients ?? []) socket.terminate();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(socket: WebSocket, raw: string): void {
    const frame = JSON.parse(raw) as Frame;
    if (frame.op === 1) {
      this.heartbeats++;
      this.send(socket, { op: 11, d: null, s: null, t: null });
    } else if (frame.op === 2) {
      this.identifies.push(frame.d);
      this.sockets.add(socket);
      this.ready(socket);
      for (const resolve of this.waiting.splice(0)) resolve();
    } else if (frame.op === 6) {
      this.sockets.add(socket);
      this.send(socket, { op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
    }
  }

  private ready(socket: WebSocket): void {
    const { applicationId, botUserId, guildId } = this.options;
    this.send(socket, {
      op: 0,
      t: 'READY',
      s: ++this.seq,
      d: {
        v: 10,
        user: { id: botUserId, username: 'newsdigest', discriminator: '0', global_name: null, avatar: null, bot: true },
        guilds: [{ id: guildId, unavailable: true }],
        session_id: 'fake-session',
        // a resume must come back here, never to discord.com
        resume_gateway_url: this.url,
        shard: [0, 1],
        application: { id: applicationId, flags: 0 },
      },
    });
    this.send(socket, {
      op: 0,
      t: 'GUILD_CREATE',
      s: ++this.seq,
      d: {
        id: guildId,
        name: 'Fake newsroom',
        unavailable: false,
        owner_id: '1',
        member_count: 2,
        features: [],
        roles: [],
        emojis: [],
        stickers: [],
        members: [],
        threads: [],
        presences: [],
        voice_states: [],
        stage_instances: [],
        guild_scheduled_events: [],
        soundboard_sounds: [],
        joined_at: new Date(0).toISOString(),
        channels: this.options.channels.map((c, i) => ({
          ...c,
          guild_id: guildId,
          position: i,
          permission_overwrites: [],
        })),
      },
    });
  }

  private send(socket: WebSocket, frame: Frame): void {
    socket.send(JSON.stringify(frame));
  }
}

const EVERYTHING = '2248473465835073';

/** A `/digest` INTERACTION_CREATE as Discord sends it for a guild text channel. */
export function interactionCreate(args: {
  id: string;
  token: string;
  applicationId: string;
  guildId: string;
  channel: { id: string; type: number; name: string };
  options: Record<string, string | boolean>;
  userId?: string;
  /** The member's permission bits in the channel; default every permission. */
  permissions?: bigint;
}): Record<string, unknown> {
  const { guildId } = args;
  const user = {
    id: args.userId ?? '700000000000000009',
    username: 'reader',
    discriminator: '0',
    global_name: 'Reader',
    avatar: null,
  };
  const options = Object.entries(args.options).map(([name, value]) => ({
    name,
    type: typeof value === 'boolean' ? 5 : 3,
    value,
  }));
  return {
    id: args.id,
    application_id: args.applicationId,
    type: 2,
    token: args.token,
    version: 1,
    data: { id: '700000000000000010', name: 'digest', type: 1, guild_id: guildId, options },
    guild_id: guildId,
    channel_id: args.channel.id,
    channel: { ...args.channel, guild_id: guildId, permissions: EVERYTHING },
    member: {
      user,
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: args.permissions === undefined ? EVERYTHING : String(args.permissions),
    },
    app_permissions: EVERYTHING,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    // discord.js 14.28 reads this unconditionally and crashes without it
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 8_388_608,
  };
}
