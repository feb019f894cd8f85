// `newsdigest run [--once] [--config PATH]` and `newsdigest feeds [--config PATH]`.
import { parseArgs } from 'node:util';
import type { RunningApp } from '../compose.js';
import type { AppConfig } from '../config.js';
import type { FeedHealth } from '../domain/feed-health.js';
import { resumeHealth } from '../domain/feed-health.js';
import { plural } from '../domain/plural.js';
import { runOnce } from '../pipeline/app.js';
import type { PollProgress } from '../pipeline/poll-feeds.js';
import { type Role, startWork } from '../pipeline/work.js';
import { loadCommandConfig } from './command-config.js';
import { UserError } from './errors.js';
import { feedsReport } from './feeds-report.js';

export const RUN_USAGE = `usage: newsdigest run [--once] [--role all|scheduler|worker] [--config PATH]

  --once          poll every feed, deliver every channel's digest now, and exit (0 when all went well)
  --role ROLE     all (default): this process does everything. scheduler: queues polls and digests on their
                  schedules and answers /digest. worker: does the queued work. The split roles share a job
                  queue on Redis (jobs.redis or $NEWSDIGEST_JOBS_REDIS) and the storage of the config.
  --config PATH   the configuration file (else $NEWSDIGEST_CONFIG, else ./newsdigest.yaml)

Without --once it runs until SIGINT/SIGTERM: feeds are polled on their intervals and each channel's digest
follows its schedule.`;

const ROLES: readonly Role[] = ['all', 'scheduler', 'worker'];

export const FEEDS_USAGE = `usage: newsdigest feeds [--config PATH]
       newsdigest feeds resume NAME|URL [--config PATH]
       newsdigest feeds import FILE.opml --channel ID [--config PATH]
       newsdigest feeds export [--config PATH] > feeds.opml

resume: polls a paused feed again at the next tick (after you fixed its URL, or its site came back).
import: subscribes the channel to the file's feeds (each fetched once and checked; nothing is removed).
export: OPML 2.0 of the config file's feeds and each channel's subscriptions from chat.

Lists every configured feed's health: PAUSED feeds (no longer polled after repeated failures), last success,
last error, items, next poll, and what the last poll noted (items with impossible dates).`;

export interface RunIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: () => Record<string, string | undefined>;
  cwd: () => string;
  compose: (config: AppConfig) => Promise<RunningApp>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
  /** stderr is a terminal: `run --once` shows the polls' progress on one line as they go. */
  stderrIsTTY?: boolean;
}

function parse(argv: readonly string[], usage: string, withOnce: boolean) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        ...(withOnce ? { once: { type: 'boolean' as const }, role: { type: 'string' as const } } : {}),
      },
      strict: true,
      allowPositionals: false,
    }).values as { config?: string; help?: boolean; once?: boolean; role?: string };
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n${usage}`, 2, { cause: error });
  }
}

export async function runRunCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const values = parse(argv, RUN_USAGE, true);
  if (values.help) {
    io.stdout(`${RUN_USAGE}\n`);
    return 0;
  }
  const role = (values.role ?? 'all') as Role;
  if (!ROLES.includes(role)) throw new UserError(`--role must be one of ${ROLES.join(', ')}\n${RUN_USAGE}`, 2);
  if (values.once && role !== 'all')
    throw new UserError(`--once does everything now: it takes no --role\n${RUN_USAGE}`, 2);
  const app = await io.compose(await loadCommandConfig(io, values.config));
  try {
    if (values.once) {
      const report = await runOnce(app, io.stderrIsTTY ? progressLine(io) : undefined);
      const failedFeeds = report.feeds.filter((f) => f.outcome === 'failed');
      const pausedFeeds = report.feeds.filter((f) => f.outcome === 'paused');
      const failedChannels = report.channels.filter((c) => c.error !== undefined);
      const stored = report.feeds.reduce((n, f) => n + f.newArticles, 0);
      const posted = report.channels.reduce((n, c) => n + c.posted, 0);
      io.stderr(
        `newsdigest: ${plural(report.feeds.length, 'feed')} polled (${failedFeeds.length} failed` +
          `${pausedFeeds.length > 0 ? `, ${pausedFeeds.length} paused` : ''}), ` +
          `${plural(stored, 'new article')}; ${plural(report.channels.length, 'channel')}, ` +
          `${plural(posted, 'story', 'stories')} posted (${failedChannels.length} failed)\n`,
      );
      for (const f of failedFeeds) io.stderr(`  feed ${f.feed}: ${f.error ?? 'failed'}\n`);
      for (const f of pausedFeeds) {
        io.stderr(`  feed ${f.feed}: paused (${f.error ?? 'failing'}); newsdigest feeds resume ${f.feed}\n`);
      }
      for (const c of failedChannels) io.stderr(`  channel ${c.channel}: ${c.error ?? 'failed'}\n`);
      return failedFeeds.length + failedChannels.length === 0 ? 0 : 1;
    }
    let work: Awaited<ReturnType<typeof app.openWork>>;
    try {
      work = await app.openWork(role);
      // first, so /livez answers and /healthz says what is not up yet while the platforms connect
      await app.startOps();
      // the platforms' listeners (slash commands) run where the schedule runs; a worker only posts
      if (role !== 'worker') await app.listen();
    } catch (error) {
      // a platform refusing the connection (a bad token, a port in use), no queue: the operator's to fix, as its hint
      throw new UserError(error instanceof Error ? error.message : String(error), 1, { cause: error });
    }
    const scheduler = startWork(app, work);
    app.logger.info({ role }, 'running');
    const signal = await io.stopSignal();
    app.logger.info({ signal }, 'stopping: finishing the work under way');
    await scheduler.stop();
    return 0;
  } finally {
    await app.close();
  }
}

export const DISCORD_USAGE = `usage: newsdigest discord register [--config PATH]

