// `npm run bench:scale`: the split roles at work. A feed farm (a child process on 127.0.0.1) serves N feeds of 5
// articles each; one `run --role scheduler` and W `run --role worker` processes (the real binary) share a fresh
// PostgreSQL database and a queue on a Redis of the bench's own. Measured per worker count: how fast the first
// round of polls goes (feeds fetched per second, from the farm's clock), how fast the articles are processed
// (stored and through the story engine), the time until every feed is polled and processed, and Redis memory.
//   tsx scripts/bench-scale.ts [--feeds 5000] [--workers 1,2,4]
// Needs: `npm run build`, redis-server, and PostgreSQL with the newsdigest role (`.ci/run --servers-only`).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openStorage } from '../src/storage/index.js';
import { REPO_ROOT } from './lib/eval-data.js';
import { fix, printTable } from './lib/table.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const FEEDS = Number(arg('--feeds', '5000'));
const WORKERS = arg('--workers', '1,2,4').split(',').map(Number);
const ITEMS = 5;
const PG = process.env.BENCH_PG_URL ?? 'postgres://newsdigest:newsdigest@127.0.0.1:5432';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function started(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, [...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** The farm: a child process serving /f/<n> as RSS with five long items each, counting fetches and their times. */
const FARM = `
const http = require('node:http');
const words = Array.from({ length: 3000 }, (_, i) => 'w' + i.toString(36));
let fetched = 0, first = 0, last = 0;
function rand(seed) { let x = seed >>> 0; return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 4294967296); }
const server = http.createServer((req, res) => {
  if (req.url === '/stats') { res.end(JSON.stringify({ fetched, first, last })); return; }
  const n = Number((req.url || '').split('/')[2]);
  const now = Date.now();
  fetched++; first ||= now; last = now;
  const r = rand(n + 1);
  const items = [];
  for (let i = 0; i < ${ITEMS}; i++) {
    const text = Array.from({ length: 160 }, () => words[Math.floor(r() * words.length)]).join(' ');
    const at = new Date(now - (i + 1) * 3600000).toUTCString();
    items.push('<item><guid>f' + n + '-' + i + '</guid><title>Report ' + n + '-' + i + ' ' + words[Math.floor(r() * 3000)] + '</title><link>http://127.0.0.1/a/' + n + '/' + i + '</link><pubDate>' + at + '</pubDate><description>' + text + '</description></item>');
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml' });
  res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ' + n + '</title>' + items.join('') + '</channel></rss>');
});
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
`;

interface Result {
  readonly workers: number;
  readonly pollsPerS: number;
  readonly articlesPerS: number;
  readonly allDoneS: number;
  readonly articles: number;
  readonly redisPeakMb: number;
}

async function runOnce(workers: number, farmPort: number, dir: string): Promise<Result> {
  const db = `bench_scale_${process.pid}_${workers}`;
  const asPostgres = (sql: string) =>
    execFileSync('su', ['postgres', '-c', `psql -X -q -d postgres -c "${sql}"`], { cwd: '/', stdio: 'pipe' });
  asPostgres(`DROP DATABASE IF EXISTS ${db}`);
  asPostgres(`CREATE DATABASE ${db} OWNER newsdigest`);
  const redisPort = await freePort();
  const redis = started('redis-server', [
    '--port',
    String(redisPort),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const config = join(dir, `scale-${workers}.yaml`);
  const storageUrl = `${PG}/${db}`;
  writeFileSync(
    config,
    [
      'feeds:',
      ...Array.from({ length: FEEDS }, (_, n) => `  - { url: "http://127.0.0.1:${farmPort}/f/${n}", name: f${n} }`),
      'network:',
      `  allowPrivateHosts: ["127.0.0.1:${farmPort}"]`,
      'polling:',
      '  maxFailuresBeforePause: 1000',
      `storage: { url: "${storageUrl}" }`,
      'jobs:',
      `  redis: "redis://127.0.0.1:${redisPort}"`,
      // every feed is on one host here: politeness would make this a bench of one host's limit
      '  polls: 16',
      '  pollsPerHost: 16',
      'channels:',
      `  - { id: desk, platform: file, channel: "${join(dir, 'desk.txt')}", schedule: "0 0 1 1 *" }`,
    ].join('\n'),
  );
  const env = { NEWSDIGEST_CONFIG: config, LOG_LEVEL: 'warn' };
  const before = (await (await fetch(`http://127.0.0.1:${farmPort}/stats`)).json()) as { fetched: number };
  const t0 = Date.now();
  const procs = [
    started(process.execPath, ['bin/newsdigest.js', 'run', '--role', 'scheduler'], env),
    ...Array.from({ length: workers }, () =>
      started(process.execPath, ['bin/newsdigest.js', 'run', '--role', 'worker'], env),
    ),
  ];
  const storage = await openStorage(storageUrl);
  const queue = new Redis(`redis://127.0.0.1:${redisPort}`);
  let peak = 0;
  let stats = { fetched: 0, first: 0, last: 0 };
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      stats = (await (await fetch(`http://127.0.0.1:${farmPort}/stats`)).json()) as typeof stats;
      const memory = await queue.info('memory');
      peak = Math.max(peak, Number(/used_memory_peak:(\d+)/.exec(memory)?.[1] ?? 0));
      const polled = stats.fetched - before.fetched;
      if (polled < FEEDS) continue;
      const head = await storage.articles.head();
      const stored = (await storage.articles.readLog(0, head)).reduce((n, e) => n + e.articleIds.length, 0);
      if (stored >= FEEDS * ITEMS && (await storage.stories.processedSeq()) === head) break;
      if (Date.now() - t0 > 30 * 60_000) throw new Error('bench:scale: not done in 30 minutes');
    }
    const done = Date.now();
    const log = await storage.articles.readLog(0, await storage.articles.head());
    const articles = log.reduce((n, e) => n + e.articleIds.length, 0);
    // polls per second over the round (first to last fetch of this run), articles per second start to processed
    const firstFetch = Math.max(stats.first, t0);
    return {
      workers,
      pollsPerS: FEEDS / Math.max(0.001, (stats.last - firstFetch) / 1000),
      articlesPerS: articles / ((done - t0) / 1000),
      allDoneS: (done - t0) / 1000,
      articles,
      redisPeakMb: peak / 1024 / 1024,
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(0) : p.once('exit', resolve)))),
    );
    await storage.close();
    queue.disconnect();
    redis.kill('SIGTERM');
    asPostgres(`DROP DATABASE IF EXISTS ${db}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'newsdigest-scale-'));
const farmPort = await freePort();
const farm = spawn(process.execPath, ['-e', FARM, String(farmPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => farm.stdout?.once('data', resolve));
const results: Result[] = [];
try {
  for (const w of WORKERS) {
    const result = await runOnce(w, farmPort, dir);
    results.push(result);
    console.error(`bench:scale: ${w} worker(s) done in ${fix(result.allDoneS, 1)} s`);
  }
} finally {
  farm.kill();
  rmSync(dir, { recursive: true, force: true });
}
const base = results[0];
printTable(
  `bench:scale: ${FEEDS} feeds x ${ITEMS} articles, PostgreSQL store, BullMQ on Redis`,
  [
    'workers',
    'feeds polled/s',
    'x',
    'articles processed/s',
    'x',
    'all polled+processed (s)',
    'articles',
    'Redis peak (MB)',
  ],
  results.map((r) => [
    String(r.workers),
    fix(r.pollsPerS, 1),
    base ? fix(r.pollsPerS / base.pollsPerS, 2) : '',
    fix(r.articlesPerS, 1),
    base ? fix(r.articlesPerS / base.articlesPerS, 2) : '',
    fix(r.allDoneS, 1),
    String(r.articles),
    fix(r.redisPeakMb, 1),
  ]),
);
console.log(`BENCH_SCALE ${JSON.stringify({ feeds: FEEDS, results })}`);
