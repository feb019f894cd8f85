// The Slack side of newsdigest: a Bolt App (HTTP receiver with the signing secret verified, or Socket Mode when an
// app token is configured) answering `/digest`, and publishers posting scheduled digests through the same
// WebClient. Everything is injected; nothing here reads the environment (config.ts does) or runs at import time.
import type { AddressInfo } from 'node:net';
import { App, type SlashCommand, webApi } from '@slack/bolt';
import type { Asker, DigestSearch, EditorCommand } from '../domain/digest-query.js';
import type { Clock, Logger, Publisher, QueryAnswer } from '../ports.js';
import { boltLogger } from './bolt-logger.js';
import { answerDigestCommand, type CommandReply } from './command.js';
import { type SlackEditors, slackAsker } from './editors.js';
import { SlackDeliveryError, toDeliveryError } from './errors.js';
import type { SlackMessage } from './limits.js';
import { ChannelPacer } from './pacer.js';
import { createSlackPublisher, type DigestThreads, memoryThreads, type SlackPoster, slackPoster } from './publisher.js';
import { packForResponses, plainMessage, RESPONSE_URL_USES } from './render.js';
import { type SlackRequestPolicy, slackClientOptions } from './request-policy.js';

type WebClient = webApi.WebClient;
type Respond = (message: SlackMessage & { response_type: 'ephemeral' }) => Promise<unknown>;

export interface SlackAppOptions {
  readonly botToken: string;
  /** Verifies HTTP requests; required unless `appToken` selects Socket Mode. */
  readonly signingSecret?: string;
  /** An app-level token (xapp-...): Socket Mode instead of the HTTP receiver. */
  readonly appToken?: string;
  /** The Web API base URL (`slack.apiUrl`), e.g. https://slack.com/api/. */
  readonly apiUrl: string;
  /** The HTTP receiver's port (0 picks a free one) and address (all interfaces when absent). */
  readonly port: number;
  readonly host?: string;
  /** Builds the reply to `/digest <text>` from `user` in `channel`. */
  readonly answer: (text: string, user: string, channel: string) => Promise<CommandReply>;
  readonly logger: Logger;
  /** Request timeout, retries and the longest Retry-After honoured; default: about 21 s per call at worst. A 429
   * is retried after exactly its Retry-After (rate-limit.ts), within the same budget. */
  readonly requestPolicy?: SlackRequestPolicy;
  /** Overrides the policy's retries (tests use webApi.retryPolicies.rapidRetryPolicy). */
  readonly retryConfig?: webApi.RetryOptions;
  readonly pacer?: ChannelPacer;
}

export interface SlackApp {
  readonly app: App;
  readonly client: WebClient;
  readonly pacer: ChannelPacer;
  /** Posts through the client, paced; and asks for permalinks. */
  readonly poster: SlackPoster;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The HTTP receiver's port once started (null in Socket Mode or before start). */
  port(): number | null;
}

export class SlackConfigError extends Error {
  override readonly name = 'SlackConfigError';
}