Registers the /digest application command (in the configured guild, else globally). Needs DISCORD_TOKEN.`;

export async function runDiscordCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'register') {
    io.stderr(`${DISCORD_USAGE}\n`);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  const values = parse(rest, DISCORD_USAGE, false);
  if (values.help) {
    io.stdout(`${DISCORD_USAGE}\n`);
    return 0;
  }
  const app = await io.compose(await loadCommandConfig(io, values.config));
  try {
    await app.registerDiscordCommands();
    io.stdout('newsdigest: /digest registered\n');
    return 0;
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error), 1, { cause: error });
  } finally {
    await app.close();
  }
}

export async function runFeedsCommand(argv: readonly string[], io: RunIo): Promise<number> {
  if (argv[0] === 'resume') return resumeFeed(argv.slice(1), io);
  if (argv[0] === 'import' || argv[0] === 'export') {
    const opml = await import('./opml-command.js');
    return argv[0] === 'import' ? opml.runFeedsImport(argv.slice(1), io) : opml.runFeedsExport(argv.slice(1), io);
  }
  const values = parse(argv, FEEDS_USAGE, false);
  if (values.help) {
    io.stdout(`${FEEDS_USAGE}\n`);
    return 0;
  }
  const cfg = await loadCommandConfig(io, values.config, { readsOnly: true });
  const app = await io.compose(cfg);
  try {
    const health = new Map<string, FeedHealth>();
    for (const feed of cfg.feeds) {
      const h = await app.storage.feeds.get(feed.url);
      if (h) health.set(feed.url, h);
    }
    const settings = await app.storage.channelSettings.list();
    for (const s of settings.flatMap((c) => c.subscriptions)) {
      const h = await app.storage.feeds.get(s.url);
      if (h) health.set(s.url, h);
    }
    io.stdout(feedsReport(cfg.feeds, health, settings, cfg.polling.everyMinutes));
    return 0;
  } finally {
    await app.close();
  }
}

/** `newsdigest feeds resume NAME|URL`: clears a feed's pause so the next tick polls it. */
async function resumeFeed(argv: readonly string[], io: RunIo): Promise<number> {
  const [which, ...rest] = argv;
  if (which === undefined || which.startsWith('-')) {
    throw new UserError(`feeds resume needs a feed's name or URL\n${FEEDS_USAGE}`, 2);
  }
  const values = parse(rest, FEEDS_USAGE, false);
  const cfg = await loadCommandConfig(io, values.config, { readsOnly: true });
  const feed = cfg.feeds.find((f) => f.name === which || f.url === which);
  if (!feed) {
    const names = cfg.feeds.map((f) => f.name).join(', ');
    throw new UserError(`no feed named ${JSON.stringify(which)} in the configuration (feeds: ${names})`, 2);
  }
  const app = await io.compose(cfg);
  try {
    const health = await app.storage.feeds.get(feed.url);
    if (!health?.pausedAt) {
      io.stdout(`newsdigest: ${feed.name} is not paused; nothing to resume\n`);
      return 0;
    }
    await app.storage.feeds.put(resumeHealth(health));
    io.stdout(`newsdigest: ${feed.name} resumed: it is polled at the next tick (paused since ${health.pausedAt})\n`);
    return 0;
  } finally {
    await app.close();
  }
}

/** One line rewritten in place on a terminal: feeds done of all, articles stored, failures; cleared at the end. */
function progressLine(io: RunIo): (progress: PollProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done < p.total && now - last < 200) return;
    last = now;
    const line = `polling feeds: ${p.done}/${p.total}, ${plural(p.articles, 'new article')}, ${p.failed} failed`;
    io.stderr(p.done < p.total ? `\r${line}\u001b[K` : `\r\u001b[K`);
  };
}
