import type { LookupAddress } from 'node:dns';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import {
  FeedHttpStatusError,
  FeedNetworkError,
  FeedRedirectError,
  FeedTimeoutError,
  ResponseTooLargeError,
} from '../../src/feeds/errors.js';
import { type FetchedText, type FetchTextOptions, fetchText, parseRetryAfter } from '../../src/feeds/http-fetch.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import {
  body,
  type ContentEncoding,
  conditional,
  endless,
  type FeedServer,
  never,
  redirect,
  startFeedServer,
  status,
} from '../fakes/feed-server.js';

const RSS = (title: string, items = ''): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${items}</channel></rss>`;

let server: FeedServer;
let options: FetchTextOptions;

beforeAll(async () => {
  server = await startFeedServer();
  options = { guard: new AddressGuard({ allow: [server.hostPort] }), userAgent: 'newsdigest-test/1.0' };
});
afterAll(async () => {
  await server.close();
});

async function fetched(path: string, extra: Partial<FetchTextOptions> = {}): Promise<FetchedText> {
  const result = await fetchText(server.url(path), { ...options, ...extra });
  if (result.notModified) throw new Error('unexpected 304');
  return result;
}

async function failure(path: string, extra: Partial<FetchTextOptions> = {}): Promise<Error> {
  return fetchText(server.url(path), { ...options, ...extra }).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

describe('compression', () => {
  it.each<ContentEncoding>(['gzip', 'deflate', 'deflate-raw', 'br', 'identity'])('decodes %s bodies', async (enc) => {
    server.handle(`/enc-${enc}`, body(RSS(`Compressed ${enc} – ünïcödé`), { encoding: enc }));
    const result = await fetched(`/enc-${enc}`);
    expect(result.text).toContain(`Compressed ${enc} – ünïcödé`);
  });

  it('unpacks a gzip body served without Content-Encoding', async () => {
    server.handle('/gz-file', body(gzipSync(Buffer.from(RSS('gzipped file'))), { contentType: 'application/xml' }));
    expect((await fetched('/gz-file')).text).toContain('gzipped file');
  });

  it('asks for compression and sends the configured User-Agent', async () => {
    server.handle('/ua', body(RSS('ua')));
    await fetched('/ua');
    const request = server.requests.find((r) => r.path === '/ua');
    expect(request?.headers['user-agent']).toBe('newsdigest-test/1.0');
    expect(request?.headers['accept-encoding']).toContain('br');
    expect(request?.headers.accept).toContain('application/rss+xml');
  });
});

describe('charsets', () => {
  const cyrillic = 'Новости дня';
  const latin = 'Économie française: ça coûte cher';
  const cp1251 = Buffer.from([0xcd, 0xee, 0xe2, 0xee, 0xf1, 0xf2, 0xe8, 0x20, 0xe4, 0xed, 0xff]); // "Новости дня"
  const latin1 = Buffer.from(latin, 'latin1');

  it.each([
    ['windows-1251 from the header', cp1251, 'text/xml; charset=windows-1251', '', cyrillic],
    ['windows-1251 from the XML declaration', cp1251, 'text/xml', 'windows-1251', cyrillic],
    ['ISO-8859-1 from the XML declaration', latin1, 'application/rss+xml', 'ISO-8859-1', latin],
    ['ISO-8859-1 from a quoted header charset', latin1, 'text/xml; charset="iso-8859-1"', '', latin],
    ['undeclared Latin-1 (falls back to windows-1252)', latin1, 'application/rss+xml', '', latin],
  ])('decodes %s', async (_name, title, contentType, declared, expected) => {
    const decl = declared ? `<?xml version="1.0" encoding="${declared}"?>` : '';
    const bytes = Buffer.concat([
      Buffer.from(`${decl}<rss version="2.0"><channel><title>`),
      title,
      Buffer.from('</title></channel></rss>'),
    ]);
    const path = `/charset-${encodeURIComponent(_name)}`;
    server.handle(path, body(bytes, { contentType }));
    const result = await fetched(path);
    const feed = await parseFeed(result.text, { url: result.url });
    expect(feed.title).toBe(expected);
  });

  it('lets the header win over the declaration, and strips a UTF-8 BOM', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`<?xml version="1.0" encoding="windows-1251"?>${RSS(cyrillic).replace(/^<\?xml[^>]*>/, '')}`),
    ]);
    server.handle('/bom', body(bytes, { contentType: 'text/xml; charset=koi8-r' }));
    const result = await fetched('/bom');
    expect(result.encoding).toBe('utf-8');
    expect(result.text.startsWith('<?xml')).toBe(true);
    expect(result.text).toContain(cyrillic);
  });

  it('reads a feed with a newline before <?xml and a bare &', async () => {
    const text = `\n<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Fish & Chips</title>
      <item><title>A & B</title><link>https://example.com/a?x=1&y=2</link></item></channel></rss>`;
    server.handle('/sloppy', body(text));
    const result = await fetched('/sloppy');
    const feed = await parseFeed(result.text, { url: result.url });
    expect(feed.title).toBe('Fish & Chips');
    expect(feed.items[0]?.link).toBe('https://example.com/a?x=1&y=2');
  });
});

