// Section 6 of `npm run eval`: topic classification on ECB+ (a topic per kind of event) and WikiRef220 (five broad
// topics plus noise), each with its own topics file in scripts/eval-topics/, written without reading the articles.
import { join } from 'node:path';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { compileTopics } from '../../src/domain/topics.js';
import { type EvalRecord, REPO_ROOT } from './eval-data.js';
import { type Cell, fix, printTable } from './table.js';
import { evaluateTopics, type TopicEvalResult } from './topic-eval.js';

async function topicsOf(file: string) {
  return compileTopics(await loadTopicsFile(join(REPO_ROOT, 'scripts', 'eval-topics', file)));
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
