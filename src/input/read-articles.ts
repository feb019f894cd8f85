// Reads articles for a digest from a .jsonl/.ndjson file (one article a line) or a directory of .txt/.html files.
// A bad line or file is reported and skipped, never fatal: one broken record must not cost a whole batch. Only a
// path that cannot be an input at all throws.

import { constants, type Dirent, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { htmlToText, toIsoDate } from '../domain/html-text.js';
import type { ArticleInput } from '../domain/types.js';

export interface InputProblem {
  /** `file.jsonl:17` for a line, the file name for a whole file. */
  where: string;
  message: string;
}

export interface ReadResult {
  articles: ArticleInput[];
  problems: InputProblem[];
}

export class InputError extends Error {
  override name = 'InputError';
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

const LINE_FILE = /\.(?:jsonl|ndjson)$/i;
const DIR_FILE = /\.(?:txt|html?)$/i;

export interface ReadOptions {
  /** The largest .txt/.html file read; a larger one is skipped with a problem. Default 5 MB. */
  readonly maxFileBytes?: number;
  /** The largest .jsonl/.ndjson file read; a larger one is refused. Default 256 MB. */
  readonly maxLinesBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 5_000_000;
const DEFAULT_MAX_LINES_BYTES = 256_000_000;

/** Why a file was not read: it is no regular file, or it is over the limit. */
class NotReadable extends Error {
  override name = 'NotReadable';
}

/**
 * A regular file's bytes, at most `max` of them. The size is checked before reading and again while reading, so
 * a device (/dev/zero behind a symbolic link), a pipe or a file that grows is never read without end.
 */
export async function readCapped(path: string, max: number): Promise<Uint8Array> {
  // non-blocking, so opening a named pipe with no writer returns (and is then refused) instead of waiting forever
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotReadable('not a regular file (a device, a pipe or a folder)');
    if (info.size > max) throw new NotReadable(`${sizeText(info.size)}, over the ${sizeText(max)} limit`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buffer = new Uint8Array(Math.min(1 << 20, max + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) throw new NotReadable(`more than the ${sizeText(max)} limit`);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1_000_000 ? `${Math.round(bytes / 100_000) / 10} MB` : `${bytes} bytes`;
}

// null means "not given" in exported data, so it reads as absent rather than failing the line
const optionalText = z
  .string({ error: (issue) => `expected a string, got ${describe(issue.input)}` })
  .nullish()
  .transform((v) => v ?? undefined);

const LineSchema = z.object({
  id: z
    .union([z.string(), z.number()], {
      error: (issue) =>
        issue.input === undefined || issue.input === null
          ? 'missing'
          : `must be a string or a number, got ${describe(issue.input)}`,
    })
    .transform((v) => String(v).trim())
    .refine((v) => v.length > 0, 'empty'),
  title: optionalText,
  text: optionalText,
  html: optionalText,
  url: optionalText,
  source: optionalText,
  publishedAt: optionalText,
  // the public evaluation sets name the publish time `date`
  date: optionalText,
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text with a leading byte-order mark removed. */
function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

type OptionalField = Exclude<keyof ArticleInput, 'id'>;
const OPTIONAL_FIELDS: readonly OptionalField[] = ['title', 'text', 'html', 'url', 'source', 'publishedAt'];

/** An article carrying only the fields that have a value: absent ones are omitted, never set to undefined. */
function article(id: string, fields: { [K in OptionalField]?: string | null | undefined }): ArticleInput {
  const out: { -readonly [K in keyof ArticleInput]: ArticleInput[K] } = { id };
  for (const key of OPTIONAL_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' && value.trim() !== '') out[key] = value;
  }
  return out;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export async function readArticles(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(error)})`;
    throw new InputError(`Input path ${path} ${reason}`, path, { cause: error });
  }
  if (info.isDirectory()) return readDirectory(path, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (info.isFile() && LINE_FILE.test(path)) return readLines(path, options.maxLinesBytes ?? DEFAULT_MAX_LINES_BYTES);
  throw new InputError(`Input path ${path} is neither a directory of .txt/.html files nor a .jsonl/.ndjson file`, path);
}

async function readLines(path: string, maxBytes: number): Promise<ReadResult> {
  const name = basename(path);
  let content: string;
  try {
    content = decode(await readCapped(path, maxBytes));
  } catch (error) {
    throw new InputError(`Cannot read ${path}: ${errorMessage(error)}`, path, { cause: error });
  }
  const articles: ArticleInput[] = [];
  const problems: InputProblem[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const where = `${name}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push({ where, message: `not valid JSON (${errorMessage(error)})` });
      continue;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      problems.push({ where, message: `expected a JSON object, got ${describe(json)}` });
      continue;
    }
    const parsed = LineSchema.safeParse(json);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      problems.push({ where, message: reasons.join('; ') });
      continue;
    }
    const { id, date, publishedAt: published, ...rest } = parsed.data;
    const firstLine = firstLineOf.get(id);
    if (firstLine !== undefined) {
      problems.push({ where, message: `duplicate id "${id}" (first seen on line ${firstLine}); line skipped` });
      continue;
    }
    firstLineOf.set(id, index + 1);
    const rawDate = published ?? date;
    const publishedAt = rawDate === undefined ? null : toIsoDate(rawDate);
    if (rawDate !== undefined && rawDate.trim() !== '' && publishedAt === null) {
      const field = published === undefined ? 'date' : 'publishedAt';
      problems.push({ where, message: `${field} "${rawDate}" is not a date; article kept without one` });
    }
    articles.push(article(id, { ...rest, publishedAt }));
  }
  return { articles, problems };
}

async function readDirectory(path: string, maxFileBytes: number): Promise<ReadResult> {
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`Cannot list directory ${path}: ${errorMessage(error)}`, path, { cause: error });
  }
  // symbolic links are followed by readCapped; one that leads nowhere becomes a problem like any unreadable file
  const names = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && DIR_FILE.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const articles: ArticleInput[] = [];
  const problems: InputProblem[] = [];
  const fileOf = new Map<string, string>();
  for (const name of names) {
    const ext = extname(name);
    const id = name.slice(0, name.length - ext.length);
    const seenIn = fileOf.get(id);
    if (seenIn !== undefined) {
      problems.push({ where: name, message: `duplicate id "${id}" (already read from ${seenIn}); file skipped` });
      continue;
    }
    let content: string;
    try {
      content = decode(await readCapped(join(path, name), maxFileBytes));
    } catch (error) {
      const message =
        error instanceof NotReadable ? `${error.message}: skipped` : `could not read the file (${errorMessage(error)})`;
      problems.push({ where: name, message });
      continue;
    }
    fileOf.set(id, name);
    if (ext.toLowerCase() === '.txt') {
      articles.push({ id, text: content.replace(/\r\n?/g, '\n') });
      continue;
    }
    const page = htmlToText(content);
    articles.push(
      article(id, {
        html: content,
        title: page.title,
        publishedAt: page.publishedAt,
        source: page.siteName,
        url: page.canonicalUrl,
      }),
    );
  }
  return { articles, problems };
}
