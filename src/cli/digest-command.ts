// `newsdigest digest --input PATH [--format json|markdown|text] [--topics FILE] [--now ISO]`
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/topics-file.js';
import { loadBuilderOptions } from '../digest-options.js';
import { type BuilderOptions, buildDigest } from '../domain/digest.js';
import { plural } from '../domain/plural.js';
import { InputError, readArticles } from '../input/read-articles.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { UserError } from './errors.js';

export const DIGEST_USAGE = `usage: newsdigest digest --input PATH [--format json|markdown|text] [--topics FILE] [--now ISO] [--tz ZONE]

  --input PATH    a .jsonl file (one article a line: {id, title?, text?, html?, url?, source?, publishedAt?})
                  or a directory of .txt / .html files (the file name is the article id)
  --format        json (the digest contract), markdown or text (for reading); default text
  --topics FILE   topics configuration; default config/topics.yaml
  --now ISO       the digest's time (generatedAt); default the current time
  --tz ZONE       time zone for publish times in markdown/text; default UTC`;

const FORMATS = ['json', 'markdown', 'text'] as const;
type Format = (typeof FORMATS)[number];

export interface DigestCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The current time, ISO: only used when --now is not given. */
  now: () => string;
  defaultTopicsPath: string;
}

export async function runDigestCommand(argv: readonly string[], io: DigestCommandIo): Promise<number> {
  let values: {
    input?: string | undefined;
    format?: string | undefined;
    topics?: string | undefined;
    now?: string | undefined;
    tz?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        input: { type: 'string', short: 'i' },
        format: { type: 'string', short: 'f' },
        topics: { type: 'string' },
        now: { type: 'string' },
        tz: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n${DIGEST_USAGE}`, 2, { cause: error });
  }
  if (values.help) {
    io.stdout(`${DIGEST_USAGE}\n`);
    return 0;
  }
  if (!values.input) throw new UserError(`--input is required\n${DIGEST_USAGE}`, 2);
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) {
    throw new UserError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`, 2);
  }
  const now = values.now ?? io.now();
  if (Number.isNaN(Date.parse(now))) throw new UserError(`--now must be an ISO date and time, got "${now}"`, 2);
  const timeZone = values.tz ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new UserError(`--tz must be an IANA time zone such as Europe/Berlin, got "${timeZone}"`, 2);
  }

  let options: BuilderOptions;
  try {
    options = await loadBuilderOptions(values.topics ?? io.defaultTopicsPath);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message, 1, { cause: error });
    throw error;
  }

  let read: Awaited<ReturnType<typeof readArticles>>;
  try {
    read = await readArticles(values.input);
  } catch (error) {
    if (error instanceof InputError) throw new UserError(error.message, 1, { cause: error });
    throw error;
  }
  for (const p of read.problems) io.stderr(`newsdigest: skipped ${p.where}: ${p.message}\n`);
  if (read.articles.length === 0) {
    // nothing to digest is a failed run for a script or cron job, not an empty digest
    const why =
      read.problems.length === 0
        ? 'a directory needs .txt or .html files, a .jsonl file one JSON article a line'
        : `${plural(read.problems.length, 'problem')} above`;
    throw new UserError(`no articles could be read from ${values.input} (${why})`, 1);
  }

  const digest = buildDigest(read.articles, { ...options, now });
  if (format === 'json') io.stdout(`${JSON.stringify(digest, null, 2)}\n`);
  else if (format === 'markdown') io.stdout(renderMarkdown(digest, { timeZone }));
  else io.stdout(renderText(digest, { timeZone }));
  return 0;
}
