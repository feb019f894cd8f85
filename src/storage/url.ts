// Storage URLs: which backend, where, and how to show the URL without its password.
import { isAbsolute, resolve } from 'node:path';
import { maskUrlPassword, urlPasswords } from '../secrets.js';
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
  if (kind !== 'sqlite') {
    if (!readableByDrivers(url)) {
      throw new StorageConfigError(
        `Storage URL ${display} cannot be read: percent-encode / # ? @ and spaces in the user name and password ` +
          '(for example %2F for /, %23 for #, %3F for ?)',
      );
    }
    return { kind, url, display };
  }
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

/** The URL with any password replaced by `***`, for messages and logs: in the userinfo and in `?password=`. */
export function maskPassword(url: string): string {
  return maskUrlPassword(url);
}

/** The URL's passwords in every spelling, to take out of whatever a driver says about the URL. */
export function storagePasswords(url: string): string[] {
  return urlPasswords(url);
}

/**
 * Whether pg and node-redis can parse the URL (both use the WHATWG parser; pg first encodes spaces and stray `%`,
 * and accepts an empty host before the path). A password with a raw `/`, `#` or `?` fails here, so it is refused
 * with advice instead of reaching the driver, whose error would repeat the URL.
 */
function readableByDrivers(url: string): boolean {
  const encoded = /\s|%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(url) ? encodeURI(url).replace(/%25(\d\d)/g, '%$1') : url;
  return [url, encoded].some((candidate) => URL.canParse(candidate) || URL.canParse(candidate.replace('@/', '@h/')));
}
