// `npm run bench:ops`: the bot at scale, on a real store. Articles generated from the eval sets' real text are
// ingested over `--days` days the way polls deliver them (a store call per minute), processed by the story
// engine, then a fresh process starts over the full store (restoring the engine), ingests 1,000 more articles and
// runs one scheduled digest. The same digest runs over a store 10x smaller, to show cost follows the news.
//   tsx scripts/bench-ops.ts [--articles 200000] [--days 30]      SQLite in a temp dir (DATABASE_URL: PostgreSQL)
// Each phase is a child process, so its memory is its own. Prints a table and one line of medians.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadTopicsFile } from '../src/config/topics-file.js';
import { builderOptionsFor } from '../src/digest-options.js';
import { parseDigestQuery } from '../src/domain/digest-query.js';
import { compileTopics } from '../src/domain/topics.js';
import type { ArticleInput } from '../src/domain/types.js';
import { DigestCache, planChannelDigest } from '../src/pipeline/channel-digest.js';
import { deliverDigest } from '../src/pipeline/deliver.js';
import { StoryIngest } from '../src/pipeline/ingest.js';
import { answerSearch } from '../src/pipeline/search.js';
import type { Logger, Publisher, StoredArticle } from '../src/ports.js';
import { openStorage, type Storage } from '../src/storage/index.js';
import { evalDir, loadSet, REPO_ROOT, SKIP_MESSAGE } from './lib/eval-data.js';
import { generateCorpus, sourceStories } from './lib/synth-corpus.js';
import { type Cell, fix, printTable } from './lib/table.js';

const RESULT_TAG = 'BENCH_OPS ';
const MB = 1024 * 1024;
const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00.000Z');
const NEW_ARTICLES = 1_000;
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function builder() {
  return builderOptionsFor(compileTopics(await loadTopicsFile(join(REPO_ROOT, 'config', 'topics.yaml'))));
}

/** Articles as polls would store them: `days` days of ingest, a store call per simulated minute. */
function articlesFor(dir: string, count: number, seed: number, days: number, from: number) {
  const corpus = generateCorpus(sourceStories([...loadSet(dir, 'basil'), ...loadSet(dir, 'ecbplus')]), count, seed);
  const perMinute = count / (days * 1440);
  const stored: { at: number; article: StoredArticle }[] = corpus.inputs.map((input: ArticleInput, i) => {
    // spread evenly over the days, a store call per minute that has articles
    const at = from + Math.floor((i / count) * days * 1440) * 60_000;
    const publishedAt = new Date(at - ((i * 7919) % 360) * 60_000).toISOString();
    return {
      at,
      article: {
        ...input,
        id: `${seed}-${input.id}`,
        feed: input.source ?? 'feed',
        fetchedAt: new Date(at).toISOString(),
        publishedAt,
        backfill: false,
      },
    };
  });
  return { stored, perMinute };
}

/** Polls store what they fetched every minute; the story engine processes what came in every `processEvery`. */
const PROCESS_EVERY_MS = 15 * 60_000;

async function ingest(
  storage: Storage,
  engine: StoryIngest,
  stored: readonly { at: number; article: StoredArticle }[],
  clock: { now: Date },
) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let processingMs = 0;
  let processingCpuMs = 0;
  let storingMs = 0;
  let batch: StoredArticle[] = [];
  let batchAt = stored[0]?.at ?? START;
  let processedAt = batchAt;
  const process_ = async () => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await engine.processPending();
    const used = process.cpuUsage(cpu);
    processingCpuMs += (used.user + used.system) / 1000;
    processingMs += performance.now() - t;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    clock.now = new Date(batchAt);
    const t0 = performance.now();
    await storage.articles.putMany(batch, clock.now);
    storingMs += performance.now() - t0;
    batch = [];
    if (batchAt - processedAt >= PROCESS_EVERY_MS) {
      processedAt = batchAt;
      await process_();
    }
  };
  for (const { at, article } of stored) {
    if (at !== batchAt) {
      await flush();
      batchAt = at;
    }
    batch.push(article);
  }
  await flush();
  await process_();
  delay.disable();
  return {
    processingMs,
    processingCpuMs,
    storingMs,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayMaxMs: delay.max / 1e6,
  };
}

