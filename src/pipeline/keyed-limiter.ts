// At most N tasks at a time per key (politeness: polls of one feed host), the rest in order behind them. Keys with
// nothing running or waiting are forgotten, so the map stays as small as the work in flight.

export class KeyedLimiter {
  readonly #limit: number;
  readonly #slots = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /** Keys with work running or waiting now. */
  get size(): number {
    return this.#slots.size;
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { running: 0, waiting: [] };
      this.#slots.set(key, slot);
    }
    if (slot.running >= this.#limit) {
      const queued = slot;
      await new Promise<void>((resolve) => queued.waiting.push(resolve));
    } else {
      slot.running++;
    }
    try {
      return await task();
    } finally {
      const next = slot.waiting.shift();
      // the slot passes straight to the next waiter; the count drops only when nobody waits
      if (next) next();
      else if (--slot.running === 0) this.#slots.delete(key);
    }
  }
}
