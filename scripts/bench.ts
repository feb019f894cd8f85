// `npm run bench`: time and memory of the digest builder on 1k, 10k and 100k articles generated from real text.
// The parent runs each size in a fresh child process (so memory is per size) and prints the table:
//   tsx scripts/bench.ts [--full]        all sizes; 100k runs once unless --full
//   tsx scripts/bench.ts --size N [--runs R]   one size, prints a BENCH_RESULT line (the child side)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Digest } from '../src/domain/types.js';
import { digestOnce, duplicateCount, loadTopics } from './lib/digest-api.js';
import { evalDir, loadSet, REPO_ROOT, SKIP_MESSAGE } from './lib/eval-data.js';
import { duplicateChain, duplicateLinks } from './lib/metrics.js';
import { generateCorpus, sourceStories } from './lib/synth-corpus.js';
import { type Cell, fix, printTable } from './lib/table.js';

const SIZES = [1_000, 10_000, 100_000] as const;
const TARGET_MS: Record<number, number> = { 10000: 1_500, 100000: 15_000 };
const RESULT_TAG = 'BENCH_RESULT ';
const MB = 1024 * 1024;

interface SizeResult {
  size: number;
  runs: number;
  medianMs: number;
  allMs: number[];
  generatedStories: number;
  generatedCopies: number;
  stories: number;
  duplicates: number;
  /** Generated copies whose duplicateOf chain reaches the article they copy. */
  copiesFound: number;
  rejected: number;
  inputRssMb: number;
  peakRssMb: number;
  heapAfterMb: number;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function collectGarbage(): void {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc === 'function') gc();
}

function copiesFound(digest: Digest, copyOf: ReadonlyMap<string, string>): number {
  const links = duplicateLinks(digest);
  let found = 0;
  for (const [copy, original] of copyOf) if (duplicateChain(links, copy).includes(original)) found++;
  return found;
}

/** Child side: generate, run the builder `runs` times, report one JSON line. */
async function runSize(dir: string, size: number, runs: number): Promise<void> {
  const stories = sourceStories([...loadSet(dir, 'basil'), ...loadSet(dir, 'ecbplus')]);
  const corpus = generateCorpus(stories, size, 0x5eed + size);
  const topics = await loadTopics();
  collectGarbage();
  const inputRssMb = process.memoryUsage().rss / MB;
  const times: number[] = [];
  let last: Digest | null = null;
  for (let i = 0; i < runs; i++) {
    last = null;
    collectGarbage();
    const start = performance.now();
    last = digestOnce(corpus.inputs, corpus.now, topics);
    times.push(performance.now() - start);
  }
  if (last === null) throw new Error('no run');
  collectGarbage();
  const result: SizeResult = {
    size,
    runs,
    medianMs: median(times),
    allMs: times,
    generatedStories: corpus.stories,
    generatedCopies: corpus.copyOf.size,
    stories: last.stories.length,
    duplicates: duplicateCount(last),
    copiesFound: copiesFound(last, corpus.copyOf),
    rejected: last.rejected.length,
    inputRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapAfterMb: process.memoryUsage().heapUsed / MB,
  };
  console.log(`${RESULT_TAG}${JSON.stringify(result)}`);
}

/** Parent side: one child per size, then the table. */
function runAll(full: boolean): number {
  const script = fileURLToPath(import.meta.url);
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    const runs = size >= 100_000 && !full ? 1 : 3;
    process.stderr.write(`bench: ${size} articles, ${runs} run(s)...\n`);
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        script,
        '--size',
        String(size),
        '--runs',
        String(runs),
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * MB },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
    if (child.status !== 0 || line === undefined) {
      console.log(
        `size ${size}: child failed (exit ${child.status ?? child.signal}); output:\n${child.stdout.slice(-2000)}`,
      );
      return 1;
    }
    results.push(JSON.parse(line.slice(RESULT_TAG.length)) as SizeResult);
  }

  const rows: Cell[][] = results.map((r) => {
    const target = TARGET_MS[r.size];
    return [
      r.size,
      r.runs,
      Math.round(r.medianMs),
      fix(r.medianMs / r.size, 3),
      `${r.stories} (${r.generatedStories})`,
      r.duplicates,
      `${r.copiesFound}/${r.generatedCopies}`,
      r.rejected,
      Math.round(r.inputRssMb),
      Math.round(r.peakRssMb),
      Math.round(r.heapAfterMb),
      target === undefined ? '' : `< ${target} ms ${r.medianMs < target ? 'ok' : 'MISS'}`,
    ];
  });
  printTable(
    'Digest builder (buildDigest, defaults) on generated articles; stories found (generated stories)',
    [
      'size',
      'runs',
      'median ms',
      'ms/article',
      'stories found',
      'duplicates found',
      'copies found',
      'rejected',
      'input RSS MB',
      'peak RSS MB',
      'heap after MB',
      'target',
    ],
    rows,
  );
  const ratio = (a: number, b: number): string => {
    const x = results.find((r) => r.size === a);
    const y = results.find((r) => r.size === b);
    return x && y ? fix(y.medianMs / x.medianMs, 1) : '—';
  };
  console.log(`\ntime ratio 10k/1k: ${ratio(1_000, 10_000)}   100k/10k: ${ratio(10_000, 100_000)}   (linear = 10)`);
  console.log('input RSS = after generating the articles; peak RSS = maxRSS of the child (generation included)');
  return 0;
}

async function main(): Promise<number> {
  const dir = evalDir();
  if (dir === null) {
    console.log(SKIP_MESSAGE);
    return 0;
  }
  const size = argValue('--size');
  if (size !== undefined) {
    await runSize(dir, Number(size), Number(argValue('--runs') ?? '3'));
    return 0;
  }
  return runAll(process.argv.includes('--full'));
}

process.exitCode = await main();