/** The bot's ingest over the bench's store, at the bench's clock. */
async function storyIngest(storage: Storage, clock: { now: Date }): Promise<StoryIngest> {
  return new StoryIngest({
    articles: storage.articles,
    stories: storage.stories,
    search: storage.search,
    engine: await builder(),
    clock: { now: () => clock.now },
    logger: silent,
    windowDays: 21,
  });
}

/** Child: fill a store with `count` articles over `days` days. */
async function fill(dir: string, url: string, count: number, days: number): Promise<void> {
  const storage = await openStorage(url, { namespace: 'bench' });
  const clock = { now: new Date(START) };
  const engine = await storyIngest(storage, clock);
  const { stored, perMinute } = articlesFor(dir, count, 1, days, START);
  const result = await ingest(storage, engine, stored, clock);
  await storage.close();
  console.log(
    `${RESULT_TAG}${JSON.stringify({
      phase: 'fill',
      articles: count,
      perMinute,
      articlesPerSecond: (count / result.processingMs) * 1000,
      articlesPerCpuSecond: (count / result.processingCpuMs) * 1000,
      storingMs: result.storingMs,
      processingMs: result.processingMs,
      delayP99Ms: result.delayP99Ms,
      delayMaxMs: result.delayMaxMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}`,
  );
}

/** Child: start over a filled store, ingest 1,000 new articles, run one scheduled digest. */
async function operate(dir: string, url: string, count: number, days: number): Promise<void> {
  const storage = await openStorage(url, { namespace: 'bench' });
  const end = START + days * DAY;
  const clock = { now: new Date(end) };
  const engine = await storyIngest(storage, clock);
  const t0 = performance.now();
  const restored = await engine.restore();
  const startupMs = performance.now() - t0;
  const rssAfterStartMb = process.memoryUsage().rss / MB;
  const channel = { id: 'desk', topics: [], maxStories: 10, lookbackHours: 24 };
  await storage.deliveries.setCursor('desk', await storage.stories.processedSeq());
  const { stored } = articlesFor(dir, NEW_ARTICLES, 2, 1 / 24, end);
  const fresh = await ingest(storage, engine, stored, clock);
  const publisher: Publisher = {
    async publish(digest, onPosted) {
      for (const d of digest.stories) await onPosted({ storyId: d.story.id, messageId: d.story.id, threadId: null });
    },
  };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t1 = performance.now();
  const reader = { stories: storage.stories, ledger: storage.deliveries, topicOrder: [] };
  const planned = await planChannelDigest(channel, reader, clock.now, new DigestCache(reader));
  await deliverDigest(planned.digest, publisher, storage.deliveries, silent, () => clock.now.toISOString());
  const digestMs = performance.now() - t1;
  delay.disable();
  await storage.close();
  console.log(
    `${RESULT_TAG}${JSON.stringify({
      phase: 'operate',
      articles: count,
      restored,
      startupMs,
      rssAfterStartMb,
      newArticlesPerSecond: (NEW_ARTICLES / fresh.processingMs) * 1000,
      newArticlesPerCpuSecond: (NEW_ARTICLES / fresh.processingCpuMs) * 1000,
      digestMs,
      digestStories: planned.digest.stories.length,
      grownStories: planned.digest.stories.length + planned.overflow,
      digestDelayP99Ms: delay.percentile(99) / 1e6,
      ingestDelayP99Ms: fresh.delayP99Ms,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}`,
  );
}

