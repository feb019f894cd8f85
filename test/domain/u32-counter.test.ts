import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { U32Counter } from '../../src/domain/u32-counter.js';

describe('U32Counter', () => {
  it('counts as a Map of the same additions does, and remembers a number with each counted key, across growth', () => {
    const op = fc.oneof(
      fc.record({ add: fc.integer({ min: 0, max: 0xffffffff }), delta: fc.integer({ min: -2, max: 3 }) }),
      fc.record({ get: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ remember: fc.integer({ min: 0, max: 0xffffffff }), value: fc.double({ noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const counter = new U32Counter(16);
        const counts = new Map<number, number>();
        const remembered = new Map<number, number>();
        /** Keys whose count was zero since they remembered: the table may have dropped them as it grew. */
        const mayForget = new Set<number>();
        for (const o of ops) {
          if ('add' in o) {
            const count = (counts.get(o.add) ?? 0) + o.delta;
            counts.set(o.add, count);
            expect(counter.add(o.add, o.delta)).toBe(count);
          } else if ('get' in o) {
            expect(counter.get(o.get)).toBe(counts.get(o.get) ?? 0);
          } else {
            const slot = counter.slotAfterAdding(o.remember, 1);
            const count = (counts.get(o.remember) ?? 0) + 1;
            counts.set(o.remember, count);
            expect(counter.countAt(slot)).toBe(count);
            const had = remembered.get(o.remember);
            const now = counter.rememberedAt(slot);
            if (had === undefined) expect(now).toBeNaN();
            else if (mayForget.has(o.remember)) expect(Number.isNaN(now) || now === had).toBe(true);
            else expect(now).toBe(had);
            counter.remember(slot, o.value);
            remembered.set(o.remember, o.value);
            mayForget.delete(o.remember);
          }
          for (const [key, count] of counts) if (count === 0 && remembered.has(key)) mayForget.add(key);
        }
        const seen = new Map<number, number>();
        counter.forEach((key, count) => {
          seen.set(key, count);
        });
        expect(seen).toEqual(new Map([...counts].filter(([, n]) => n !== 0)));
      }),
    );
  });

  it('stays the size its live keys need through months of turnover (ids counted, then evicted to zero)', () => {
    const counter = new U32Counter(16);
    let key = 0;
    for (let day = 0; day < 200; day++) {
      // a day's 500 new ids, and the ids of the day that left the window back to zero
      for (let i = 0; i < 500; i++) counter.add(key + i, 1);
      if (day >= 3) for (let i = 0; i < 500; i++) counter.add(key - 1500 + i, -1);
      key += 500;
    }
    // 1,500 ids live at the end (three days); 100,000 were counted in all
    let live = 0;
    counter.forEach(() => {
      live++;
    });
    expect(live).toBe(1_500);
    expect(counter.capacity).toBeLessThanOrEqual(8_192);
    for (let i = 0; i < 1_500; i++) expect(counter.get(key - 1_500 + i)).toBe(1);
    expect(counter.get(key - 1_501)).toBe(0);
  });

  it('keeps keys that share low bits apart', () => {
    const counter = new U32Counter(16);
    for (let i = 0; i < 1000; i++) counter.remember(counter.slotAfterAdding(i * 0x10000, i + 1), i / 7);
    for (let i = 0; i < 1000; i++) {
      const slot = counter.slotAfterAdding(i * 0x10000, 0);
      expect(counter.countAt(slot)).toBe(i + 1);
      expect(counter.rememberedAt(slot)).toBe(i / 7);
    }
    expect(counter.get(1)).toBe(0);
  });
});
