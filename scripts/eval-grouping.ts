// `npx tsx scripts/eval-grouping.ts [json-options]`: story grouping only, fast, for measuring a change to the
// grouper: BASIL in date order, ECB+ in file order and in three shuffled orders (mean and min), B-cubed P/R/F1.
// Options (a JSON object of GroupingOptions) override DEFAULT_GROUPING, e.g. '{"threshold":0.22}'.
// Topics are left empty: grouping does not read them. Reads ../shared/eval (or $NEWSDIGEST_EVAL_DIR).
import { buildDigest } from '../src/domain/digest.js';
import type { GroupingOptions } from '../src/domain/stories.js';
import { compileTopics } from '../src/domain/topics.js';
import type { ArticleInput } from '../src/domain/types.js';
import { loadBackgroundVocabulary } from '../src/lexicon/subtlex.js';
import { evalDir, goldPartition, loadSet, nowAfter, type SetName, SKIP_MESSAGE, toInput } from './lib/eval-data.js';
import { bcubed, groupingFromDigest, type Prf } from './lib/metrics.js';
import { mulberry32 } from './lib/prng.js';

const SHUFFLE_SEEDS = [1, 2, 3];

const dir = evalDir();
if (dir === null) {
  console.log(SKIP_MESSAGE);
  process.exit(0);
}
const grouping: Partial<GroupingOptions> = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const background = loadBackgroundVocabulary();
const topics = compileTopics([], { background });

function score(name: SetName, inputs: readonly ArticleInput[]): Prf & { stories: number } {
  const records = loadSet(dir as string, name);
  const digest = buildDigest(inputs, { topics, background, grouping, now: nowAfter(inputs) });
  const b = bcubed(groupingFromDigest(digest), goldPartition(records, 'cluster'));
  return { ...b, stories: digest.stories.length };
}

const f = (x: number) => x.toFixed(3);
const line = (label: string, s: Prf & { stories: number }) =>
  console.log(`${label.padEnd(12)} F1 ${f(s.f1)}  P ${f(s.precision)}  R ${f(s.recall)}  stories ${s.stories}`);

const basil = loadSet(dir, 'basil').map(toInput);
line('basil', score('basil', basil));
const ecb = loadSet(dir, 'ecbplus').map(toInput);
line('ecb file', score('ecbplus', ecb));
const shuffled = SHUFFLE_SEEDS.map((seed) => score('ecbplus', mulberry32(seed).shuffle(ecb)));
for (const [i, s] of shuffled.entries()) line(`ecb shuf ${SHUFFLE_SEEDS[i]}`, s);
const f1s = shuffled.map((s) => s.f1);
console.log(`ecb shuffled mean ${f(f1s.reduce((a, b) => a + b, 0) / f1s.length)} min ${f(Math.min(...f1s))}`);
