// Part of the composition root (with main.ts): turns a validated config into the running pieces. Only main.ts
// imports this (dynamically); nothing here runs at import time, and the Slack and Discord SDKs are imported only when
// a channel of theirs is configured.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pino } from 'pino';
import type { AppConfig } from './config.js';
import { builderOptionsFor } from './digest-options.js';
import type { DiscordPlatform } from './discord/platform.js';
import type { BuilderOptions } from './domain/digest.js';
import type { Asker, DigestSearch, EditorCommand } from './domain/digest-query.js';
import { compileTopics } from './domain/topics.js';
import { AddressGuard } from './feeds/address-guard.js';
import { feedCredentials } from './feeds/credentials.js';
import { extractArticle } from './feeds/extract-article.js';
import { fetchText } from './feeds/http-fetch.js';
import { feedSource, httpFeedFetcher } from './feeds/poll-feed.js';
import { cronTimetable, nextRunOf } from './jobs/cron.js';
import type { App, RunPlan } from './pipeline/app.js';
import { answerEditorCommand, type EditorDeps } from './pipeline/editor-commands.js';
import { StoryIngest } from './pipeline/ingest.js';
import type { PageEnricher } from './pipeline/poll-feeds.js';
import { answerSearch, type SearchDeps } from './pipeline/search.js';
import { describeStatus } from './pipeline/status.js';
import { feedsOfRound } from './pipeline/subscriptions.js';
import type { Clock, FeedSource, Logger, Publisher, QueryAnswer } from './ports.js';
import { createTextPublisher } from './publishers/text-publisher.js';
import { zonedTime } from './render/zoned-time.js';
import { redactSecrets } from './secrets.js';
import type { SlackPlatform } from './slack/app.js';
import { openStorage, type Storage } from './storage/index.js';

/** Words below which a feed item is a snippet and its page is fetched. */
const SNIPPET_WORDS = 120;
/**
 * Days of ingest the story engine keeps in memory. With grouping's 10-day time scale and 0.25 threshold, two
 * articles published more than ~19.5 days apart can never join, so three weeks loses nothing.
 */
const ENGINE_WINDOW_DAYS = 21;

/** The process logger: JSON lines on stderr, with every secret the config holds masked in every line. */
export function createLogger(level: string | undefined, secrets: readonly string[] = []): Logger {
  const logger = pino(
    {
      level: level ?? 'info',
      base: null,
      ...(secrets.length > 0 ? { hooks: { streamWrite: (line: string) => redactSecrets(line, secrets) } } : {}),
    },
    pino.destination(2),
  );
  return adapt(logger);
}

function adapt(logger: pino.Logger): Logger {
  return {
    debug: (obj, msg) => (typeof obj === 'string' ? logger.debug(obj) : logger.debug(obj, msg)),
    info: (obj, msg) => (typeof obj === 'string' ? logger.info(obj) : logger.info(obj, msg)),
    warn: (obj, msg) => (typeof obj === 'string' ? logger.warn(obj) : logger.warn(obj, msg)),
    error: (obj, msg) => (typeof obj === 'string' ? logger.error(obj) : logger.error(obj, msg)),
    child: (bindings) => adapt(logger.child(bindings)),
  };
}

export interface ComposeOptions {
  readonly logger: Logger;
  readonly clock: Clock;
  /** Where console channels write. */
  readonly stdout: (text: string) => void;
  readonly cwd: string;
  /** Build the Discord platform even without a Discord channel (to register commands). */
  readonly discordCommands?: boolean;
  /** False for commands that never post (`feeds`): no platform SDK is loaded. Default true. */
  readonly platforms?: boolean;
}

/** The run loop's plain plan from the validated configuration. */
export function runPlanOf(config: AppConfig): RunPlan {
  return {
    feeds: config.feeds.map((f) => ({ url: f.url, name: f.name, intervalMs: f.pollMinutes * 60_000 })),
    channels: config.channels.map((c) => ({
      id: c.id,
      topics: c.topics,
      maxStories: c.maxStories,
      lookbackHours: c.lookbackHours,
      schedule: c.schedule,
      timezone: c.timezone,
      whenEmpty: c.whenEmpty,
      filter: { feeds: c.feeds, keywords: c.keywords, exclusions: c.exclusions, mutedSources: c.mutedSources },
    })),
    retentionDays: config.retention.days,
    adminChannel: config.adminChannel ?? null,
    topicOrder: config.topicDefinitions.map((t) => t.name),
    globalFeeds: config.globalFeeds,
    onlyGlobalFeeds: config.feeds.length === config.globalFeeds.length,
  };
}

