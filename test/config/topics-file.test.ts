import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTopicsFile, parseTopicsYaml } from '../../src/config/topics-file.js';
import { classifyTopics, compileTopics } from '../../src/domain/topics.js';

const SHIPPED = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

function problemsOf(source: string): ConfigError {
  try {
    parseTopicsYaml(source, 'topics.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTopicsYaml', () => {
  it('parses a minimal topic and fills the defaults', () => {
    const defs = parseTopicsYaml('topics:\n  - name: Canal works\n    terms: { dredging: 2 }\n', 'topics.yaml');
    expect(defs).toEqual([
      {
        name: 'Canal works',
        description: '',
        entities: {},
        terms: { dredging: 2 },
        phrases: {},
        exclude: [],
        threshold: 3,
        examples: [],
      },
    ]);
  });

  it('keeps every field given', () => {
    const source = [
      'topics:',
      '  - name: Canal works',
      '    description: Building and repairing canals.',
      '    entities:',
      '      Canal: [waterway, lock gates]',
      '    terms: { dredging: 2 }',
      '    phrases: { "lock repair": 3 }',
      '    exclude: [canal boat holiday]',
      '    threshold: 5',
    ].join('\n');
    expect(parseTopicsYaml(source, 'topics.yaml')).toEqual([
      {
        name: 'Canal works',
        description: 'Building and repairing canals.',
        entities: { Canal: ['waterway', 'lock gates'] },
        terms: { dredging: 2 },
        phrases: { 'lock repair': 3 },
        exclude: ['canal boat holiday'],
        threshold: 5,
        examples: [],
      },
    ]);
  });

  it('reads examples and similarity; a topic may have examples and no terms', () => {
    const source = [
      'topics:',
      '  - name: Canal works',
      '    examples:',
      '      - Engineers drained the canal to repair its lock gates.',
      '      - The waterway reopened after dredging.',
      '    similarity: 0.4',
    ].join('\n');
    const [def] = parseTopicsYaml(source, 'topics.yaml');
    expect(def?.examples).toEqual([
      'Engineers drained the canal to repair its lock gates.',
      'The waterway reopened after dredging.',
    ]);
    expect(def?.similarity).toBe(0.4);
  });

  it('rejects a similarity outside (0, 1] and an example that is not text', () => {
    const err = problemsOf(['topics:', '  - name: Canal works', '    examples: [7]', '    similarity: 1.5'].join('\n'));
    expect(err.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['topics[0].examples[0]', 'topics[0].similarity']),
    );
  });

  it('reports several bad lines together, each with its line number', () => {
    const source = [
      'topics:', //                            1
      '  - name: Canal works', //              2
      '    terms:', //                         3
      '      dredging: lots', //               4
      '      silt: -2', //                     5
      '    threshold: high', //                6
      '  - name: Bridges', //                  7
      '    phrases: { "bridge repair": 3 }', // 8
      '    exclude: nothing to exclude', //    9
    ].join('\n');
    const err = problemsOf(source);
    expect(err.name).toBe('ConfigError');
    expect(err.problems).toEqual([
      { path: 'topics[0].terms.dredging', line: 4, message: 'expected a positive number, got "lots"' },
      { path: 'topics[0].terms.silt', line: 5, message: 'expected a positive number, got -2' },
      { path: 'topics[0].threshold', line: 6, message: 'expected a positive number, got "high"' },
      { path: 'topics[1].exclude', line: 9, message: 'expected a list of phrases, got "nothing to exclude"' },
    ]);
    expect(err.message.split('\n')).toEqual([
      'topics.yaml:4: topics[0].terms.dredging: expected a positive number, got "lots"',
      'topics.yaml:5: topics[0].terms.silt: expected a positive number, got -2',
      'topics.yaml:6: topics[0].threshold: expected a positive number, got "high"',
      'topics.yaml:9: topics[1].exclude: expected a list of phrases, got "nothing to exclude"',
    ]);
  });

  it('reports an unknown key at its own line, with a suggestion', () => {
    const err = problemsOf('topics:\n  - name: Canal works\n    terms: { dredging: 2 }\n    treshold: 4\n');
    expect(err.problems).toEqual([
      { path: 'topics[0].treshold', line: 4, message: 'unknown key "treshold" (did you mean "threshold"?)' },
    ]);
  });

  it('reports an unknown top-level key and the missing topics list', () => {
    const err = problemsOf('topic:\n  - name: Canal works\n');
    expect(err.problems.map((p) => [p.path, p.line])).toEqual([
      ['topics', 1],
      ['topic', 1],
    ]);
    expect(err.problems[1]?.message).toContain('did you mean "topics"?');
  });

  it('reports a duplicate topic name at the line of the second', () => {
    const source = [
      'topics:',
      '  - name: Canal works',
      '    terms: { dredging: 2 }',
      '  - name: Bridges',
      '    terms: { girder: 2 }',
      '  - name: canal works ',
      '    terms: { silt: 2 }',
    ].join('\n');
    expect(problemsOf(source).problems).toEqual([
      { path: 'topics[2].name', line: 6, message: 'duplicate topic name "canal works" (also topics[0])' },
    ]);
  });

  it('requires a name and at least one term, phrase or example', () => {
    const source = ['topics:', '  - name: Canal works', '  - description: no name here', '    terms: { silt: 1 }'].join(
      '\n',
    );
    expect(problemsOf(source).problems).toEqual([
      { path: 'topics[0]', line: 2, message: 'a topic needs at least one term, phrase or example' },
      { path: 'topics[1].name', line: 3, message: 'missing (required)' },
    ]);
  });

  it('takes counter-examples beside examples, and says they decide nothing alone', () => {
    const withExamples =
      'topics:\n  - name: A\n    examples: [Ships swapped cargo.]\n    counterExamples: [Ships swapped crews.]\n';
    expect(parseTopicsYaml(withExamples, 'topics.yaml')[0]?.counterExamples).toEqual(['Ships swapped crews.']);
    const alone = 'topics:\n  - name: A\n    terms: { cargo: 3 }\n    counterExamples: [Ships swapped crews.]\n';
    expect(problemsOf(alone).problems).toEqual([
      {
        path: 'topics[0].counterExamples',
        line: 4,
        message: 'counter-examples only count beside examples: add examples too',
      },
    ]);
  });

  it('rejects a term with no words in it, an empty topic list and an empty name', () => {
    expect(problemsOf('topics:\n  - name: A\n    terms: { "--": 2 }\n').problems).toEqual([
      { path: 'topics[0].terms["--"]', line: 3, message: '"--" has no words to match' },
    ]);
    expect(problemsOf('topics: []\n').problems).toEqual([
      { path: 'topics', line: 1, message: 'expected at least one topic, got an empty list' },
    ]);
    expect(problemsOf('topics:\n  - name: "  "\n    terms: { silt: 1 }\n').problems[0]?.path).toBe('topics[0].name');
  });

  it('reports YAML syntax errors with their line', () => {
    const err = problemsOf('topics:\n  - name: Canal works\n    terms: { dredging: 2\n    threshold: 3\n');
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) {
      expect(p.line).toBeGreaterThanOrEqual(3);
      expect(p.path).toBe('');
    }
    expect(err.message).toMatch(/^topics\.yaml:\d+: /);
  });

  it('reports a key given twice in one topic as a YAML error on its line', () => {
    const err = problemsOf('topics:\n  - name: A\n    name: B\n    terms: { silt: 1 }\n');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.line).toBe(3);
  });

  it('reports an empty file', () => {
    const err = problemsOf('');
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain('topics.yaml');
    expect(err.message).toContain('"topics" list');
  });
});

