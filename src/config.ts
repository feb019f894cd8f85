// The app's configuration: one YAML file (newsdigest.yaml) plus secrets from the environment. This is the only
// module that reads config files and environment values (main hands it process.env); everything else receives an
// AppConfig. Every problem is reported at once, each with its path and line, so a config is fixed in one pass.

import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { parseTopicsYaml } from './config/topics-file.js';
import { ConfigError, checked, isRecord, keysAt, readErrorReason, YamlProblems } from './config/yaml-problems.js';
import { splitKeywords } from './domain/channel-filter.js';
import type { TopicDefinition } from './domain/topics.js';
import { type BasicCredentials, splitFeedUrl } from './feeds/credentials.js';
import { maskUrlPassword } from './secrets.js';

export { ConfigError, type ConfigProblem, formatProblem } from './config/yaml-problems.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Used when neither --config nor NEWSDIGEST_CONFIG is given; the shipped example is never read implicitly. */
export const DEFAULT_CONFIG_PATH = './newsdigest.yaml';
export const DEFAULT_TOPICS_PATH = 'config/topics.yaml';
export const DEFAULT_USER_AGENT = 'newsdigest/0.1 (+https://github.com/newsdigest)';
export const PLATFORMS = ['console', 'file', 'slack', 'discord'] as const;
export const STORAGE_SCHEMES = ['sqlite', 'redis', 'rediss', 'postgres', 'postgresql'] as const;

/** Where the shipped config/ folder lives (src/.. under tsx, dist/.. when built), whatever the working directory. */
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Platforms whose token must be in the environment, and the variable it comes from. */
const TOKEN_ENV = { slack: 'SLACK_BOT_TOKEN', discord: 'DISCORD_TOKEN' } as const;

// ---- leaf values: each check reports its own message, with the value found ----
const text = z.string({ error: 'expected text' }).trim().min(1, { error: 'expected non-empty text' });
const WHOLE = { error: 'expected a whole number above 0' };
const count = z.int(WHOLE).positive(WHOLE);
const MAPPING = { error: 'expected a mapping' };
const quoted = (v: string) => JSON.stringify(v);

const httpUrl = checked(text, isHttpUrl, (v) => `${quoted(maskUrlPassword(v))} is not an http:// or https:// URL`);
const hostPort = checked(text, isHostPort, (v) => `expected host:port (like 127.0.0.1:8080), got ${quoted(v)}`);
const cron = checked(text, isValidCron, (v) => `${quoted(v)} is not a valid cron expression`);
const timeZone = checked(text, isTimeZone, (v) => `${quoted(v)} is not an IANA time zone (like Europe/Berlin)`);
const storageUrl = checked(text, (v) => storageKind(v) !== undefined, unsupportedStorage);
const isId = (v: string) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v);
const channelId = checked(text, isId, (v) => `${quoted(v)} is not an id (use letters, digits and . _ -)`);
/** Platform ids are text; an unquoted Discord snowflake is a number too large for YAML to keep exactly. */
const platformRef = checked(
  z.union([z.string().trim(), z.number()], { error: 'expected text' }),
  (v) => (typeof v === 'number' ? Number.isSafeInteger(v) && v >= 0 : v.length > 0),
  (v) =>
    typeof v === 'number' ? 'put this id in quotes: it is too long for a YAML number' : 'expected non-empty text',
).transform((v) => String(v));

// ---- the file ----

const feedSchema = z.strictObject(
  { url: httpUrl, name: text.optional(), pollMinutes: count.optional() },
  { error: 'expected a mapping with url, name and pollMinutes' },
);

/** Pages of snippet-only items, per poll of one feed: see src/pipeline/page-fetches.ts. */
const pageFetchesSchema = z.strictObject(
  {
    perPoll: count.default(20),
    concurrency: count.default(4),
    waitPolls: count.default(3),
    deadlineSeconds: count.default(60),
  },
  MAPPING,
);