describe('limits', () => {
  it('refuses a body whose Content-Length exceeds the cap before reading it', async () => {
    server.handle('/big', body('x'.repeat(5000)));
    const error = await failure('/big', { maxBytes: 1000 });
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toContain('more than 1000 bytes');
  });

  it('aborts a streamed body once it passes the cap', async () => {
    server.handle('/stream', endless('<item>'.repeat(100), 1));
    expect(await failure('/stream', { maxBytes: 20_000, timeoutMs: 5000 })).toBeInstanceOf(ResponseTooLargeError);
  });

  it('caps the decompressed size, not the wire size (gzip bomb)', async () => {
    server.handle('/bomb', body('a'.repeat(2_000_000), { encoding: 'gzip' }));
    expect(await failure('/bomb', { maxBytes: 100_000 })).toBeInstanceOf(ResponseTooLargeError);
  });

  it('caps a gzip file served without Content-Encoding', async () => {
    server.handle('/bomb-file', body(gzipSync(Buffer.alloc(2_000_000, 0x61))));
    expect(await failure('/bomb-file', { maxBytes: 100_000 })).toBeInstanceOf(ResponseTooLargeError);
  });

  it('times out on a server that never answers', async () => {
    server.handle('/never', never());
    const started = Date.now();
    const error = await failure('/never', { timeoutMs: 200 });
    expect(error).toBeInstanceOf(FeedTimeoutError);
    expect((error as FeedTimeoutError).phase).toBe('total');
    expect(error.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out on a body that trickles forever', async () => {
    server.handle('/trickle', endless('x', 50));
    expect(await failure('/trickle', { timeoutMs: 300 })).toBeInstanceOf(FeedTimeoutError);
  });

  it('times out a connection that cannot be made (connect timeout)', async () => {
    let lookups = 0;
    // The pre-flight check resolves at once; the connector's own lookup never does, so the socket never connects.
    const resolve = (): Promise<LookupAddress[]> => {
      lookups += 1;
      return lookups === 1 ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : new Promise(() => undefined);
    };
    const guard = new AddressGuard({ allow: [server.hostPort], resolve });
    const error = await fetchText(`http://slow.test:${server.port}/enc-identity`, {
      guard,
      userAgent: 't',
      connectTimeoutMs: 150,
      timeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedTimeoutError);
    expect(error).toMatchObject({ phase: 'connect', timeoutMs: 150 });
  });

  it('reports a refused connection as a network error', async () => {
    const gone = await startFeedServer();
    await gone.close();
    const guard = new AddressGuard({ allow: [gone.hostPort] });
    const error = await fetchText(gone.url('/feed'), { guard, userAgent: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedNetworkError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('conditional GET', () => {
  const etag = '"v1"';
  const lastModified = 'Tue, 04 Jun 2024 10:00:00 GMT';

  it('returns validators, then 304 without a body when they are sent back', async () => {
    server.handle('/cond', conditional(RSS('cond'), etag, lastModified));
    const first = await fetched('/cond');
    expect(first.validators).toEqual({ etag, lastModified });
    const second = await fetchText(server.url('/cond'), { ...options, validators: first.validators });
    expect(second).toEqual({ notModified: true, url: server.url('/cond') });
    const sent = server.requests.filter((r) => r.path === '/cond').at(-1);
    expect(sent?.headers['if-none-match']).toBe(etag);
    expect(sent?.headers['if-modified-since']).toBe(lastModified);
  });

  it('uses Last-Modified alone when there is no ETag', async () => {
    server.handle('/cond-lm', conditional(RSS('lm'), '"other"', lastModified));
    const result = await fetchText(server.url('/cond-lm'), { ...options, validators: { etag: null, lastModified } });
    expect(result.notModified).toBe(true);
  });
});

describe('status codes and redirects', () => {
  const now = Date.parse('2024-06-04T10:00:00Z');

  it.each([
    [429, { 'retry-after': '120' }, 120_000],
    [503, { 'retry-after': 'Tue, 04 Jun 2024 10:05:00 GMT' }, 300_000],
    [429, { 'retry-after': 'soon' }, null],
    [503, {}, null],
    [500, { 'retry-after': '60' }, null],
    [404, {}, null],
  ])('HTTP %i %j -> retryAfterMs %s', async (code, headers, retryAfterMs) => {
    const path = `/status-${code}-${Buffer.from(JSON.stringify(headers)).toString('hex')}`;
    server.handle(path, status(code, headers));
    const error = await failure(path, { now: () => now });
    expect(error).toBeInstanceOf(FeedHttpStatusError);
    expect((error as FeedHttpStatusError).status).toBe(code);
    expect((error as FeedHttpStatusError).retryAfterMs).toBe(retryAfterMs);
    expect(error.message).toContain(`HTTP ${code}`);
  });

  it.each([
    ['0', 0],
    [' 30 ', 30_000],
    ['Tue, 04 Jun 2024 09:00:00 GMT', 0],
    ['-5', null],
    ['', null],
  ])('parseRetryAfter(%j)', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('follows relative redirects and reports the final URL', async () => {
    server.handle('/old', redirect('/middle', 301));
    server.handle('/middle', redirect(server.url('/new'), 308));
    server.handle('/new', body(RSS('moved')));
    const result = await fetched('/old');
    expect(result.url).toBe(server.url('/new'));
    expect(result.text).toContain('moved');
    // every hop permanent: the feed lives at the new address now
    expect(result.movedTo).toBe(server.url('/new'));
  });

  it('says a feed moved only when every redirect was permanent', async () => {
    server.handle('/perm', redirect('/temp', 301));
    server.handle('/temp', redirect('/there', 302));
    server.handle('/there', body(RSS('there')));
    const result = await fetched('/perm');
    expect(result.url).toBe(server.url('/there'));
    expect(result.movedTo).toBeUndefined();
    expect((await fetched('/there')).movedTo).toBeUndefined();
  });

  it('stops after five redirects', async () => {
    for (let i = 0; i < 7; i += 1) server.handle(`/hop${i}`, redirect(`/hop${i + 1}`));
    server.handle('/hop7', body(RSS('end')));
    server.handle('/five', redirect('/hop3'));
    expect((await fetched('/five')).text).toContain('end'); // /five -> hop3..hop7: 5 redirects
    const error = await failure('/hop0');
    expect(error).toBeInstanceOf(FeedRedirectError);
    expect(error.message).toContain('more than 5 times');
  });

  it('treats a redirect without Location as an error', async () => {
    server.handle('/no-location', status(302));
    expect(await failure('/no-location')).toBeInstanceOf(FeedRedirectError);
  });
});
