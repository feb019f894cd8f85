// A feed server on 127.0.0.1 with one handler per path, for tests of fetching and polling. It records every request
// (method, path, headers) so a test can assert what was sent and that a refused URL was never requested.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

export type FeedHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, the form an address-guard allow-list takes. */
  readonly hostPort: string;
  readonly requests: RecordedRequest[];
  url(path: string): string;
  /** Adds or replaces the handler for a path (the path without its query string). */
  handle(path: string, handler: FeedHandler): void;
  close(): Promise<void>;
}

export async function startFeedServer(handlers: Record<string, FeedHandler> = {}): Promise<FeedServer> {
  const routes = new Map(Object.entries(handlers));
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    const handler = routes.get(path);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed');
      return;
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    hostPort: `127.0.0.1:${port}`,
    requests,
    url: (path) => `${origin}${path}`,
    handle: (path, handler) => {
      routes.set(path, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ContentEncoding = 'gzip' | 'deflate' | 'deflate-raw' | 'br' | 'identity';

export interface BodyOptions {
  readonly status?: number;
  readonly contentType?: string;
  /** How the body is compressed on the wire; `deflate-raw` is deflate without the zlib wrapper (old IIS). */
  readonly encoding?: ContentEncoding;
  readonly headers?: Record<string, string>;
}

function encode(bytes: Buffer, encoding: ContentEncoding): Buffer {
  switch (encoding) {
    case 'gzip':
      return gzipSync(bytes);
    case 'deflate':
      return deflateSync(bytes);
    case 'deflate-raw':
      return deflateRawSync(bytes);
    case 'br':
      return brotliCompressSync(bytes);
    case 'identity':
      return bytes;
  }
}

/** Answers with a fixed body (text is sent as UTF-8; pass a Buffer for other encodings). */
export function body(content: string | Buffer, options: BodyOptions = {}): FeedHandler {
  const encoding = options.encoding ?? 'identity';
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const wire = encode(raw, encoding);
  return (_req, res) => {
    res.writeHead(options.status ?? 200, {
      'content-type': options.contentType ?? 'application/rss+xml',
      'content-length': String(wire.length),
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding === 'deflate-raw' ? 'deflate' : encoding }),
      ...options.headers,
    });
    res.end(wire);
  };
}

export function redirect(location: string, status = 302): FeedHandler {
  return (_req, res) => {
    res.writeHead(status, { location }).end();
  };
}

export function status(code: number, headers: Record<string, string> = {}): FeedHandler {
  return (_req, res) => {
    res.writeHead(code, headers).end();
  };
}

/** Accepts the request and never answers: for timeouts. The server's close() drops the socket. */
export function never(): FeedHandler {
  return () => undefined;
}

/** Sends headers, then `chunk` every `everyMs` forever (or until the client goes away): for size caps and stalls. */
export function endless(chunk: string, everyMs: number, contentType = 'application/rss+xml'): FeedHandler {
  return (req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    const timer = setInterval(() => res.write(chunk), everyMs);
    req.socket.on('close', () => clearInterval(timer));
  };
}

/** Serves `content` with an ETag and Last-Modified, and 304 to a request that presents either. */
export function conditional(content: string, etag: string, lastModified: string): FeedHandler {
  return (req, res) => {
    if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag, 'last-modified': lastModified }).end(content);
  };
}

export interface RssItem {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly at: Date;
}

/** An RSS 2.0 feed of these items (guid, title, link on news.example, pubDate, description). */
export function rssFeed(items: readonly RssItem[], title = 'Wire'): string {
  const entries = items.map(
    (i) => `<item><guid>${i.id}</guid><title>${i.title}</title><link>https://news.example/${i.id}</link>
<pubDate>${i.at.toUTCString()}</pubDate><description>${i.text}</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>\n${entries.join('\n')}\n</channel></rss>`;
}
