// `newsdigest check-config [--config PATH]`: validates the configuration (and the topics file and secrets it
// needs) without polling or posting anything, and says what the bot would do with it.
import { parseArgs } from 'node:util';
import {
  type AppConfig,
  type ChannelConfig,
  ConfigError,
  configPathOf,
  type Env,
  loadConfig,
  redactUrl,
} from '../config.js';
import { plural } from '../domain/plural.js';
import { nextRunOf } from '../jobs/cron.js';
import { zonedTime } from '../render/zoned-time.js';
import { UserError } from './errors.js';

export const CHECK_CONFIG_USAGE = `usage: newsdigest check-config [--config PATH] [--connect]

  --config PATH   the configuration file; default $NEWSDIGEST_CONFIG, else ./newsdigest.yaml
                  (copy config/newsdigest.example.yaml to start one)
  --connect       also open and close the storage, and ask Slack (auth.test) and Discord (/users/@me) who the
                  bot is, with the configured tokens and API URLs

Prints a summary and exits 0 when the configuration is valid (and, with --connect, everything answered); prints
every problem and exits 1 when not.`;

export interface CheckConfigIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The environment (secrets, NEWSDIGEST_CONFIG, DATABASE_URL): main passes process.env. */
  env: () => Env;
  /** Relative config paths are resolved against this. */
  cwd: () => string;
}

export async function runCheckConfigCommand(argv: readonly string[], io: CheckConfigIo): Promise<number> {
  let values: { config?: string | undefined; help?: boolean | undefined; connect?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        connect: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UserError(`${error instanceof Error ? error.message : String(error)}\n${CHECK_CONFIG_USAGE}`, 2, {
      cause: error,
    });
  }
  if (values.help) {
    io.stdout(`${CHECK_CONFIG_USAGE}\n`);
    return 0;
  }
  if (values.config !== undefined && !values.config.trim()) throw new UserError('--config needs a path', 2);

  const options = { env: io.env(), cwd: io.cwd(), ...(values.config === undefined ? {} : { path: values.config }) };
  const { shown } = configPathOf(options);
  let config: AppConfig;
  try {
    config = await loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\nnewsdigest: ${shown}: ${plural(error.problems.length, 'problem')}\n`);
    return 1;
  }
  io.stdout(summarize(shown, config));
  if (!values.connect) return 0;
  const { checkConnections } = await import('./connection-checks.js');
  const checks = await checkConnections(config, io.cwd());
  const lines = checks.map((c) => `  ${c.what}: ${c.ok ? 'ok' : 'FAILED'}: ${c.detail}`);
  io.stdout(`connections:\n${lines.join('\n')}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  if (failed === 0) return 0;
  io.stderr(`newsdigest: ${shown}: ${plural(failed, 'connection')} failed\n`);
  return 1;
}

/** What the bot would do with this configuration, in a few lines. Never prints a secret. */
export function summarize(fileName: string, config: AppConfig): string {
  const lines = [`${fileName}: valid`];
  const { polling } = config;
  lines.push(
    `feeds: ${config.feeds.length} (polled every ${polling.everyMinutes} min unless set per feed, ${polling.concurrency} at a time)`,
  );
  for (const f of config.feeds) {
    lines.push(`  ${f.name}: ${f.url}${f.pollMinutes === polling.everyMinutes ? '' : ` (every ${f.pollMinutes} min)`}`);
  }
  lines.push(`topics: ${config.topicDefinitions.map((t) => t.name).join(', ')} (from ${config.topics})`);
  lines.push(
    `storage: ${config.storage.kind} (${redactUrl(config.storage.url)}), articles kept ${config.retention.days} days`,
  );
  if (config.network.allowPrivateHosts.length > 0) {
    lines.push(`private hosts allowed: ${config.network.allowPrivateHosts.join(', ')}`);
  }
  lines.push(`channels: ${config.channels.length}${config.channels.length === 0 ? ' (digests go nowhere)' : ''}`);
  for (const c of config.channels) {
    const topics = c.topics.length > 0 ? c.topics.join(', ') : 'every topic';
    lines.push(`  ${c.id}: ${c.platform} ${c.channel}; ${topics}; at "${c.schedule}" ${c.timezone}; ${nextRun(c)}`);
  }
  lines.push(`admin channel: ${config.adminChannel ?? 'none (failures are only logged)'}`);
  return `${lines.join('\n')}\n`;
}

/** The channel's next digest time, in its own time zone, as node-cron computes it. */
function nextRun(channel: ChannelConfig): string {
  const next = nextRunOf(channel.schedule, channel.timezone, `check-${channel.id}`);
  return next === null ? 'no next run' : `next ${zonedTime(channel.timezone).schedule(next)}`;
}
