// The run loop's work, given everything wired: poll the feeds, process what came in (once), deliver each channel's
// digest of the stories that grew since its cursor, prune. `runOnce` does it all now; work.ts hands each part out
// as jobs on its schedule until stopped.
import type { PolledFeed } from '../domain/feed-health.js';
import type { Clock, Lease, Logger, Metrics, Publisher, Stores, Timetable } from '../ports.js';
import { type ChannelSpec, DigestCache, planChannelDigest, type StoryReader } from './channel-digest.js';
import { deliverDigest } from './deliver.js';
import type { IngestReport, StoryIngest } from './ingest.js';
import { type FeedPollReport, type IngestDeps, type PollProgress, pollFeeds } from './poll-feeds.js';

const DAY_MS = 86_400_000;

/** A channel as the run loop needs it: what it wants, when, and in which time zone. */
export interface ChannelPlan extends ChannelSpec {
  readonly schedule: string;
  readonly timezone: string;
  readonly whenEmpty: 'skip' | 'notice';
  /** Where it posts (slack, discord, console, file): the label of its posts in metrics. */
  readonly platform?: string;
}

/** Everything the run loop is told by the configuration, as plain values. */
export interface RunPlan {
  readonly feeds: readonly PolledFeed[];
  readonly channels: readonly ChannelPlan[];
  readonly retentionDays: number;
  readonly adminChannel: string | null;
  /** Topic names in configuration order. */
  readonly topicOrder: readonly string[];
  /** Names of the global list's feeds (what a channel without its own `feeds` follows). */
  readonly globalFeeds?: readonly string[];
  /** False when some channel lists a feed of its own (then channels on the global list filter by feed). */
  readonly onlyGlobalFeeds?: boolean;
}

export interface App {
  readonly plan: RunPlan;
  readonly storage: Stores;
  readonly stories: StoryIngest;
  readonly publishers: ReadonlyMap<string, Publisher>;
  readonly ingest: Omit<IngestDeps, 'feeds' | 'articles' | 'clock' | 'logger'>;
  readonly clock: Clock;
  readonly timetable: Timetable;
  readonly logger: Logger;
  /** Digests and posts are counted here (polls and processing through `ingest` and `stories`). */
  readonly metrics?: Metrics;
  /** The feeds of one poll round, read at each round: the plan's and those subscribed from chat. Default: plan's. */
  readonly feedsToPoll?: () => Promise<readonly PolledFeed[]>;
}

export interface ChannelReport {
  readonly channel: string;
  readonly posted: number;
  readonly skipped: number;
  /** Stories that grew but did not fit in the digest (told in it). */
  readonly overflow?: number;
  readonly error?: string;
}

export async function pollAll(
  app: App,
  force: boolean,
  onProgress?: (progress: PollProgress) => void,
): Promise<FeedPollReport[]> {
  const started = performance.now();
  const reports = await pollFeeds(
    app.feedsToPoll ? await app.feedsToPoll() : app.plan.feeds,
    {
      ...app.ingest,
      feeds: app.storage.feeds,
      articles: app.storage.articles,
      clock: app.clock,
      logger: app.logger,
    },
    { force, ...(onProgress ? { onProgress } : {}) },
  );
  const polled = reports.filter((r) => r.outcome !== 'not-due' && r.outcome !== 'paused');
  if (polled.length > 0) {
    app.logger.info(
      {
        feeds: polled.length,
        articles: reports.reduce((n, r) => n + r.newArticles, 0),
        failed: reports.filter((r) => r.outcome === 'failed').length,
        paused: reports.filter((r) => r.outcome === 'paused').length,
        ms: Math.round(performance.now() - started),
      },
      'feeds polled',
    );
  }
  return reports;
}

let runs = 0;

/** The app with its logger tagged by a run id, so one poll's or one digest's lines can be told apart and found. */
export function inRun(app: App, kind: string): App {
  if ((app as { runId?: string }).runId !== undefined) return app;
  runs = (runs + 1) % 1_000_000;
  const runId = `${kind}-${app.clock.now().getTime().toString(36)}-${runs}`;
  return Object.assign(Object.create(app) as App, { runId, logger: app.logger.child({ runId }) });
}

