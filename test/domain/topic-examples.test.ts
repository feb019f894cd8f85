import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import { type LanguageModel, plainWords } from '../../src/domain/language.js';
import { type CompiledTopics, classifyTopics, compileTopics, type TopicDefinition } from '../../src/domain/topics.js';
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

// Invented topics and a scripted model, so the rules are tested apart from wink-nlp and the shipped config.
describe('topics with examples: the rules', () => {
  const CARGO: TopicDefinition = {
    name: 'Cargo swaps',
    description: '',
    entities: {},
    terms: {},
    phrases: {},
    exclude: ['board game'],
    threshold: 4,
    examples: ['The ports swapped cargo at dawn.', 'Freighters exchanged containers in the harbour.'],
  };
  const HARBOUR: TopicDefinition = {
    name: 'Harbour talks',
    description: '',
    entities: { Freedonia: ['Port Sylvan'] },
    terms: {},
    phrases: {},
    exclude: [],
    threshold: 4,
    examples: ['Negotiators met to settle the fishing dispute.'],
  };

  /** Knows that "traded" is "swap" for this test, and that "never" negates the rest of the sentence. */
  function scriptedModel(): LanguageModel & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      analyse(sentence: string) {
        calls.push(sentence);
        let negated = false;
        return plainWords(sentence).map((w) => {
          if (w.text === 'never') negated = true;
          return { ...w, lemma: w.text === 'traded' ? 'swap' : w.lemma, negated: negated && w.text !== 'never' };
        });
      },
    };
  }

  const names = (compiled: CompiledTopics, title: string, ...paragraphs: string[]): string[] =>
    classifyTopics({ title, paragraphs }, compiled).map((m) => m.name);

  it('needs two of the example words: one is a mention, not the event', () => {
    const compiled = compileTopics([CARGO]);
    expect(names(compiled, '', 'The ports swapped cargo before dawn.')).toEqual(['Cargo swaps']);
    expect(names(compiled, '', 'The children swapped seats on the bus.')).toEqual([]);
  });

  it('names never count as event words, so the place alone is not the topic', () => {
    const compiled = compileTopics([HARBOUR]);
    expect(names(compiled, '', 'Freedonia opened a museum of lighthouses.')).toEqual([]);
    expect(names(compiled, '', 'Negotiators from Freedonia met to settle the dispute.')).toEqual(['Harbour talks']);
  });

  it('the subject may be named in the title rather than in the sentence', () => {
    const compiled = compileTopics([HARBOUR]);
    expect(names(compiled, 'Port Sylvan hosts a week of meetings', 'Negotiators met to settle the dispute.')).toEqual([
      'Harbour talks',
    ]);
    expect(names(compiled, 'A week of meetings', 'Negotiators met to settle the dispute.')).toEqual([]);
  });

  it('an exclusion voids the sentence for the topic', () => {
    const compiled = compileTopics([CARGO]);
    expect(names(compiled, '', 'In the board game the ports swapped cargo.')).toEqual([]);
  });

  it('the model is asked only where the cheap score is unsure, and its lemmas and negation count', () => {
    const model = scriptedModel();
    const compiled = compileTopics([{ ...CARGO, similarity: 0.6 }], { model });
    expect(model.calls).toHaveLength(2); // the examples, once, when compiled
    model.calls.length = 0;
    // sure without the model (the examples' words, all of them): no call
    expect(names(compiled, '', 'The ports swapped cargo at dawn and freighters exchanged containers.')).toEqual([
      'Cargo swaps',
    ]);
    // nothing of the topic at all: no call
    expect(names(compiled, '', 'The weather was fine all week.')).toEqual([]);
    expect(model.calls).toEqual([]);
    // unsure (half of an example: "traded" is no example word to the stemmer): the model reads the sentence, and
    // its lemma "swap" makes up the rest
    expect(names(compiled, '', 'Freighters traded containers.')).toEqual(['Cargo swaps']);
    expect(model.calls).toEqual(['Freighters traded containers.']);
    // what the model marks as negated does not count
    expect(names(compiled, '', 'Freighters never traded containers.')).toEqual([]);
    expect(compileTopics([{ ...CARGO, similarity: 0.6 }]).examples.model).toBeNull();
    expect(names(compileTopics([{ ...CARGO, similarity: 0.6 }]), '', 'Freighters traded containers.')).toEqual([]);
  });

  it('a sentence nearer a counter-example than any example does not count; one nearer an example still does', () => {
    const without = compileTopics([CARGO]);
    const rescue = 'The ports swapped crews after the storm.';
    expect(names(without, '', rescue)).toEqual(['Cargo swaps']);
    const withCounter = compileTopics([{ ...CARGO, counterExamples: ['The ports swapped crews after a storm.'] }]);
    expect(names(withCounter, '', rescue)).toEqual([]);
    expect(names(withCounter, '', 'The ports swapped cargo before dawn.')).toEqual(['Cargo swaps']);
    // they say what the topic is not: without examples they decide nothing
    const termsOnly = compileTopics([{ ...CARGO, examples: [], terms: { cargo: 4 }, counterExamples: [rescue] }]);
    expect(names(termsOnly, '', 'The cargo arrived.')).toEqual(['Cargo swaps']);
  });

  it('a topic without examples keeps the term rules', () => {
    const compiled = compileTopics([{ ...CARGO, examples: [], terms: { cargo: 2, swap: 2 } }]);
    expect(names(compiled, '', 'The ports agreed a cargo swap.')).toEqual(['Cargo swaps']);
  });
});
