// Part of the composition root (with main.ts): turns a validated config into the running pieces. Only main.ts
// imports this (dynamically); nothing here runs at import time, and the Slack and Discord SDKs are imported only when
// a channel of theirs is configured.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pino } from 'pino';
import type { AppConfig } from './config.js';
import { builderOptionsFor, compileTopicDefinitions } from './digest-options.js';
import type { DiscordPlatform } from './discord/platform.js';
import type { BuilderOptions } from './domain/digest.js';
import type { Asker, DigestSearch, EditorCommand } from './domain/digest-query.js';
import { AddressGuard } from './feeds/address-guard.js';
import { feedCredentials } from './feeds/credentials.js';
import { FeedError } from './feeds/errors.js';
import { httpPageFetcher } from './feeds/fetch-page.js';
import { feedSource, httpFeedFetcher } from './feeds/poll-feed.js';
import { cronTimetable, nextRunOf } from './jobs/cron.js';
import { InProcessJobQueue } from './jobs/in-process-queue.js';
import { noMetrics, PromMetrics } from './ops/metrics.js';
import { type OpsServer, type ReadinessCheck, startOpsServer } from './ops/ops-server.js';
import { redisPingCheck } from './ops/redis-check.js';
import type { App, RunPlan } from './pipeline/app.js';
import { answerEditorCommand, type EditorDeps } from './pipeline/editor-commands.js';
import { StoryIngest } from './pipeline/ingest.js';
import type { PageEnricher } from './pipeline/poll-feeds.js';
import { answerSearch, type SearchDeps } from './pipeline/search.js';
import { describeStatus } from './pipeline/status.js';
import { feedsOfRound } from './pipeline/subscriptions.js';
import type { Role, WorkOptions } from './pipeline/work.js';
import type { Clock, FeedSource, JobQueue, Logger, Publisher, QueryAnswer } from './ports.js';
import { createTextPublisher } from './publishers/text-publisher.js';
import { zonedTime } from './render/zoned-time.js';
import { appSecrets, redactSecrets } from './secrets.js';
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
/**
 * Errors as logged: a feed's failure (unreachable, timed out, not a feed) is an everyday event whose message says
 * all, so its stack (a dozen lines of our own call chain per failed poll of a thousand feeds) is kept for debug.
 */
export function errorSerializer(level: string): (error: unknown) => unknown {
  return (error) => {
    if (!(error instanceof Error)) return error;
    const out = pino.stdSerializers.err(error) as { stack?: string };
    if (error instanceof FeedError && level !== 'debug' && level !== 'trace') delete out.stack;
    return out;
  };
}

