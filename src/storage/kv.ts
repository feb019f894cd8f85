// The one key-value surface the stores use: a namespaced keyv instance behind the backend's retry guard, read in
// bounded chunks. Values go through keyv's JSON serialiser; readers check their shape with a schema.
import type { Keyv } from 'keyv';
import type { z } from 'zod';
import { StorageDataError, StorageError } from './errors.js';
import type { BackendGuard } from './retry.js';

export interface KvEntry {
  readonly key: string;
  readonly value: unknown;
}

export interface Kv {
  get(key: string): Promise<unknown>;
  /** One value (or undefined) per key, in order. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  set(key: string, value: unknown): Promise<void>;
  setMany(entries: readonly KvEntry[]): Promise<void>;
  delete(key: string): Promise<void>;
  deleteMany(keys: readonly string[]): Promise<void>;
}

/** Keys per backend round trip: keeps each query and reply small however large a batch is. */
export const CHUNK = 500;

export function keyvKv(keyv: Keyv<unknown>, guard: BackendGuard, namespace: string): Kv {
  return {
    get: (key) => guard.run(`get ${namespace}:${key}`, () => keyv.get(key)),
    getMany: async (keys) => {
      const values: unknown[] = [];
      for (const part of chunks(keys)) {
        values.push(...(await guard.run(`get ${part.length} keys of ${namespace}`, () => keyv.getMany([...part]))));
      }
      return values;
    },
    set: async (key, value) => {
      const stored = await guard.run(`set ${namespace}:${key}`, () => keyv.set(key, value));
      if (!stored)
        throw new StorageError(`${guard.backend} storage at ${guard.url} refused to set ${namespace}:${key}`);
    },
    setMany: async (entries) => {
      for (const part of chunks(entries)) {
        await guard.run(`set ${part.length} keys of ${namespace}`, () =>
          keyv.setMany(part.map(({ key, value }) => ({ key, value }))),
        );
      }
    },
    delete: async (key) => {
      await guard.run(`delete ${namespace}:${key}`, () => keyv.delete(key));
    },
    deleteMany: async (keys) => {
      for (const part of chunks(keys)) {
        await guard.run(`delete ${part.length} keys of ${namespace}`, () => keyv.deleteMany([...part]));
      }
    },
  };
}

export function* chunks<T>(items: readonly T[], size = CHUNK): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** A stored value checked against the shape this version writes; a mismatch names the key. */
export function decode<S extends z.ZodType>(schema: S, key: string, value: unknown): z.output<S> | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StorageDataError(`Stored value ${key} has an unexpected shape: ${parsed.error.message}`, key, {
    cause: parsed.error,
  });
}
