// Numbers by 32-bit key in typed arrays (open addressing, linear probing): document frequencies and memoised
// probabilities for hundreds of thousands of hashed term ids without millions of Map entries or boxed numbers.
// Slots are never freed one by one (a key seen once is likely to be seen again); a table grows when half full.
import { mix32 } from './text.js';

/** The probing table both uses share: keys, a value per key, and which slots are taken. */
class U32Table {
  protected keys: Uint32Array;
  protected values: Float64Array;
  protected filled: Uint8Array;
  protected used = 0;

  constructor(initialSlots: number) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.keys = new Uint32Array(slots);
    this.values = new Float64Array(slots);
    this.filled = new Uint8Array(slots);
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  protected find(key: number): number {
    const mask = this.keys.length - 1;
    let s = mix32(key) & mask;
    while (this.filled[s] === 1 && this.keys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  /** The slot of `key`, taken for it (value 0) if it had none. */
  protected slotFor(key: number): number {
    let slot = this.find(key);
    if (this.filled[slot] !== 1) {
      if ((this.used + 1) * 2 > this.keys.length) {
        this.grow();
        slot = this.find(key);
      }
      this.filled[slot] = 1;
      this.keys[slot] = key;
      this.values[slot] = 0;
      this.used++;
    }
    return slot;
  }

  /** Twice the slots; entries for which `keep(value)` is false are left behind. */
  private grow(): void {
    const { keys, values, filled } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Float64Array(keys.length * 2);
    this.filled = new Uint8Array(keys.length * 2);
    this.used = 0;
    for (let i = 0; i < keys.length; i++) {
      if (filled[i] !== 1 || !this.keep(values[i] ?? 0)) continue;
      const s = this.find(keys[i] ?? 0);
      this.filled[s] = 1;
      this.keys[s] = keys[i] ?? 0;
      this.values[s] = values[i] ?? 0;
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
    return this.filled[slot] === 1 ? (this.values[slot] ?? 0) : 0;
  }

  add(key: number, delta: number): void {
    const slot = this.slotFor(key >>> 0);
    this.values[slot] = (this.values[slot] ?? 0) + delta;
  }

  /** Every key with a non-zero count. */
  forEach(fn: (key: number, count: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) {
      const n = this.values[i] ?? 0;
      if (this.filled[i] === 1 && n !== 0) fn(this.keys[i] ?? 0, n);
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
    return this.filled[slot] === 1 ? this.values[slot] : undefined;
  }

  set(key: number, value: number): void {
    // the slot first: slotFor may grow the table, and `this.values` would be read before the call
    const slot = this.slotFor(key >>> 0);
    this.values[slot] = value;
  }

  clear(): void {
    this.filled.fill(0);
    this.used = 0;
  }
}
