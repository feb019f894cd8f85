// `npm run fingerprint`: one hash per eval set of everything the builder decides, to prove a speed change is only
// a speed change. Hashes the full digest JSON (stories, members, duplicates, topics, rejections, summaries), the
// digest of the same set in 10 batches, and the engine's stored result of every article (features included, so
// grouping vectors and fingerprints must match bit for bit). Compare the output before and after a change.
import { createHash } from 'node:crypto';
import { StoryEngine } from '../src/domain/story-engine.js';
import { loadBackgroundVocabulary } from '../src/lexicon/subtlex.js';
import { buildDedupSet } from './lib/dedup-eval.js';
import { digestInBatches, digestOnce, loadTopics } from './lib/digest-api.js';
import { evalDir, loadSet, nowAfter, type SetName, SKIP_MESSAGE, toInput } from './lib/eval-data.js';
import { mulberry32 } from './lib/prng.js';

const SEED = 20240601;

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

const dir = evalDir();
if (dir === null) {
  console.log(SKIP_MESSAGE);
} else {
  const topics = await loadTopics();
  const background = loadBackgroundVocabulary();
  const rng = mulberry32(SEED);
  const sets: SetName[] = ['basil', 'ecbplus', 'wikiref220'];
  for (const name of sets) {
    const records = loadSet(dir, name);
    const inputs = records.map(toInput);
    const now = nowAfter(inputs);
    const once = hash(digestOnce(inputs, now, topics));
    const batched = hash(digestInBatches(inputs, 10, now, topics));
    const engine = new StoryEngine({ topics, background });
    const stored = hash(engine.processBatch(inputs, 0).map((p) => p.processed));
    const dedupSet = buildDedupSet(name, records, 75, rng);
    const dedup = hash(digestOnce(dedupSet.inputs, nowAfter(dedupSet.inputs), topics));
    console.log(`${name.padEnd(10)} digest ${once}  batched ${batched}  stored ${stored}  copies ${dedup}`);
  }
}
