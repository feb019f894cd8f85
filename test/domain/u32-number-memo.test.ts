import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { U32NumberMemo } from '../../src/domain/u32-counter.js';

describe('U32NumberMemo', () => {
  it('answers as a Map of the same writes does, across growth and clears', () => {
    const op = fc.oneof(
      fc.record({ set: fc.integer({ min: 0, max: 0xffffffff }), value: fc.double({ noNaN: true }) }),
      fc.record({ get: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.constant({ clear: true }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const memo = new U32NumberMemo(16);
        const map = new Map<number, number>();
        for (const o of ops) {
          if ('set' in o) {
            memo.set(o.set, o.value);
            map.set(o.set, o.value);
          } else if ('get' in o) {
            expect(memo.get(o.get)).toBe(map.get(o.get));
          } else {
            memo.clear();
            map.clear();
          }
          expect(memo.size).toBe(map.size);
        }
        for (const [k, v] of map) expect(memo.get(k)).toBe(v);
      }),
    );
  });

  it('keeps keys that share low bits apart', () => {
    const memo = new U32NumberMemo(16);
    for (let i = 0; i < 1000; i++) memo.set(i * 0x10000, i / 7);
    for (let i = 0; i < 1000; i++) expect(memo.get(i * 0x10000)).toBe(i / 7);
    expect(memo.get(1)).toBeUndefined();
    expect(memo.size).toBe(1000);
  });
});
