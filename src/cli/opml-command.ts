// `newsdigest feeds import FILE.opml --channel ID` and `newsdigest feeds export`. An import adds the file's feeds to
// one channel's subscriptions (the same store and checks as `/digest subscribe`: each URL fetched once through the
// poller's address guard and must parse), reports each feed added or skipped and why, and never removes anything.
// An export writes OPML 2.0 to stdout: the config file's feeds, then each channel's subscriptions.
import { parseArgs } from 'node:util';
import type { AppConfig } from '../config.js';
import { readCapped } from '../input/read-articles.js';
import { subscribeAll } from '../pipeline/editor-commands.js';
import { terminalSafe } from '../render/terminal-safe.js';
import { loadCommandConfig } from './command-config.js';
import { UserError } from './errors.js';
import { OpmlError, type OpmlGroup, parseOpml, renderOpml } from './opml.js';
import type { RunIo } from './run-command.js';

/** An OPML file larger than this is refused before it is parsed (a few thousand feeds take well under 1 MB). */
export const MAX_OPML_BYTES = 2_000_000;

export const IMPORT_USAGE = `usage: newsdigest feeds import FILE.opml --channel ID [--config PATH]
       newsdigest feeds export [--config PATH] > feeds.opml`;

function options(argv: readonly string[], withChannel: boolean) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        ...(withChannel ? { channel: { type: 'string' as const } } : {}),
      },
      strict: true,
      allowPositionals: withChannel,
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n${IMPORT_USAGE}`, 2, { cause: error });
  }
}

export async function runFeedsImport(argv: readonly string[], io: RunIo): Promise<number> {
  const { values, positionals } = options(argv, true);
  if (values.help) {
    io.stdout(`${IMPORT_USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  const channelId = (values as { channel?: string }).channel;
  if (file === undefined || extra.length > 0 || channelId === undefined) {
    throw new UserError(`feeds import needs one OPML file and --channel ID\n${IMPORT_USAGE}`, 2);
  }
  const config = await loadCommandConfig(io, values.config, { readsOnly: true });
  const channel = config.channels.find((c) => c.id === channelId);
  if (!channel) {
    const known = config.channels.map((c) => c.id).join(', ') || 'none configured';
    throw new UserError(`--channel: "${channelId}" is not a configured channel id (known: ${known})`, 2);
  }
  // the file is read and parsed before anything is opened: a bad file changes nothing
  const listed = await readOpml(file);
  const app = await io.compose(config);
  try {
    const result = await subscribeAll(
      listed.map((f) => f.url),
      channel,
      'cli',
      app.editors,
      config.polling.concurrency,
    );
    const lines = [
      ...result.added.map((f) => `added    ${f.name}  ${f.url}`),
      ...result.skipped.map((s) => `skipped  ${s.url.slice(0, 300)}: ${s.reason}`),
      `newsdigest: ${result.added.length} added to ${channel.id}, ${result.skipped.length} skipped, of ${listed.length} in ${file}` +
        (result.added.length > 0 ? '; their first poll stores what they list now as background' : ''),
    ];
    io.stdout(terminalSafe(`${lines.join('\n')}\n`));
    return 0;
  } finally {
    await app.close();
  }
}

async function readOpml(file: string) {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readCapped(file, MAX_OPML_BYTES));
  } catch (error) {
    const reason = error instanceof TypeError ? 'it is not UTF-8 text' : (error as Error).message;
    throw new UserError(terminalSafe(`cannot read ${file}: ${reason}`), 1, { cause: error });
  }
  try {
    return parseOpml(text);
  } catch (error) {
    if (error instanceof OpmlError) {
      throw new UserError(terminalSafe(`${file} is not an OPML file we can read: ${error.message}`), 1, {
        cause: error,
      });
    }
    throw error;
  }
}

export async function runFeedsExport(argv: readonly string[], io: RunIo): Promise<number> {
  const { values } = options(argv, false);
  if (values.help) {
    io.stdout(`${IMPORT_USAGE}\n`);
    return 0;
  }
  const config = await loadCommandConfig(io, values.config, { readsOnly: true });
  const app = await io.compose(config);
  try {
    const { groups, leftOut } = exportGroups(config, await app.storage.channelSettings.list());
    io.stdout(renderOpml('newsdigest feeds', groups, new Date()));
    if (leftOut > 0) {
      io.stderr(`newsdigest: left out ${leftOut} feeds whose URL carries a password (add them by hand)\n`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

function exportGroups(
  config: AppConfig,
  settings: readonly { channel: string; subscriptions: readonly { name: string; url: string }[] }[],
): { groups: OpmlGroup[]; leftOut: number } {
  const withPassword = config.feeds.filter((f) => f.credentials !== undefined);
  const groups: OpmlGroup[] = [
    { title: 'Config file', feeds: config.feeds.filter((f) => f.credentials === undefined) },
    ...settings
      .filter((s) => s.subscriptions.length > 0)
      .map((s) => ({ title: `Channel ${s.channel}: subscribed from chat`, feeds: s.subscriptions })),
  ];
  return { groups, leftOut: withPassword.length };
}
