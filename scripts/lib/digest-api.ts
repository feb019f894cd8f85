// The one place the scripts touch the digest builder, so eval and bench call it the same way.
import { join } from 'node:path';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { builderOptionsFor, compileTopicDefinitions } from '../../src/digest-options.js';
import { buildDigest, createDigestBuilder } from '../../src/domain/digest.js';
import type { CompiledTopics } from '../../src/domain/topics.js';
import type { ArticleInput, Digest } from '../../src/domain/types.js';
import { REPO_ROOT } from './eval-data.js';

export type Topics = CompiledTopics;

/** The shipped topic definitions, config/topics.yaml. */
export async function loadTopics(): Promise<Topics> {
  return compileTopicDefinitions(await loadTopicsFile(join(REPO_ROOT, 'config', 'topics.yaml')));
}

export interface Timed<T> {
  value: T;
  ms: number;
}

export function timed<T>(run: () => T): Timed<T> {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/** Everything in one call, with the builder's defaults. */
export function digestOnce(inputs: readonly ArticleInput[], now: string, topics: Topics): Digest {
  return buildDigest(inputs, { ...builderOptionsFor(topics), now });
}

/** The same inputs fed in `batches` consecutive slices through one incremental builder. */
export function digestInBatches(inputs: readonly ArticleInput[], batches: number, now: string, topics: Topics): Digest {
  const builder = createDigestBuilder(builderOptionsFor(topics));
  const size = Math.ceil(inputs.length / batches);
  for (let i = 0; i < inputs.length; i += size) builder.add(inputs.slice(i, i + size));
  return builder.result(now);
}

export function duplicateCount(digest: Digest): number {
  return digest.articles.reduce((n, a) => n + (a.duplicateOf === null ? 0 : 1), 0);
}
