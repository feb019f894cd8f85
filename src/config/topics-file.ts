// Reads and validates the topics file (config/topics.yaml). Every problem is reported at once, each with the line
// of the YAML node it is about, so a user can fix the whole file in one pass.

import { readFile } from 'node:fs/promises';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { tokenize } from '../domain/text.js';
import type { TopicDefinition } from '../domain/topics.js';

export interface ConfigProblem {
  /** Where in the file, as `topics[1].threshold`; '' for the file as a whole. */
  path: string;
  /** 1-based line, or null when the problem is not about one place (an unreadable file). */
  line: number | null;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly fileName: string;
  readonly problems: ConfigProblem[];

  constructor(fileName: string, problems: ConfigProblem[], options?: { cause?: unknown }) {
    super(problems.map((p) => formatProblem(fileName, p)).join('\n'), options);
    this.fileName = fileName;
    this.problems = problems;
  }
}

/** `topics.yaml:12: topics[1].threshold: expected a positive number, got "high"` */
export function formatProblem(fileName: string, p: ConfigProblem): string {
  const where = p.line === null ? fileName : `${fileName}:${p.line}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

const DEFAULT_THRESHOLD = 3;

const TOPIC_KEYS = ['name', 'description', 'entities', 'terms', 'phrases', 'exclude', 'threshold'] as const;

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

type Segment = string | number;

/** Parses and validates a topics file's text. Pure; throws ConfigError listing every problem. */
export function parseTopicsYaml(source: string, fileName: string): TopicDefinition[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      path: '',
      line: lineAt(e.pos[0]),
      message: (e.message.split('\n')[0] ?? e.message).trim(),
    }));
    throw new ConfigError(fileName, problems);
  }

  const data: unknown = doc.toJS();
  const problems: ConfigProblem[] = [];
  const report = (path: Segment[], message: string, keyOf?: string): void => {
    problems.push({
      path: formatPath(keyOf === undefined ? path : [...path, keyOf]),
      line: lineOf(doc, path, keyOf, lineAt),
      message,
    });
  };

  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((s): s is Segment => typeof s === 'string' || typeof s === 'number');
      if (issue.code === 'unrecognized_keys') {
        const allowed = path.length === 0 ? ['topics'] : [...TOPIC_KEYS];
        for (const key of issue.keys) report(path, unknownKeyMessage(key, allowed), key);
        continue;
      }
      const value = valueAt(data, path);
      report(path, value === undefined ? 'missing (required)' : `${issue.message}, got ${show(value)}`);
    }
  }
  checkSemantics(data, report);

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ConfigError(fileName, problems);
  }
  if (!parsed.success) throw new ConfigError(fileName, [{ path: '', line: null, message: 'invalid topics file' }]);
  return parsed.data.topics.map((t) => ({
    name: t.name,
    description: t.description,
    entities: t.entities,
    terms: t.terms,
    phrases: t.phrases,
    exclude: t.exclude,
    threshold: t.threshold,
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

/** Rules a schema of one value cannot say: names unique across topics, at least one term or phrase, words in keys. */
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
    if (terms.length + phrases.length === 0) report(['topics', i], 'a topic needs at least one term or phrase');
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(data: unknown, path: readonly Segment[]): unknown {
  let v: unknown = data;
  for (const s of path) {
    if (Array.isArray(v) && typeof s === 'number') v = v[s];
    else if (isRecord(v) && typeof s === 'string' && Object.hasOwn(v, s)) v = v[s];
    else return undefined;
  }
  return v;
}

/**
 * The line of the YAML node at `path` (of the key `keyOf` inside it, when given). A path that does not exist in
 * the file (a missing key) falls back to its nearest ancestor.
 */
function lineOf(
  doc: Document,
  path: readonly Segment[],
  keyOf: string | undefined,
  lineAt: (o: number) => number,
): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node)) continue;
    if (keyOf !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === keyOf);
      if (pair && isNode(pair.key) && pair.key.range) return lineAt(pair.key.range[0]);
    }
    if (node.range) return lineAt(node.range[0]);
  }
  return null;
}

function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = allowed.find((a) => editDistance(a, key.toLowerCase()) <= 2);
  const hint = near ? `did you mean "${near}"?` : `allowed: ${allowed.join(', ')}`;
  return `unknown key "${key}" (${hint})`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