/** Slack refused the connection at start (a bad or revoked token): the message carries the hint. */
export class SlackStartError extends Error {
  override readonly name = 'SlackStartError';
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  // tagged with the platform by the composition root, once
  const log = options.logger;
  const { appToken, signingSecret } = options;
  const socketMode = appToken !== undefined;
  if (!socketMode && !signingSecret) {
    throw new SlackConfigError(
      'Slack needs SLACK_SIGNING_SECRET for the HTTP receiver, or SLACK_APP_TOKEN for Socket Mode: set one of them',
    );
  }
  const clientOptions = {
    slackApiUrl: options.apiUrl,
    ...slackClientOptions(options.requestPolicy, options.retryConfig),
    // a 429 is thrown at once and retried after exactly its Retry-After (rate-limit.ts), not Retry-After + backoff
    rejectRateLimitedCalls: true,
  };
  // our own client for posting and auth.test: Bolt's is built inside the App, token-less once `authorize` is given
  const client = new webApi.WebClient(options.botToken, { ...clientOptions, logger: boltLogger(log) });
  // who the bot is, asked once (at start) and kept: Bolt's own token authorization without token verification
  // called auth.test again for every slash command
  let identity: Promise<{ botId: string; botUserId: string }> | undefined;
  const whoAmI = () => {
    identity ??= client.auth.test().then(
      (r) => ({ botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? '') }),
      (error: unknown) => {
        identity = undefined;
        throw error;
      },
    );
    return identity;
  };
  const app = new App({
    authorize: async () => ({ botToken: options.botToken, ...(await whoAmI()) }),
    logger: boltLogger(log),
    clientOptions,
    ...(appToken !== undefined
      ? { socketMode: true, appToken }
      : { signingSecret: signingSecret ?? '', port: options.port }),
  });
  const pacer = options.pacer ?? new ChannelPacer();
  const poster = slackPoster(client, pacer);

  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'Slack request failed');
  });

  app.command('/digest', async ({ command, ack, respond }) => {
    // ack first, always: Slack shows the user an error after 3 seconds without one
    await ack();
    const commandLog = log.child({ user: command.user_id, slackChannel: command.channel_id });
    const reply: Respond = (message) => respond({ ...message, replace_original: false });
    try {
      const answer = await options.answer(command.text, command.user_id, command.channel_id);
      await sendReply(answer, command, reply, poster, commandLog);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      commandLog.error({ err: error, text: command.text }, '/digest failed');
      await reply({ response_type: 'ephemeral', ...plainMessage(`Sorry, /digest failed: ${message}`) }).catch(
        (e: unknown) => commandLog.warn({ err: e }, 'could not tell the user'),
      );
    }
  });

  let port: number | null = null;
  // only a started receiver may be stopped: Bolt rejects stop() otherwise, and `run --once`, `feeds` and
  // `discord register` use the WebClient alone
  let started = false;
  return {
    app,
    client,
    pacer,
    poster,
    async start() {
      try {
        await whoAmI();
      } catch (error) {
        const failure = toDeliveryError(error, 'auth.test');
        throw new SlackStartError(`Slack did not accept the bot token: ${failure.code}: ${failure.hint}`, {
          cause: failure,
        });
      }
      if (socketMode) {
        await app.start();
        started = true;
        log.info('Slack connected in Socket Mode');
        return;
      }
      const server = await app.start({ port: options.port, ...(options.host ? { host: options.host } : {}) });
      started = true;
      const address = server.address();
      port = address !== null && typeof address === 'object' ? (address as AddressInfo).port : options.port;
      log.info({ port }, 'Slack HTTP receiver listening on /slack/events');
    },
    async stop() {
      if (!started) return;
      started = false;
      port = null;
      await app.stop();
    },
    port: () => port,
  };
}

async function sendReply(
  answer: CommandReply,
  command: SlashCommand,
  respond: Respond,
  poster: SlackPoster,
  log: Logger,
): Promise<void> {
  if (answer.kind === 'ephemeral') {
    for (const message of answer.messages) await respond({ response_type: 'ephemeral', ...message });
    return;
  }
  const channel = command.channel_id;
  let parentTs: string;
  try {
    parentTs = await poster.post(channel, answer.rendered.parent);
  } catch (error) {
    const failure = toDeliveryError(error, channel);
    if (failure.code !== 'not_in_channel' && failure.code !== 'channel_not_found') throw failure;
    // the app cannot post here (a DM, or not invited): the answer goes to the asker alone
    log.warn({ code: failure.code }, '/digest answered privately: the app cannot post in this channel');
    const note = plainMessage(`I can't post in this channel (${failure.hint}). Here is the answer, only for you:`);
    await respond({ response_type: 'ephemeral', ...note });
    for (const message of packForResponses(answer.rendered, RESPONSE_URL_USES - 1)) {
      await respond({ response_type: 'ephemeral', ...message });
    }
    return;
  }
  for (const story of answer.rendered.stories) {
    for (const message of story.messages) await poster.post(channel, message, parentTs);
  }
  log.info({ stories: answer.rendered.stories.length }, '/digest answered in a thread');
}

