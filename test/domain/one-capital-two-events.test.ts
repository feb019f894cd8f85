import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import { buildDigest } from '../../src/domain/digest.js';
import type { CompiledTopics } from '../../src/domain/topics.js';
import type { Digest } from '../../src/domain/types.js';
import { loadBackgroundVocabulary } from '../../src/lexicon/subtlex.js';
import { STRIKE_WIRE, SWAP_DESK, SWAP_WIRE, TALKS_DESK_QA, TALKS_WIRE } from '../fixtures/one-capital-two-events.js';

let topics: CompiledTopics;
beforeAll(async () => {
  topics = compileTopicDefinitions(await loadTopicsFile('config/topics.yaml'));
});

const storyOf = (d: Digest, id: string) => d.stories.find((s) => s.articles.includes(id))?.id;

describe('one capital, one day, two events', () => {
  it.each([
    ['exchange first', [SWAP_WIRE, STRIKE_WIRE, TALKS_WIRE, SWAP_DESK, TALKS_DESK_QA]],
    ['strike first', [STRIKE_WIRE, SWAP_WIRE, TALKS_WIRE, SWAP_DESK, TALKS_DESK_QA]],
  ])('a missile strike on Kyiv is not filed under the prisoner exchange the same day (%s)', (_order, inputs) => {
    // as the bot runs: with the background vocabulary that weighs words before the stream has seen many
    const d = buildDigest(inputs, { topics, background: loadBackgroundVocabulary(), now: '2026-12-07T12:00:00Z' });
    expect(storyOf(d, 'a1-swap-wire')).toBe(storyOf(d, 'a2-swap-desk'));
    expect(storyOf(d, 'a3-strike')).not.toBe(storyOf(d, 'a1-swap-wire'));
    expect(d.stories.find((s) => s.articles.includes('a3-strike'))?.topics).toEqual([]);
  });
});
