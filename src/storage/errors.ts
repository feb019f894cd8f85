// Everything storage can fail with, as classes a caller can tell apart. Messages name the backend and its URL with
// the password masked, so they can go into logs and admin channels as they are.

export type BackendKind = 'sqlite' | 'redis' | 'postgres';

/** Base of every storage failure; `cause` holds the driver's error. */
export class StorageError extends Error {
  override readonly name: string = 'StorageError';
}

/** The storage URL cannot be used: unknown scheme, missing path. Not retried. */
export class StorageConfigError extends StorageError {
  override readonly name = 'StorageConfigError';
}

/**
 * The backend did not answer (down, refused, timed out, wrong password) after every attempt of the retry policy.
 * Nothing written before is affected: every write is a single key, so a failed one leaves the others as they were.
 */
export class StorageUnavailableError extends StorageError {
  override readonly name = 'StorageUnavailableError';
  readonly backend: BackendKind;
  /** The URL with its password replaced by `***`. */
  readonly url: string;
  readonly attempts: number;

  constructor(backend: BackendKind, url: string, attempts: number, action: string, options: { cause: unknown }) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    super(
      `${backend} storage at ${url} is unavailable (${action}, ${tries}): ${describeCause(options.cause)}`,
      options,
    );
    this.backend = backend;
    this.url = url;
    this.attempts = attempts;
  }
}

/** A stored value that does not have the shape this version expects, or a value that cannot be stored. */
export class StorageDataError extends StorageError {
  override readonly name = 'StorageDataError';
  readonly key: string;

  constructor(message: string, key: string, options?: { cause?: unknown }) {
    super(message, options);
    this.key = key;
  }
}

/** The driver's message, down to the innermost error that says something (pg and node-redis wrap theirs). */
export function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0 && cause.message === '') {
    return describeCause(cause.errors[0]);
  }
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
    const message = cause.message === '' && code !== undefined ? code : cause.message;
    return message === '' ? cause.constructor.name : message;
  }
  return String(cause);
}