const pollingSchema = z.strictObject(
  {
    everyMinutes: count.default(15),
    concurrency: count.default(8),
    timeoutSeconds: count.default(20),
    connectTimeoutSeconds: count.default(10),
    maxBytes: count.default(5_000_000),
    maxFailuresBeforePause: count.default(10),
    userAgent: text.default(DEFAULT_USER_AGENT),
    pageFetches: pageFetchesSchema.prefault({}),
  },
  MAPPING,
);

const networkSchema = z.strictObject(
  { allowPrivateHosts: z.array(hostPort, { error: 'expected a list of host:port' }).default([]) },
  MAPPING,
);

/** A channel's feed: a global feed's name or URL (or a URL of its own), or a feed of its own with its settings. */
const channelFeedSchema = z.union([text, feedSchema], {
  error: 'expected a feed name, a feed URL, or a mapping with url, name and pollMinutes',
});
const wordList = (what: string) => z.array(text, { error: `expected a list of ${what}` });

const channelSchema = z.strictObject(
  {
    id: channelId,
    platform: z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` }),
    channel: platformRef.optional(),
    topics: z.array(text, { error: 'expected a list of topic names' }).default([]),
    schedule: cron,
    timezone: timeZone.default('UTC'),
    lookbackHours: count.default(24),
    maxStories: count.default(10),
    whenEmpty: z.enum(['skip', 'notice'], { error: 'expected skip or notice' }).default('skip'),
    /** Absent: the global feed list. */
    feeds: z.array(channelFeedSchema, { error: 'expected a list of feed names or URLs' }).optional(),
    /** A story must match one (title and text); `-word` entries are exclusions it must not match. */
    keywords: wordList('keywords (a leading - makes an exclusion)').default([]),
    mutedSources: wordList('outlet names').default([]),
  },
  { error: 'expected a mapping with id, platform, channel, topics and schedule' },
);

const retentionSchema = z.strictObject({ days: count.default(30) }, MAPPING);
const redisUrl = checked(
  text,
  (v) => /^rediss?:\/\/./.test(v),
  (v) => `${quoted(maskUrlPassword(v))} is not a redis:// or rediss:// URL`,
);
/** Where and how much work runs: the queue shared by `run --role scheduler|worker`, and each process's bounds. */
const jobsSchema = z.strictObject(
  {
    /** The BullMQ queue's Redis (else NEWSDIGEST_JOBS_REDIS); without it, one process does everything. */
    redis: redisUrl.optional(),
    /** Polls at once in one process; default polling.concurrency. */
    polls: count.optional(),
    /** Polls at once of feeds on one host, in one process. */
    pollsPerHost: count.default(2),
    /** Channel digests at once in one process. */
    digests: count.default(4),
    /** Key prefix of the queue in Redis (several installs can share one Redis). */
    prefix: checked(text, isId, (v) => `${quoted(v)} is not a prefix (use letters, digits and . _ -)`).default(
      'newsdigest',
    ),
    /** Seconds a killed or stalled worker's job, and its store locks (ingest, a channel's digest), stay locked before another worker takes them. */
    lockSeconds: count.max(3600).default(30),
  },
  MAPPING,
);
const storageSchema = z.strictObject({ url: storageUrl.default('sqlite://./data/newsdigest.sqlite') }, MAPPING);
const slackSchema = z.strictObject(
  {
    apiUrl: httpUrl.default('https://slack.com/api/'),
    /** Where the HTTP receiver listens for slash commands (ignored in Socket Mode). */
    port: count.max(65535).default(3000),
    host: text.default('0.0.0.0'),
    /** Who may change a channel's feeds and mutes from chat, besides workspace admins and owners. */
    editors: z
      .strictObject(
        {
          users: z.array(platformRef, { error: 'expected a list of Slack user ids' }).default([]),
          userGroups: z.array(platformRef, { error: 'expected a list of Slack user group ids' }).default([]),
        },
        MAPPING,
      )
      .prefault({}),
  },
  MAPPING,
);
const discordSchema = z.strictObject(
  {
    apiUrl: httpUrl.default('https://discord.com/api'),
    guildId: platformRef.optional(),
    /** How long `run` waits for the gateway's READY before it gives up with a clear message. */
    readyTimeoutSeconds: count.default(30),
  },
  MAPPING,
);

const PORT = { error: 'expected a port number from 0 to 65535 (0: any free port)' };
/** `/healthz` and `/metrics` (ops/ops-server.ts): off unless a port is given, on 127.0.0.1 unless told otherwise. */
const opsSchema = z.strictObject(
  { port: z.int(PORT).min(0, PORT).max(65535, PORT), host: text.default('127.0.0.1') },
  { error: 'expected a mapping with port and host' },
);

const fileSchema = z.strictObject(
  {
    feeds: z.array(feedSchema, { error: 'expected a list of feeds' }).min(1, { error: 'expected at least one feed' }),
    polling: pollingSchema.prefault({}),
    network: networkSchema.prefault({}),
    topics: text.default(DEFAULT_TOPICS_PATH),
    channels: z.array(channelSchema, { error: 'expected a list of channels' }).default([]),
    adminChannel: text.optional(),
    retention: retentionSchema.prefault({}),
    jobs: jobsSchema.prefault({}),
    storage: storageSchema.prefault({}),
    slack: slackSchema.prefault({}),
    discord: discordSchema.prefault({}),
    ops: opsSchema.optional(),
  },
  { error: 'expected a mapping with feeds, channels and the other settings' },
);

// ---- what the app receives ----

type FileConfig = z.output<typeof fileSchema>;
export type Platform = (typeof PLATFORMS)[number];
export type StorageKind = 'sqlite' | 'redis' | 'postgres';
export type PollingConfig = FileConfig['polling'];
export type NetworkConfig = FileConfig['network'];
export type OpsConfig = NonNullable<FileConfig['ops']>;

export interface FeedConfig {
  /** As configured, with a password in it as `***` (logs, feed health and keys use this); see `splitFeedUrl`. */
  url: string;
  /** The configured URL's `user:pass@`, sent as an Authorization header to the feed's own origin only. */
  credentials?: BasicCredentials;
  /** As configured, else the URL's host. */
  name: string;
  /** As configured, else polling.everyMinutes. */
  pollMinutes: number;
}

export type ChannelConfig = Omit<FileConfig['channels'][number], 'channel' | 'feeds' | 'keywords'> & {
  /** Slack/Discord channel id, the output path for `file`, 'stdout' for `console` unless given. */
  channel: string;
  /** Names of the feeds the channel follows (its own and global ones); null: the global feed list. */
  feeds: string[] | null;
  /** Words or phrases a story must carry one of (empty: any). */
  keywords: string[];
  /** Words or phrases no article of a shown story may carry (`-word` in the file). */
  exclusions: string[];
};

export interface AppConfig extends Omit<FileConfig, 'feeds' | 'channels' | 'storage' | 'slack' | 'discord' | 'jobs'> {
  /** NEWSDIGEST_JOBS_REDIS when set, else jobs.redis; polls defaulted to polling.concurrency. */
  jobs: {
    redis?: string;
    polls: number;
    pollsPerHost: number;
    digests: number;
    prefix: string;
    lockSeconds: number;
  };
  /** Every feed polled: the global list, then the feeds channels list as their own. */
  feeds: FeedConfig[];
  /** Names of the global list's feeds: what a channel without `feeds` follows. */
  globalFeeds: string[];
  channels: ChannelConfig[];
  /** The topics file, resolved to the path it was found at. */
  topics: string;
  /** Its topics, already validated: channels' topic names are among them (spelled as the file spells them). */
  topicDefinitions: TopicDefinition[];
  /** DATABASE_URL when set, else storage.url. */
  storage: { url: string; kind: StorageKind };
  /** Tokens come from the environment only. */
  slack: FileConfig['slack'] & { botToken?: string; signingSecret?: string; appToken?: string };
  discord: FileConfig['discord'] & { token?: string };
}

/** How the topics file is found and read; the defaults are the real file system and this package's root. */
export interface ParseOptions {
  /** Relative paths in the config (topics) are resolved against this first; default the config file's folder. */
  configDir?: string;
  /** Then against this (where the shipped config/topics.yaml lives). */
  packageRoot?: string;
  files?: ConfigFiles;
  /**
   * Whether Slack and Discord channels need their tokens in the environment (default true). Commands that only
   * read the store (`search`, `feeds`, `opml`) post nothing and load no platform, so they do not.
   */
  chatTokens?: boolean;
}

export interface ConfigFiles {
  exists(path: string): boolean;
  /** Throws when the file cannot be read. */
  readText(path: string): string;
}

const nodeFiles: ConfigFiles = { exists: existsSync, readText: (path) => readFileSync(path, 'utf8') };

/**
 * Validates a config file's text against the schema, the topics file it names and the secrets in `env`; fills
 * every default. Throws ConfigError listing every problem. Reads nothing but the topics file (through `files`).
 */
export function parseConfig(source: string, fileName: string, env: Env, options: ParseOptions = {}): AppConfig {
  const yaml = YamlProblems.parse(source, fileName);
  const parsed = fileSchema.safeParse(yaml.data);
  if (!parsed.success) yaml.reportZodIssues(parsed.error.issues, (path) => keysAt(fileSchema, path));

  const raw = isRecord(yaml.data) ? yaml.data : {};
  yaml.reportRepeats(['feeds'], 'url', (url) => (isHttpUrl(url) ? new URL(url).href : undefined));
  checkChannels(raw, yaml, env, options.chatTokens ?? true);
  const channelFeeds = parsed.success ? resolveChannelFeeds(parsed.data, yaml) : undefined;
  const topics = loadTopics(raw, yaml, {
    configDir: options.configDir ?? dirname(fileName),
    packageRoot: options.packageRoot ?? PACKAGE_ROOT,
    files: options.files ?? nodeFiles,
    chatTokens: options.chatTokens ?? true,
  });
  const ops = opsFromEnv(env, yaml);
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl !== undefined && storageKind(databaseUrl) === undefined) {
    yaml.add({ file: 'environment', path: 'DATABASE_URL', line: null, message: unsupportedStorage(databaseUrl) });
  }
  const jobsRedis = nonEmpty(env.NEWSDIGEST_JOBS_REDIS);
  if (jobsRedis !== undefined && !/^rediss?:\/\/./.test(jobsRedis)) {
    yaml.add({
      file: 'environment',
      path: 'NEWSDIGEST_JOBS_REDIS',
      line: null,
      message: `${quoted(maskUrlPassword(jobsRedis))} is not a redis:// or rediss:// URL`,
    });
  }
  yaml.throwIfAny();
  if (!parsed.success || topics === undefined || channelFeeds === undefined) {
    throw new ConfigError(fileName, [{ path: '', line: null, message: 'invalid configuration' }]);
  }

  const data = parsed.data;
  const url = databaseUrl ?? data.storage.url;
  const canonical = new Map(topics.definitions.map((t) => [t.name.toLowerCase(), t.name]));
  const slack: AppConfig['slack'] = {
    ...data.slack,
    ...defined({
      botToken: nonEmpty(env.SLACK_BOT_TOKEN),
      signingSecret: nonEmpty(env.SLACK_SIGNING_SECRET),
      appToken: nonEmpty(env.SLACK_APP_TOKEN),
    }),
  };
  const discord: AppConfig['discord'] = { ...data.discord, ...defined({ token: nonEmpty(env.DISCORD_TOKEN) }) };
  const feedOf = ({ url: given, name, pollMinutes }: FeedEntry): FeedConfig => {
    const { shown, credentials } = splitFeedUrl(given);
    const feed = {
      url: shown,
      name: name ?? new URL(given).host,
      pollMinutes: pollMinutes ?? data.polling.everyMinutes,
    };
    return credentials === null ? feed : { ...feed, credentials };
  };
  const globalFeeds = data.feeds.map(feedOf);
  return {
    ...data,
    feeds: [...globalFeeds, ...channelFeeds.extras.map(feedOf)],
    globalFeeds: globalFeeds.map((f) => f.name),
    channels: data.channels.map(({ feeds: _listed, keywords, ...c }, i) => ({
      ...c,
      ...splitKeywords(keywords),
      feeds: channelFeeds.followed[i] ?? null,
      channel: c.channel ?? 'stdout',
      topics: c.topics.map((t) => canonical.get(t.toLowerCase()) ?? t),
    })),
    topics: topics.path,
    topicDefinitions: topics.definitions,
    storage: { url, kind: storageKind(url) ?? 'sqlite' },
    jobs: {
      ...defined({ redis: jobsRedis ?? data.jobs.redis }),
      polls: data.jobs.polls ?? data.polling.concurrency,
      pollsPerHost: data.jobs.pollsPerHost,
      digests: data.jobs.digests,
      prefix: data.jobs.prefix,
      lockSeconds: data.jobs.lockSeconds,
    },
    slack,
    discord,
    ...opsOf(data.ops, ops),
  };
}

