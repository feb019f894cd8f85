import { describe, expect, it } from 'vitest';
import { decodeRestorable, encodeRestorable } from '../../src/storage/processed-codec.js';
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

  it('restore edge keys stored before their content keys were kept, and a revised warning', () => {
    const stored = JSON.parse(JSON.stringify(encodeRestorable(processedRecord('p1', 'st-1')))) as {
      features: { edge: Record<string, unknown> };
      warnings: unknown[];
    };
    delete stored.features.edge.content;
    stored.warnings = [{ kind: 'revised', message: "Re-issues Wire's report with text of its own added." }];
    const back = decodeRestorable('processed:p1', stored);
    expect(back?.features?.edge).toEqual({ source: 'Wire', body: 99, lines: [1, 2 ** 32 + 5] });
    expect(back?.warnings.map((w) => w.kind)).toEqual(['revised']);
  });

  it('still restore when stored before days, years and counts were kept', () => {
    const stored = JSON.parse(JSON.stringify(encodeRestorable(processedRecord('p1', 'st-1')))) as {
      features: { v: Record<string, unknown> };
    };
    delete stored.features.v.dy;
    delete stored.features.v.ly;
    delete stored.features.v.ct;
    const back = decodeRestorable('processed:p1', stored);
    expect(back?.features?.vectors?.anchors).toEqual(['fri']);
    expect(back?.features?.vectors).not.toHaveProperty('days');
    expect(back?.features?.vectors).not.toHaveProperty('latestYear');
    expect(back?.features?.vectors).not.toHaveProperty('counts');
  });
});
