// `newsdigest search "<query>"`: the /digest answer on the command line, from the same parser and the same search
// over the stored stories (the composed app's), with no platform SDK loaded. For operators, scripts and tests.
import { parseArgs } from 'node:util';
import type { RunningApp } from '../compose.js';
import type { AppConfig } from '../config.js';
import { DIGEST_HELP, parseDigestQuery } from '../domain/digest-query.js';
import type { QueryAnswer } from '../ports.js';
import { renderAnswerMarkdown } from '../render/markdown.js';
import { terminalSafe } from '../render/terminal-safe.js';
import { renderAnswerText } from '../render/text.js';
import { loadCommandConfig } from './command-config.js';
import { UserError } from './errors.js';

/** The chat help without its Slack markup. */
const QUERY_HELP = DIGEST_HELP.replace(/[*`]/g, '');

export const SEARCH_USAGE = `usage: newsdigest search "<query>" [--config PATH] [--format text|json|markdown] [--channel ID]

  "<query>"       what /digest takes in chat: words, "a phrase", -word, since:, until:, topic:, source:, status,
                  help (below); quote it
  --config PATH   the configuration file (else $NEWSDIGEST_CONFIG, else ./newsdigest.yaml)
  --format        text (default), markdown, or json (the answer, its digest in the digest contract)
  --channel ID    a configured channel's id: say where that channel already got each story, times in its zone
                  (else UTC)

Answers as /digest does in chat, from the stored stories. Exit codes: 0 answered (also when nothing matched:
the answer says so), 1 the configuration or the store failed, 2 a bad option or a query /digest would refuse.

${QUERY_HELP}`;

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export interface SearchIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: () => Record<string, string | undefined>;
  cwd: () => string;
  /** The composed app, without platforms: the store and the search. */
  compose: (config: AppConfig) => Promise<RunningApp>;
  /** The time relative windows (since:3d) count back from. */
  now: () => Date;
}

/**
 * The arguments with the query's words that leave a word out (`-putin`, `"-putin since:3d"`) moved after `--`: a
 * single dash and more than one char is no option of this command (its short options are -c, -f and -h).
 */
export function withQueryWordsLast(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const before = end < 0 ? argv : argv.slice(0, end);
  const after = end < 0 ? [] : argv.slice(end + 1);
  const exclusions = before.filter((arg) => /^-[^-]./s.test(arg));
  if (exclusions.length === 0) return [...argv];
  return [...before.filter((arg) => !exclusions.includes(arg)), '--', ...exclusions, ...after];
}

export async function runSearchCommand(argv: readonly string[], io: SearchIo): Promise<number> {
  let parsed: { values: { config?: string; format?: string; channel?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: withQueryWordsLast(argv),
      options: {
        config: { type: 'string', short: 'c' },
        format: { type: 'string', short: 'f' },
        channel: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n${SEARCH_USAGE}`, 2, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${SEARCH_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UserError(`a query is needed\n${SEARCH_USAGE}`, 2);
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) {
    throw new UserError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`, 2);
  }
  // the query first: a mistake in it is told without opening the store
  const query = parseDigestQuery(positionals.join(' '), io.now());
  if (query.kind === 'help') {
    io.stdout(`${QUERY_HELP}\n`);
    return 0;
  }
  if (query.kind === 'error') throw new UserError(terminalSafe(`${query.message}\n\n${QUERY_HELP}`), 2);
  if (query.kind !== 'search' && query.kind !== 'status') {
    throw new UserError(
      `"${query.kind}" changes or shows a channel's feeds from chat; here use newsdigest feeds (and feeds import/export)`,
      2,
    );
  }

  const config = await loadCommandConfig(io, values.config, { readsOnly: true });
  const channel = values.channel === undefined ? undefined : config.channels.find((c) => c.id === values.channel);
  if (values.channel !== undefined && channel === undefined) {
    const known = config.channels.map((c) => c.id);
    const hint = known.length > 0 ? `known: ${known.join(', ')}` : 'no channels are configured';
    throw new UserError(`--channel: "${values.channel}" is not a configured channel id (${hint})`, 2);
  }
  const app = await io.compose(config);
  try {
    if (query.kind === 'status') {
      const lines = await app.status();
      io.stdout(format === 'json' ? json({ kind: 'status', lines }) : terminalSafe(`${lines.join('\n')}\n`));
      return 0;
    }
    const answer = await app.search(query, channel?.id ?? null);
    const options = channel ? { timeZone: channel.timezone, channel: channel.id } : {};
    io.stdout(render(answer, format, options));
    return 0;
  } finally {
    await app.close();
  }
}

function render(answer: QueryAnswer, format: Format, options: { timeZone?: string; channel?: string }): string {
  if (format === 'json') return json(answerJson(answer));
  if (answer.kind === 'empty') return terminalSafe(`${answer.message}\n`);
  return format === 'markdown'
    ? renderAnswerMarkdown(answer.digest, answer, options)
    : renderAnswerText(answer.digest, answer, options);
}

/** The answer as plain JSON: `posted` (a Map) as an object by story id. */
function answerJson(answer: QueryAnswer): object {
  if (answer.kind === 'empty') return answer;
  return {
    kind: answer.kind,
    description: answer.description,
    matched: answer.matched,
    moreStories: answer.moreStories ?? 0,
    posted: Object.fromEntries(answer.posted ?? []),
    digest: answer.digest,
  };
}

function json(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