export function createLogger(level: string | undefined, secrets: readonly string[] = []): Logger {
  const logger = pino(
    {
      level: level ?? 'info',
      base: null,
      serializers: { err: errorSerializer(level ?? 'info') },
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
      platform: c.platform,
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
  /**
   * The job queue and locks this process works with: in this process (the embedded default), or BullMQ and locks
   * on the configured Redis (`jobs.redis`), which `--role scheduler|worker` need.
   */
  openWork(role: Role): Promise<WorkOptions>;
  /** What `/healthz` checks: storage, and each chat platform the bot listens on. */
  readonly readiness: readonly ReadinessCheck[];
  /** Starts `/healthz` and `/metrics` when the config has an `ops` port (null when it has none); stopped by close(). */
  startOps(): Promise<OpsServer | null>;
  close(): Promise<void>;
}

export async function composeApp(config: AppConfig, options: ComposeOptions): Promise<RunningApp> {
  const { logger } = options;
  const storage = await openStorage(config.storage.url, {
    logger,
    cwd: options.cwd,
    leaseMs: config.jobs.lockSeconds * 1000,
  });
  const guard = new AddressGuard({ allow: config.network.allowPrivateHosts });
  const dispatcher = guard.createAgent({ connectTimeoutMs: config.polling.connectTimeoutSeconds * 1000 });
  const limits = {
    guard,
    dispatcher,
    userAgent: config.polling.userAgent,
    timeoutMs: config.polling.timeoutSeconds * 1000,
    maxBytes: config.polling.maxBytes,
  };
  const enrich: PageEnricher = httpPageFetcher(limits);
  const builder = builderOptionsFor(compileTopicDefinitions(config.topicDefinitions));
  const feedNames = new Map(config.feeds.map((f) => [f.url, f.name]));
  const prom = config.ops
    ? new PromMetrics({
        // the configured feeds by name: never a URL (it may carry a token in its query), never a removed feed
        feedHealth: async () => {
          const health = new Map((await storage.feeds.list()).map((h) => [h.url, h]));
          return [...feedNames].map(([url, name]) => ({
            name,
            consecutiveFailures: health.get(url)?.consecutiveFailures ?? 0,
            paused: (health.get(url)?.pausedAt ?? null) !== null,
          }));
        },
      })
    : undefined;
  const metrics = prom ?? noMetrics;
  /** The queue's depth by kind of job, read when /metrics is scraped. */
  const measured = (jobs: JobQueue): JobQueue => {
    metrics.beforeScrape('job queue', async () => {
      for (const [kind, depth] of Object.entries(await jobs.depths())) {
        metrics.setQueueDepth(kind, depth.waiting + depth.running);
      }
    });
    return jobs;
  };
  const stories = new StoryIngest({
    articles: storage.articles,
    stories: storage.stories,
    search: storage.search,
    engine: builder,
    clock: options.clock,
    logger: logger.child({ component: 'ingest' }),
    windowDays: ENGINE_WINDOW_DAYS,
    metrics,
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
    dateTime: (iso, zone) => zonedTime(zone).dateTime(iso) ?? iso,
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
              readyTimeoutMs: config.discord.readyTimeoutSeconds * 1000,
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
  let listening = false;
  let ops: OpsServer | null = null;
  const readiness: ReadinessCheck[] = [
    { name: 'storage', check: async () => void (await storage.articles.head()) },
    ...(slack ? [{ name: 'slack', check: () => assertReady(listening, 'the Slack app has not started') }] : []),
    ...(discord
      ? [{ name: 'discord', check: () => assertReady(discord.connected(), 'not connected to the Discord gateway') }]
      : []),
  ];
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
    } else if (platforms) {
      logger.warn({ channel: channel.id, platform: channel.platform }, 'no publisher for this channel: not posted to');
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
      pageFetches: {
        perPoll: config.polling.pageFetches.perPoll,
        concurrency: config.polling.pageFetches.concurrency,
        waitPolls: config.polling.pageFetches.waitPolls,
        deadlineMs: config.polling.pageFetches.deadlineSeconds * 1000,
      },
      concurrency: config.polling.concurrency,
      snippetWords: SNIPPET_WORDS,
      seenRefreshDays: Math.max(1, Math.floor(config.retention.days / 2)),
      metrics,
    },
    metrics,
    readiness,
    clock: options.clock,
    timetable: cronTimetable(),
    logger,
    feedsToPoll: () => feedsOfRound(plan.feeds, storage.channelSettings, config.polling.everyMinutes * 60_000, logger),
    search: (query, channel) => answerSearch(searchDeps, query, channel),
    status,
    editors: editorDeps,
    async listen() {
      await slack?.start();
      listening = true;
      await discord?.start();
    },
    async openWork(role) {
      const limits = {
        polls: config.jobs.polls,
        pollsPerHost: config.jobs.pollsPerHost,
        digests: config.jobs.digests,
      };
      const redis = config.jobs.redis;
      if (redis === undefined) {
        if (role !== 'all') {
          throw new Error(`--role ${role} needs a shared job queue: set jobs.redis or NEWSDIGEST_JOBS_REDIS`);
        }
        return { role, jobs: measured(new InProcessJobQueue({ logger: logger.child({ component: 'jobs' }) })), limits };
      }
      // BullMQ and ioredis load only here: a one-process install never pays for them
      const { BullmqJobQueue } = await import('./jobs/bullmq-queue.js');
      const queue = new BullmqJobQueue({
        url: redis,
        logger,
        prefix: config.jobs.prefix,
        lockMs: config.jobs.lockSeconds * 1000,
      });
      readiness.push(redisPingCheck('job-queue', redis));
      return { role, jobs: measured(queue), limits };
    },
    async startOps() {
      if (!config.ops || ops) return ops;
      const secrets = appSecrets(config);
      ops = await startOpsServer({
        host: config.ops.host,
        port: config.ops.port,
        checks: readiness,
        ...(prom ? { metrics: prom } : {}),
        redact: (text) => redactSecrets(text, secrets),
        logger: logger.child({ component: 'ops' }),
      });
      return ops;
    },
    async registerDiscordCommands() {
      if (!discord) throw new Error('set DISCORD_TOKEN to register the /digest command');
      await discord.register();
    },
    async close() {
      // every piece is closed even when one fails, and a failure to close never hides the command's own result
      const steps: [string, () => Promise<void> | undefined][] = [
        ['ops', () => ops?.close()],
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
      prom?.close();
    },
  };
}

function assertReady(ready: boolean, reason: string): void {
  if (!ready) throw new Error(reason);
}

/** A URL fetched once through the poller (its address guard, limits and parser): why it is no feed, or null. Nothing
 * is stored, so the feed's first real poll is still its first: backfill. */
export async function validateFeed(source: FeedSource, url: string, pollMinutes: number): Promise<string | null> {
  const poll = await source.poll({ url, name: new URL(url).host, intervalMs: pollMinutes * 60_000 }, undefined);
  return poll.kind === 'failed' ? poll.error.message : null;
}