/** Child: 100 generated /digest searches over the filled store (words from its text, topics, outlets, 1-30 days). */
async function searchPhase(dir: string, url: string, count: number, days: number): Promise<void> {
  const storage = await openStorage(url, { namespace: 'bench' });
  const now = new Date(START + days * DAY + 3_600_000);
  const { stored } = articlesFor(dir, Math.min(count, 2_000), 1, days, START);
  const topics = ['Ukraine talks', 'Iran talks', 'Prisoner swaps'];
  const outlets = [...new Set(stored.map((s) => s.article.source ?? ''))].filter(Boolean);
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const queries: { text: string; days: number }[] = [];
  for (let i = 0; i < 100; i++) {
    const words = (stored[next(stored.length)]?.article.title ?? 'talks')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 4);
    const span = [1, 3, 7, 14, 30][next(5)] ?? 3;
    const parts = [words[next(Math.max(1, words.length))] ?? 'talks'];
    if (i % 4 === 1) parts.push(`topic:"${topics[next(topics.length)]}"`);
    if (i % 4 === 2) parts.push(`source:"${outlets[next(outlets.length)] ?? 'wire'}"`);
    if (i % 4 === 3) parts.push(`"${words.slice(0, 2).join(' ')}"`);
    queries.push({ text: `${parts.join(' ')} since:${span}d`, days: span });
  }
  const deps = {
    stories: storage.stories,
    search: storage.search,
    ledger: storage.deliveries,
    topicOrder: topics,
    retentionDays: 30,
    now: () => now,
  };
  const rssBefore = process.memoryUsage().rss;
  const times: { ms: number; days: number; stories: number }[] = [];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  for (const q of queries) {
    const parsed = parseDigestQuery(q.text, now);
    if (parsed.kind !== 'search') throw new Error(`${q.text}: ${parsed.kind}`);
    const t = performance.now();
    const answer = await answerSearch(deps, parsed);
    times.push({
      ms: performance.now() - t,
      days: q.days,
      stories: answer.kind === 'digest' ? answer.digest.stories.length : 0,
    });
  }
  delay.disable();
  const pick = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  const short = times.filter((t) => t.days <= 3).map((t) => t.ms);
  const long = times.filter((t) => t.days >= 14).map((t) => t.ms);
  const size = await indexBytes(url);
  await storage.close();
  console.log(
    `${RESULT_TAG}${JSON.stringify({
      phase: 'search',
      queries: times.length,
      answered: times.filter((t) => t.stories > 0).length,
      p50ShortMs: pick(short, 0.5),
      p95ShortMs: pick(short, 0.95),
      p50LongMs: pick(long, 0.5),
      p95LongMs: pick(long, 0.95),
      p95AllMs: pick(
        times.map((t) => t.ms),
        0.95,
      ),
      searchDelayP99Ms: delay.percentile(99) / 1e6,
      rssGrowthMb: (process.resourceUsage().maxRSS * 1024 - rssBefore) / MB,
      indexMb: size / MB,
    })}`,
  );
}

/** Bytes the search tables take in a SQLite file (dbstat), or 0 where that cannot be read. */
async function indexBytes(url: string): Promise<number> {
  if (!url.startsWith('sqlite://')) return 0;
  const { default: sqlite3 } = await import('sqlite3');
  const db = new sqlite3.Database(url.slice('sqlite://'.length));
  return new Promise((resolve) => {
    db.all("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'search%'", (error, rows: { bytes: number }[]) => {
      db.close();
      resolve(error ? 0 : Number(rows[0]?.bytes ?? 0));
    });
  });
}

