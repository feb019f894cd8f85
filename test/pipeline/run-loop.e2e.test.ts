// End to end: a feed server on 127.0.0.1 -> the real fetch, parse and address guard -> SQLite storage -> the
// run loop's steps at the times a fake clock says -> a recording publisher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { compileTopics } from '../../src/domain/topics.js';
import type { ArticleInput } from '../../src/domain/types.js';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import { httpFeedFetcher } from '../../src/feeds/poll-feed.js';
import { type App, digestAll, pollAll } from '../../src/pipeline/app.js';
import type { Logger } from '../../src/ports.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { body, type FeedServer, startFeedServer } from '../fakes/feed-server.js';
import { RecordingPublisher } from '../fakes/recording-publisher.js';
import { GENEVA_BAY, GENEVA_COASTLINE, ISTANBUL_LEDGER, MUSCAT_DESERT, SWAP_NORTHERN } from '../fixtures/articles.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(items: readonly ArticleInput[], publishedAt: (a: ArticleInput) => string): string {
  const xml = items
    .map(
      (a) => `<item><guid>${a.id}</guid><title>${esc(a.title ?? a.id)}</title><link>https://news.example/${a.id}</link>
<pubDate>${new Date(publishedAt(a)).toUTCString()}</pubDate><description>${esc(
        (a.text ?? '')
          .split('\n')
          .map((p) => `<p>${p}</p>`)
          .join(''),
      )}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${xml}</channel></rss>`;
}

describe('the run loop against a local feed server', () => {
  let server: FeedServer;
  let storage: Storage;
  let now = new Date('2025-03-04T06:00:00Z');
  const wire: ArticleInput[] = [];
  const courier: ArticleInput[] = [];
  const at = (a: ArticleInput) => a.publishedAt ?? now.toISOString();

  beforeAll(async () => {
    server = await startFeedServer();
    server.handle('/wire', (req, res) => body(rss(wire, at), { contentType: 'application/rss+xml' })(req, res));
    server.handle('/courier', (req, res) => body(rss(courier, at), { contentType: 'application/rss+xml' })(req, res));
    storage = await openStorage('sqlite://:memory:', {});
  });
  afterAll(async () => {
    await storage.close();
    await server.close();
  });

  function app(feeds: readonly string[], publisher: RecordingPublisher): App {
    const yaml = [
      'feeds:',
      ...feeds.map((f) => `  - { url: "${server.url(`/${f}`)}", name: ${f}, pollMinutes: 15 }`),
      'network:',
      `  allowPrivateHosts: ["${server.hostPort}"]`,
      'channels:',
      '  - { id: desk, platform: console, topics: ["Ukraine talks"], schedule: "0 8 * * *", lookbackHours: 24 }',
    ].join('\n');
    const config = parseConfig(yaml, 'e2e.yaml', {}, { packageRoot: process.cwd() });
    const guard = new AddressGuard({ allow: config.network.allowPrivateHosts });
    return {
      config,
      storage,
      builder: { topics: compileTopics(config.topicDefinitions) },
      publishers: new Map([['desk', publisher]]),
      ingest: { poll: { fetch: httpFeedFetcher({ guard, userAgent: 'test' }) }, concurrency: 2, snippetWords: 0 },
      clock: { now: () => now },
      logger: silent,
    };
  }

  it('keeps backfill out, posts new stories, updates a story that gains a source, and never posts twice', async () => {
    const publisher = new RecordingPublisher();
    // day 1: the wire feed is added; what it already has is backfill
    wire.push(MUSCAT_DESERT, SWAP_NORTHERN);
    await pollAll(app(['wire'], publisher), true);
    now = new Date('2025-03-04T08:00:00Z');
    await digestAll(app(['wire'], publisher), app(['wire'], publisher).config.channels);
    expect(publisher.posts).toEqual([]);

    // the wire reports the Geneva meeting; a courier feed is added with its own backlog
    now = new Date('2025-03-04T10:00:00Z');
    wire.push({ ...GENEVA_COASTLINE, publishedAt: '2025-03-04T09:30:00Z' });
    courier.push({ ...ISTANBUL_LEDGER, publishedAt: '2025-03-04T09:00:00Z' });
    const both = app(['wire', 'courier'], publisher);
    await pollAll(both, true);
    now = new Date('2025-03-05T08:00:00Z');
    await digestAll(both, both.config.channels);
    expect(publisher.posts.map((p) => [p.kind, p.title])).toEqual([['new', GENEVA_COASTLINE.title]]);

    // the courier tells the Geneva story in its own words: an update to the earlier post, in its thread
    now = new Date('2025-03-05T12:00:00Z');
    courier.push({ ...GENEVA_BAY, publishedAt: '2025-03-05T11:00:00Z' });
    await pollAll(both, true);
    now = new Date('2025-03-06T08:00:00Z');
    await digestAll(both, both.config.channels);
    const update = publisher.posts[1];
    expect(update?.kind).toBe('update');
    expect(update?.storyId).toBe(publisher.posts[0]?.storyId);
    expect(update?.threadId).not.toBeNull();

    // a restart (a new app over the same storage) at the same digest time posts nothing again
    const before = publisher.posts.length;
    const restarted = app(['wire', 'courier'], publisher);
    await pollAll(restarted, true);
    await digestAll(restarted, restarted.config.channels);
    expect(publisher.posts.length).toBe(before);
  });
});
