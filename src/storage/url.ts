// Storage URLs: which backend, where, and how to show the URL without its password.
import { isAbsolute, resolve } from 'node:path';
import { type BackendKind, StorageConfigError } from './errors.js';

export type StorageLocation =
  /** `path` is absolute, or `:memory:`. */
  | { readonly kind: 'sqlite'; readonly path: string; readonly display: string }
  | { readonly kind: 'redis'; readonly url: string; readonly display: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly display: string };

export const SUPPORTED_SCHEMES = 'sqlite://, redis://, rediss://, postgres:// or postgresql://';

/**
 * `sqlite://./data/x.sqlite` (relative to `cwd`), `sqlite:///abs/x.sqlite`, `sqlite://:memory:`,
 * `redis://` / `rediss://`, `postgres://` / `postgresql://`.
 */
export function parseStorageUrl(url: string, cwd: string): StorageLocation {
  const display = maskPassword(url);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const kind = scheme === undefined ? undefined : SCHEMES.get(scheme);
  if (kind === undefined) {
    throw new StorageConfigError(`Storage URL ${display} is not supported: use ${SUPPORTED_SCHEMES}`);
  }
  if (kind !== 'sqlite') return { kind, url, display };
  const path = url.slice('sqlite://'.length);
  if (path === '') {
    throw new StorageConfigError(`Storage URL ${display} has no file path (e.g. sqlite://./data/newsdigest.sqlite)`);
  }
  if (path === ':memory:') return { kind, path, display };
  return { kind, path: isAbsolute(path) ? path : resolve(cwd, path), display };
}

const SCHEMES: ReadonlyMap<string, BackendKind> = new Map([
  ['sqlite', 'sqlite'],
  ['redis', 'redis'],
  ['rediss', 'redis'],
  ['postgres', 'postgres'],
  ['postgresql', 'postgres'],
]);

/** The URL with any password replaced by `***`, for messages and logs. */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#]*@/i, '$1:***@');
}
