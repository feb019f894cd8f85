// The Locks port inside one process: a named lock is a queue of waiters. Enough when one process does all the
// work (the embedded default); processes sharing a store use jobs/redis-locks.ts.
import type { Lease, Locks } from '../ports.js';

/** Within one process a lock cannot be taken by another holder while this one runs. */
const ALWAYS_HELD: Lease = { confirm: async () => {} };

export class MemoryLocks implements Locks {
  readonly #held = new Map<string, Promise<void>>();

  async withLock<T>(
    name: string,
    waitMs: number,
    work: (lease: Lease) => Promise<T>,
  ): Promise<{ held: true; value: T } | { held: false }> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const current = this.#held.get(name);
      if (!current) break;
      const left = deadline - Date.now();
      if (left <= 0) return { held: false };
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([current, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    let release: () => void = () => {};
    this.#held.set(
      name,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    try {
      return { held: true, value: await work(ALWAYS_HELD) };
    } finally {
      this.#held.delete(name);
      release();
    }
  }

  async close(): Promise<void> {}
}
