// A first poll of many feeds through `newsdigest run --once` (the command's own code, in this process, with the
// progress line it shows on a terminal): 1,000 feeds by default on a loopback server, SQLite in a temp dir, one
// console channel. Prints the progress updates as they come, the command's summary line, and the totals:
//   npx tsx scripts/first-poll-1000.ts [feeds=1000] [itemsPerFeed=10]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRunCommand } from '../src/cli/run-command.js';
import { composeApp } from '../src/compose.js';
import type { Logger } from '../src/ports.js';

const FEEDS = Number(process.argv[2] ?? 1000);
const ITEMS = Number(process.argv[3] ?? 10);
const PARAGRAPH =
  'Officials said on Tuesday that the harbour bridge would stay closed for repairs, and that ferries would run every twenty minutes until the work was done.';

// long enough (over 120 words) that no article page is fetched: the run measures polling, not page extraction;
// links point back at the loopback server all the same, so nothing ever leaves this machine
function feedXml(n: number, port: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const date = new Date(Date.UTC(2025, 2, 1) + i * 3_600_000).toUTCString();
    const words = `Feed ${n} reports item ${i}. ${Array.from({ length: 6 }, () => PARAGRAPH).join(' ')}`;
    return `<item><guid>feed${n}-item${i}</guid><title>Item ${i} of feed ${n}</title><link>http://127.0.0.1:${port}/article/${n}/${i}</link><pubDate>${date}</pubDate><description><![CDATA[<p>${words}</p>]]></description></item>`;
  }).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title>${items}</channel></rss>`;
}

let bodies: string[] = [];
const server = createServer((req, res) => {
  const xml = bodies[Number((req.url ?? '').split('/')[2])];
  if (xml === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(xml);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const { port } = server.address() as AddressInfo;
bodies = Array.from({ length: FEEDS }, (_, n) => feedXml(n, port));

const dir = mkdtempSync(join(tmpdir(), 'newsdigest-first-poll-'));
const configPath = join(dir, 'newsdigest.yaml');
writeFileSync(
  configPath,
  [
    'feeds:',
    ...Array.from({ length: FEEDS }, (_, n) => `  - { url: "http://127.0.0.1:${port}/feed/${n}", name: "feed ${n}" }`),
    `network: { allowPrivateHosts: ["127.0.0.1:${port}"] }`,
    `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
    'polling: { concurrency: 16 }',
    'channels:',
    '  - { id: desk, platform: console, schedule: "0 8 * * *", maxStories: 5 }',
  ].join('\n'),
);

/** The command's log lines that say how long each part took. */
const timings: Record<string, unknown>[] = [];
const logger: Logger = {
  debug() {},
  info(obj, msg) {
    if (typeof obj === 'object' && (msg === 'feeds polled' || msg === 'digest delivered'))
      timings.push({ msg, ...obj });
  },
  warn() {},
  error(obj, msg) {
    process.stderr.write(`error: ${msg ?? ''} ${JSON.stringify(obj)}\n`);
  },
  child: () => logger,
};

let progressUpdates = 0;
let lastProgress = '';
const started = performance.now();
const code = await runRunCommand(['--once', '--config', configPath], {
  stdout: () => {},
  stderr: (text) => {
    if (text.startsWith('\r')) {
      // the progress line, rewritten in place on a terminal: kept as the last one seen, printed every 10th
      const line = text.replaceAll('\r', '').replaceAll(`${String.fromCharCode(27)}[K`, '');
      if (line === '') return;
      progressUpdates++;
      lastProgress = line;
      if (progressUpdates % 10 === 1) process.stderr.write(`  ${line}\n`);
      return;
    }
    process.stderr.write(text);
  },
  env: () => ({}),
  cwd: () => dir,
  compose: (config) => composeApp(config, { logger, clock: { now: () => new Date() }, stdout: () => {}, cwd: dir }),
  stopSignal: () => Promise.resolve('SIGTERM'),
  stderrIsTTY: true,
});
const totalMs = performance.now() - started;
const polled = timings.find((t) => t.msg === 'feeds polled');
console.log(`\nfirst poll of ${FEEDS} feeds x ${ITEMS} items, run --once (exit ${code}):`);
console.log(`  progress: ${progressUpdates} updates on the progress line; last: ${lastProgress}`);
console.log(
  `  polls:    ${String(polled?.feeds)} feeds, ${String(polled?.articles)} articles, ${String(polled?.failed)} failed in ${String(polled?.ms)} ms`,
);
console.log(
  `  total:    ${(totalMs / 1000).toFixed(1)} s for run --once (poll, story engine over every article, digest, prune)`,
);
console.log(`  memory:   ${Math.round(process.memoryUsage().rss / 1e6)} MB resident at the end`);
server.close();
rmSync(dir, { recursive: true, force: true });
