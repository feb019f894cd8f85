// Counts by 32-bit key in a typed array (open addressing, linear probing): document frequencies for hundreds of
// thousands of hashed term ids without millions of Map entries or boxed numbers, each with a number remembered
// beside it (the grouper's background probability of the id), so that one probe serves both.
// Slots are never freed one by one (a key seen once is likely to be seen again); when the table is half full it is
// rebuilt without its zero counts, at a size its live keys need: months of a stream's turnover (ids counted, then
// evicted to zero) do not grow it.
import { mix32 } from './text.js';

/** A slot's key cell when no key holds it (keys are 32-bit unsigned, never negative). */
const EMPTY = -1;
/** Cells of a slot: its key, its count and its remembered number, side by side (one place in memory to read). */
const CELLS = 3;

/**
 * Counts by key; counts may go back to zero, and zero counts are dropped (with what they remembered) when the table
 * grows. A slot number (slotAfterAdding) stays valid until the next key is added.
 */
export class U32Counter {
  private cells: Float64Array;
  private slots: number;
  private used = 0;
  private readonly minSlots: number;

  constructor(initialSlots = 4096) {
    this.minSlots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.slots = this.minSlots;
    this.cells = U32Counter.emptyCells(this.slots);
  }

  /** Slots the table has now (memory: 24 bytes each). */
  get capacity(): number {
    return this.slots;
  }

  get(key: number): number {
    const slot = this.find(key >>> 0);
    return this.keyAt(slot) === EMPTY ? 0 : (this.cells[CELLS * slot + 1] ?? 0);
  }

  /** Adds `delta` to the count of `key`; returns the new count. */
  add(key: number, delta: number): number {
    return this.countAt(this.slotAfterAdding(key, delta));
  }

  /** Adds `delta` to the count of `key`; returns the slot that holds it, for countAt, rememberedAt and remember. */
  slotAfterAdding(key: number, delta: number): number {
    const slot = this.slotFor(key >>> 0);
    this.cells[CELLS * slot + 1] = (this.cells[CELLS * slot + 1] ?? 0) + delta;
    return slot;
  }

  countAt(slot: number): number {
    return this.cells[CELLS * slot + 1] ?? 0;
  }

  /** The number remembered with the key of `slot`, NaN when none is. */
  rememberedAt(slot: number): number {
    return this.cells[CELLS * slot + 2] ?? Number.NaN;
  }

  remember(slot: number, value: number): void {
    this.cells[CELLS * slot + 2] = value;
  }

  /** Every key with a non-zero count. */
  forEach(fn: (key: number, count: number) => void): void {
    for (let i = 0; i < this.slots; i++) {
      const key = this.keyAt(i);
      const n = this.countAt(i);
      if (key !== EMPTY && n !== 0) fn(key, n);
    }
  }

  private static emptyCells(slots: number): Float64Array {
    const cells = new Float64Array(slots * CELLS);
    for (let s = 0; s < slots; s++) {
      cells[CELLS * s] = EMPTY;
      cells[CELLS * s + 2] = Number.NaN;
    }
    return cells;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private find(key: number): number {
    const mask = this.slots - 1;
    const cells = this.cells;
    let s = mix32(key) & mask;
    for (;;) {
      const k = cells[CELLS * s];
      if (k === key || k === EMPTY) return s;
      s = (s + 1) & mask;
    }
  }

  /** The key held by slot s, or EMPTY. */
  private keyAt(s: number): number {
    return this.cells[CELLS * s] ?? EMPTY;
  }

  /** The slot of `key`, taken for it (count 0, nothing remembered) if it had none. */
  private slotFor(key: number): number {
    let slot = this.find(key);
    if (this.keyAt(slot) === EMPTY) {
      if ((this.used + 1) * 2 > this.slots) {
        this.grow();
        slot = this.find(key);
      }
      this.cells[CELLS * slot] = key;
      this.cells[CELLS * slot + 1] = 0;
      this.used++;
    }
    return slot;
  }

  /**
   * The table rebuilt without the keys whose count is zero, at four slots per live key (a power of two, never below
   * the initial size): twice the slots while the keys are live, the same or fewer once most went back to zero.
   */
  private grow(): void {
    const old = this.cells;
    const oldSlots = this.slots;
    let live = 0;
    for (let i = 0; i < oldSlots; i++)
      if ((old[CELLS * i] ?? EMPTY) !== EMPTY && (old[CELLS * i + 1] ?? 0) !== 0) live++;
    this.slots = Math.max(this.minSlots, 2 ** Math.ceil(Math.log2(Math.max(1, 4 * live))));
    this.cells = U32Counter.emptyCells(this.slots);
    this.used = 0;
    for (let i = 0; i < oldSlots; i++) {
      const key = old[CELLS * i] ?? EMPTY;
      const count = old[CELLS * i + 1] ?? 0;
      if (key === EMPTY || count === 0) continue;
      const s = this.find(key);
      this.cells[CELLS * s] = key;
      this.cells[CELLS * s + 1] = count;
      this.cells[CELLS * s + 2] = old[CELLS * i + 2] ?? Number.NaN;
      this.used++;
    }
  }
}
