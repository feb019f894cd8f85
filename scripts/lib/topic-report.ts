// Section 6 of `npm run eval`: topic classification on ECB+ (a topic per kind of event) and WikiRef220 (five broad
// topics plus noise), each with its own topics file in scripts/eval-topics/, written without reading the articles.
import { join } from 'node:path';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import type { LanguageModel } from '../../src/domain/language.js';
import { StoryEngine } from '../../src/domain/story-engine.js';
import { type CompiledTopics, compileTopics } from '../../src/domain/topics.js';
import { loadBackgroundVocabulary } from '../../src/lexicon/subtlex.js';
import { type EvalRecord, REPO_ROOT, toInput } from './eval-data.js';
import { type Cell, fix, printTable } from './table.js';
import { classifyMicros, evaluateTopics, TIMING_PASSES, type TopicEvalResult } from './topic-eval.js';

async function topicsOf(file: string) {
  return compileTopicDefinitions(await loadTopicsFile(join(REPO_ROOT, 'scripts', 'eval-topics', file)));
}

function rows(set: string, result: TopicEvalResult): Cell[][] {
  const out: Cell[][] = result.perTopic.map((t) => [
    set,
    t.topic,
    t.gold,
    t.predicted,
    t.correct,
    fix(t.precision),
    fix(t.recall),
    fix(t.f1),
  ]);
  out.push([set, 'macro', '', '', '', fix(result.macro.precision), fix(result.macro.recall), fix(result.macro.f1)]);
  return out;
}

export async function topicReport(ecb: readonly EvalRecord[], wiki: readonly EvalRecord[]): Promise<void> {
  const ecbResult = evaluateTopics(ecb, await topicsOf('ecbplus.yaml'), (r) => r.topic);
  const wikiResult = evaluateTopics(wiki, await topicsOf('wikiref220.yaml'), (r) => (r.isNoise ? null : r.cluster));
  printTable(
    '6. Topic classification (scripts/eval-topics/*.yaml; an article of another topic or noise is a negative)',
    ['set', 'topic', 'gold', 'found', 'right', 'P', 'R', 'F1'],
    [...rows('ecbplus', ecbResult), ...rows('wikiref220', wikiResult)],
  );
  for (const [name, r] of [
    ['ecbplus', ecbResult],
    ['wikiref220', wikiResult],
  ] as const) {
    console.log(
      `   ${name}: classifyTopics ${((1000 * r.classifyMs) / Math.max(1, r.articles)).toFixed(1)} µs per article over ${r.articles} articles`,
    );
  }
}

/**
 * What the classification step costs with the shipped config/topics.yaml, on the ECB+ and WikiRef articles: with
 * its examples and the language model (as ingest runs it), and with the examples taken out (the term rules alone,
 * the step as it was before examples). Also how many sentences the model was asked about.
 */
export async function shippedTopicsCost(records: readonly EvalRecord[]): Promise<void> {
  const defs = await loadTopicsFile(join(REPO_ROOT, 'config', 'topics.yaml'));
  const production = compileTopicDefinitions(defs);
  const model = production.examples.model;
  let calls = 0;
  const counting: LanguageModel | null =
    model === null
      ? null
      : {
          analyse: (s) => {
            calls++;
            return model.analyse(s);
          },
        };
  const counted = { ...production, examples: { ...production.examples, model: counting } };
  const withModel = classifyMicros(records, counted);
  const callsPerPass = Math.round(calls / TIMING_PASSES);
  const termsOnly = classifyMicros(records, compileTopics(defs.map((d) => ({ ...d, examples: [] }))));
  console.log(
    `   shipped config/topics.yaml over ${withModel.articles} ECB+ and WikiRef articles (fastest of ${TIMING_PASSES} passes): ` +
      `${withModel.micros.toFixed(1)} µs per article with examples and the model ` +
      `(model asked about ${callsPerPass} sentences a pass), ${termsOnly.micros.toFixed(1)} µs with the terms alone`,
  );
}

/**
 * The whole ingest step (StoryEngine.processBatch: clean, reject, dedupe, topics, place in a story) over the same
 * articles with the shipped topics as production compiles them and with their examples taken out, interleaved,
 * fastest of TIMING_PASSES runs each: articles per second on one core.
 */
export async function ingestRate(records: readonly EvalRecord[]): Promise<void> {
  const defs = await loadTopicsFile(join(REPO_ROOT, 'config', 'topics.yaml'));
  const background = loadBackgroundVocabulary();
  const variants: [string, CompiledTopics][] = [
    ['examples + model', compileTopicDefinitions(defs)],
    ['terms only', compileTopics(defs.map((d) => ({ ...d, examples: [] })))],
  ];
  const inputs = records.map(toInput);
  const best = new Map<string, number>();
  for (let pass = 0; pass < TIMING_PASSES; pass++) {
    for (const [name, topics] of variants) {
      const engine = new StoryEngine({ topics, background });
      const start = performance.now();
      engine.processBatch(inputs, 0);
      const ms = performance.now() - start;
      best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, ms));
    }
  }
  const rates = variants.map(([name]) => `${name} ${Math.round((1000 * inputs.length) / (best.get(name) ?? 1))}`);
  console.log(
    `   ingest step (StoryEngine.processBatch) over ${inputs.length} articles, articles/s: ${rates.join(', ')}`,
  );
}
