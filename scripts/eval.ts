// `npm run eval`: story grouping, stability, de-duplication and the seed check, with the builder's defaults.
// Reads ../shared/eval (or $NEWSDIGEST_EVAL_DIR); writes nothing but a temp file.
import type { ArticleInput, Digest } from '../src/domain/types.js';
import { buildDedupSet, type DedupScore, scoreDedup } from './lib/dedup-eval.js';
import { digestInBatches, digestOnce, duplicateCount, loadTopics, type Topics, timed } from './lib/digest-api.js';
import {
  type EvalRecord,
  evalDir,
  goldPartition,
  loadSet,
  nowAfter,
  type SetName,
  SKIP_MESSAGE,
  toInput,
} from './lib/eval-data.js';
import {
  bcubed,
  chatView,
  clusterCount,
  groupingFromDigest,
  type Partition,
  type Prf,
  pairwise,
} from './lib/metrics.js';
import { mulberry32 } from './lib/prng.js';
import { scoreSeeds } from './lib/seeds-check.js';
import { type Cell, fix, ms, pct, printTable } from './lib/table.js';
import { oracleBaseline } from './lib/tfidf-baseline.js';
import { ingestRate, shippedTopicsCost, topicReport } from './lib/topic-report.js';

const SEED = 20240601;
const STABILITY_BATCHES = 10;
const STABILITY_GOAL = 0.01;
const DEDUP_ORIGINALS_PER_SET = 75;
/** Shingle overlap above which two real articles are near-copies of each other (README: none in BASIL). */
const NEAR_COPY_JACCARD = 0.5;

interface LoadedSet {
  name: SetName;
  records: EvalRecord[];
  inputs: ArticleInput[];
  now: string;
}

function load(dir: string, name: SetName): LoadedSet {
  const records = loadSet(dir, name);
  const inputs = records.map(toInput);
  return { name, records, inputs, now: nowAfter(inputs) };
}

/** Predicted clusters over the gold items, an item without a story counting as its own. */
function predictedClusters(pred: Partition, gold: Partition): number {
  const labels = new Set<string>();
  for (const id of gold.keys()) labels.add(pred.get(id) ?? `alone:${id}`);
  return labels.size;
}

const scoreCells = (b: Prf, p: Prf): Cell[] => [
  fix(b.precision),
  fix(b.recall),
  fix(b.f1),
  fix(p.precision),
  fix(p.recall),
  fix(p.f1),
];

const GROUPING_HEADER = [
  'set',
  'level',
  'method',
  'gold',
  'found',
  'B3 P',
  'B3 R',
  'B3 F1',
  'pair P',
  'pair R',
  'pair F1',
  'time',
];

function groupingRows(set: LoadedSet, level: 'cluster' | 'topic', digest: Digest, digestMs: number): Cell[][] {
  const gold = goldPartition(set.records, level);
  const pred = groupingFromDigest(digest);
  const docs = set.inputs.map((a) => ({ id: a.id, text: `${a.title ?? ''}\n${a.text ?? ''}` }));
  const base = oracleBaseline(docs, gold);
  const levelName = level === 'cluster' ? 'story' : 'topic';
  return [
    [
      set.name,
      levelName,
      'digest builder',
      clusterCount(gold),
      predictedClusters(pred, gold),
      ...scoreCells(bcubed(pred, gold), pairwise(pred, gold)),
      ms(digestMs),
    ],
    [
      set.name,
      levelName,
      `tf-idf oracle t=${base.threshold.toFixed(2)}`,
      clusterCount(gold),
      base.clusters,
      ...scoreCells(base.bcubed, base.pairwise),
      `${ms(base.ms)}/19`,
    ],
  ];
}

