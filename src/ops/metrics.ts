// The Metrics port on prom-client, rendered as Prometheus text for `/metrics`. Every metric lives in this
// instance's own registry (never prom-client's global one), so two apps in one process, or two tests, never share
// counts. Label values come from bounded sets: feed names (capped), error class names, platforms, queue names.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Metrics, PollOutcome } from '../ports.js';

/** One feed's health as `/metrics` shows it, labelled by the feed's configured name (never its URL). */
export interface FeedHealthSample {
  readonly name: string;
  readonly consecutiveFailures: number;
  readonly paused: boolean;
}

export interface PromMetricsOptions {
  /** Read at each scrape: the health of every configured feed. */
  readonly feedHealth?: () => Promise<readonly FeedHealthSample[]>;
  /** Feeds with a series of their own, the least healthy first; the rest are counted in `newsdigest_feeds` only. */
  readonly maxFeedSeries?: number;
  /** Feed health is read again after a poll in this process, else when the last read is older than this (10 s). */
  readonly feedHealthEveryMs?: number;
  /** How long a scrape waits for what it reads at scrape time (feed health, queue depths) before answering. */
  readonly scrapeReadTimeoutMs?: number;
  /** prom-client's process and Node.js metrics (CPU, memory, GC, `nodejs_eventloop_lag_*`). Default true. */
  readonly defaultMetrics?: boolean;
}

/** A read done at each scrape, before the text is rendered (feed health; queue depths from the job layer). */
export type ScrapeRead = () => Promise<void> | void;

/** Event-loop delay buckets, seconds: 1 ms (a healthy loop) to 10 s (a loop stuck on one task). */
const LOOP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
/** The monitor's sampling interval, ms: it reports each interval's full length, so this is subtracted. */
const LOOP_RESOLUTION_MS = 10;
const MAX_LABEL_VALUES = 20;
const MAX_FEED_NAME = 100;

