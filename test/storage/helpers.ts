// Shared by the storage tests: article and feed fixtures, a recording logger, a free port, a TCP proxy that can
// stage an outage of a real server.
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { initialHealth } from '../../src/feeds/poll-feed.js';
import type { FeedHealth, Logger, ProcessedRecord, StoredArticle, StoryRecord } from '../../src/ports.js';

export function article(id: string, publishedAt: string, extra: Partial<StoredArticle> = {}): StoredArticle {
  return { id, feed: 'Wire', fetchedAt: '2024-03-12T06:00:00.000Z', publishedAt, backfill: false, ...extra };
}

/** A processing result with every kind of feature filled in (typed arrays included). */
export function processedRecord(id: string, storyId: string | null): ProcessedRecord {
  return {
    id,
    seq: 7,
    feed: 'Wire',
    fetchedAt: '2024-03-12T06:00:00.000Z',
    backfill: false,
    claimedPublishedAt: null,
    storyId,
    rejected: storyId === null ? 'too little article text' : null,
    title: 'Envoys meet in Geneva',
    url: 'https://example.com/a',
    source: 'Wire',
    publishedAt: '2024-03-12T05:00:00.000Z',
    topics: ['Ukraine talks'],
    duplicateOf: null,
    duplicateKind: null,
    warnings: [{ kind: 'self-repeat', message: 'Every paragraph is printed twice.' }],
    words: 120,
    qaRewrite: false,
    paragraphs: ['First paragraph.', 'Second paragraph.'],
    features:
      storyId === null
        ? null
        : {
            exactKey: 123456,
            print: {
              signature: Uint32Array.from({ length: 64 }, (_, i) => i * 7919),
              shingles: 90,
              exact: Uint32Array.of(1, 2, 3),
            },
            vectors: {
              terms: { ids: Uint32Array.of(5, 9, 4_000_000_000), weights: Float32Array.of(0.5, 0.25, 0.125) },
              entities: { ids: Uint32Array.of(17), weights: Float32Array.of(1) },
              days: [19_793, 19_794],
              latestYear: 2024,
              anchors: ['fri'],
              months: [],
              counts: ['dead=12', 'magnitud=6.1'],
              bag: Uint32Array.of(5, 9, 17, 4_000_000_000),
            },
            time: Date.parse('2024-03-12T05:00:00.000Z'),
            edge: { source: 'Wire', body: 99, lines: [1, 2 ** 32 + 5], content: [7, 4_000_000_001] },
          },
  };
}

export function storyRecord(id: string, articles: number): StoryRecord {
  return {
    id,
    revision: articles,
    createdSeq: 1,
    updatedSeq: articles,
    updatedAt: '2024-03-12T06:00:00.000Z',
    articles: Array.from({ length: articles }, (_, i) => `a${i}`),
    copies: ['c0'],
    sources: ['Wire', 'Courier'],
    topicCounts: { 'Ukraine talks': 2 },
    firstPublishedAt: '2024-03-11T06:00:00.000Z',
    lastPublishedAt: '2024-03-12T06:00:00.000Z',
  };
}

export function feedHealth(url: string, extra: Partial<FeedHealth> = {}): FeedHealth {
  return { ...initialHealth({ url, name: `feed ${url}` }), ...extra };
}

/** A key prefix of its own for each test, so tests on a shared server never see each other's data. */
export function uniqueNamespace(): string {
  return `test-${randomUUID().slice(0, 12)}`;
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object | string;
  readonly msg: string | undefined;
}

export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const logger: Logger & { readonly lines: LogLine[] } = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Forwards 127.0.0.1:<port> to a server; `stop()` cuts every connection and refuses new ones until `start()`. */
export class TcpProxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    if (address !== null && typeof address !== 'string') this.port = address.port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
