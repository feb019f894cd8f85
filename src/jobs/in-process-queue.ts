// The JobQueue port inside one process (the embedded default): one bounded lane per kind of job, each with its
// own concurrency, so a poll stuck on a hanging host never holds up a channel's digest, and a digest waiting for
// Slack never holds up the polls. A job whose id is waiting or running is not added again; a lane that is full says
// so (the scheduler adds what is due again at its next tick: nothing is lost).
import type { Job, JobKind, JobQueue, Logger } from '../ports.js';

const KINDS: readonly JobKind[] = ['poll', 'ingest', 'digest', 'prune'];

interface Lane {
  concurrency: number;
  handler: ((job: Job) => Promise<void>) | null;
  readonly waiting: Job[];
  readonly ids: Set<string>;
  running: number;
}

export interface InProcessQueueOptions {
  readonly logger: Logger;
  /** Jobs a lane holds waiting before it refuses more (default 20,000: every feed of a large install, twice). */
  readonly maxWaiting?: number;
}

export class InProcessJobQueue implements JobQueue {
  readonly #lanes = new Map<JobKind, Lane>();
  readonly #running = new Set<Promise<void>>();
  readonly #logger: Logger;
  readonly #maxWaiting: number;
  #closed = false;

  constructor(options: InProcessQueueOptions) {
    this.#logger = options.logger;
    this.#maxWaiting = options.maxWaiting ?? 20_000;
    for (const kind of KINDS) {
      this.#lanes.set(kind, { concurrency: 1, handler: null, waiting: [], ids: new Set(), running: 0 });
    }
  }

  async add(job: Job): Promise<boolean> {
    const lane = this.#lane(job.kind);
    if (this.#closed || lane.ids.has(job.id)) return false;
    if (lane.waiting.length >= this.#maxWaiting) {
      this.#logger.warn(
        { kind: job.kind, job: job.id, waiting: lane.waiting.length },
        'job lane full: not queued now, added again when next due',
      );
      return false;
    }
    lane.ids.add(job.id);
    lane.waiting.push(job);
    this.#pump(job.kind);
    return true;
  }

  work(kind: JobKind, concurrency: number, handler: (job: Job) => Promise<void>): void {
    const lane = this.#lane(kind);
    lane.concurrency = Math.max(1, Math.floor(concurrency));
    lane.handler = handler;
    this.#pump(kind);
  }

  async depths(): Promise<Record<JobKind, { waiting: number; running: number }>> {
    const out = {} as Record<JobKind, { waiting: number; running: number }>;
    for (const [kind, lane] of this.#lanes) out[kind] = { waiting: lane.waiting.length, running: lane.running };
    return out;
  }

  /** Takes no more jobs; waits for the running ones. Jobs still waiting are dropped (the store knows what is due). */
  async close(): Promise<void> {
    this.#closed = true;
    let dropped = 0;
    for (const lane of this.#lanes.values()) {
      dropped += lane.waiting.length;
      lane.waiting.length = 0;
      lane.ids.clear();
    }
    if (dropped > 0) this.#logger.info({ jobs: dropped }, 'stopping: waiting jobs left for the next start');
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Resolves when no job is waiting or running (tests and `run --once`-like callers). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.#running.size === 0 && [...this.#lanes.values()].every((l) => l.waiting.length === 0)) return;
      await Promise.allSettled([...this.#running]);
      // a finished job may have added others (a poll adds an ingest): look again on the next turn
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #lane(kind: JobKind): Lane {
    const lane = this.#lanes.get(kind);
    if (!lane) throw new Error(`unknown job kind: ${kind}`);
    return lane;
  }

  #pump(kind: JobKind): void {
    const lane = this.#lane(kind);
    const handler = lane.handler;
    if (!handler) return;
    while (!this.#closed && lane.running < lane.concurrency && lane.waiting.length > 0) {
      const job = lane.waiting.shift() as Job;
      lane.running++;
      const run = (async () => {
        try {
          await handler(job);
        } catch (error) {
          this.#logger.error({ kind: job.kind, job: job.id, err: error }, 'job failed');
        } finally {
          // only now may a job with this id queue again: a poll still running is not queued behind itself
          lane.ids.delete(job.id);
          lane.running--;
        }
      })();
      this.#running.add(run);
      void run.finally(() => {
        this.#running.delete(run);
        this.#pump(kind);
      });
    }
  }
}