/** NEWSDIGEST_OPS_PORT / NEWSDIGEST_OPS_HOST (a container turns the endpoints on without editing the file). */
function opsFromEnv(env: Env, yaml: YamlProblems): { port?: number; host?: string } {
  const port = nonEmpty(env.NEWSDIGEST_OPS_PORT);
  const host = nonEmpty(env.NEWSDIGEST_OPS_HOST);
  const out: { port?: number; host?: string } = host === undefined ? {} : { host };
  if (port === undefined) return out;
  const n = Number(port);
  if (!/^\d{1,5}$/.test(port) || n > 65_535) {
    yaml.add({ file: 'environment', path: 'NEWSDIGEST_OPS_PORT', line: null, message: PORT.error });
    return out;
  }
  return { ...out, port: n };
}

/** The ops block of the file, with the environment's port and host over it; absent when no port is given. */
function opsOf(file: OpsConfig | undefined, env: { port?: number; host?: string }): { ops?: OpsConfig } {
  const port = env.port ?? file?.port;
  if (port === undefined) return {};
  return { ops: { port, host: env.host ?? file?.host ?? '127.0.0.1' } };
}

export interface LoadOptions {
  /** --config; else env NEWSDIGEST_CONFIG; else ./newsdigest.yaml. Relative to `cwd`. */
  path?: string;
  env: Env;
  cwd: string;
  packageRoot?: string;
  /** See ParseOptions.chatTokens. */
  chatTokens?: boolean;
}