function dedupReport(scores: readonly DedupScore[]): void {
  const rows: Cell[][] = [];
  for (const s of scores) {
    for (const k of s.perKind) rows.push([s.name, k.kind, k.copies, k.found, pct(k.found / k.copies)]);
  }
  const copies = scores.flatMap((s) => s.perKind).reduce((n, k) => n + k.copies, 0);
  const found = scores.flatMap((s) => s.perKind).reduce((n, k) => n + k.found, 0);
  rows.push(['all', 'all', copies, found, pct(found / copies)]);
  printTable(
    '4. De-duplication recall (copy -> original through duplicateOf)',
    ['set', 'kind', 'copies', 'found', 'recall'],
    rows,
  );

  const precisionRows: Cell[][] = scores.map((s) => [
    s.name,
    s.reported,
    s.correct,
    s.wrongTarget.length,
    s.falseDuplicates.length,
    pct(s.reported > 0 ? s.correct / s.reported : 1),
  ]);
  printTable(
    '   De-duplication precision (reported duplicates that are generated copies of the right original)',
    ['set', 'reported', 'right', 'copy, wrong original', 'not a copy', 'precision'],
    precisionRows,
  );
  for (const s of scores) {
    const wrong = [
      ...s.falseDuplicates.map((f) => ({ ...f, why: 'not a copy' })),
      ...s.wrongTarget.map((f) => ({ ...f, why: 'wrong original' })),
    ].sort((a, b) => a.jaccard - b.jaccard);
    if (wrong.length === 0) continue;
    const genuine = wrong.filter((f) => f.jaccard >= NEAR_COPY_JACCARD).length;
    console.log(
      `   ${s.name}: ${wrong.length} not generated; ${genuine} of them share >= ${NEAR_COPY_JACCARD} of their 5-word shingles ` +
        '(near-copies in the real data); lowest overlap first:',
    );
    for (const f of wrong.slice(0, 12)) {
      console.log(`     ${f.id} -> ${f.duplicateOf} (${f.kind}, ${f.why}, jaccard ${f.jaccard.toFixed(2)})`);
    }
    if (wrong.length > 12) console.log(`     ... ${wrong.length - 12} more`);
  }
}