export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  readonly #polls: Counter<'outcome'>;
  readonly #pollFailures: Counter<'kind'>;
  readonly #stored: Counter;
  readonly #processed: Counter<'result'>;
  readonly #digests: Counter<'outcome'>;
  readonly #posts: Counter<'platform'>;
  readonly #queueDepth: Gauge<'queue'>;
  readonly #feedFailures: Gauge<'feed'>;
  readonly #feedPaused: Gauge<'feed'>;
  readonly #feeds: Gauge<'state'>;
  readonly #feedsOmitted: Gauge;
  readonly #scrapeReadFailures: Counter<'read'>;
  readonly #loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  readonly #loopHistogram = new LoopDelayHistogram();
  readonly #reads = new Map<string, ScrapeRead>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #kinds = new BoundedLabels(MAX_LABEL_VALUES);
  readonly #platforms = new BoundedLabels(MAX_LABEL_VALUES);
  readonly #queues = new BoundedLabels(MAX_LABEL_VALUES);
  readonly #readTimeoutMs: number;
  #polledSinceRead = false;

  constructor(options: PromMetricsOptions = {}) {
    const registers = [this.registry];
    this.#readTimeoutMs = options.scrapeReadTimeoutMs ?? 2_000;
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#polls = new Counter({
      name: 'newsdigest_feed_polls_total',
      help: 'Feed polls by outcome (stored, not-modified, failed; paused: a paused feed skipped)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['stored', 'not-modified', 'failed', 'paused']) this.#polls.inc({ outcome }, 0);
    this.#pollFailures = new Counter({
      name: 'newsdigest_feed_poll_failures_total',
      help: 'Failed feed polls by kind of error',
      labelNames: ['kind'],
      registers,
    });
    this.#stored = new Counter({
      name: 'newsdigest_articles_ingested_total',
      help: 'New articles stored by feed polls',
      registers,
    });
    this.#processed = new Counter({
      name: 'newsdigest_articles_processed_total',
      help: 'Articles the story engine processed, by result (placed in a story, copy of another, rejected)',
      labelNames: ['result'],
      registers,
    });
    for (const result of ['story', 'copy', 'rejected']) this.#processed.inc({ result }, 0);
    this.#digests = new Counter({
      name: 'newsdigest_digests_total',
      help: 'Channel digests by outcome (delivered, skipped: nothing new, failed)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['delivered', 'skipped', 'failed']) this.#digests.inc({ outcome }, 0);
    this.#posts = new Counter({
      name: 'newsdigest_stories_posted_total',
      help: 'Stories posted (new posts and thread updates) by platform',
      labelNames: ['platform'],
      registers,
    });
    this.#queueDepth = new Gauge({
      name: 'newsdigest_queue_depth',
      help: 'Jobs waiting, by queue',
      labelNames: ['queue'],
      registers,
    });
    this.#feedFailures = new Gauge({
      name: 'newsdigest_feed_consecutive_failures',
      help: 'Consecutive failed polls of a feed, by configured feed name (least healthy feeds first, capped)',
      labelNames: ['feed'],
      registers,
    });
    this.#feedPaused = new Gauge({
      name: 'newsdigest_feed_paused',
      help: '1 when a feed is paused after repeated failures, by configured feed name',
      labelNames: ['feed'],
      registers,
    });
    this.#feeds = new Gauge({
      name: 'newsdigest_feeds',
      help: 'Configured feeds by state (healthy, failing, paused)',
      labelNames: ['state'],
      registers,
    });
    this.#feedsOmitted = new Gauge({
      name: 'newsdigest_feed_series_omitted',
      help: 'Feeds beyond the per-feed series cap (counted in newsdigest_feeds only)',
      registers,
    });
    this.#scrapeReadFailures = new Counter({
      name: 'newsdigest_scrape_read_failures_total',
      help: 'Reads at scrape time (feed health, queue depths) that failed or missed their deadline',
      labelNames: ['read'],
      registers,
    });
    this.registry.registerMetric(this.#loopHistogram.asMetric() as never);
    this.#loop.enable();
    const feedHealth = options.feedHealth;
    if (feedHealth) {
      const cap = options.maxFeedSeries ?? 1_000;
      const everyMs = options.feedHealthEveryMs ?? 10_000;
      let readAt = Number.NEGATIVE_INFINITY;
      // the whole feed catalogue is read: again only after a poll here, or once the interval has passed (polls
      // by other processes), however many scrapers ask
      this.beforeScrape('feed-health', async () => {
        if (!this.#polledSinceRead && performance.now() - readAt < everyMs) return;
        this.#polledSinceRead = false;
        readAt = performance.now();
        try {
          this.#showFeedHealth(await feedHealth(), cap);
        } catch (error) {
          readAt = Number.NEGATIVE_INFINITY;
          throw error;
        }
      });
    }
  }

  feedPolled(outcome: PollOutcome, failure?: string): void {
    this.#polls.inc({ outcome });
    this.#polledSinceRead = true;
    if (outcome === 'failed') this.#pollFailures.inc({ kind: this.#kinds.of(failure ?? 'Error') });
  }

  articlesStored(count: number): void {
    if (count > 0) this.#stored.inc(count);
  }

  articlesProcessed(counts: { readonly articles: number; readonly rejected: number; readonly copies: number }): void {
    const placed = counts.articles - counts.rejected - counts.copies;
    if (placed > 0) this.#processed.inc({ result: 'story' }, placed);
    if (counts.copies > 0) this.#processed.inc({ result: 'copy' }, counts.copies);
    if (counts.rejected > 0) this.#processed.inc({ result: 'rejected' }, counts.rejected);
  }

  digestDone(outcome: 'delivered' | 'skipped' | 'failed'): void {
    this.#digests.inc({ outcome });
  }

  storiesPosted(platform: string, count: number): void {
    this.#posts.inc({ platform: this.#platforms.of(platform) }, Math.max(0, count));
  }

  setQueueDepth(queue: string, depth: number): void {
    this.#queueDepth.set({ queue: this.#queues.of(queue) }, Math.max(0, depth));
  }

  beforeScrape(name: string, read: ScrapeRead): void {
    this.#reads.set(name, read);
  }

  readonly contentType = this.registry.contentType;

  /**
   * The Prometheus text. Scrape-time reads run at once, each within its deadline: one that fails or is late is
   * counted and its metrics keep their last values, so a slow store never holds a scrape.
   */
  async render(): Promise<string> {
    await Promise.all(
      [...this.#reads].map(async ([name, read]) => {
        // a read still running from an earlier scrape is waited for, never started a second time
        let running = this.#running.get(name);
        if (!running) {
          running = Promise.resolve()
            .then(read)
            .finally(() => this.#running.delete(name));
          this.#running.set(name, running);
        }
        const ok = await withDeadline(running, this.#readTimeoutMs).then(
          (r) => r.ok,
          () => false,
        );
        if (!ok) this.#scrapeReadFailures.inc({ read: name });
      }),
    );
    this.#loopHistogram.take(this.#loop);
    return this.registry.metrics();
  }

  /** Stops the event-loop monitor (the process's own default metrics stop with the registry). */
  close(): void {
    this.#loop.disable();
    this.registry.clear();
  }

  #showFeedHealth(samples: readonly FeedHealthSample[], cap: number): void {
    const paused = samples.filter((s) => s.paused).length;
    const failing = samples.filter((s) => !s.paused && s.consecutiveFailures > 0).length;
    this.#feeds.set({ state: 'paused' }, paused);
    this.#feeds.set({ state: 'failing' }, failing);
    this.#feeds.set({ state: 'healthy' }, samples.length - paused - failing);
    // the least healthy first, so a cap never hides a feed that needs attention behind healthy ones
    const shown = [...samples]
      .sort(
        (a, b) =>
          Number(b.paused) - Number(a.paused) ||
          b.consecutiveFailures - a.consecutiveFailures ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      )
      .slice(0, cap);
    this.#feedsOmitted.set(samples.length - shown.length);
    this.#feedFailures.reset();
    this.#feedPaused.reset();
    for (const s of shown) {
      const feed = s.name.slice(0, MAX_FEED_NAME);
      this.#feedFailures.set({ feed }, s.consecutiveFailures);
      this.#feedPaused.set({ feed }, s.paused ? 1 : 0);
    }
  }
}

