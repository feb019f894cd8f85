// A newsdigest wired by the real composition root against the fakes on 127.0.0.1 (a feed server, Slack or
// Discord) over a SQLite file, for the self-service commands: reopened over the same file, it is a restart.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeApp, type RunningApp } from '../../src/compose.js';
import { type Env, loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/ports.js';
import { body, type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';

export const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
export const NOW = new Date('2024-03-02T09:30:00.000Z');

const items = (prefix: string) =>
  [1, 2, 3].map((n) => ({
    id: `${prefix}-${n}`,
    title: `${prefix} story ${n} about the harbour bridge`,
    text: `The harbour bridge closed for repairs, officials of ${prefix} said on day ${n}.`,
    at: new Date(NOW.getTime() - n * 3_600_000),
  }));

/** Feeds on the loopback server: /wire (configured), /extra (a feed to subscribe), /page (not a feed). */
export async function startFeeds(): Promise<FeedServer> {
  return startFeedServer({
    '/wire': body(rssFeed(items('wire'), 'Wire'), { contentType: 'application/rss+xml' }),
    '/extra': body(rssFeed(items('extra'), 'Extra'), { contentType: 'application/rss+xml' }),
    '/page': body('<!doctype html><html><body><p>Just a page</p></body></html>', { contentType: 'text/html' }),
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

export interface Workplace {
  readonly dir: string;
  readonly configPath: string;
  readonly env: Env;
  open(): Promise<RunningApp>;
  close(): Promise<void>;
}

/** A config file in a temp directory naming the feed server's /wire, the SQLite file, and these lines. */
export async function workplace(feeds: FeedServer, lines: readonly string[], env: Env): Promise<Workplace> {
  const dir = await mkdtemp(join(tmpdir(), 'newsdigest-self-service-'));
  const configPath = join(dir, 'newsdigest.yaml');
  await writeFile(
    configPath,
    [
      `feeds: [{ url: "${feeds.url('/wire')}", name: Wire }]`,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
      ...lines,
    ].join('\n'),
  );
  return {
    dir,
    configPath,
    env,
    async open() {
      const config = await loadConfig({ path: configPath, env, cwd: dir });
      return composeApp(config, { logger: silent, clock: { now: () => NOW }, stdout: () => {}, cwd: dir });
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
