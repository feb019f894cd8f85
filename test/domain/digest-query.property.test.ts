// Property tests of the /digest query parser: any text a user can type (and any clock) gives a query or a message,
// never an exception, and a search always has a usable window and non-empty terms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeQuery, matchesQuery, parseDigestQuery } from '../../src/domain/digest-query.js';

const RUNS = { numRuns: 300 };

const WORDS = [
  'since:',
  'since:3d',
  'since:0d',
  'since:9999w',
  'since:99999h',
  'since:2025-04-01',
  'since:2025-02-30',
  'since:0000-01-01',
  'since:9999-12-31T23:59:59.999+14:00',
  'since:2025-04-01T99:99',
  'topic:',
  'topic:"Prisoner swaps"',
  'source:reuters',
  'source:""',
  'private',
  'PRIVATE',
  'help',
  '?',
  'status',
  'unknown:key',
  ':',
  '"',
  '“',
  '”',
  '""',
  '"a b"',
  'since:"3d"',
  '\u0000',
  '\n',
  '\t',
  '&',
  '<@U1>',
  '😀',
];

const queryText = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((w) => w.join(' ')),
  fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 8 })), { maxLength: 10 }).map((w) => w.join('')),
);

const now = fc.date({
  min: new Date('1971-01-01T00:00:00Z'),
  max: new Date('2200-01-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('parseDigestQuery properties', () => {
  it('never throws, and a search has a valid window and no empty terms', () => {
    fc.assert(
      fc.property(queryText, now, (text, at) => {
        const query = parseDigestQuery(text, at);
        expect(['search', 'help', 'status', 'error']).toContain(query.kind);
        if (query.kind === 'error') expect(query.message.length).toBeGreaterThan(0);
        if (query.kind !== 'search') return;
        expect(Number.isNaN(Date.parse(query.since))).toBe(false);
        expect(Date.parse(query.since)).toBeLessThanOrEqual(at.getTime());
        expect(query.terms.every((t) => t.length > 0)).toBe(true);
        expect(describeQuery(query).length).toBeGreaterThan(0);
        matchesQuery({ title: text, text, source: text, publishedAt: at.toISOString() }, [text], query);
      }),
      RUNS,
    );
  });
});
