// The run loop as jobs: a scheduler turns the clock into jobs (a poll per due feed every minute, a digest per
// channel and scheduled slot, a daily prune) and workers do them, each kind on its own bounded lane. One process
// does both (`newsdigest run`, the in-process queue) or the roles are split over processes sharing a store and a
// BullMQ queue (`run --role scheduler|worker`). Either way the same handlers below do the work.
//
// Exactly once, whatever runs twice: a feed's poll job is not queued while one is waiting or running; one ingest
// runs at a time everywhere (a lock), and the engine catches up with batches other workers processed; a digest
// takes its channel's lock and skips a slot that a later digest already covered, so slots that piled up while the
// bot was busy run once; job ids make a slot fired by two schedulers one job.
import { isDue, type PolledFeed } from '../domain/feed-health.js';
import { fnv1a } from '../domain/text.js';
import type { Job, JobKind, JobQueue } from '../ports.js';
import { type App, type ChannelPlan, digestAll, inRun, processPending, prune, tellFeedChanges } from './app.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { type FeedPollReport, pollFeeds } from './poll-feeds.js';

export type Role = 'all' | 'scheduler' | 'worker';

export interface WorkLimits {
  /** Polls at once in one process. */
  readonly polls: number;
  /** Polls at once of feeds on one host, in one process (politeness). */
  readonly pollsPerHost: number;
  /** Channel digests at once in one process (each channel still has one at a time everywhere). */
  readonly digests: number;
}

export const DEFAULT_LIMITS: WorkLimits = { polls: 8, pollsPerHost: 2, digests: 4 };

export interface WorkOptions {
  readonly role: Role;
  readonly jobs: JobQueue;
  readonly limits?: WorkLimits;
}

export interface Scheduler {
  /** Stops scheduling, waits for the work under way (no half-posted digest), then resolves. */
  stop(): Promise<void>;
}

/** A feed's key in job ids and data: its URL may hold credentials, so the URL itself never goes into a queue. */
export function feedKey(feed: PolledFeed): string {
  return fnv1a(feed.url).toString(36) + fnv1a(feed.url, 0x9747b28c).toString(36);
}

/** Job ids are kept free of ':' (BullMQ's separator). */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

export function pollJob(feed: PolledFeed): Job {
  const key = feedKey(feed);
  return { kind: 'poll', id: `poll-${key}`, data: { feed: key, name: feed.name } };
}

/**
 * The ingest job: one id, so polls that store articles while one is waiting add nothing more. The job processes
 * until the log has nothing pending, so articles stored while it runs are not left behind; the scheduler's tick
 * adds it again whenever something logged is not processed.
 */
/**
 * An ingest job for the log up to `head`. Its id names that head: a poll that stores while an ingest job is already
 * running (which may have read the head just before) queues a job of its own instead of being folded into the
 * running one and waiting for the next minute's tick; two adds for the same head (two schedulers) stay one job.
 */
export function ingestJob(head: number): Job {
  return { kind: 'ingest', id: `ingest-${head}`, data: {} };
}

/** A digest job per channel and slot (the minute its schedule fired). */
export function digestJob(channel: ChannelPlan, at: Date): Job {
  const slot = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
  return {
    kind: 'digest',
    id: `digest-${idPart(channel.id)}-${slot.replace(/[:]/g, '').slice(0, 15)}`,
    data: { channel: channel.id, slot },
  };
}

export function pruneJob(at: Date): Job {
  return { kind: 'prune', id: `prune-${at.toISOString().slice(0, 10)}`, data: {} };
}

/**
 * Starts the roles this process plays: the scheduler's ticks (role all or scheduler) and the workers' lanes (role
 * all or worker). `stop` stops the ticks, then lets running jobs finish.
 */
export function startWork(app: App, options: WorkOptions): Scheduler {
  const { jobs, role } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (role !== 'scheduler') startWorkers(app, options, limits);
  const ticks = role !== 'worker' ? startTicks(app, jobs) : null;
  return {
    async stop() {
      await app.timetable.stop();
      // a tick under way still queues what it found due; its jobs that already started then finish
      await ticks?.settled();
      await jobs.close();
    },
  };
}

function startWorkers(app: App, options: WorkOptions, limits: WorkLimits): void {
  const { jobs } = options;
  const hosts = new KeyedLimiter(limits.pollsPerHost);
  const feedsByKey = roundFeedsByKey(app);
  const rounds = new PollRound(app);
  jobs.work('poll', limits.polls, async (job) => {
    const key = job.data.feed ?? '';
    // a feed subscribed a moment ago may be newer than the list read: read it again before giving up
    const feed = (await feedsByKey()).get(key) ?? (await feedsByKey(true)).get(key);
    if (!feed) {
      app.logger.info({ feed: job.data.name }, 'poll job for a feed no longer configured: dropped');
      return;
    }
    const run = inRun(app, 'poll');
    const reports = await hosts.run(hostOf(feed.url), () => pollFeeds([feed], pollDeps(run)));
    rounds.add(reports);
    await tellFeedChanges(run, reports);
    if (reports.some((r) => r.newArticles > 0)) await jobs.add(ingestJob(await app.storage.articles.head()));
  });
  jobs.work('ingest', 1, async () => {
    const run = inRun(app, 'ingest');
    // until nothing is pending: polls keep storing while this runs (each also queues a job for its own head)
    for (let round = 0; round < 100; round++) {
      const report = await processPending(run);
      if (report.batches === 0) return;
    }
  });
  jobs.work('digest', limits.digests, async (job) => {
    const channel = app.plan.channels.find((c) => c.id === job.data.channel);
    if (!channel) {
      app.logger.info({ channel: job.data.channel }, 'digest job for a channel no longer configured: dropped');
      return;
    }
    const [report] = await digestAll(app, [channel], { slot: job.data.slot ?? '' });
    // a failed digest goes back to the queue (BullMQ retries it with backoff; the next slot covers it anyway)
    if (report?.error !== undefined) throw new Error(`digest of ${channel.id} failed: ${report.error}`);
  });
  jobs.work('prune', 1, async () => {
    // one prune at a time on a store; a second one at the same moment would find nothing to do
    await app.storage.locks.withLock('prune', 0, () => prune(app));
  });
}