export interface RunningApp extends App {
  readonly config: AppConfig;
  readonly storage: Storage;
  readonly builder: BuilderOptions;
  /** A search answered from the stored stories, as `/digest` answers it: `newsdigest search`. `channel` (a
   * configured channel id) adds where that channel already got each story. */
  search(query: DigestSearch, channel: string | null): Promise<QueryAnswer>;
  /** The `/digest status` lines: feeds' health, each channel's last and next digest. */
  status(): Promise<string[]>;
  /** What the self-service commands (chat, and `feeds import`) work with: settings, feed checks. */
  readonly editors: EditorDeps;
  /** Starts the platforms' listeners (slash commands); `run --once` does not need them. */
  listen(): Promise<void>;
  /** `newsdigest discord register`: the /digest application command, guild-scoped when a guild id is set. */
  registerDiscordCommands(): Promise<void>;
  close(): Promise<void>;
}

export async function composeApp(config: AppConfig, options: ComposeOptions): Promise<RunningApp> {
  const { logger } = options;
  const storage = await openStorage(config.storage.url, { logger, cwd: options.cwd });
  const guard = new AddressGuard({ allow: config.network.allowPrivateHosts });
  const dispatcher = guard.createAgent({ connectTimeoutMs: config.polling.connectTimeoutSeconds * 1000 });
  const limits = {
    guard,
    dispatcher,
    userAgent: config.polling.userAgent,
    timeoutMs: config.polling.timeoutSeconds * 1000,
    maxBytes: config.polling.maxBytes,
  };
  const enrich: PageEnricher = async (item) => {
    if (!item.link) return null;
    const page = await fetchText(item.link, { ...limits, accept: 'text/html,application/xhtml+xml' });
    if (page.notModified) return null;
    const article = extractArticle(page.text, page.url);
    return article ? { text: article.text, title: article.title } : null;
  };
  const builder = builderOptionsFor(compileTopics(config.topicDefinitions));
  const stories = new StoryIngest({
    articles: storage.articles,
    stories: storage.stories,
    search: storage.search,
    engine: builder,
    clock: options.clock,
    logger: logger.child({ component: 'ingest' }),
    windowDays: ENGINE_WINDOW_DAYS,
  });
  const searchDeps: SearchDeps = {
    stories: storage.stories,
    search: storage.search,
    ledger: storage.deliveries,
    topicOrder: config.topicDefinitions.map((t) => t.name),
    retentionDays: config.retention.days,
    now: () => options.clock.now(),
  };
  const status = async () =>
    describeStatus(
      await storage.feeds.list(),
      await Promise.all(
        config.channels.map(async (c) => ({
          id: c.id,
          lastDigestAt: (await storage.deliveries.lastDigestAt(c.id)) ?? null,
          nextDigestAt: nextRunOf(c.schedule, c.timezone, `status-${c.id}`)?.toISOString() ?? null,
        })),
      ),
      // one answer for every channel it is asked in: the zone of the first channel, which is the desk's usually
      (iso) => zonedTime(config.channels[0]?.timezone ?? 'UTC').dateTime(iso) ?? iso,
    );
  const plan = runPlanOf(config);
  const source = feedSource({
    fetch: httpFeedFetcher({ ...limits, credentialsByFeed: feedCredentials(config.feeds) }),
    clock: options.clock,
    policy: { pauseAfterFailures: config.polling.maxFailuresBeforePause },
    logger,
  });
  const editorDeps: EditorDeps = {
    settings: storage.channelSettings,
    configFeeds: config.feeds.map((f) => ({ name: f.name, url: f.url })),
    globalFeeds: config.globalFeeds,
    health: (url) => storage.feeds.get(url),
    validateFeed: (url) => validateFeed(source, url, config.polling.everyMinutes),
    pollMinutes: config.polling.everyMinutes,
    now: () => options.clock.now(),
  };
  const editor = (command: EditorCommand, channel: string | null, asker: Asker) =>
    answerEditorCommand(command, config.channels.find((c) => c.id === channel) ?? null, asker, editorDeps);
  const platforms = options.platforms !== false;
  /** The configured channel a /digest was asked in (its zone, its deliveries), if the config names it. */
  const configured = (platform: string, id: string) =>
    config.channels.find((c) => c.platform === platform && c.channel === id);
  const slackToken = config.slack.botToken;
  const slack: SlackPlatform | undefined =
    platforms && slackToken && config.channels.some((c) => c.platform === 'slack')
      ? await Promise.all([import('./slack/app.js'), import('./slack/publisher.js')]).then(
          ([{ createSlackPlatform }, { ledgerThreads }]) =>
            createSlackPlatform(
              {
                botToken: slackToken,
                ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
                ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
                apiUrl: config.slack.apiUrl,
                port: config.slack.port,
                host: config.slack.host,
              },
              {
                logger: logger.child({ platform: 'slack' }),
                answerQuery: (q, channel) => answerSearch(searchDeps, q, channel),
                channelOf: (id) => configured('slack', id)?.id,
                status,
                timeZone: config.channels.find((c) => c.platform === 'slack')?.timezone ?? 'UTC',
                timeZoneOf: (id) => configured('slack', id)?.timezone,
                threads: ledgerThreads(storage.deliveries, () => options.clock.now()),
                clock: options.clock,
                editors: { ...config.slack.editors, answer: editor },
              },
            ),
        )
      : undefined;
  const discordToken = config.discord.token;
  const discord: DiscordPlatform | undefined =
    platforms &&
    discordToken &&
    (config.channels.some((c) => c.platform === 'discord') || options.discordCommands === true)
      ? await import('./discord/platform.js').then(({ createDiscordPlatform }) =>
          createDiscordPlatform(
            {
              token: discordToken,
              apiUrl: config.discord.apiUrl,
              guildId: config.discord.guildId,
              topicNames: config.topicDefinitions.map((t) => t.name),
            },
            {
              logger: logger.child({ platform: 'discord' }),
              answerQuery: (q, channel) => answerSearch(searchDeps, q, channel),
              channelOf: (id) => configured('discord', id)?.id,
              status,
              clock: options.clock,
              timeZoneOf: (id) => configured('discord', id)?.timezone ?? 'UTC',
              editor,
            },
          ),
        )
      : undefined;
  const publishers = new Map<string, Publisher>();
  for (const channel of config.channels) {
    if (channel.platform === 'slack' && slack) {
      publishers.set(channel.id, slack.publisher(channel.channel, channel.timezone));
      continue;
    }
    if (channel.platform === 'discord' && discord) {
      publishers.set(channel.id, discord.publisher(channel.channel, channel.timezone));
      continue;
    }
    if (channel.platform === 'console') {
      publishers.set(channel.id, createTextPublisher({ write: options.stdout, timeZone: channel.timezone }));
    } else if (channel.platform === 'file') {
      const path = channel.channel;
      publishers.set(
        channel.id,
        createTextPublisher({
          timeZone: channel.timezone,
          write: async (text) => {
            await mkdir(dirname(path), { recursive: true });
            await appendFile(path, text);
          },
        }),
      );
    } else {
      logger.warn({ channel: channel.id, platform: channel.platform }, 'this platform is not available yet');
    }
  }
  return {
    config,
    plan,
    storage,
    stories,
    builder,
    publishers,
    ingest: {
      source,
      enrich,
      concurrency: config.polling.concurrency,
      snippetWords: SNIPPET_WORDS,
      seenRefreshDays: Math.max(1, Math.floor(config.retention.days / 2)),
    },
    clock: options.clock,
    timetable: cronTimetable(),
    logger,
    feedsToPoll: () => feedsOfRound(plan.feeds, storage.channelSettings, config.polling.everyMinutes * 60_000, logger),
    search: (query, channel) => answerSearch(searchDeps, query, channel),
    status,
    editors: editorDeps,
    async listen() {
      await slack?.start();
      await discord?.start();
    },
    async registerDiscordCommands() {
      if (!discord) throw new Error('set DISCORD_TOKEN to register the /digest command');
      await discord.register();
    },
    async close() {
      // every piece is closed even when one fails, and a failure to close never hides the command's own result
      const steps: [string, () => Promise<void> | undefined][] = [
        ['slack', () => slack?.stop()],
        ['discord', () => discord?.stop()],
        ['http', () => dispatcher.close()],
        ['storage', () => storage.close()],
      ];
      for (const [what, close] of steps) {
        try {
          await close();
        } catch (error) {
          logger.error({ err: error, what }, 'could not close cleanly');
        }
      }
    },
  };
}

/** A URL fetched once through the poller (its address guard, limits and parser): why it is no feed, or null. Nothing
 * is stored, so the feed's first real poll is still its first: backfill. */
export async function validateFeed(source: FeedSource, url: string, pollMinutes: number): Promise<string | null> {
  const poll = await source.poll({ url, name: new URL(url).host, intervalMs: pollMinutes * 60_000 }, undefined);
  return poll.kind === 'failed' ? poll.error.message : null;
}