/** Polls the feeds, tells the admin channel what changed for them, then processes what they stored. */
export async function pollAndProcess(given: App, force: boolean): Promise<FeedPollReport[]> {
  const app = inRun(given, 'poll');
  const reports = await pollAll(app, force);
  await tellFeedChanges(app, reports);
  await processPending(app);
  return reports;
}

/** One admin notice per feed whose state changed with this poll: failing, paused, recovered. Never every poll. */
export async function tellFeedChanges(app: App, reports: readonly FeedPollReport[]): Promise<void> {
  const lines = reports.flatMap((r) => {
    if (r.change === 'failing') return [`Feed ${r.feed} is failing: ${r.error ?? 'error'}.`];
    if (r.change === 'paused') {
      return [
        `Feed ${r.feed} is paused after repeated failures (${r.error ?? 'error'}); it is tried again every few hours.`,
      ];
    }
    if (r.change === 'recovered') return [`Feed ${r.feed} has recovered.`];
    return [];
  });
  for (const line of lines) app.logger.warn({ notice: line }, 'feed health changed');
  if (lines.length > 0) await tellAdmin(app, lines.join('\n'));
}

/** How long an ingest waits for another process's ingest on the same store before it gives up (retried later). */
const INGEST_LOCK_WAIT_MS = 5 * 60_000;
/** How long a channel's digest waits for another digest of the same channel (another process, a slot before). */
const DIGEST_LOCK_WAIT_MS = 10 * 60_000;

/**
 * Runs the story engine over every logged article not yet processed: one process at a time on a store (a lock),
 * so two processes never place the same batch (the engine catches up with what the other one did).
 */
export async function processPending(app: App): Promise<IngestReport> {
  const result = await app.storage.locks.withLock('ingest', INGEST_LOCK_WAIT_MS, (lease) =>
    app.stories.processPending(lease),
  );
  if (!result.held) throw new Error('another process kept ingest processing locked for 5 minutes: tried again later');
  return result.value;
}

/** Builds and delivers one channel's digest: the stories that grew since its cursor. */
export async function digestChannel(
  app: App,
  channel: ChannelPlan,
  cache?: DigestCache,
  lease?: Lease,
): Promise<ChannelReport> {
  const log = app.logger.child({ channel: channel.id });
  const publisher = app.publishers.get(channel.id);
  if (!publisher) return { channel: channel.id, posted: 0, skipped: 0, error: 'no publisher for this platform yet' };
  const ledger = app.storage.deliveries;
  const reader = storyReaderOf(app);
  const planned = await planChannelDigest(channel, reader, app.clock.now(), cache ?? new DigestCache(reader));
  const { digest, upTo, overflow } = planned;
  const quiet = digest.stories.length === 0;
  if (quiet && channel.whenEmpty === 'skip') {
    await lease?.confirm();
    await ledger.setCursor(channel.id, upTo);
    await ledger.setLastDigestAt(channel.id, digest.to);
    log.info({ upTo }, 'nothing new since the last digest: skipped');
    app.metrics?.digestDone('skipped');
    return { channel: channel.id, posted: 0, skipped: 0 };
  }
  const topics = channel.topics.length > 0 ? channel.topics.join(', ') : 'all topics';
  const withNotice = quiet
    ? { ...digest, notice: `Quiet day: nothing new on ${topics} since the last digest.` }
    : digest;
  const result = await deliverDigest(withNotice, publisher, ledger, log, () => app.clock.now().toISOString(), lease);
  // only now: a crash before this line posts the rest next time, and the ledger keeps what was posted from twice
  await lease?.confirm();
  await ledger.setCursor(channel.id, upTo);
  if (overflow > 0) log.warn({ overflow, maxStories: channel.maxStories }, 'more stories than the digest shows');
  log.info({ posted: result.posted, skipped: result.skipped, upTo }, 'digest delivered');
  app.metrics?.digestDone('delivered');
  app.metrics?.storiesPosted(channel.platform ?? 'unknown', result.posted);
  return { channel: channel.id, ...result, ...(overflow > 0 ? { overflow } : {}) };
}

export interface DigestOptions {
  /**
   * The scheduled slot (ISO) this digest is for: skipped when a digest that started at or after it already ran
   * (slots that piled up while the bot was busy, or a slot another worker took), so a slot is digested once.
   */
  readonly slot?: string;
}

/**
 * Every channel's digest, each holding its channel's lock (no two processes or slots post one channel's digest at
 * once); one channel's failure is logged (and told to the admin channel) and the rest go on.
 */