/** The scheduler: every minute a poll job per due feed (and an ingest job for anything logged but not processed). */
function startTicks(app: App, jobs: JobQueue): { settled(): Promise<void> } {
  const { timetable } = app;
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  let ticking: Promise<void> | null = null;
  const tick = () => {
    if (ticking !== null) return;
    ticking = queueDueWork(app, jobs)
      .catch((error: unknown) => app.logger.error({ err: error }, 'could not queue due polls: tried again in a minute'))
      .finally(() => {
        ticking = null;
      });
    track(ticking);
  };
  const later = (work: () => Promise<unknown>, what: string) => () => {
    track(work().catch((error: unknown) => app.logger.error({ err: error, task: what }, 'could not queue a job')));
  };
  timetable.every('poll', '* * * * *', 'UTC', tick);
  timetable.every(
    'prune',
    '17 3 * * *',
    'UTC',
    later(() => jobs.add(pruneJob(app.clock.now())), 'prune'),
  );
  for (const channel of app.plan.channels) {
    timetable.every(
      `digest:${channel.id}`,
      channel.schedule,
      channel.timezone,
      later(() => jobs.add(digestJob(channel, app.clock.now())), `digest:${channel.id}`),
    );
  }
  tick();
  return {
    async settled() {
      await Promise.allSettled([...pending]);
    },
  };
}

async function queueDueWork(app: App, jobs: JobQueue): Promise<void> {
  const healths = new Map((await app.storage.feeds.list()).map((h) => [h.url, h]));
  const now = app.clock.now();
  let queued = 0;
  for (const feed of await feedsOfRound(app)) {
    if (isDue(healths.get(feed.url), now) && (await jobs.add(pollJob(feed)))) queued++;
  }
  const [head, done] = await Promise.all([app.storage.articles.head(), app.storage.stories.processedSeq()]);
  // logged but not processed (a worker that died mid-batch, a poll whose ingest job was refused): processed now
  if (head > done) await jobs.add(ingestJob(head));
  if (queued > 0) app.logger.debug({ polls: queued }, 'due polls queued');
}

/** One summary line a minute for the polls done since the last one (polls are separate jobs now). */
class PollRound {
  readonly #app: App;
  #reports: FeedPollReport[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #started = performance.now();

  constructor(app: App) {
    this.#app = app;
  }

  add(reports: readonly FeedPollReport[]): void {
    this.#reports.push(...reports.filter((r) => r.outcome !== 'not-due'));
    this.#timer ??= setTimeout(() => this.#flush(), 60_000).unref();
  }

  #flush(): void {
    this.#timer = null;
    const reports = this.#reports;
    this.#reports = [];
    if (reports.length === 0) return;
    this.#app.logger.info(
      {
        feeds: reports.length,
        articles: reports.reduce((n, r) => n + r.newArticles, 0),
        failed: reports.filter((r) => r.outcome === 'failed').length,
        paused: reports.filter((r) => r.outcome === 'paused').length,
        sinceStartS: Math.round((performance.now() - this.#started) / 1000),
      },
      'feeds polled',
    );
  }
}

function pollDeps(app: App) {
  return {
    ...app.ingest,
    feeds: app.storage.feeds,
    articles: app.storage.articles,
    clock: app.clock,
    logger: app.logger,
  };
}

/** The feeds of a poll round: the configured ones and those subscribed from chat (read at each round). */
function feedsOfRound(app: App): Promise<readonly PolledFeed[]> {
  return app.feedsToPoll ? app.feedsToPoll() : Promise.resolve(app.plan.feeds);
}

/**
 * A poll job's feed by its key, among the feeds of the current round (a feed unsubscribed since is not found). The
 * round's list is read at most every 10 s, not once per poll job.
 */
function roundFeedsByKey(app: App): (fresh?: boolean) => Promise<Map<string, PolledFeed>> {
  let read: { at: number; feeds: Promise<readonly PolledFeed[]> } | null = null;
  let keyed: { feeds: readonly PolledFeed[]; byKey: Map<string, PolledFeed> } | null = null;
  return async (fresh = false) => {
    if (fresh || read === null || Date.now() - read.at > 10_000) read = { at: Date.now(), feeds: feedsOfRound(app) };
    const feeds = await read.feeds.catch((error: unknown) => {
      read = null;
      throw error;
    });
    if (keyed?.feeds !== feeds) keyed = { feeds, byKey: new Map(feeds.map((f) => [feedKey(f), f])) };
    return keyed.byKey;
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Kinds in the order their depths are reported. */
export const JOB_KINDS: readonly JobKind[] = ['poll', 'ingest', 'digest', 'prune'];
