// Counts by 32-bit key in typed arrays (open addressing, linear probing): document frequencies for hundreds of
// thousands of hashed term ids without millions of Map entries. Counts may go back to zero; slots are never freed
// (a key seen once is likely to be seen again), and the table grows when half full.
import { mix32 } from './text.js';

export class U32Counter {
  private keys: Uint32Array;
  private counts: Int32Array;
  private filled: Uint8Array;
  private used = 0;

  constructor(initialSlots = 4096) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.keys = new Uint32Array(slots);
    this.counts = new Int32Array(slots);
    this.filled = new Uint8Array(slots);
  }

  get(key: number): number {
    const slot = this.find(key >>> 0);
    return this.filled[slot] === 1 ? (this.counts[slot] ?? 0) : 0;
  }

  add(key: number, delta: number): void {
    const k = key >>> 0;
    let slot = this.find(k);
    if (this.filled[slot] !== 1) {
      if ((this.used + 1) * 2 > this.keys.length) {
        this.grow();
        slot = this.find(k);
      }
      this.filled[slot] = 1;
      this.keys[slot] = k;
      this.used++;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + delta;
  }

  /** Every key with a non-zero count. */
  forEach(fn: (key: number, count: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) {
      const n = this.counts[i] ?? 0;
      if (this.filled[i] === 1 && n !== 0) fn(this.keys[i] ?? 0, n);
    }
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    let s = mix32(key) & mask;
    while (this.filled[s] === 1 && this.keys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  private grow(): void {
    const keys = this.keys;
    const counts = this.counts;
    const filled = this.filled;
    this.keys = new Uint32Array(keys.length * 2);
    this.counts = new Int32Array(keys.length * 2);
    this.filled = new Uint8Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (filled[i] !== 1 || (counts[i] ?? 0) === 0) continue;
      const s = this.find(keys[i] ?? 0);
      this.filled[s] = 1;
      this.keys[s] = keys[i] ?? 0;
      this.counts[s] = counts[i] ?? 0;
    }
    this.used = 0;
    for (let i = 0; i < this.filled.length; i++) this.used += this.filled[i] ?? 0;
  }
}

/**
 * A number remembered per 32-bit key in typed arrays (open addressing, linear probing): a memo keyed by hashed ids
 * without a Map entry, and a boxed number, per key. clear() forgets everything; the caller bounds the size.
 */
export class U32NumberMemo {
  private keys: Uint32Array;
  private values: Float64Array;
  private filled: Uint8Array;
  private used = 0;

  constructor(initialSlots = 4096) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.keys = new Uint32Array(slots);
    this.values = new Float64Array(slots);
    this.filled = new Uint8Array(slots);
  }

  get size(): number {
    return this.used;
  }

  get(key: number): number | undefined {
    const slot = this.find(key >>> 0);
    return this.filled[slot] === 1 ? this.values[slot] : undefined;
  }

  set(key: number, value: number): void {
    const k = key >>> 0;
    let slot = this.find(k);
    if (this.filled[slot] !== 1) {
      if ((this.used + 1) * 2 > this.keys.length) {
        this.grow();
        slot = this.find(k);
      }
      this.filled[slot] = 1;
      this.keys[slot] = k;
      this.used++;
    }
    this.values[slot] = value;
  }

  clear(): void {
    this.filled.fill(0);
    this.used = 0;
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    let s = mix32(key) & mask;
    while (this.filled[s] === 1 && this.keys[s] !== key) s = (s + 1) & mask;
    return s;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    const filled = this.filled;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Float64Array(keys.length * 2);
    this.filled = new Uint8Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (filled[i] !== 1) continue;
      const s = this.find(keys[i] ?? 0);
      this.filled[s] = 1;
      this.keys[s] = keys[i] ?? 0;
      this.values[s] = values[i] ?? 0;
    }
  }
}
