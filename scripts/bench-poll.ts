// `npm run bench` (second part): polling 1,000 feeds from a local server with bounded concurrency, then polling
// them again unchanged (conditional GET: 304s), then again from a server that ignores validators (every feed read
// and every item checked against its seen mark and stored version). Prints wall time, feeds per second and CPU.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressGuard } from '../src/feeds/address-guard.js';
import { feedSource, httpFeedFetcher } from '../src/feeds/poll-feed.js';
import { pollFeeds } from '../src/pipeline/poll-feeds.js';
import type { Logger } from '../src/ports.js';
import { openStorage } from '../src/storage/index.js';
import { mulberry32 } from './lib/prng.js';

const FEEDS = Number(process.argv[2] ?? 1000);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const random = mulberry32(0x5eed);
const PARAGRAPH =
  'Negotiators from both delegations met again on Tuesday to discuss the monitoring of a ceasefire line, according to officials familiar with the talks, who said a further round was expected within days.';

interface FeedSpec {
  readonly items: number;
  readonly paragraphs: number;
  readonly slowMs: number;
}
const specs: FeedSpec[] = Array.from({ length: FEEDS }, () => ({
  items: random.int(5, 50),
  paragraphs: random.int(2, 12),
  slowMs: random.chance(0.05) ? random.int(500, 2000) : 0,
}));

function feedXml(n: number, spec: FeedSpec): string {
  const items = Array.from({ length: spec.items }, (_, i) => {
    const body = Array.from({ length: spec.paragraphs }, () => `<p>${PARAGRAPH}</p>`).join('');
    const date = new Date(Date.UTC(2025, 2, 1) + i * 3_600_000).toUTCString();
    return `<item><guid>feed${n}-item${i}</guid><title>Item ${i} of feed ${n}</title><link>https://example.com/${n}/${i}</link><pubDate>${date}</pubDate><description><![CDATA[${body}]]></description></item>`;
  }).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title>${items}</channel></rss>`;
}

const bodies = specs.map((s, n) => feedXml(n, s));
let notModified = 0;
/** Off for the last round: a server that sends the whole feed every time, as many do. */
let honourValidators = true;
const server = createServer((req, res) => {
  const n = Number((req.url ?? '').split('/')[2]);
  const spec = specs[n];
  const xml = bodies[n];
  if (spec === undefined || xml === undefined) return void res.writeHead(404).end();
  const etag = `"f${n}"`;
  const reply = () => {
    if (honourValidators && req.headers['if-none-match'] === etag) {
      notModified++;
      return void res.writeHead(304, { etag }).end();
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(xml);
  };
  if (spec.slowMs > 0) setTimeout(reply, spec.slowMs);
  else reply();
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;

const dir = mkdtempSync(join(tmpdir(), 'newsdigest-bench-poll-'));
const storage = await openStorage(`sqlite://${join(dir, 'bench.sqlite')}`, {});
const guard = new AddressGuard({ allow: [`127.0.0.1:${port}`] });
const dispatcher = guard.createAgent({ connectTimeoutMs: 5000 });
const feeds = specs.map((_, n) => ({
  url: `http://127.0.0.1:${port}/feed/${n}`,
  name: `feed ${n}`,
  intervalMs: 900_000,
}));
let now = new Date('2025-03-10T00:00:00Z');
const deps = {
  feeds: storage.feeds,
  articles: storage.articles,
  clock: { now: () => now },
  logger: silent,
  source: feedSource({
    fetch: httpFeedFetcher({ guard, dispatcher, userAgent: 'bench', timeoutMs: 20_000 }),
    clock: { now: () => now },
  }),
  concurrency: 16,
  snippetWords: 0,
  seenRefreshDays: 10,
};

const rows: string[][] = [];
for (const label of ['first poll (all new)', 'second poll (unchanged: 304)', 'third poll (unchanged: 200, all seen)']) {
  honourValidators = !label.startsWith('third');
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const reports = await pollFeeds(feeds, deps, { force: true });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const stored = reports.reduce((n, r) => n + r.newArticles, 0);
  const failed = reports.filter((r) => r.outcome === 'failed').length;
  rows.push([
    label,
    String(FEEDS),
    String(deps.concurrency),
    `${Math.round(ms)}`,
    `${Math.round((FEEDS / ms) * 1000)}`,
    String(stored),
    String(failed),
    `${Math.round((cpu.user + cpu.system) / 1000)}`,
    `${Math.round(process.resourceUsage().maxRSS / 1024)}`,
  ]);
  now = new Date(now.getTime() + 3_600_000);
}
const header = [
  'poll',
  'feeds',
  'concurrency',
  'wall ms',
  'feeds/s',
  'articles stored',
  'failed',
  'CPU ms',
  'peak RSS MB',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
process.stdout.write(`\nPolling ${FEEDS} feeds from 127.0.0.1 (5% answer after 0.5-2 s; 5-50 items each; SQLite)\n`);
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
process.stdout.write(`304 answers on the second poll: ${notModified}\n`);
await storage.close();
await dispatcher.close();
server.close();
rmSync(dir, { recursive: true, force: true });