/** Which config file `loadConfig` reads: as the user named it (for messages) and resolved. */
export function configPathOf(options: LoadOptions): { shown: string; resolved: string } {
  const shown = options.path ?? nonEmpty(options.env.NEWSDIGEST_CONFIG) ?? DEFAULT_CONFIG_PATH;
  return { shown, resolved: resolve(options.cwd, shown) };
}

/** Reads and validates the config file. Throws ConfigError (also when the file cannot be read). */
export async function loadConfig(options: LoadOptions): Promise<AppConfig> {
  const { shown, resolved } = configPathOf(options);
  let source: string;
  try {
    source = await readFile(resolved, 'utf8');
  } catch (err) {
    const implicit = shown === DEFAULT_CONFIG_PATH;
    const hint = implicit
      ? ' (copy config/newsdigest.example.yaml to newsdigest.yaml, or pass --config PATH or set NEWSDIGEST_CONFIG)'
      : '';
    const message = `cannot read the config file: ${readErrorReason(err)}${hint}`;
    throw new ConfigError(shown, [{ path: '', line: null, message }], { cause: err });
  }
  return parseConfig(source, shown, options.env, {
    configDir: dirname(resolved),
    ...(options.packageRoot === undefined ? {} : { packageRoot: options.packageRoot }),
    ...(options.chatTokens === undefined ? {} : { chatTokens: options.chatTokens }),
  });
}

