// The run loop's work, given everything wired: poll the feeds, build and deliver each channel's digest, prune.
// `runOnce` does it all now; `startScheduler` does each part on its cron schedule until stopped.
import cron, { type ScheduledTask } from 'node-cron';
import type { AppConfig, ChannelConfig } from '../config.js';
import type { BuilderOptions } from '../domain/digest.js';
import type { PolledFeed } from '../feeds/poll-feed.js';
import type { Clock, Logger, Publisher } from '../ports.js';
import type { Storage } from '../storage/index.js';
import { buildChannelDigest } from './channel-digest.js';
import { deliverDigest } from './deliver.js';
import { type FeedPollReport, type IngestDeps, pollFeeds } from './poll-feeds.js';

const HOUR_MS = 3_600_000;
/** Earlier articles the builder reads besides the digest's window, so new articles join the stories they continue. */
const CONTEXT_DAYS = 7;

export interface App {
  readonly config: AppConfig;
  readonly storage: Storage;
  readonly builder: BuilderOptions;
  readonly publishers: ReadonlyMap<string, Publisher>;
  readonly ingest: Omit<IngestDeps, 'feeds' | 'articles' | 'clock' | 'logger'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ChannelReport {
  readonly channel: string;
  readonly posted: number;
  readonly skipped: number;
  readonly error?: string;
}

export function polledFeeds(config: AppConfig): PolledFeed[] {
  return config.feeds.map((f) => ({ url: f.url, name: f.name, intervalMs: f.pollMinutes * 60_000 }));
}

export async function pollAll(app: App, force: boolean): Promise<FeedPollReport[]> {
  return pollFeeds(
    polledFeeds(app.config),
    {
      ...app.ingest,
      feeds: app.storage.feeds,
      articles: app.storage.articles,
      clock: app.clock,
      logger: app.logger,
    },
    { force },
  );
}

/** Builds and delivers one channel's digest for the window since its last digest (or its look-back). */
export async function digestChannel(app: App, channel: ChannelConfig): Promise<ChannelReport> {
  const log = app.logger.child({ channel: channel.id });
  const publisher = app.publishers.get(channel.id);
  if (!publisher) return { channel: channel.id, posted: 0, skipped: 0, error: 'no publisher for this platform yet' };
  const to = app.clock.now();
  const last = await app.storage.deliveries.lastDigestAt(channel.id);
  const lookback = new Date(to.getTime() - channel.lookbackHours * HOUR_MS);
  const from = last ? new Date(Math.max(Date.parse(last), lookback.getTime())) : lookback;
  const contextFrom = new Date(from.getTime() - CONTEXT_DAYS * 24 * HOUR_MS);
  const articles = await app.storage.articles.listPublished(contextFrom, to);
  const digest = await buildChannelDigest({
    channel: { id: channel.id, topics: channel.topics, maxStories: channel.maxStories },
    articles,
    from,
    to,
    builder: app.builder,
    stories: app.storage.stories,
    ledger: app.storage.deliveries,
  });
  const quiet = digest.stories.length === 0;
  if (quiet && channel.whenEmpty === 'skip') {
    await app.storage.deliveries.setLastDigestAt(channel.id, digest.to);
    log.info('nothing new: digest skipped');
    return { channel: channel.id, posted: 0, skipped: 0 };
  }
  const topics = channel.topics.length > 0 ? channel.topics.join(', ') : 'all topics';
  const withNotice = quiet
    ? { ...digest, notice: `Quiet day: nothing new on ${topics} since ${digest.from}.` }
    : digest;
  const result = await deliverDigest(withNotice, publisher, app.storage.deliveries, log, () =>
    app.clock.now().toISOString(),
  );
  log.info({ posted: result.posted, skipped: result.skipped }, 'digest delivered');
  return { channel: channel.id, ...result };
}

/** Every channel's digest; one channel's failure is logged (and told to the admin channel) and the rest go on. */
export async function digestAll(app: App, channels: readonly ChannelConfig[]): Promise<ChannelReport[]> {
  const reports: ChannelReport[] = [];
  for (const channel of channels) {
    try {
      reports.push(await digestChannel(app, channel));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      app.logger.child({ channel: channel.id }).error({ err: message }, 'digest failed');
      reports.push({ channel: channel.id, posted: 0, skipped: 0, error: message });
      await tellAdmin(app, `Digest for ${channel.id} failed: ${message}`);
    }
  }
  return reports;
}

async function tellAdmin(app: App, message: string): Promise<void> {
  const admin = app.config.adminChannel;
  const publisher = admin ? app.publishers.get(admin) : undefined;
  if (!admin || !publisher) return;
  const now = app.clock.now().toISOString();
  const empty = { generatedAt: now, articles: [], stories: [], rejected: [] };
  try {
    await publisher.publish(
      { channel: admin, from: now, to: now, digest: empty, stories: [], notice: message },
      async () => {},
    );
  } catch (error) {
    app.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'admin channel unreachable');
  }
}

export interface RunOnceReport {
  readonly feeds: FeedPollReport[];
  readonly channels: ChannelReport[];
}

/** Poll every feed, then deliver every channel's digest, now. */
export async function runOnce(app: App): Promise<RunOnceReport> {
  const feeds = await pollAll(app, true);
  const failed = feeds.filter((f) => f.outcome === 'failed');
  if (failed.length > 0) {
    await tellAdmin(app, `Feeds failing: ${failed.map((f) => `${f.feed} (${f.error ?? 'error'})`).join('; ')}`);
  }
  const channels = await digestAll(app, app.config.channels);
  return { feeds, channels };
}

/** Removes articles older than the retention period. */
export async function prune(app: App): Promise<number> {
  const before = new Date(app.clock.now().getTime() - app.config.retention.days * 24 * HOUR_MS);
  const removed = await app.storage.articles.prune(before);
  app.logger.info({ removed, before: before.toISOString() }, 'retention prune');
  return removed;
}

export interface Scheduler {
  /** Stops scheduling, waits for the work under way (no half-posted digest), then resolves. */
  stop(): Promise<void>;
}

/**
 * Polls due feeds every minute (each feed keeps its own interval and backoff), runs each channel's digest on its
 * cron schedule in its time zone, and prunes daily. Work runs one piece at a time, in order.
 */
export function startScheduler(app: App): Scheduler {
  let chain: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const enqueue = (name: string, work: () => Promise<unknown>) => {
    if (stopping) return;
    chain = chain.then(work).catch((error: unknown) => {
      app.logger.error({ task: name, err: error instanceof Error ? error.message : String(error) }, 'task failed');
    });
  };
  const tasks: ScheduledTask[] = [
    cron.schedule('* * * * *', () => enqueue('poll', () => pollAll(app, false)), { name: 'poll', noOverlap: true }),
    cron.schedule('17 3 * * *', () => enqueue('prune', () => prune(app)), { name: 'prune', noOverlap: true }),
    ...app.config.channels.map((channel) =>
      cron.schedule(channel.schedule, () => enqueue(`digest:${channel.id}`, () => digestAll(app, [channel])), {
        name: `digest:${channel.id}`,
        timezone: channel.timezone,
        noOverlap: true,
      }),
    ),
  ];
  enqueue('first poll', () => pollAll(app, false));
  return {
    async stop() {
      stopping = true;
      for (const task of tasks) await task.stop();
      await chain;
    },
  };
}