function child(phase: string, url: string, count: number, days: number): Record<string, number> {
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--phase', phase, '--url', url, '--articles', String(count)];
  const run = spawnSync(process.execPath, [...args, '--days', String(days)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * MB,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (run.status !== 0 || line === undefined) throw new Error(`${phase} failed (exit ${run.status}): ${run.stdout}`);
  return JSON.parse(line.slice(RESULT_TAG.length)) as Record<string, number>;
}

function main(): void {
  const dir = evalDir();
  if (dir === null) {
    console.log(SKIP_MESSAGE);
    return;
  }
  const phase = arg('--phase', '');
  const count = Number(arg('--articles', '200000'));
  const days = Number(arg('--days', '30'));
  if (phase === 'fill') return void fill(dir, arg('--url', ''), count, days);
  if (phase === 'operate') return void operate(dir, arg('--url', ''), count, days);
  if (phase === 'search') return void searchPhase(dir, arg('--url', ''), count, days);

  const rows: Cell[][] = [];
  const searches: Record<string, number>[] = [];
  const results: Record<string, number>[] = [];
  for (const size of [Math.round(count / 10), count]) {
    const tmp = mkdtempSync(join(tmpdir(), 'newsdigest-bench-ops-'));
    const url = process.env.DATABASE_URL ?? `sqlite://${join(tmp, 'store.sqlite')}`;
    try {
      process.stderr.write(`bench:ops: filling ${size} articles over ${days} days...\n`);
      const filled = child('fill', url, size, days);
      process.stderr.write('bench:ops: start-up, 1,000 new articles, one digest...\n');
      const op = child('operate', url, size, days);
      process.stderr.write('bench:ops: 100 /digest searches...\n');
      const searched = child('search', url, size, days);
      process.stderr.write(`bench:ops: ${JSON.stringify({ search: searched })}\n`);
      searches.push({ size, ...searched });
      process.stderr.write(`bench:ops: ${JSON.stringify({ fill: filled, operate: op })}\n`);
      results.push({ ...filled, ...op });
      rows.push([
        size,
        fix(filled.articlesPerSecond ?? 0, 0),
        fix(filled.delayP99Ms ?? 0, 1),
        fix(filled.peakRssMb ?? 0, 0),
        fix((op.startupMs ?? 0) / 1000, 2),
        op.restored ?? 0,
        fix(op.newArticlesPerSecond ?? 0, 0),
        fix((op.digestMs ?? 0) / 1000, 2),
        `${op.digestStories}/${op.grownStories}`,
        fix(Math.max(op.digestDelayP99Ms ?? 0, op.ingestDelayP99Ms ?? 0), 1),
        fix(op.peakRssMb ?? 0, 0),
      ]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  printTable(
    `bench:ops (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${days} days of ingest, ${NEW_ARTICLES} new articles then one digest)`,
    [
      'stored',
      'ingest art/s',
      'loop p99 ms',
      'fill RSS MB',
      'start-up s',
      'restored',
      'new art/s',
      'digest s',
      'shown/grown',
      'op loop p99 ms',
      'op RSS MB',
    ],
    rows,
  );
  printTable(
    'bench:ops /digest searches (100 generated queries: words from stored text, topics, outlets, 1-30 days)',
    [
      'stored',
      'answered',
      'p50 <=3d ms',
      'p95 <=3d ms',
      'p50 >=14d ms',
      'p95 >=14d ms',
      'loop p99 ms',
      'RSS +MB',
      'index MB',
    ],
    searches.map((r) => [
      r.size ?? 0,
      r.answered ?? 0,
      fix(r.p50ShortMs ?? 0, 0),
      fix(r.p95ShortMs ?? 0, 0),
      fix(r.p50LongMs ?? 0, 0),
      fix(r.p95LongMs ?? 0, 0),
      fix(r.searchDelayP99Ms ?? 0, 1),
      fix(r.rssGrowthMb ?? 0, 0),
      fix(r.indexMb ?? 0, 1),
    ]),
  );
  const [small, full] = results;
  if (small && full) {
    console.log(
      `\ndigest of ${NEW_ARTICLES} new articles: ${fix((full.digestMs ?? 0) / 1000, 2)} s over ${count} stored, ` +
        `${fix((small.digestMs ?? 0) / 1000, 2)} s over ${Math.round(count / 10)}: ratio ${fix((full.digestMs ?? 0) / (small.digestMs ?? 1), 2)}`,
    );
  }
}

main();