/** A label's values, the first `max` distinct ones kept and the rest counted as `other`. */
class BoundedLabels {
  readonly #seen = new Set<string>();
  constructor(readonly max: number) {}

  of(value: string): string {
    const v = /^[A-Za-z0-9_.:-]{1,60}$/.test(value) ? value : 'other';
    if (this.#seen.has(v)) return v;
    if (this.#seen.size >= this.max) return 'other';
    this.#seen.add(v);
    return v;
  }
}

/**
 * `newsdigest_event_loop_delay_seconds`, a Prometheus histogram fed by perf_hooks' monitorEventLoopDelay: at each
 * scrape the samples since the last one are added to cumulative buckets (through the monitor's percentiles, so a
 * bucket's count is exact to the monitor's precision) and the monitor is reset.
 */
class LoopDelayHistogram {
  readonly #buckets = LOOP_BUCKETS.map(() => 0);
  #count = 0;
  #sum = 0;

  take(monitor: ReturnType<typeof monitorEventLoopDelay>): void {
    const n = monitor.count;
    if (n > 0) {
      const points = [...monitor.percentiles].map(([p, ns]) => ({ fraction: p / 100, seconds: delayOf(ns) }));
      LOOP_BUCKETS.forEach((le, i) => {
        const under = points.filter((pt) => pt.seconds <= le).reduce((f, pt) => Math.max(f, pt.fraction), 0);
        this.#buckets[i] = (this.#buckets[i] ?? 0) + Math.round(under * n);
      });
      this.#count += n;
      this.#sum += delayOf(monitor.mean) * n;
    }
    monitor.reset();
  }

  /** The shape prom-client's registry renders: one `_bucket` line per bound, then `_sum` and `_count`. */
  asMetric() {
    const name = 'newsdigest_event_loop_delay_seconds';
    const get = () => ({
      name,
      help: 'How late the event loop ran timers, sampled every 10 ms by perf_hooks.monitorEventLoopDelay',
      type: 'histogram',
      aggregator: 'sum',
      values: [
        ...LOOP_BUCKETS.map((le, i) => ({
          metricName: `${name}_bucket`,
          labels: { le },
          value: this.#buckets[i] ?? 0,
        })),
        { metricName: `${name}_bucket`, labels: { le: '+Inf' }, value: this.#count },
        { metricName: `${name}_sum`, labels: {}, value: this.#sum },
        { metricName: `${name}_count`, labels: {}, value: this.#count },
      ],
    });
    return { name, get: async () => get(), reset: () => {} };
  }
}

/** Seconds the loop was late, from the monitor's nanoseconds between two samples. */
function delayOf(ns: number): number {
  return Math.max(0, ns / 1e9 - LOOP_RESOLUTION_MS / 1000);
}

/** Resolves `{ ok: true }` with the work, or `{ ok: false }` when the deadline passes first (the work goes on). */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
): Promise<{ ok: true; value: T } | { ok: false; timedOut: true }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ ok: false; timedOut: true }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value) => ({ ok: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts nothing: the one-shot commands and tests that do not look at metrics. */
export const noMetrics: Metrics = {
  feedPolled: () => {},
  articlesStored: () => {},
  articlesProcessed: () => {},
  digestDone: () => {},
  storiesPosted: () => {},
  setQueueDepth: () => {},
  beforeScrape: () => {},
};