/** The URL with any password replaced by ***, safe to print and log. */
export function redactUrl(url: string): string {
  return maskUrlPassword(url);
}

export function storageKind(url: string): StorageKind | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/./.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return 'sqlite';
  if (scheme === 'redis' || scheme === 'rediss') return 'redis';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  return undefined;
}

// ---- rules that span several values, checked on the raw data so they are reported beside schema problems ----

type FeedEntry = z.output<typeof feedSchema>;

/**
 * Each channel's `feeds` as feed names, and the feeds channels list that the global list does not (polled too,
 * shown only where listed). A name must be a global feed's; a URL may be new. Problems are reported with their line.
 */
function resolveChannelFeeds(
  data: FileConfig,
  yaml: YamlProblems,
): { followed: (string[] | null)[]; extras: FeedEntry[] } | undefined {
  const nameOf = (f: FeedEntry) => f.name ?? new URL(f.url).host;
  const key = (url: string) => new URL(url).href;
  const byUrl = new Map(data.feeds.map((f) => [key(f.url), f]));
  const byName = new Map(data.feeds.map((f) => [nameOf(f).toLowerCase(), f]));
  const extras: FeedEntry[] = [];
  let ok = true;
  const followed = data.channels.map((channel, i) => {
    if (channel.feeds === undefined) return null;
    const names: string[] = [];
    channel.feeds.forEach((entry, j) => {
      const given: FeedEntry | undefined =
        typeof entry !== 'string' ? entry : isHttpUrl(entry) ? { url: entry } : byName.get(entry.toLowerCase());
      if (given === undefined) {
        const known = [...byName.values()].map(nameOf).join(', ');
        yaml.report(['channels', i, 'feeds', j], `unknown feed ${quoted(entry as string)} (global feeds: ${known})`);
        ok = false;
        return;
      }
      const feed = byUrl.get(key(given.url)) ?? given;
      const clash = byName.get(nameOf(feed).toLowerCase());
      if (clash !== undefined && key(clash.url) !== key(feed.url)) {
        yaml.report(
          ['channels', i, 'feeds', j],
          `the name ${quoted(nameOf(feed))} is already another feed's (${maskUrlPassword(clash.url)}): give this one a name of its own`,
        );
        ok = false;
        return;
      }
      if (!byUrl.has(key(feed.url))) {
        byUrl.set(key(feed.url), feed);
        byName.set(nameOf(feed).toLowerCase(), feed);
        extras.push(feed);
      }
      if (!names.includes(nameOf(feed))) names.push(nameOf(feed));
    });
    return names;
  });
  return ok ? { followed, extras } : undefined;
}

