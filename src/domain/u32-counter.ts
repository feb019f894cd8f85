// Numbers by 32-bit key in typed arrays (open addressing, linear probing): document frequencies and memoised
// probabilities for hundreds of thousands of hashed term ids without millions of Map entries or boxed numbers.
// Slots are never freed one by one (a key seen once is likely to be seen again); a table grows when half full.
import { mix32 } from './text.js';

/** A slot's key cell when no key holds it (keys are 32-bit unsigned, never negative). */
const EMPTY = -1;

/**
 * The probing table both uses share: a key and its value side by side in one array (cells 2s and 2s + 1 of slot
 * s), so a lookup reads one place in memory rather than three arrays' worth (these tables outgrow the caches).
 */
class U32Table {
  protected cells: Float64Array;
  protected slots: number;
  protected used = 0;

  constructor(initialSlots: number) {
    this.slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.cells = new Float64Array(this.slots * 2).fill(EMPTY);
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  protected find(key: number): number {
    const mask = this.slots - 1;
    const cells = this.cells;
    let s = mix32(key) & mask;
    for (;;) {
      const k = cells[2 * s];
      if (k === key || k === EMPTY) return s;
      s = (s + 1) & mask;
    }
  }

  /** The key held by slot s, or EMPTY. */
  protected keyAt(s: number): number {
    return this.cells[2 * s] ?? EMPTY;
  }

  protected valueAt(s: number): number {
    return this.cells[2 * s + 1] ?? 0;
  }

  protected setValue(s: number, value: number): void {
    this.cells[2 * s + 1] = value;
  }

  /** The slot of `key`, taken for it (value 0) if it had none. */
  protected slotFor(key: number): number {
    let slot = this.find(key);
    if (this.keyAt(slot) === EMPTY) {
      if ((this.used + 1) * 2 > this.slots) {
        this.grow();
        slot = this.find(key);
      }
      this.cells[2 * slot] = key;
      this.cells[2 * slot + 1] = 0;
      this.used++;
    }
    return slot;
  }

  /** Twice the slots; entries for which `keep(value)` is false are left behind. */
  private grow(): void {
    const old = this.cells;
    const oldSlots = this.slots;
    this.slots = oldSlots * 2;
    this.cells = new Float64Array(this.slots * 2).fill(EMPTY);
    this.used = 0;
    for (let i = 0; i < oldSlots; i++) {
      const key = old[2 * i] ?? EMPTY;
      const value = old[2 * i + 1] ?? 0;
      if (key === EMPTY || !this.keep(value)) continue;
      const s = this.find(key);
      this.cells[2 * s] = key;
      this.cells[2 * s + 1] = value;
      this.used++;
    }
  }

  protected keep(_value: number): boolean {
    return true;
  }
}

/** Counts by key; counts may go back to zero, and zero counts are dropped when the table grows. */
export class U32Counter extends U32Table {
  constructor(initialSlots = 4096) {
    super(initialSlots);
  }

  get(key: number): number {
    const slot = this.find(key >>> 0);
    return this.keyAt(slot) === EMPTY ? 0 : this.valueAt(slot);
  }

  /** Adds `delta` to the count of `key`; returns the new count. */
  add(key: number, delta: number): number {
    const slot = this.slotFor(key >>> 0);
    const count = this.valueAt(slot) + delta;
    this.setValue(slot, count);
    return count;
  }

  /** Every key with a non-zero count. */
  forEach(fn: (key: number, count: number) => void): void {
    for (let i = 0; i < this.slots; i++) {
      const key = this.keyAt(i);
      const n = this.valueAt(i);
      if (key !== EMPTY && n !== 0) fn(key, n);
    }
  }

  protected override keep(count: number): boolean {
    return count !== 0;
  }
}

/** A number remembered per key. clear() forgets everything; the caller bounds the size. */
export class U32NumberMemo extends U32Table {
  constructor(initialSlots = 4096) {
    super(initialSlots);
  }

  get size(): number {
    return this.used;
  }

  get(key: number): number | undefined {
    const slot = this.find(key >>> 0);
    return this.keyAt(slot) === EMPTY ? undefined : this.valueAt(slot);
  }

  set(key: number, value: number): void {
    // the slot first: slotFor may grow the table
    const slot = this.slotFor(key >>> 0);
    this.setValue(slot, value);
  }

  clear(): void {
    this.cells.fill(EMPTY);
    this.used = 0;
  }
}
