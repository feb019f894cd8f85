// What the digest builder is given in production: the topics and the background vocabulary. The CLI, the run
// loop (compose.ts) and the evaluation scripts all take it from here, so they build and measure the same thing.
import { loadTopicsFile } from './config/topics-file.js';
import type { BuilderOptions } from './domain/digest.js';
import { type CompiledTopics, compileTopics } from './domain/topics.js';
import { loadBackgroundVocabulary } from './lexicon/subtlex.js';

export function builderOptionsFor(topics: CompiledTopics): BuilderOptions {
  return { topics, background: loadBackgroundVocabulary() };
}

export async function loadBuilderOptions(topicsPath: string): Promise<BuilderOptions> {
  return builderOptionsFor(compileTopics(await loadTopicsFile(topicsPath)));
}
