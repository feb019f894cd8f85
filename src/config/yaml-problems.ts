// Shared by every YAML file the app reads (newsdigest.yaml, topics.yaml): parse once, keep the document so each
// problem can be reported at the line of the node it is about, and turn zod issues into such problems. A user sees
// every problem of a file at once, as `file:line: path: message`.

import { type Alias, type Document, isMap, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { z } from 'zod';

/** One step of a path into a YAML document: a mapping key or a list index. */
export type Segment = string | number;

export interface ConfigProblem {
  /** Where in the file, as `topics[1].threshold`; '' for the file as a whole. */
  path: string;
  /** 1-based line, or null when the problem is not about one place (an unreadable file). */
  line: number | null;
  message: string;
  /** Set when the problem is in another file than the error's own (the topics file a config names). */
  file?: string;
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
  const file = p.file ?? fileName;
  const where = p.line === null ? file : `${file}:${p.line}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/**
 * A parsed YAML file that collects problems against its own lines. `parse` throws a ConfigError for syntax errors
 * (nothing else can be checked then); everything found later is `report`ed and thrown together by `throwIfAny`.
 */
export class YamlProblems {
  readonly problems: ConfigProblem[] = [];

  private constructor(
    readonly fileName: string,
    /** The document as plain data (mappings become objects), for validation. */
    readonly data: unknown,
    private readonly doc: Document,
    private readonly lineAt: (offset: number) => number,
  ) {}

  static parse(source: string, fileName: string): YamlProblems {
    const lineCounter = new LineCounter();
    // logLevel error: a mapping used as a key is reported as an unknown key, not printed as a process warning
    const doc = parseDocument(source, { lineCounter, prettyErrors: false, logLevel: 'error' });
    const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((e) => ({
        path: '',
        line: lineAt(e.pos[0]),
        message: (e.message.split('\n')[0] ?? e.message).trim(),
      }));
      throw new ConfigError(fileName, problems);
    }
    let data: unknown;
    try {
      data = doc.toJS();
    } catch (error) {
      // aliases are resolved here, not while parsing: an unknown one or too many (an alias bomb) end up here
      throw new ConfigError(fileName, [aliasProblem(doc, error, lineAt)], { cause: error });
    }
    return new YamlProblems(fileName, data, doc, lineAt);
  }

  /** Reports a problem at the node of `path`, or at the key `keyOf` inside it (an unknown key). */
  report(path: readonly Segment[], message: string, keyOf?: string): void {
    this.problems.push({
      path: formatPath(keyOf === undefined ? path : [...path, keyOf]),
      line: this.lineOf(path, keyOf),
      message,
    });
  }

  /** Adds a problem as it is (another file's, or one with no line). */
  add(problem: ConfigProblem): void {
    this.problems.push(problem);
  }

  /**
   * Reports zod issues: an unknown key at its own line with a suggestion from `allowedKeys(path)`, a missing key
   * as `missing (required)`, a custom check's message as it is, and anything else with the value that was found.
   */
  reportZodIssues(issues: readonly z.core.$ZodIssue[], allowedKeys: (path: Segment[]) => readonly string[]): void {
    const seen = new Set<string>();
    for (const issue of issues) {
      const path = issue.path.filter((s): s is Segment => typeof s === 'string' || typeof s === 'number');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.report(path, unknownKeyMessage(key, allowedKeys(path)), key);
        continue;
      }
      // one problem per value: the first thing wrong with it (a later check would only restate it)
      const where = formatPath(path);
      if (seen.has(where)) continue;
      seen.add(where);
      const value = valueAt(this.data, path);
      if (value === undefined) this.report(path, 'missing (required)');
      else if (issue.code === 'custom') this.report(path, issue.message);
      else this.report(path, `${issue.message}, got ${show(value)}`);
    }
  }

  /**
   * Reports an item of the list at `listPath` whose text `field` an earlier item already has, compared by `keyOf`
   * (undefined: not comparable, skipped). Returns each key with the index of its first item.
   */
  reportRepeats(
    listPath: readonly Segment[],
    field: string,
    keyOf: (value: string) => string | undefined = (v) => v,
  ): Map<string, number> {
    const first = new Map<string, number>();
    const list = valueAt(this.data, listPath);
    if (!Array.isArray(list)) return first;
    list.forEach((item: unknown, i: number) => {
      const value = isRecord(item) && typeof item[field] === 'string' ? item[field].trim() : '';
      const key = value ? keyOf(value) : undefined;
      if (key === undefined) return;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, i);
      else {
        const where = formatPath([...listPath, earlier]);
        this.report([...listPath, i, field], `${JSON.stringify(value)} is already used by ${where}`);
      }
    });
    return first;
  }

  /** Throws every problem reported so far as one ConfigError: this file's in line order, then other files'. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    this.problems.sort(
      (a, b) => Number(a.file !== undefined) - Number(b.file !== undefined) || (a.line ?? 0) - (b.line ?? 0),
    );
    throw new ConfigError(this.fileName, this.problems);
  }

  /** Whether the document has a node at `path` (a key that was written, even if its value is null). */
  has(path: readonly Segment[]): boolean {
    return this.doc.hasIn(path);
  }

  /**
   * The line of the YAML node at `path` (of the key `keyOf` inside it, when given). A path that does not exist in
   * the file (a missing key) falls back to its nearest ancestor.
   */
  lineOf(path: readonly Segment[], keyOf?: string): number | null {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (!isNode(node)) continue;
      if (keyOf !== undefined && n === path.length && isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === keyOf);
        if (pair && isNode(pair.key) && pair.key.range) return this.lineAt(pair.key.range[0]);
      }
      if (node.range) return this.lineAt(node.range[0]);
    }
    return null;
  }
}

/** Why `toJS` failed, at the line of the alias to blame when there is one. */
function aliasProblem(doc: Document, error: unknown, lineAt: (offset: number) => number): ConfigProblem {
  const aliases: Alias[] = [];
  visit(doc, {
    Alias: (_key, node) => {
      aliases.push(node);
    },
  });
  const lineOf = (node: Alias | undefined) => (node?.range ? lineAt(node.range[0]) : null);
  const unknown = aliases.find((a) => a.resolve(doc) === undefined);
  if (unknown) {
    return {
      path: '',
      line: lineOf(unknown),
      message: `alias *${unknown.source} names no anchor: define &${unknown.source} before it, or write the value out`,
    };
  }
  const reason = error instanceof Error ? error.message : String(error);
  if (/alias count/i.test(reason)) {
    return {
      path: '',
      line: lineOf(aliases[0]),
      message: 'aliases expand to too many values (an alias bomb?): write the values out instead',
    };
  }
  return { path: '', line: null, message: `cannot read the YAML: ${reason}` };
}

/**
 * A zod schema with one more check whose message is shown as written (reportZodIssues adds nothing to it), so it
 * can quote the value the way the check reads it.
 */
export function checked<S extends z.ZodType>(
  schema: S,
  ok: (v: z.output<S>) => boolean,
  message: (v: z.output<S>) => string,
): S {
  return schema.superRefine((v, ctx) => {
    if (!ok(v)) ctx.addIssue({ code: 'custom', message: message(v) });
  });
}

/** The keys the object schema at `path` inside `schema` allows (for "did you mean" hints); [] when not an object. */
export function keysAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  let node = unwrap(schema);
  for (const s of path) {
    if (node instanceof z.ZodObject && typeof s === 'string') node = unwrap(node.shape[s]);
    else if (node instanceof z.ZodArray && typeof s === 'number') node = unwrap(node.element);
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let node = schema;
  for (;;) {
    if (node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodOptional) {
      node = node.unwrap();
    } else if (node instanceof z.ZodNullable) node = node.unwrap();
    else if (node instanceof z.ZodPipe) node = node.in;
    else return node;
  }
}

/** Why a file could not be read, in words (the error code for the common cases). */
export function readErrorReason(err: unknown): string {
  const code = isRecord(err) ? err.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return err instanceof Error ? err.message : String(err);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function valueAt(data: unknown, path: readonly Segment[]): unknown {
  let v: unknown = data;
  for (const s of path) {
    if (Array.isArray(v) && typeof s === 'number') v = v[s];
    else if (isRecord(v) && typeof s === 'string' && Object.hasOwn(v, s)) v = v[s];
    else return undefined;
  }
  return v;
}

/** `channels[1].schedule`, `topics[0].terms["--"]` */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** A value as a user would recognise it in a message. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = allowed.find((a) => editDistance(a.toLowerCase(), key.toLowerCase()) <= 2);
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
