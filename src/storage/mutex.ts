// Serialises read-modify-write of one key (a day's index, a catalogue): KeyedMutex within this process, SharedMutex
// across every process on the store.
import type { Lease, Locks } from '../ports.js';

/** Without a shared store nothing else can take the key while the task runs. */
const LOCAL_ONLY: Lease = { confirm: async () => {} };

export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}

/** How long a store write waits for another process's write of the same key before it fails (it is retried). */
const SHARED_WAIT_MS = 60_000;

/**
 * A KeyedMutex that also holds a lease in the store while it runs, so the read-modify-write of a shared key (the
 * ingest log's head, a catalogue) is serialised across every process on the store, not only within this one.
 */
export class SharedMutex {
  readonly #local = new KeyedMutex();

  constructor(
    private readonly locks: Locks | null,
    /** Names the store, so two stores' keys never share a lease. */
    private readonly scope: string,
  ) {}

  /** Runs `task` holding the key; it confirms the lease before a write another holder must not race. */
  run<T>(key: string, task: (lease: Lease) => Promise<T>): Promise<T> {
    const locks = this.locks;
    if (locks === null) return this.#local.run(key, () => task(LOCAL_ONLY));
    return this.#local.run(key, async () => {
      const result = await locks.withLock(`${this.scope}:${key}`, SHARED_WAIT_MS, task);
      if (!result.held) throw new Error(`${this.scope} ${key}: another process held it for ${SHARED_WAIT_MS / 1000} s`);
      return result.value;
    });
  }
}
