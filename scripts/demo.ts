// `npm run demo`: the bot's main job on this machine, with no tokens and no internet. Serves sample feeds from
// 127.0.0.1, runs the real binary twice against them (`newsdigest run --once`, SQLite in a temp folder): the
// first poll stores what the feeds already had as backfill; then the feeds publish more, and the second run
// prints the digest of what is new.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  articlePage,
  atomSnippets,
  jsonFeed,
  loadSamples,
  rss,
  type SampleArticle,
  slug,
} from './demo/sample-feeds.js';

const root = resolve(import.meta.dirname ?? '.', '..');
const now = new Date();
const samples = loadSamples(join(root, 'examples', 'wire-day.jsonl'), now);
const cutoff = [...samples].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt))[2]?.publishedAt ?? '';
let published: (a: SampleArticle) => boolean = (a) => a.publishedAt <= cutoff;

const sources = [...new Set(samples.map((a) => a.source))];
const formatOf = (source: string, i: number) => (source === 'Metro Daily' ? 'atom' : i % 2 === 0 ? 'rss' : 'json');

const server = createServer((req, res) => {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const page = /^\/pages\/(.+)\.html$/.exec(path);
  if (page) {
    const a = samples.find((s) => s.id === page[1]);
    if (!a) return void res.writeHead(404).end('not found');
    return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(a));
  }
  const i = sources.findIndex((s) => path === `/feeds/${slug(s)}`);
  const source = sources[i];
  if (source === undefined) return void res.writeHead(404).end('not found');
  const items = samples.filter((a) => a.source === source && published(a));
  const format = formatOf(source, i);
  const body =
    format === 'atom'
      ? atomSnippets(source, base, items)
      : format === 'json'
        ? jsonFeed(source, base, items)
        : rss(source, base, items);
  const type = format === 'json' ? 'application/feed+json' : `application/${format}+xml`;
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
});

await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;
const dir = mkdtempSync(join(tmpdir(), 'newsdigest-demo-'));
const config = join(dir, 'newsdigest.yaml');
writeFileSync(
  config,
  [
    'feeds:',
    ...sources.map((s) => `  - { url: "http://127.0.0.1:${port}/feeds/${slug(s)}", name: "${s}" }`),
    'network:',
    `  allowPrivateHosts: ["127.0.0.1:${port}"]`,
    `topics: ${JSON.stringify(join(root, 'config', 'topics.yaml'))}`,
    'channels:',
    '  - { id: demo-desk, platform: console, topics: [], schedule: "0 8 * * *", timezone: UTC, lookbackHours: 72 }',
    'storage:',
    `  url: "sqlite://${join(dir, 'newsdigest.sqlite')}"`,
    '',
  ].join('\n'),
);

async function run(label: string): Promise<number> {
  process.stdout.write(`\n=== ${label} ===\n`);
  const child = spawn(process.execPath, [join(root, 'bin', 'newsdigest.js'), 'run', '--once', '--config', config], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((done) => child.on('close', (code) => done(code ?? 1)));
}

let status = 1;
try {
  status = await run(
    `1. first poll of ${sources.length} new feeds: what they already carry is stored as backfill, not posted`,
  );
  published = () => true;
  status = await run('2. the feeds publish more; the next run posts a digest of what is new');
  process.stdout.write(`\n(config and SQLite database were in ${dir}; removed)\n`);
} finally {
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = status;
