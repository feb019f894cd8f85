// What the digest builder is given in production: the topics and the background vocabulary. The CLI, the run
// loop (compose.ts) and the evaluation scripts all take it from here, so they build and measure the same thing.
import { loadTopicsFile } from './config/topics-file.js';
import type { BuilderOptions } from './domain/digest.js';
import { type CompiledTopics, compileTopics, type TopicDefinition } from './domain/topics.js';
import { loadLanguageModel } from './language/wink.js';
import { loadBackgroundVocabulary } from './lexicon/subtlex.js';

/** Topics compiled as production runs them: with the language model and the background word statistics. */
export function compileTopicDefinitions(defs: readonly TopicDefinition[]): CompiledTopics {
  return compileTopics(defs, { model: loadLanguageModel(), background: loadBackgroundVocabulary() });
}

export function builderOptionsFor(topics: CompiledTopics): BuilderOptions {
  return { topics, background: loadBackgroundVocabulary() };
}

export async function loadBuilderOptions(topicsPath: string): Promise<BuilderOptions> {
  return builderOptionsFor(compileTopicDefinitions(await loadTopicsFile(topicsPath)));
}
