// GET a feed or page as text, the way a bot that fetches strangers' URLs on a timer must: every hop through the
// address guard, bounded in time and size, decompressed, decoded by its declared charset, and cheap when nothing
// changed (conditional GET). undici's fetch does the HTTP and content decoding; redirects are followed here so
// each Location is judged before it is requested. A URL with `user:password@` is requested without them, they go
// as `Authorization: Basic` to its origin only, and every error names the URL with the password masked.
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { type Dispatcher, fetch, type Response } from 'undici';
import type { AddressGuard } from './address-guard.js';
import { decodeText } from './charset.js';
import { type BasicCredentials, basicAuthorization, splitFeedUrl } from './credentials.js';
import {
  AddressRefusedError,
  FeedError,
  FeedHttpStatusError,
  FeedNetworkError,
  FeedRedirectError,
  FeedTimeoutError,
  ResponseTooLargeError,
} from './errors.js';

export interface Validators {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export interface FetchTextOptions {
  readonly guard: AddressGuard;
  readonly userAgent: string;
  /** A guarded agent (`guard.createAgent`) to reuse across calls; without it one is made for this call. */
  readonly dispatcher?: Dispatcher;
  /** Only used when no dispatcher is passed (the dispatcher carries its own). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** The whole exchange: every redirect and the body. Default 30 s. */
  readonly timeoutMs?: number;
  /** Cap on the decoded body. Default 10 MiB. */
  readonly maxBytes?: number;
  /** Default 5. */
  readonly maxRedirects?: number;
  /**
   * Sent as `Authorization: Basic` to the first URL's origin (also after a redirect within it), never to another
   * origin. Default: the URL's own `user:password@`.
   */
  readonly credentials?: BasicCredentials;
  /** Stored from the last successful fetch, for If-None-Match / If-Modified-Since. */
  readonly validators?: Validators;
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /** Clock for Retry-After dates, in epoch ms. */
  readonly now?: () => number;
}

export interface NotModified {
  readonly notModified: true;
  /** Without credentials. */
  readonly url: string;
}

export interface FetchedText {
  readonly notModified: false;
  /** The URL the text came from, after redirects, without credentials (a base for the feed's relative links). */
  readonly url: string;
  readonly status: number;
  readonly text: string;
  readonly contentType: string | null;
  readonly encoding: string;
  readonly validators: Validators;
  /**
   * The address the text came from, when every redirect on the way there was permanent (301, 308): where the feed
   * lives now (credentials masked), for the operator to put in the config.
   */
  readonly movedTo?: string;
}

export type FetchTextResult = NotModified | FetchedText;

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

const DEFAULTS = { connectTimeoutMs: 10_000, timeoutMs: 30_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Redirects that say the resource has a new address for good. */
const PERMANENT_REDIRECTS = new Set([301, 308]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** Retry-After as a delay in ms: delta-seconds or an HTTP date (a past date means "now"). Null if unusable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse reads "-5" as a year; an HTTP date always has a month name.
  const at = /[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** One hop of a fetch: what is requested, and how errors name it (the password masked). */
interface Hop {
  readonly url: URL;
  readonly shown: string;
}

export async function fetchText(input: string, options: FetchTextOptions): Promise<FetchTextResult> {
  const start = splitFeedUrl(input);
  const url = start.shown;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const ownAgent = options.dispatcher
    ? null
    : options.guard.createAgent({ connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs });
  const dispatcher = options.dispatcher ?? ownAgent;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new FeedTimeoutError(url, 'total', timeoutMs)), timeoutMs);
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let current = url;
  try {
    if (options.signal?.aborted) onOuterAbort();
    const credentials = options.credentials ?? start.credentials;
    return await followRedirects(start, credentials, options, dispatcher, controller.signal, (hop) => {
      current = hop;
    });
  } catch (error) {
    throw translateError(error, current, controller.signal, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    await ownAgent?.destroy().catch(() => undefined);
  }
}

async function followRedirects(
  start: { readonly url: string; readonly shown: string },
  credentials: BasicCredentials | null,
  options: FetchTextOptions,
  dispatcher: Dispatcher | null,
  signal: AbortSignal,
  onHop: (url: string) => void,
): Promise<FetchTextResult> {
  const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
  const first = await options.guard.check(start.url);
  const authorization = credentials === null ? undefined : basicAuthorization(credentials);
  let hop: Hop = { url: first, shown: start.shown };
  // every hop so far a permanent redirect (and at least one): the feed has moved
  let permanent = true;
  for (let redirects = 0; ; redirects += 1) {
    const url = hop.url;
    onHop(hop.shown);
    signal.throwIfAborted();
    const sameOrigin = url.origin === first.origin;
    const response = await fetch(url, {
      headers: requestHeaders(options, sameOrigin ? authorization : undefined),
      redirect: 'manual',
      signal,
      ...(dispatcher ? { dispatcher } : {}),
    });
    if (REDIRECTS.has(response.status)) {
      await discard(response);
      const location = response.headers.get('location');
      if (!location)
        throw new FeedRedirectError(`${hop.shown} answered ${response.status} without a Location`, hop.shown);
      if (redirects >= maxRedirects) {
        throw new FeedRedirectError(`${start.shown} redirected more than ${maxRedirects} times`, hop.shown);
      }
      // credentials a server puts in a Location are not ours to send (and undici would refuse the URL)
      const next = new URL(location, url);
      next.username = '';
      next.password = '';
      hop = { url: await options.guard.check(next), shown: next.href };
      if (!PERMANENT_REDIRECTS.has(response.status)) permanent = false;
      continue;
    }
    if (response.status === 304) {
      await discard(response);
      return { notModified: true, url: url.href };
    }
    if (response.status < 200 || response.status > 299) {
      await discard(response);
      const retryAfter = RETRY_AFTER_STATUSES.has(response.status)
        ? parseRetryAfter(response.headers.get('retry-after'), (options.now ?? Date.now)())
        : null;
      throw new FeedHttpStatusError(hop.shown, response.status, retryAfter);
    }
    const fetched = await readBody(hop, response, options.maxBytes ?? DEFAULTS.maxBytes);
    return permanent && redirects > 0 ? { ...fetched, movedTo: hop.shown } : fetched;
  }
}

function requestHeaders(options: FetchTextOptions, authorization: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? FEED_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (authorization !== undefined) headers.authorization = authorization;
  if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;
  return headers;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

async function readBody(hop: Hop, response: Response, maxBytes: number): Promise<FetchedText> {
  const url = hop.shown;
  const encoded = (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const declared = Number(response.headers.get('content-length'));
  if (encoded === 'identity' && Number.isFinite(declared) && declared > maxBytes) {
    await discard(response);
    throw new ResponseTooLargeError(url, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(url, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = encoded === 'identity' ? gunzipIfMagic(url, Buffer.concat(chunks), maxBytes) : Buffer.concat(chunks);
  const contentType = response.headers.get('content-type');
  const { text, encoding } = decodeText(bytes, contentType);
  return {
    notModified: false,
    url: hop.url.href,
    status: response.status,
    text,
    contentType,
    encoding,
    validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
  };
}

// Some servers hand out a .gz file as plain XML (no Content-Encoding). Nothing that is text starts with the gzip
// magic bytes, so unpacking such a body is safe; the output is held to the same size cap.
function gunzipIfMagic(url: string, bytes: Buffer, maxBytes: number): Buffer {
  if (bytes.length < 3 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 0x08) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (error) {
    if (error instanceof RangeError) throw new ResponseTooLargeError(url, maxBytes);
    return bytes; // not gzip after all: let the parser say what it is
  }
}

function translateError(error: unknown, url: string, signal: AbortSignal, connectTimeoutMs: number): Error {
  if (signal.aborted && signal.reason instanceof FeedTimeoutError) return signal.reason;
  if (error instanceof FeedError) return error;
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason : new FeedNetworkError(url, error);
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    // The connector's lookup refused the address it was about to connect to: report it for this URL.
    if (cause instanceof AddressRefusedError) {
      return new AddressRefusedError(url, `${cause.reason} (checked at connect)`, cause.address);
    }
    if ((cause as NodeJS.ErrnoException).code === 'UND_ERR_CONNECT_TIMEOUT') {
      // A passed-in dispatcher carries its own timeout; undici's message names it.
      const actual = Number(/timeout: (\d+)\s*ms/.exec(cause.message)?.[1] ?? connectTimeoutMs);
      return new FeedTimeoutError(url, 'connect', actual, { cause });
    }
    cause = cause.cause;
  }
  return new FeedNetworkError(url, error);
}
