// The JobQueue port on BullMQ (Redis): what lets the scheduler and the workers be separate processes on separate
// machines. One BullMQ queue per kind of job, so each kind keeps its own lane and concurrency. A job id that is
// waiting, running, or was finished recently is added once (BullMQ ignores an add with a known id): digest slots
// are kept a day after they ran, so a second scheduler firing the same slot adds nothing; polls and ingests are
// removed when done, so the next poll of a feed can queue. A worker that dies mid-job stops renewing the job's
// lock and BullMQ hands the job to another worker (its handlers are safe to run again: see pipeline/work.ts).
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Job, JobKind, JobQueue, Logger } from '../ports.js';
import { redactSecrets, urlPasswords } from '../secrets.js';

const KINDS: readonly JobKind[] = ['poll', 'ingest', 'digest', 'prune'];
const DAY_S = 86_400;

/** How long finished jobs of each kind keep their id (seconds): what makes a repeated add a no-op. */
const KEEP_DONE_S: Record<JobKind, number> = { poll: 0, ingest: 0, digest: DAY_S, prune: 2 * DAY_S };

export interface BullmqQueueOptions {
  /** redis:// URL of the queue's Redis. */
  readonly url: string;
  readonly logger: Logger;
  /** Key prefix, so several installs (or test runs) can share one Redis. */
  readonly prefix?: string;
  /** Milliseconds a running job's lock lasts without renewal: how soon a dead worker's job goes to another. */
  readonly lockMs?: number;
  /** First retry delay of a failed job, doubling for each of its 5 attempts (default 5,000 ms). */
  readonly retryDelayMs?: number;
}

export class BullmqJobQueue implements JobQueue {
  readonly #queues = new Map<JobKind, Queue>();
  readonly #workers: Worker[] = [];
  /** Ours to close: BullMQ leaves a connection it was handed open. */
  readonly #connections: Redis[] = [];
  readonly #connection: Redis;
  readonly #options: BullmqQueueOptions;
  readonly #logger: Logger;
  readonly #running = new Map<JobKind, number>();

  constructor(options: BullmqQueueOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'jobs' });
    this.#connection = redisConnection(options.url, this.#logger);
    for (const kind of KINDS) {
      const queue = new Queue(queueName(kind), { connection: this.#connection, prefix: this.#prefix });
      queue.on('error', (error) => this.#logger.warn({ err: error, kind }, 'job queue error (retrying)'));
      this.#queues.set(kind, queue);
    }
  }

  get #prefix(): string {
    return this.#options.prefix ?? 'newsdigest';
  }

  async add(job: Job): Promise<boolean> {
    const queue = this.#queue(job.kind);
    const keep = KEEP_DONE_S[job.kind];
    await queue.add(job.kind, job.data, {
      jobId: job.id,
      removeOnComplete: keep > 0 ? { age: keep } : true,
      // a kept job's id refuses a new add: a poll's id (its feed) and an ingest's (its head) come again, and a
      // failure kept for days would stop that feed's polls, or ingest, until then; digests and prunes name a slot
      removeOnFail: keep > 0 ? { age: 7 * DAY_S, count: 1000 } : true,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.#options.retryDelayMs ?? 5_000 },
    });
    // BullMQ does not say whether the id was known (it ignores the add): queued, now or before
    return true;
  }

  work(kind: JobKind, concurrency: number, handler: (job: Job) => Promise<void>): void {
    // workers block on Redis waiting for jobs: a connection of their own, as BullMQ asks
    const connection = redisConnection(this.#options.url, this.#logger);
    this.#connections.push(connection);
    const worker = new Worker(
      queueName(kind),
      async (j) => {
        this.#running.set(kind, (this.#running.get(kind) ?? 0) + 1);
        try {
          await handler({ kind, id: j.id ?? '', data: j.data as Record<string, string> });
        } finally {
          this.#running.set(kind, (this.#running.get(kind) ?? 1) - 1);
        }
      },
      {
        connection,
        prefix: this.#prefix,
        concurrency: Math.max(1, Math.floor(concurrency)),
        lockDuration: this.#options.lockMs ?? 30_000,
        stalledInterval: Math.max(1_000, Math.floor((this.#options.lockMs ?? 30_000) / 2)),
        maxStalledCount: 3,
      },
    );
    worker.on('error', (error) => this.#logger.warn({ err: error, kind }, 'job worker error (retrying)'));
    worker.on('failed', (job, error) =>
      this.#logger.error(
        { err: error, kind, job: job?.id, attempt: job?.attemptsMade },
        'job failed: retried with backoff',
      ),
    );
    this.#workers.push(worker);
  }

  async depths(): Promise<Record<JobKind, { waiting: number; running: number }>> {
    const out = {} as Record<JobKind, { waiting: number; running: number }>;
    for (const [kind, queue] of this.#queues) {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
      out[kind] = {
        waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
        running: counts.active ?? 0,
      };
    }
    return out;
  }

  async close(): Promise<void> {
    // running jobs finish first; a job cut short by a kill is handed to another worker by its lock timing out
    await Promise.allSettled(this.#workers.map((w) => w.close()));
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
    for (const connection of [this.#connection, ...this.#connections]) connection.disconnect();
  }

  #queue(kind: JobKind): Queue {
    const queue = this.#queues.get(kind);
    if (!queue) throw new Error(`unknown job kind: ${kind}`);
    return queue;
  }
}

function queueName(kind: JobKind): string {
  return `jobs-${kind}`;
}

/**
 * An ioredis connection as BullMQ needs it (no per-command retry limit: BullMQ waits for Redis to come back), with
 * its errors logged (masked) instead of thrown at nobody.
 */
export function redisConnection(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectTimeout: 10_000,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ error: redactSecrets(error.message, urlPasswords(url)) }, 'job queue Redis unreachable: retrying');
  });
  redis.on('ready', () => {
    if (down) logger.info('job queue Redis is back');
    down = false;
  });
  return redis;
}
