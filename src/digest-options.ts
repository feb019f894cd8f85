// Everything the digest builder needs from outside, loaded once: the topics file and the background vocabulary.
// Shared by the CLI and the evaluation scripts so both measure the same thing.
import { loadTopicsFile } from './config/topics-file.js';
import type { BuilderOptions } from './domain/digest.js';
import { compileTopics } from './domain/topics.js';
import { loadBackgroundVocabulary } from './lexicon/subtlex.js';

export async function loadBuilderOptions(topicsPath: string): Promise<BuilderOptions> {
  return { topics: compileTopics(await loadTopicsFile(topicsPath)), background: loadBackgroundVocabulary() };
}
