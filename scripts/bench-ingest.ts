// `npm run bench:ingest`: the ingest step alone (StoryEngine.processBatch) over the 1,502 BASIL + ECB+ +
// WikiRef220 articles, production options (topic examples with the language model, background vocabulary).
// Prints wall articles/s and articles per CPU-second per pass, and their medians. CPU time is what to quote on a
// shared machine: wall time counts whatever else runs.
//   tsx scripts/bench-ingest.ts [--passes N] [--compare DIR]
// --compare DIR: DIR is another checkout of this repo (e.g. `git archive <commit> src | tar -x -C DIR`, with a
// node_modules link); its engine and this one run in alternate passes in this one process, so both see the same
// machine load.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evalDir, loadSet, REPO_ROOT, SKIP_MESSAGE, toInput } from './lib/eval-data.js';

interface Engine {
  processBatch(inputs: readonly unknown[], at: number): unknown[];
}
type EngineFactory = () => Engine;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** An engine factory built from the checkout at `root`, with that checkout's own topics and background loaders. */
async function engineFrom(root: string): Promise<EngineFactory> {
  const load = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { loadTopicsFile } = await load('src/config/topics-file.ts');
  const { compileTopicDefinitions } = await load('src/digest-options.ts');
  const { StoryEngine } = await load('src/domain/story-engine.ts');
  const { loadBackgroundVocabulary } = await load('src/lexicon/subtlex.ts');
  // this repo's topics for both, unless the other checkout cannot read them (a key added since): then its own
  let defs: unknown;
  try {
    defs = await loadTopicsFile(join(REPO_ROOT, 'config', 'topics.yaml'));
  } catch (error) {
    console.log(`${root}: reads its own config/topics.yaml (${(error as Error).message.split('\n')[0]})`);
    defs = await loadTopicsFile(join(root, 'config', 'topics.yaml'));
  }
  const background = loadBackgroundVocabulary();
  const topics = compileTopicDefinitions(defs);
  return () => new StoryEngine({ topics, background });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const dir = evalDir();
if (dir === null) {
  console.log(SKIP_MESSAGE);
} else {
  const passes = Number(argValue('--passes') ?? 6);
  const compare = argValue('--compare');
  const inputs = [...loadSet(dir, 'basil'), ...loadSet(dir, 'ecbplus'), ...loadSet(dir, 'wikiref220')].map(toInput);
  const variants: [string, EngineFactory][] = [['this', await engineFrom(REPO_ROOT)]];
  if (compare !== undefined) variants.unshift(['compare', await engineFrom(resolve(compare))]);
  const rates = new Map<string, { wall: number[]; cpu: number[] }>(variants.map(([n]) => [n, { wall: [], cpu: [] }]));
  for (let pass = 0; pass < passes; pass++) {
    for (const [name, create] of variants) {
      const engine = create();
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      engine.processBatch(inputs, 0);
      const cpu = process.cpuUsage(cpuStart);
      const wall = (1000 * inputs.length) / (performance.now() - start);
      const perCpu = (1e6 * inputs.length) / (cpu.user + cpu.system);
      rates.get(name)?.wall.push(wall);
      rates.get(name)?.cpu.push(perCpu);
      console.log(`pass ${pass} ${name.padEnd(7)}: ${Math.round(wall)} art/s wall, ${Math.round(perCpu)} art/cpu-s`);
    }
  }
  // the first pass warms the JIT and the memo tables: medians leave it out when there are enough passes
  for (const [name, r] of rates) {
    const wall = passes > 2 ? r.wall.slice(1) : r.wall;
    const cpu = passes > 2 ? r.cpu.slice(1) : r.cpu;
    console.log(
      `${name}: ${inputs.length} articles, median of ${wall.length} passes: ${Math.round(median(wall))} art/s wall, ` +
        `${Math.round(median(cpu))} art/cpu-s`,
    );
  }
}
