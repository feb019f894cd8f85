// ProcessedRecord <-> JSON: the story engine's features hold typed arrays (vectors, fingerprints, id bags), which
// are stored as base64 of their bytes (little-endian, as every platform Node runs on): about a third of what
// number arrays in JSON would take, and decoded without parsing numbers.
import { z } from 'zod';
import { type ProcessedRecord, type RestoredArticle, WARNING_KINDS } from '../ports.js';
import { StorageDataError } from './errors.js';

type Features = NonNullable<ProcessedRecord['features']>;

function bytes(view: Uint32Array | Float32Array): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

function u32(text: string): Uint32Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Uint32Array(buf.byteLength >>> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.byteLength));
  return out;
}

function f32(text: string): Float32Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Float32Array(buf.byteLength >>> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.byteLength));
  return out;
}

const encodedFeatures = z.object({
  x: z.number(),
  sig: z.string(),
  sh: z.number(),
  ex: z.string().nullable(),
  v: z
    .object({
      ti: z.string(),
      tw: z.string(),
      ei: z.string(),
      ew: z.string(),
      an: z.array(z.string()),
      // days the lead names (UTC day numbers); absent in records stored before they were kept
      dy: z.array(z.number()).optional(),
      // latest year the text names; absent in older records and when it names none
      ly: z.number().optional(),
      // language of a text that is not English ('es'); absent for English and in older records
      lg: z.string().max(8).optional(),
      mo: z.array(z.string()),
      // what the lead counts ("dead=12"); absent in older records and when it counts nothing
      ct: z.array(z.string()).optional(),
      bag: z.string(),
    })
    .nullable(),
  t: z.number().nullable(),
  edge: z
    .object({
      source: z.string(),
      body: z.number(),
      lines: z.array(z.number()),
      content: z.array(z.number()).optional(),
    })
    .nullable(),
});

export function encodeFeatures(f: Features): z.infer<typeof encodedFeatures> {
  return {
    x: f.exactKey,
    sig: bytes(f.print.signature),
    sh: f.print.shingles,
    ex: f.print.exact ? bytes(f.print.exact) : null,
    v: f.vectors
      ? {
          ti: bytes(f.vectors.terms.ids),
          tw: bytes(f.vectors.terms.weights),
          ei: bytes(f.vectors.entities.ids),
          ew: bytes(f.vectors.entities.weights),
          an: [...f.vectors.anchors],
          ...(f.vectors.days && f.vectors.days.length > 0 ? { dy: [...f.vectors.days] } : {}),
          ...(f.vectors.latestYear === undefined ? {} : { ly: f.vectors.latestYear }),
          mo: [...f.vectors.months],
          ...(f.vectors.counts && f.vectors.counts.length > 0 ? { ct: [...f.vectors.counts] } : {}),
          ...(f.vectors.language === undefined ? {} : { lg: f.vectors.language }),
          bag: bytes(f.vectors.bag),
        }
      : null,
    t: f.time,
    edge: f.edge
      ? {
          source: f.edge.source,
          body: f.edge.body,
          lines: [...f.edge.lines],
          ...(f.edge.content ? { content: [...f.edge.content] } : {}),
        }
      : null,
  };
}

function decodeFeatures(e: z.infer<typeof encodedFeatures>): Features {
  return {
    exactKey: e.x,
    print: { signature: u32(e.sig), shingles: e.sh, exact: e.ex === null ? null : u32(e.ex) },
    vectors: e.v
      ? {
          terms: { ids: u32(e.v.ti), weights: f32(e.v.tw) },
          entities: { ids: u32(e.v.ei), weights: f32(e.v.ew) },
          ...(e.v.dy ? { days: e.v.dy } : {}),
          ...(e.v.ly === undefined ? {} : { latestYear: e.v.ly }),
          anchors: e.v.an,
          months: e.v.mo,
          ...(e.v.ct ? { counts: e.v.ct } : {}),
          ...(e.v.lg === undefined ? {} : { language: e.v.lg }),
          bag: u32(e.v.bag),
        }
      : null,
    time: e.t,
    edge:
      e.edge === null
        ? null
        : {
            source: e.edge.source,
            body: e.edge.body,
            lines: e.edge.lines,
            ...(e.edge.content === undefined ? {} : { content: e.edge.content }),
          },
  };
}

const warning = z.object({
  kind: z.enum(WARNING_KINDS),
  message: z.string(),
});

const storedProcessed = z.looseObject({
  id: z.string(),
  seq: z.number(),
  feed: z.string(),
  fetchedAt: z.string(),
  backfill: z.boolean(),
  claimedPublishedAt: z.string().nullable(),
  storyId: z.string().nullable(),
  rejected: z.string().nullable(),
  title: z.string(),
  url: z.string().nullable(),
  source: z.string().nullable(),
  publishedAt: z.string().nullable(),
  topics: z.array(z.string()),
  duplicateOf: z.string().nullable(),
  duplicateKind: z.enum(['exact', 'near']).nullable(),
  warnings: z.array(warning),
  words: z.number(),
  qaRewrite: z.boolean(),
  paragraphs: z.array(z.string()),
  features: encodedFeatures.nullable(),
});

/** The full result without its features (they live in the restorable record). */
export function encodeProcessed(record: ProcessedRecord): unknown {
  return { ...record, features: null };
}

/** The full result, with the features of its restorable record. */
export function decodeProcessed(
  key: string,
  value: unknown,
  features: ProcessedRecord['features'],
): ProcessedRecord | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = storedProcessed.safeParse(value);
  if (!parsed.success) {
    throw new StorageDataError(`Stored value ${key} has an unexpected shape: ${parsed.error.message}`, key, {
      cause: parsed.error,
    });
  }
  const stored = parsed.data.features;
  return { ...parsed.data, features: features ?? (stored === null ? null : decodeFeatures(stored)) };
}

export function encodeRestorable(record: ProcessedRecord): unknown {
  return {
    id: record.id,
    storyId: record.storyId,
    rejected: record.rejected,
    source: record.source,
    title: record.title,
    features: record.features ? encodeFeatures(record.features) : null,
  };
}

const storedRestorable = z.looseObject({
  id: z.string(),
  storyId: z.string().nullable(),
  rejected: z.string().nullable(),
  source: z.string().nullable(),
  title: z.string(),
  features: encodedFeatures.nullable(),
});

/** Read at start-up for every article of the window: checked with one schema, typed arrays made from base64. */
export function decodeRestorable(key: string, value: unknown): RestoredArticle | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = storedRestorable.safeParse(value);
  if (!parsed.success) {
    throw new StorageDataError(`Stored value ${key} has an unexpected shape: ${parsed.error.message}`, key, {
      cause: parsed.error,
    });
  }
  const { features, ...rest } = parsed.data;
  return { ...rest, features: features === null ? null : decodeFeatures(features) };
}