describe('loadTopicsFile', () => {
  it('loads the shipped config/topics.yaml: three valid topics in order', async () => {
    const defs = await loadTopicsFile(SHIPPED);
    expect(defs.map((d) => d.name)).toEqual(['Ukraine talks', 'Iran talks', 'Prisoner swaps']);
    for (const d of defs) {
      expect(d.description.length).toBeGreaterThan(0);
      expect(Object.keys(d.terms).length + Object.keys(d.phrases).length).toBeGreaterThan(0);
      expect(d.threshold).toBeGreaterThan(0);
    }
    // The shipped vocabulary names places and kinds of event, with both spellings where they differ.
    const iran = defs[1];
    expect(iran?.phrases).toHaveProperty('nuclear programme');
    expect(iran?.phrases).toHaveProperty('nuclear program');
  });

  it('classifies short invented articles with the shipped config', async () => {
    const compiled = compileTopics(await loadTopicsFile(SHIPPED));
    const run = (title: string, ...paragraphs: string[]): string[] =>
      classifyTopics({ title, paragraphs }, compiled).map((m) => m.name);
    expect(run('Truce talks for Ukraine move to Geneva', 'Delegations will meet on Monday.')).toEqual([
      'Ukraine talks',
    ]);
    expect(run('Market report', 'Wheat prices rose in Moscow and Chicago.')).toEqual([]);
    expect(run('', 'Tehran said the next round of nuclear talks would be held in Oman.')).toEqual(['Iran talks']);
    expect(run('', 'Two journalists came home after a prisoner exchange brokered by a Gulf state.')).toEqual([
      'Prisoner swaps',
    ]);
  });

  it('throws a ConfigError naming the file when it cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'topics-'));
    try {
      const missing = join(dir, 'nope.yaml');
      await expect(loadTopicsFile(missing)).rejects.toThrow(ConfigError);
      await expect(loadTopicsFile(missing)).rejects.toThrow(missing);
      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, 'topics:\n  - name: A\n    terms: { silt: 1 }\n    threshold: 0\n');
      await expect(loadTopicsFile(bad)).rejects.toThrow(
        `${bad}:4: topics[0].threshold: expected a positive number, got 0`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