function checkChannels(raw: Record<string, unknown>, yaml: YamlProblems, env: Env, chatTokens: boolean): void {
  const channels = Array.isArray(raw.channels) ? raw.channels : [];
  const ids = yaml.reportRepeats(['channels'], 'id');
  // the Slack app cannot start without a way to receive /digest: said once, at the first Slack channel
  const firstSlack = channels.findIndex((c: unknown) => isRecord(c) && c.platform === 'slack');
  if (
    chatTokens &&
    firstSlack >= 0 &&
    nonEmpty(env.SLACK_SIGNING_SECRET) === undefined &&
    nonEmpty(env.SLACK_APP_TOKEN) === undefined
  ) {
    yaml.report(
      ['channels', firstSlack, 'platform'],
      'a slack channel needs SLACK_SIGNING_SECRET (/digest over HTTP) or SLACK_APP_TOKEN (Socket Mode) in the environment',
    );
  }
  channels.forEach((c: unknown, i: number) => {
    if (!isRecord(c)) return;
    const platform = c.platform;
    if (platform === 'slack' || platform === 'discord' || platform === 'file') {
      if (c.channel === undefined || c.channel === null) {
        const what = platform === 'file' ? 'the output file path' : `the ${platform} channel id`;
        yaml.report(['channels', i, 'channel'], `missing (required: ${what})`);
      }
    }
    const idProblem = typeof c.channel === 'string' ? channelIdProblem(platform, c.channel.trim()) : null;
    if (idProblem !== null) yaml.report(['channels', i, 'channel'], idProblem);
    if (
      chatTokens &&
      (platform === 'slack' || platform === 'discord') &&
      nonEmpty(env[TOKEN_ENV[platform]]) === undefined
    ) {
      yaml.report(
        ['channels', i, 'platform'],
        `a ${platform} channel needs the ${TOKEN_ENV[platform]} environment variable (tokens are never read from the file)`,
      );
    }
  });
  if (typeof raw.adminChannel === 'string' && raw.adminChannel.trim() && !ids.has(raw.adminChannel.trim())) {
    const known = [...ids.keys()];
    yaml.report(
      ['adminChannel'],
      `${quoted(raw.adminChannel.trim())} is not one of the channels' ids (${known.length ? `known: ${known.join(', ')}` : 'no channels are configured'})`,
    );
  }
}