export async function digestAll(
  given: App,
  channels: readonly ChannelPlan[],
  options: DigestOptions = {},
): Promise<ChannelReport[]> {
  const app = inRun(given, 'digest');
  const reports: ChannelReport[] = [];
  const cache = new DigestCache(storyReaderOf(app));
  for (const channel of channels) {
    try {
      const locked = await app.storage.locks.withLock(`digest-${channel.id}`, DIGEST_LOCK_WAIT_MS, async (lease) => {
        const last = options.slot === undefined ? undefined : await app.storage.deliveries.lastDigestAt(channel.id);
        if (last !== undefined && options.slot !== undefined && last >= options.slot) {
          app.logger.info({ channel: channel.id, slot: options.slot, coveredBy: last }, 'digest slot already covered');
          return { channel: channel.id, posted: 0, skipped: 0 };
        }
        return digestChannel(app, channel, cache, lease);
      });
      if (!locked.held) throw new Error('another digest of this channel kept it locked for 10 minutes');
      reports.push(locked.value);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      app.logger.child({ channel: channel.id }).error({ err: error }, 'digest failed');
      reports.push({ channel: channel.id, posted: 0, skipped: 0, error: message });
      app.metrics?.digestDone('failed');
      await tellAdmin(app, `Digest for ${channel.id} failed: ${message}`);
    }
  }
  return reports;
}

/** What channel digests read: stories, the ledger, and each channel's filter with what editors set from chat. */
function storyReaderOf(app: App): StoryReader {
  return {
    stories: app.storage.stories,
    ledger: app.storage.deliveries,
    topicOrder: app.plan.topicOrder,
    settings: app.storage.channelSettings,
    configuredNames: new Map(app.plan.feeds.map((f) => [f.url, f.name])),
    ...(app.plan.globalFeeds ? { globalFeeds: app.plan.globalFeeds } : {}),
    ...(app.plan.onlyGlobalFeeds === undefined ? {} : { onlyGlobalFeeds: app.plan.onlyGlobalFeeds }),
  };
}

async function tellAdmin(app: App, message: string): Promise<void> {
  const admin = app.plan.adminChannel;
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
    app.logger.error({ err: error }, 'admin channel unreachable');
  }
}

export interface RunOnceReport {
  readonly feeds: FeedPollReport[];
  readonly processed: IngestReport;
  readonly channels: ChannelReport[];
  readonly pruned: PruneReport;
}

/** Poll every feed, process what came in, deliver every channel's digest, prune: now. */
export async function runOnce(given: App, onProgress?: (progress: PollProgress) => void): Promise<RunOnceReport> {
  const app = inRun(given, 'once');
  const feeds = await pollAll(app, true, onProgress);
  await tellFeedChanges(app, feeds);
  const processed = await processPending(app);
  const channels = await digestAll(app, app.plan.channels);
  const pruned = await prune(app);
  return { feeds, processed, channels, pruned };
}

export interface PruneReport {
  readonly articles: number;
  readonly stories: number;
  readonly seenIds: number;
}

/**
 * Removes what is older than the retention period, by the time it came in: articles and their processing
 * results, growth entries, stories that stopped growing before the cut-off and their delivery records, and the
 * item ids of feeds that no longer list them.
 */
export async function prune(given: App): Promise<PruneReport> {
  const app = inRun(given, 'prune');
  const before = new Date(app.clock.now().getTime() - app.plan.retentionDays * DAY_MS);
  const { articles, stories, deliveries } = app.storage;
  const firstKept = await articles.firstSeqSince(before);
  const removedIds = await articles.prune(before);
  await app.storage.search.remove(removedIds);
  await stories.forgetArticles(removedIds);
  const named = await stories.pruneGrowth(firstKept);
  const records = await stories.getStories(named);
  const old = [...records.values()].filter((s) => s.updatedSeq < firstKept).map((s) => s.id);
  await stories.deleteStories(old);
  for (const channel of app.plan.channels) await deliveries.forget(channel.id, old);
  const seen = await app.storage.feeds.pruneSeen(before);
  app.logger.info(
    { articles: removedIds.length, stories: old.length, seenIds: seen, before: before.toISOString() },
    'retention prune',
  );
  return { articles: removedIds.length, stories: old.length, seenIds: seen };
}
