// The in-process job queue: lanes that do not wait for each other, concurrency per lane, an id queued once while
// it waits or runs, a bound on what waits, and a close that lets running jobs finish.
import { describe, expect, it } from 'vitest';
import { InProcessJobQueue } from '../../src/jobs/in-process-queue.js';
import { KeyedLimiter } from '../../src/pipeline/keyed-limiter.js';
import type { Job } from '../../src/ports.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const job = (kind: Job['kind'], id: string): Job => ({ kind, id, data: {} });

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('InProcessJobQueue', () => {
  it('runs a digest while every poll slot hangs', async () => {
    const jobs = new InProcessJobQueue({ logger: silent });
    const hang = gate();
    const done: string[] = [];
    jobs.work('poll', 2, async (j) => {
      await hang.opened;
      done.push(j.id);
    });
    jobs.work('digest', 1, async (j) => {
      done.push(j.id);
    });
    for (let i = 0; i < 5; i++) await jobs.add(job('poll', `poll-${i}`));
    await jobs.add(job('digest', 'digest-desk'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toEqual(['digest-desk']);
    expect((await jobs.depths()).poll).toEqual({ waiting: 3, running: 2 });
    hang.open();
    await jobs.idle();
    expect(done).toHaveLength(6);
  });

  it('adds an id once while it waits or runs, and again after it ran', async () => {
    const jobs = new InProcessJobQueue({ logger: silent });
    const hang = gate();
    let runs = 0;
    jobs.work('poll', 1, async () => {
      runs++;
      await hang.opened;
    });
    expect(await jobs.add(job('poll', 'poll-a'))).toBe(true);
    // running now
    expect(await jobs.add(job('poll', 'poll-a'))).toBe(false);
    expect(await jobs.add(job('poll', 'poll-b'))).toBe(true);
    // waiting now
    expect(await jobs.add(job('poll', 'poll-b'))).toBe(false);
    hang.open();
    await jobs.idle();
    expect(runs).toBe(2);
    expect(await jobs.add(job('poll', 'poll-a'))).toBe(true);
    await jobs.idle();
    expect(runs).toBe(3);
  });

  it('refuses jobs beyond its bound, logs it, and keeps the ones it holds', async () => {
    const warned: string[] = [];
    const logger = { ...silent, warn: (_o: unknown, msg?: string) => void warned.push(msg ?? '') };
    const jobs = new InProcessJobQueue({ logger, maxWaiting: 3 });
    const added = [];
    for (let i = 0; i < 5; i++) added.push(await jobs.add(job('poll', `p${i}`)));
    expect(added).toEqual([true, true, true, false, false]);
    expect(warned).toHaveLength(2);
    const ran: string[] = [];
    jobs.work('poll', 1, async (j) => void ran.push(j.id));
    await jobs.idle();
    expect(ran).toEqual(['p0', 'p1', 'p2']);
  });

  it('keeps working after a job throws', async () => {
    const errors: string[] = [];
    const logger = { ...silent, error: (_o: unknown, msg?: string) => void errors.push(msg ?? '') };
    const jobs = new InProcessJobQueue({ logger });
    const ran: string[] = [];
    jobs.work('ingest', 1, async (j) => {
      if (j.id === 'bad') throw new Error('boom');
      ran.push(j.id);
    });
    await jobs.add(job('ingest', 'bad'));
    await jobs.add(job('ingest', 'good'));
    await jobs.idle();
    expect(ran).toEqual(['good']);
    expect(errors).toEqual(['job failed']);
  });

  it('close waits for running jobs, drops waiting ones and takes no more', async () => {
    const jobs = new InProcessJobQueue({ logger: silent });
    const hang = gate();
    const finished: string[] = [];
    jobs.work('digest', 1, async (j) => {
      await hang.opened;
      finished.push(j.id);
    });
    await jobs.add(job('digest', 'a'));
    await jobs.add(job('digest', 'b'));
    const closing = jobs.close();
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    hang.open();
    await closing;
    expect(finished).toEqual(['a']);
    expect(await jobs.add(job('digest', 'c'))).toBe(false);
  });
});

describe('KeyedLimiter', () => {
  it('runs at most N tasks per key, others freely, and forgets idle keys', async () => {
    const limiter = new KeyedLimiter(2);
    let running = 0;
    let most = 0;
    const hang = gate();
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await hang.opened;
      running--;
    };
    const same = Array.from({ length: 5 }, () => limiter.run('slow.example', task));
    let other = false;
    await limiter.run('fast.example', async () => {
      other = true;
    });
    expect(other).toBe(true);
    expect(most).toBe(2);
    hang.open();
    await Promise.all(same);
    expect(most).toBe(2);
    expect(limiter.size).toBe(0);
  });
});
