// Reads and validates the topics file (config/topics.yaml). Every problem is reported at once, each with the line
// of the YAML node it is about, so a user can fix the whole file in one pass.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { tokenize } from '../domain/text.js';
import type { TopicDefinition } from '../domain/topics.js';
import { ConfigError, isRecord, type Segment, YamlProblems } from './yaml-problems.js';

export { ConfigError, type ConfigProblem, formatProblem } from './yaml-problems.js';

const DEFAULT_THRESHOLD = 3;

const TOPIC_KEYS = [
  'name',
  'description',
  'entities',
  'terms',
  'phrases',
  'exclude',
  'threshold',
  'examples',
  'counterExamples',
  'similarity',
] as const;

const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const nonEmptyString = z.string({ error: 'expected text' }).trim().min(1, { error: 'expected non-empty text' });
const weights = z.record(z.string(), positive, { error: 'expected a mapping of words to positive weights' });

const topicSchema = z.strictObject(
  {
    name: nonEmptyString,
    description: z.string({ error: 'expected text' }).default(''),
    entities: z
      .record(z.string(), z.array(nonEmptyString, { error: 'expected a list of aliases' }), {
        error: 'expected a mapping of entity names to lists of aliases',
      })
      .default({}),
    terms: weights.default({}),
    phrases: weights.default({}),
    exclude: z.array(nonEmptyString, { error: 'expected a list of phrases' }).default([]),
    threshold: positive.default(DEFAULT_THRESHOLD),
    examples: z.array(nonEmptyString, { error: 'expected a list of example sentences or headlines' }).default([]),
    counterExamples: z
      .array(nonEmptyString, { error: 'expected a list of sentences that report something else' })
      .default([]),
    similarity: z
      .number({ error: 'expected a number between 0 and 1' })
      .gt(0, { error: 'expected a number between 0 and 1' })
      .max(1, { error: 'expected a number between 0 and 1' })
      .optional(),
  },
  { error: 'expected a mapping with name, terms, phrases...' },
);

const fileSchema = z.strictObject(
  {
    topics: z
      .array(topicSchema, { error: 'expected a list of topics' })
      .min(1, { error: 'expected at least one topic' }),
  },
  { error: 'expected a mapping with a "topics" list' },
);

/** Parses and validates a topics file's text. Pure; throws ConfigError listing every problem. */
export function parseTopicsYaml(source: string, fileName: string): TopicDefinition[] {
  const yaml = YamlProblems.parse(source, fileName);
  const parsed = fileSchema.safeParse(yaml.data);
  if (!parsed.success) {
    yaml.reportZodIssues(parsed.error.issues, (path) => (path.length === 0 ? ['topics'] : [...TOPIC_KEYS]));
  }
  checkSemantics(yaml.data, (path, message, keyOf) => yaml.report(path, message, keyOf));
  yaml.throwIfAny();
  if (!parsed.success) throw new ConfigError(fileName, [{ path: '', line: null, message: 'invalid topics file' }]);
  return parsed.data.topics.map((t) => ({
    name: t.name,
    description: t.description,
    entities: t.entities,
    terms: t.terms,
    phrases: t.phrases,
    exclude: t.exclude,
    threshold: t.threshold,
    examples: t.examples,
    ...(t.counterExamples.length > 0 ? { counterExamples: t.counterExamples } : {}),
    ...(t.similarity === undefined ? {} : { similarity: t.similarity }),
  }));
}

/** Reads and validates a topics file. Throws ConfigError (also when the file cannot be read). */
export async function loadTopicsFile(path: string): Promise<TopicDefinition[]> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(path, [{ path: '', line: null, message: `cannot read the topics file: ${reason}` }], {
      cause: err,
    });
  }
  return parseTopicsYaml(source, path);
}

/** Rules a schema of one value cannot say: names unique, at least one term, phrase or example, words in keys. */
function checkSemantics(data: unknown, report: (path: Segment[], message: string, keyOf?: string) => void): void {
  if (!isRecord(data) || !Array.isArray(data.topics)) return;
  const firstLine = new Map<string, number>();
  data.topics.forEach((topic: unknown, i: number) => {
    if (!isRecord(topic)) return;
    if (typeof topic.name === 'string' && topic.name.trim()) {
      const key = topic.name.trim().toLowerCase();
      const first = firstLine.get(key);
      if (first === undefined) firstLine.set(key, i);
      else report(['topics', i, 'name'], `duplicate topic name "${topic.name.trim()}" (also topics[${first}])`);
    }
    const terms = isRecord(topic.terms) ? Object.keys(topic.terms) : [];
    const phrases = isRecord(topic.phrases) ? Object.keys(topic.phrases) : [];
    const examples = Array.isArray(topic.examples) ? topic.examples.length : 0;
    if (terms.length + phrases.length + examples === 0) {
      report(['topics', i], 'a topic needs at least one term, phrase or example');
    }
    if (examples === 0 && Array.isArray(topic.counterExamples) && topic.counterExamples.length > 0) {
      report(['topics', i, 'counterExamples'], 'counter-examples only count beside examples: add examples too');
    }
    for (const [field, keys] of [
      ['terms', terms],
      ['phrases', phrases],
    ] as const) {
      for (const k of keys) {
        if (tokenize(k).length === 0) report(['topics', i, field], `"${k}" has no words to match`, k);
      }
    }
  });
}
