// Everything that can go wrong fetching or parsing a feed, as classes a caller can tell apart. Each message names
// the URL and says what happened in words a user can act on; the poll stores `message` as the feed's last error.

/** Base of every feed failure, so the pipeline can tell a bad feed (expected) from a bug (not). */
export class FeedError extends Error {
  override readonly name: string = 'FeedError';
  readonly url: string;

  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/** The URL's scheme or the address it resolves to is not one the bot may reach (SSRF protection). */
export class AddressRefusedError extends FeedError {
  override readonly name = 'AddressRefusedError';
  /** Why, e.g. `169.254.169.254 is a link-local address`. */
  readonly reason: string;
  /** The refused IP address, when the refusal is about one. */
  readonly address: string | null;

  constructor(url: string, reason: string, address: string | null = null) {
    super(`Refused to fetch ${url}: ${reason}`, url);
    this.reason = reason;
    this.address = address;
  }
}

/** The server answered with a status that is not success, redirect or 304. */
export class FeedHttpStatusError extends FeedError {
  override readonly name = 'FeedHttpStatusError';
  readonly status: number;
  /** From Retry-After on 429 and 503, when the server sent a usable one. */
  readonly retryAfterMs: number | null;

  constructor(url: string, status: number, retryAfterMs: number | null = null) {
    const wait = retryAfterMs === null ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    super(`${url} answered HTTP ${status}${statusHint(status)}${wait}`, url);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ': access denied';
  if (status === 404) return ': not found (has the feed moved?)';
  if (status === 410) return ': gone (the feed was removed)';
  if (status === 429) return ': too many requests';
  if (status >= 500) return ': server error';
  return '';
}

/** The body (after decompression) grew past the configured cap; the download was aborted. */
export class ResponseTooLargeError extends FeedError {
  override readonly name = 'ResponseTooLargeError';
  readonly maxBytes: number;

  constructor(url: string, maxBytes: number) {
    super(`${url} sent more than ${maxBytes} bytes; download aborted`, url);
    this.maxBytes = maxBytes;
  }
}

/** Connecting, or the whole request (redirects and body included), took longer than allowed. */
export class FeedTimeoutError extends FeedError {
  override readonly name = 'FeedTimeoutError';
  readonly phase: 'connect' | 'total';
  readonly timeoutMs: number;

  constructor(url: string, phase: 'connect' | 'total', timeoutMs: number, options?: { cause?: unknown }) {
    const what = phase === 'connect' ? 'connecting to' : 'fetching';
    super(`Timed out after ${timeoutMs} ms ${what} ${url}`, url, options);
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

/** More redirects than allowed, or a redirect without a usable Location. */
export class FeedRedirectError extends FeedError {
  override readonly name = 'FeedRedirectError';
}

/** DNS, connection or TLS failure: whatever kept us from getting an HTTP answer. */
export class FeedNetworkError extends FeedError {
  override readonly name = 'FeedNetworkError';

  constructor(url: string, cause: unknown) {
    super(`Could not fetch ${url}: ${describeCause(cause)}`, url, { cause });
  }
}

/** The body is not a feed we can read: not XML/JSON, not RSS/Atom/JSON Feed, or malformed beyond repair. */
export class FeedParseError extends FeedError {
  override readonly name = 'FeedParseError';
}

/** The innermost useful message of an error chain (undici wraps socket errors in `TypeError: fetch failed`). */
export function describeCause(error: unknown): string {
  let current: unknown = error;
  let message = 'unknown error';
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (current.message && current.message !== 'fetch failed') {
      message = code && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
    }
    current = current.cause;
  }
  return message;
}
