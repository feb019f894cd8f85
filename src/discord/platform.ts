// Discord as a whole, for the composition root: one discord.js Client (its REST client posts digests; its gateway
// connection receives `/digest`), a publisher per configured channel, and command registration.

import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import type { Asker, DigestSearch, EditorCommand } from '../domain/digest-query.js';
import type { Clock, Logger, Publisher, QueryAnswer } from '../ports.js';
import { DIGEST_COMMAND, registerDigestCommand } from './command.js';
import { handleDigestCommand } from './digest-command.js';
import { type AutoArchiveMinutes, createDiscordPublisher } from './publisher.js';
import { type DiscordRequestPolicy, discordRestOptions } from './request-policy.js';

export interface DiscordPlatformConfig {
  /** The bot token (DISCORD_TOKEN). */
  readonly token: string;
  /** REST base, `https://discord.com/api` in production (`discord.apiUrl`). */
  readonly apiUrl: string;
  /** When set, `/digest` is registered in this server only (instant); else globally. */
  readonly guildId?: string | undefined;
  /** Configured topic names, offered as the `topic` option's choices. */
  readonly topicNames: readonly string[];
  readonly autoArchiveMinutes?: AutoArchiveMinutes;
  /** How long `start` waits for the gateway's READY. */
  readonly readyTimeoutMs?: number;
  /** REST request timeout, retries and the longest rate-limit wait; default: 24 s per call at worst. */
  readonly requestPolicy?: DiscordRequestPolicy;
}

export interface DiscordPlatformDeps {
  readonly logger: Logger;
  /** Answers a search asked in `channel`: the configured channel id (so the answer says what it already got), or
   * null for a Discord channel the config does not name. */
  readonly answerQuery: (query: DigestSearch, channel: string | null) => Promise<QueryAnswer>;
  /** The configured channel id of a Discord channel id, when the config names it. */
  readonly channelOf?: (channelId: string) => string | undefined;
  readonly status: () => Promise<string[]>;
  readonly clock?: Clock;
  /** The zone of a Discord channel id, for `/digest` answers there; UTC for channels the config does not name. */
  readonly timeZoneOf?: (channelId: string) => string;
  /** Answers `/digest subscribe|unsubscribe|mute|unmute|feeds|topics` in the configured channel id (null: a Discord
   * channel the config does not name). */
  readonly editor?: (command: EditorCommand, channel: string | null, asker: Asker) => Promise<string>;
}

export interface DiscordPlatform {
  /** A Publisher posting to one channel (text, announcement or forum), through the shared REST queue. */
  publisher(channelId: string, timeZone?: string): Publisher;
  /** Connects to the gateway and answers `/digest`; registers it first when a guild id is configured. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Registers `/digest` (guild-scoped when a guild id is configured, else global): `newsdigest discord register`. */
  register(): Promise<void>;
  /** The gateway connection is up (READY and not dropped): readiness for `/healthz`. */
  connected(): boolean;
}

export class DiscordStartError extends Error {
  override readonly name = 'DiscordStartError';
}

class DiscordReadyTimeout extends Error {
  override readonly name = 'DiscordReadyTimeout';
  constructor(timeoutMs: number) {
    super(`no READY from Discord in ${timeoutMs} ms`);
  }
}

/** How long stopping waits for discord.js to close its gateway connection. */
const DESTROY_WAIT_MS = 3_000;

/**
 * client.destroy(), waited for at most DESTROY_WAIT_MS. discord.js never settles destroy() on a connection whose
 * gateway has not said Hello (measured against a silent gateway: still pending after 40 s, the shard reconnecting),
 * so stopping gives up waiting, says so, and goes on closing the rest.
 */
async function destroyWithin(client: Client, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'gave up'>((resolve) => {
    timer = setTimeout(() => resolve('gave up'), DESTROY_WAIT_MS);
  });
  const destroyed = client.destroy().then(
    () => 'destroyed' as const,
    (error: unknown) => {
      logger.warn({ err: error }, 'discord client did not close cleanly');
      return 'destroyed' as const;
    },
  );
  try {
    if ((await Promise.race([destroyed, gaveUp])) === 'gave up') {
      logger.warn({ waitedMs: DESTROY_WAIT_MS }, 'discord gateway connection did not close in time: left behind');
    }
  } finally {
    clearTimeout(timer);
  }
}

export function createDiscordPlatform(config: DiscordPlatformConfig, deps: DiscordPlatformDeps): DiscordPlatform {
  // the composition root tags the platform once; a second tag would repeat the key in every line
  const logger = deps.logger;
  const clock = deps.clock ?? { now: () => new Date() };
  const rest = { api: config.apiUrl, ...discordRestOptions(config.requestPolicy) };
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest });
  // publishing needs only REST: scheduled digests work without a gateway connection
  client.rest.setToken(config.token);
  client.rest.on('rateLimited', (info) => {
    logger.warn(
      { route: info.route, method: info.method, retryAfterMs: info.retryAfter },
      'discord rate limit: waiting',
    );
  });
  client.on(Events.Warn, (message) => logger.warn({ source: 'discord.js' }, message));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand() || interaction.commandName !== DIGEST_COMMAND) return;
    const channel = deps.channelOf?.(interaction.channelId) ?? null;
    const handled = handleDigestCommand(interaction, {
      rest: client.rest,
      logger,
      answerQuery: (query) => deps.answerQuery(query, channel),
      status: deps.status,
      now: () => clock.now(),
      timeZone: deps.timeZoneOf?.(interaction.channelId) ?? 'UTC',
      ...(deps.editor
        ? { editor: (command, asker) => deps.editor?.(command, channel, asker) ?? Promise.resolve('') }
        : {}),
    });
    handled.catch((error: unknown) => {
      // a reply that failed (the interaction expired, Discord down) must not take the process down
      logger.error({ err: error }, '/digest reply failed');
    });
  });

  const register = async (): Promise<void> => {
    await registerDigestCommand(client.rest, {
      ...(client.application ? { applicationId: client.application.id } : {}),
      guildId: config.guildId,
      topicNames: config.topicNames,
      logger,
    });
  };

  return {
    publisher: (channelId, timeZone) =>
      createDiscordPublisher({
        rest: client.rest,
        channelId,
        logger,
        ...(timeZone ? { timeZone } : {}),
        ...(config.autoArchiveMinutes ? { autoArchiveMinutes: config.autoArchiveMinutes } : {}),
      }),
    async start() {
      const timeoutMs = config.readyTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        client.once(Events.ClientReady, () => resolve());
        timer = setTimeout(() => reject(new DiscordReadyTimeout(timeoutMs)), timeoutMs);
      });
      try {
        // awaited together: a gateway that never answers leaves login() pending, and the timer's rejection must
        // end start() then, not surface later as an unhandled rejection (it took the process down)
        await Promise.all([client.login(config.token), ready]);
      } catch (error) {
        await destroyWithin(client, logger);
        const message =
          error instanceof DiscordReadyTimeout
            ? `Could not connect to Discord: its gateway did not get ready within ${Math.round(timeoutMs / 1000)} s`
            : 'Could not connect to Discord (is DISCORD_TOKEN right?)';
        throw new DiscordStartError(message, { cause: error });
      } finally {
        clearTimeout(timer);
      }
      logger.info({ user: client.user?.tag ?? null }, 'connected to discord');
      if (config.guildId) await register();
    },
    async stop() {
      await destroyWithin(client, logger);
    },
    register,
    // the client stays "ready" while a shard reconnects: every shard must be up too
    connected: () => client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready),
  };
}