async function main(): Promise<number> {
  const dir = evalDir();
  if (dir === null) {
    console.log(SKIP_MESSAGE);
    return 0;
  }
  const topics: Topics = await loadTopics();
  const basil = load(dir, 'basil');
  const ecb = load(dir, 'ecbplus');
  const wiki = load(dir, 'wikiref220');
  console.log(`eval data: ${dir}`);
  console.log(
    `sets: basil ${basil.inputs.length}, ecbplus ${ecb.inputs.length}, wikiref220 ${wiki.inputs.length} articles`,
  );

  // 1. Story grouping against gold, beside an oracle-threshold TF-IDF baseline.
  const once = new Map<SetName, { digest: Digest; ms: number }>();
  for (const set of [basil, ecb, wiki]) {
    const run = timed(() => digestOnce(set.inputs, set.now, topics));
    once.set(set.name, { digest: run.value, ms: run.ms });
  }
  const basilRun = once.get('basil');
  const ecbRun = once.get('ecbplus');
  const wikiRun = once.get('wikiref220');
  if (!basilRun || !ecbRun || !wikiRun) throw new Error('missing run');
  const rejectedNote = [basil, ecb, wiki].map((s) => `${s.name} ${once.get(s.name)?.digest.rejected.length ?? 0}`);
  printTable(
    '1. Story grouping (builder defaults; baseline threshold picked per set and level against gold)',
    GROUPING_HEADER,
    [
      ...groupingRows(basil, 'cluster', basilRun.digest, basilRun.ms),
      ...groupingRows(ecb, 'cluster', ecbRun.digest, ecbRun.ms),
      ...groupingRows(ecb, 'topic', ecbRun.digest, ecbRun.ms),
    ],
  );
  console.log(`   rejected by the builder (scored as singletons): ${rejectedNote.join(', ')}`);

  // 2. WikiRef220: broad topics plus noise; each noise article is its own gold cluster.
  const wikiGold = new Map(wiki.records.map((r) => [r.id, r.isNoise ? `noise:${r.id}` : r.cluster]));
  const wikiPred = groupingFromDigest(wikiRun.digest);
  const wikiDocs = wiki.inputs.map((a) => ({ id: a.id, text: `${a.title ?? ''}\n${a.text ?? ''}` }));
  const wikiBase = oracleBaseline(wikiDocs, wikiGold);
  const wb = bcubed(wikiPred, wikiGold);
  printTable(
    '2. wikiref220, topic level (report only)',
    ['method', 'gold', 'found', 'B3 P', 'B3 R', 'B3 F1', 'time'],
    [
      [
        'digest builder',
        clusterCount(wikiGold),
        predictedClusters(wikiPred, wikiGold),
        fix(wb.precision),
        fix(wb.recall),
        fix(wb.f1),
        ms(wikiRun.ms),
      ],
      [
        `tf-idf oracle t=${wikiBase.threshold.toFixed(2)}`,
        clusterCount(wikiGold),
        wikiBase.clusters,
        fix(wikiBase.bcubed.precision),
        fix(wikiBase.bcubed.recall),
        fix(wikiBase.bcubed.f1),
        `${ms(wikiBase.ms)}/19`,
      ],
    ],
  );

  // 3. Stability: the same articles in 10 batches through one incremental builder.
  const stabilityRows: Cell[][] = [];
  const chatLines: string[] = [];
  for (const [set, run] of [
    [ecb, ecbRun],
    [basil, basilRun],
  ] as const) {
    const gold = goldPartition(set.records);
    const batched = timed(() => digestInBatches(set.inputs, STABILITY_BATCHES, set.now, topics));
    const f1One = bcubed(groupingFromDigest(run.digest), gold).f1;
    const f1Batched = bcubed(groupingFromDigest(batched.value), gold).f1;
    const seen = chatView(groupingFromDigest(batched.value), gold);
    chatLines.push(
      `${set.name} in ${STABILITY_BATCHES} batches, as chat shows it: ${seen.split} of ${seen.events} events posted as a new story more than once; ${seen.mixed} of ${seen.stories} stories mix events`,
    );
    const diff = f1Batched - f1One;
    stabilityRows.push([
      set.name,
      set.name === 'basil' ? 'date' : 'file',
      fix(f1One),
      fix(f1Batched),
      `${diff >= 0 ? '+' : ''}${diff.toFixed(3)}`,
      Math.abs(diff) <= STABILITY_GOAL ? 'ok' : 'MISS',
      ms(batched.ms),
    ]);
  }
  printTable(
    `3. Stability: B-cubed F1, one batch vs ${STABILITY_BATCHES} batches (goal |diff| <= ${STABILITY_GOAL})`,
    ['set', 'order', '1 batch', `${STABILITY_BATCHES} batches`, 'diff', 'goal', 'time'],
    stabilityRows,
  );
  for (const line of chatLines) console.log(`   ${line}`);

  // 4. De-duplication on seeded syndicated copies; false duplicates on BASIL as it is.
  const rng = mulberry32(SEED);
  const dedupScores: DedupScore[] = [];
  for (const set of [basil, ecb]) {
    const dedupSet = buildDedupSet(set.name, set.records, DEDUP_ORIGINALS_PER_SET, rng);
    const digest = digestOnce(dedupSet.inputs, nowAfter(dedupSet.inputs), topics);
    dedupScores.push(scoreDedup(dedupSet, digest));
  }
  dedupReport(dedupScores);
  const basilFalse = duplicateCount(basilRun.digest);
  console.log(
    `   BASIL alone (${basil.inputs.length} real articles, no copies): duplicateOf set on ${basilFalse} (must be 0) ${basilFalse === 0 ? 'ok' : 'MISS'}`,
  );
  for (const a of basilRun.digest.articles.filter((x) => x.duplicateOf !== null).slice(0, 10)) {
    console.log(`     ${a.id} -> ${a.duplicateOf} (${a.duplicateKind})`);
  }

  // 6 (printed before the seeds). Topic classification against public labels, with topics files written for them.
  await topicReport(ecb.records, wiki.records);
  await shippedTopicsCost([...ecb.records, ...wiki.records]);
  await ingestRate([...basil.records, ...ecb.records, ...wiki.records]);

  // 5. The seed articles through the real CLI and the shared scorer.
  console.log('\n5. Seeds (bin/newsdigest.js digest --format json, scored by ../shared/tools/score-digest.mjs)');
  for (const line of scoreSeeds(dir)) console.log(`   ${line}`);
  return 0;
}

process.exitCode = await main();
