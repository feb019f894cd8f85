import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import { type CompiledTopics, classifyTopics } from '../../src/domain/topics.js';
import { TOPIC_CASES } from '../fixtures/topic-cases.js';

describe('shipped topics with the language model: paraphrases in, hard negatives out', () => {
  let topics: CompiledTopics;
  beforeAll(async () => {
    topics = compileTopicDefinitions(await loadTopicsFile('config/topics.yaml'));
  });

  it.each(TOPIC_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const found = classifyTopics({ title: c.title, paragraphs: c.paragraphs }, topics);
    expect(found.map((m) => m.name)).toEqual(c.topics);
  });
});
