import { describe, expect, it } from 'vitest';
import {
  decodeProcessed,
  decodeRestorable,
  encodeProcessed,
  encodeRestorable,
} from '../../src/storage/processed-codec.js';
import { processedRecord } from './helpers.js';

describe('restorable records', () => {
  it('round-trip the days, the latest year and the counts a text names', () => {
    const record = processedRecord('p1', 'st-1');
    const back = decodeRestorable('processed:p1', JSON.parse(JSON.stringify(encodeRestorable(record))));
    expect(back?.features?.vectors?.days).toEqual([19_793, 19_794]);
    expect(back?.features?.vectors?.latestYear).toBe(2024);
    expect(back?.features?.vectors?.counts).toEqual(['dead=12', 'magnitud=6.1']);
    expect(back?.features?.edge?.content).toEqual([7, 4_000_000_001]);
    expect(back?.features).toEqual(record.features);
  });

  it('restore edge keys stored before their content keys were kept', () => {
    const stored = JSON.parse(JSON.stringify(encodeRestorable(processedRecord('p1', 'st-1')))) as {
      features: { edge: Record<string, unknown> };
    };
    delete stored.features.edge.content;
    const back = decodeRestorable('processed:p1', stored);
    expect(back?.features?.edge).toEqual({ source: 'Wire', body: 99, lines: [1, 2 ** 32 + 5] });
  });

  it("round-trip a text's language when it is not English, and leave it out for English", () => {
    const record = processedRecord('p1', 'st-1');
    const vectors = record.features?.vectors;
    if (!vectors || !record.features) throw new Error('fixture without vectors');
    const spanish = { ...record, features: { ...record.features, vectors: { ...vectors, language: 'es' } } };
    const back = decodeRestorable('processed:p1', JSON.parse(JSON.stringify(encodeRestorable(spanish))));
    expect(back?.features?.vectors?.language).toBe('es');
    const english = JSON.parse(JSON.stringify(encodeRestorable(record))) as {
      features: { v: Record<string, unknown> };
    };
    expect(english.features.v).not.toHaveProperty('lg');
  });

  it('a stored result keeps its revised and opinion warnings', () => {
    const record = {
      ...processedRecord('p1', 'st-1'),
      warnings: [
        { kind: 'revised' as const, message: "Re-issues Wire's report with text of its own added." },
        { kind: 'opinion' as const, message: 'An opinion piece (titled "Opinion").' },
      ],
    };
    const back = decodeProcessed('processed:p1', JSON.parse(JSON.stringify(encodeProcessed(record))), null);
    expect(back?.warnings.map((w) => w.kind)).toEqual(['revised', 'opinion']);
  });
});