export type SlackPlatformConfig = Pick<
  SlackAppOptions,
  'botToken' | 'signingSecret' | 'appToken' | 'apiUrl' | 'port' | 'host'
>;

export interface SlackPlatformDeps {
  readonly logger: Logger;
  /** Answers a search asked in `channel`: the configured channel id (so the answer says what it already got), or
   * null for a Slack channel the config does not name. */
  readonly answerQuery: (query: DigestSearch, channel: string | null) => Promise<QueryAnswer>;
  /** The configured channel id of a Slack channel id, when the config names it. */
  readonly channelOf?: (slackChannel: string) => string | undefined;
  readonly status: () => Promise<string[]>;
  /** Zone for times in /digest answers from a channel the config does not name. */
  readonly timeZone: string;
  /** The zone of a Slack channel id the config names, for /digest answers there. */
  readonly timeZoneOf?: (slackChannel: string) => string | undefined;
  /** Where digest parents are remembered for resuming (ledgerThreads(storage.deliveries)); memory when absent. */
  readonly threads?: DigestThreads;
  readonly clock?: Clock;
  readonly retryConfig?: webApi.RetryOptions;
  readonly pacer?: ChannelPacer;
  /** `/digest subscribe|unsubscribe|mute|unmute|feeds|topics`: who besides admins may change feeds, and the
   * answer for the configured channel id (null: a Slack channel the config does not name). */
  readonly editors?: SlackEditors & {
    readonly answer: (command: EditorCommand, channel: string | null, asker: Asker) => Promise<string>;
  };
}

export interface SlackPlatform {
  /** A publisher posting to the Slack channel id, with times in `timeZone`. */
  publisher(channel: string, timeZone: string): Publisher;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The HTTP receiver's port once started (tests start on port 0). */
  port(): number | null;
}

/** What compose.ts wires: one Bolt App for /digest, and publishers sharing its WebClient and pacing. */
export function createSlackPlatform(config: SlackPlatformConfig, deps: SlackPlatformDeps): SlackPlatform {
  const clock = deps.clock ?? { now: () => new Date() };
  const threads = deps.threads ?? memoryThreads();
  const editors = deps.editors;
  const slack = createSlackApp({
    botToken: config.botToken,
    ...(config.signingSecret === undefined ? {} : { signingSecret: config.signingSecret }),
    ...(config.appToken === undefined ? {} : { appToken: config.appToken }),
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(deps.retryConfig === undefined ? {} : { retryConfig: deps.retryConfig }),
    ...(deps.pacer === undefined ? {} : { pacer: deps.pacer }),
    apiUrl: config.apiUrl,
    port: config.port,
    logger: deps.logger,
    answer: (text, user, channel) =>
      answerDigestCommand(text, user, {
        answerQuery: (query) => deps.answerQuery(query, deps.channelOf?.(channel) ?? null),
        status: deps.status,
        // the asking channel's zone: every channel reads times in its own
        timeZone: deps.timeZoneOf?.(channel) ?? deps.timeZone,
        clock,
        permalink: (ts) => slack.poster.permalink(channel, ts, deps.logger),
        ...(editors
          ? {
              editor: async (command: EditorCommand, asker: string) => {
                const wantsChange = command.kind !== 'feeds' && command.kind !== 'topics';
                const who = await slackAsker(slack.client, asker, editors, wantsChange, deps.logger);
                return editors.answer(command, deps.channelOf?.(channel) ?? null, who);
              },
            }
          : {}),
      }),
  });
  return {
    publisher: (channel, timeZone) =>
      createSlackPublisher({
        client: slack.client,
        channel,
        timeZone,
        logger: deps.logger,
        pacer: slack.pacer,
        threads,
      }),
    start: () => slack.start(),
    stop: () => slack.stop(),
    port: () => slack.port(),
  };
}

export { SlackDeliveryError };