/**
 * What is wrong with a chat channel given by name where its id is needed: /digest, threads and the delivery ledger
 * all know a channel by its id (Slack: C0123ABCD, upper-case letters and digits; Discord: a number).
 */
function channelIdProblem(platform: unknown, channel: string): string | null {
  if (platform === 'slack' && channel !== '' && !/^[A-Z0-9]+$/.test(channel)) {
    return `${quoted(channel)} is not a Slack channel id: use the id (like C0123ABCD, at the bottom of the channel's details), not its name`;
  }
  if (platform === 'discord' && channel !== '' && !/^\d+$/.test(channel)) {
    return `${quoted(channel)} is not a Discord channel id: use the number (Developer Mode on, right-click the channel, Copy Channel ID)`;
  }
  return null;
}

/** Finds and validates the topics file, and checks that every channel's topic names are in it. */
function loadTopics(
  raw: Record<string, unknown>,
  yaml: YamlProblems,
  where: Required<ParseOptions>,
): { path: string; definitions: TopicDefinition[] } | undefined {
  if (raw.topics !== undefined && (typeof raw.topics !== 'string' || !raw.topics.trim())) return undefined;
  const given = typeof raw.topics === 'string' ? raw.topics.trim() : DEFAULT_TOPICS_PATH;
  const candidates = isAbsolute(given)
    ? [given]
    : [...new Set([resolve(where.configDir, given), resolve(where.packageRoot, given)])];
  const found = candidates.find((p) => where.files.exists(p));
  const reportTopics = (message: string) => {
    if (yaml.has(['topics'])) yaml.report(['topics'], message);
    else yaml.add({ path: 'topics', line: null, message });
  };
  if (found === undefined) {
    reportTopics(`topics file ${quoted(given)} not found (looked for ${candidates.join(' and ')})`);
    return undefined;
  }
  let definitions: TopicDefinition[];
  try {
    definitions = parseTopicsYaml(where.files.readText(found), found);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) yaml.add({ ...p, file: p.file ?? found });
    } else {
      reportTopics(`cannot read the topics file ${found}: ${readErrorReason(err)}`);
    }
    return undefined;
  }

  const known = new Set(definitions.map((t) => t.name.toLowerCase()));
  const names = definitions.map((t) => t.name).join(', ');
  const channels = Array.isArray(raw.channels) ? raw.channels : [];
  channels.forEach((c: unknown, i: number) => {
    if (!isRecord(c) || !Array.isArray(c.topics)) return;
    c.topics.forEach((t: unknown, j: number) => {
      if (typeof t === 'string' && t.trim() && !known.has(t.trim().toLowerCase())) {
        yaml.report(['channels', i, 'topics', j], `unknown topic ${quoted(t.trim())} (known: ${names})`);
      }
    });
  });
  return { path: found, definitions };
}

// ---- small predicates ----

function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isHostPort(v: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(v);
  const port = Number(m?.[2]);
  return m !== null && port >= 1 && port <= 65_535;
}

function isTimeZone(v: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

function unsupportedStorage(url: string): string {
  const schemes = STORAGE_SCHEMES.map((s) => `${s}://`);
  return `${quoted(redactUrl(url))} is not a supported storage URL (use ${schemes.slice(0, -1).join(', ')} or ${schemes.at(-1)})`;
}

/** The entries that have a value (an optional property must be absent, not undefined). */
function defined<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
