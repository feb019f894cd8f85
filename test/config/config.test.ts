import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppConfig,
  ConfigError,
  type ConfigFiles,
  DEFAULT_USER_AGENT,
  type Env,
  loadConfig,
  parseConfig,
  redactUrl,
  storageKind,
} from '../../src/config.js';

const NO_EDITORS = { users: [], userGroups: [] };
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = join(ROOT, 'config/newsdigest.example.yaml');

const TOPICS_YAML =
  'topics:\n  - { name: Ukraine talks, terms: { ceasefire: 3 } }\n  - { name: Iran talks, terms: { enrichment: 3 } }\n';

/** An in-memory file system: the config lives in /cfg, the package in /pkg. */
const memoryFiles = (files: Record<string, string>): ConfigFiles => ({
  exists: (path) => Object.hasOwn(files, path),
  readText: (path) => files[path] ?? '',
});

const FILES = memoryFiles({ '/cfg/config/topics.yaml': TOPICS_YAML });

function parse(source: string, env: Env = {}, files: ConfigFiles = FILES): AppConfig {
  return parseConfig(source, 'newsdigest.yaml', env, { configDir: '/cfg', packageRoot: '/pkg', files });
}

/** The ConfigError a config produces (fails the test when it parses). */
function errorOf(source: string, env: Env = {}, files: ConfigFiles = FILES): ConfigError {
  try {
    parse(source, env, files);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** Its problems, one formatted line each. */
const problems = (source: string, env: Env = {}, files: ConfigFiles = FILES) =>
  errorOf(source, env, files).message.split('\n');

const FEED = 'feeds:\n  - url: https://a.example/feed\n';
/** One feed (lines 1-2) and one channel: `channels:` on line 3, its id on 4, then `lines` from line 5. */
const withChannel = (lines: string[]) => `${FEED}channels:\n  - id: desk\n${lines.map((l) => `    ${l}`).join('\n')}\n`;

describe('parseConfig: defaults', () => {
  it('fills every default from a config that names one feed and one channel', () => {
    expect(parse(withChannel(['platform: console', 'schedule: "0 7 * * *"']))).toEqual({
      feeds: [{ url: 'https://a.example/feed', name: 'a.example', pollMinutes: 15 }],
      polling: {
        everyMinutes: 15,
        concurrency: 8,
        timeoutSeconds: 20,
        connectTimeoutSeconds: 10,
        maxBytes: 5_000_000,
        maxFailuresBeforePause: 10,
        userAgent: DEFAULT_USER_AGENT,
        pageFetches: { perPoll: 20, concurrency: 4, waitPolls: 3, deadlineSeconds: 60 },
      },
      network: { allowPrivateHosts: [] },
      topics: '/cfg/config/topics.yaml',
      topicDefinitions: [expect.objectContaining({ name: 'Ukraine talks' }), expect.anything()],
      channels: [
        {
          id: 'desk',
          platform: 'console',
          channel: 'stdout',
          topics: [],
          schedule: '0 7 * * *',
          timezone: 'UTC',
          lookbackHours: 24,
          maxStories: 10,
          whenEmpty: 'skip',
          feeds: null,
          keywords: [],
          exclusions: [],
          mutedSources: [],
        },
      ],
      globalFeeds: ['a.example'],
      retention: { days: 30 },
      jobs: { polls: 8, pollsPerHost: 2, digests: 4, prefix: 'newsdigest', lockSeconds: 30 },
      storage: { url: 'sqlite://./data/newsdigest.sqlite', kind: 'sqlite' },
      slack: { apiUrl: 'https://slack.com/api/', port: 3000, host: '0.0.0.0', editors: NO_EDITORS },
      discord: { apiUrl: 'https://discord.com/api', readyTimeoutSeconds: 30 },
    });
  });

  it('keeps what is given: feed names and intervals, topic names (spelled as the topics file does), endpoints', () => {
    const config = parse(
      [
        'feeds:',
        '  - { url: https://a.example/feed, name: A }',
        '  - { url: "http://b.example:8080/x", pollMinutes: 60 }',
        'polling: { everyMinutes: 5 }',
        'network: { allowPrivateHosts: ["127.0.0.1:8080", "[::1]:9000", "fake-slack:443"] }',
        'slack: { apiUrl: "http://127.0.0.1:9001/api/" }',
        'discord: { apiUrl: "http://127.0.0.1:9002/api", guildId: "112233445566778899" }',
        'channels:',
        '  - { id: ops, platform: file, channel: ./out/ops.txt, topics: [ukraine TALKS], schedule: "@daily", whenEmpty: notice }',
        'adminChannel: ops',
      ].join('\n'),
    );
    expect(config.feeds).toEqual([
      { url: 'https://a.example/feed', name: 'A', pollMinutes: 5 },
      { url: 'http://b.example:8080/x', name: 'b.example:8080', pollMinutes: 60 },
    ]);
    expect(config.network.allowPrivateHosts).toEqual(['127.0.0.1:8080', '[::1]:9000', 'fake-slack:443']);
    expect([config.slack, config.discord]).toEqual([
      { apiUrl: 'http://127.0.0.1:9001/api/', port: 3000, editors: NO_EDITORS, host: '0.0.0.0' },
      { apiUrl: 'http://127.0.0.1:9002/api', guildId: '112233445566778899', readyTimeoutSeconds: 30 },
    ]);
    expect(config.adminChannel).toBe('ops');
    const [ops] = config.channels;
    expect([ops?.channel, ops?.topics, ops?.whenEmpty]).toEqual(['./out/ops.txt', ['Ukraine talks'], 'notice']);
  });

  it('looks next to the config first, then in the package', () => {
    const both = memoryFiles({ '/cfg/t.yaml': TOPICS_YAML, '/pkg/t.yaml': 'topics: [{ name: P, terms: { a: 3 } }]' });
    expect(parse(`${FEED}topics: t.yaml\n`, {}, both).topics).toBe('/cfg/t.yaml');
    const pkgOnly = memoryFiles({ '/pkg/config/topics.yaml': TOPICS_YAML });
    expect(parse(FEED, {}, pkgOnly).topics).toBe('/pkg/config/topics.yaml');
    const absolute = memoryFiles({ '/etc/nd/topics.yaml': TOPICS_YAML });
    expect(parse(`${FEED}topics: /etc/nd/topics.yaml\n`, {}, absolute).topics).toBe('/etc/nd/topics.yaml');
  });
});

describe('parseConfig: the environment', () => {
  it('lets DATABASE_URL override storage.url and names the backend', () => {
    const source = `${FEED}storage: { url: "redis://cache:6379" }\n`;
    expect(parse(source).storage).toEqual({ url: 'redis://cache:6379', kind: 'redis' });
    const url = 'postgresql://u:p@db/news';
    expect(parse(source, { DATABASE_URL: url }).storage).toEqual({ url, kind: 'postgres' });
    expect(parse(source, { DATABASE_URL: '  ' }).storage.kind).toBe('redis');
  });

  it('takes tokens from the environment only', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_APP_TOKEN: 'xapp-1',
      DISCORD_TOKEN: 'dt',
    };
    const source = `${withChannel(['platform: slack', 'channel: C0123', 'schedule: "0 7 * * *"'])}  - { id: d, platform: discord, channel: "1122", schedule: "@daily" }\n`;
    const { slack, discord } = parse(source, env);
    expect([slack, discord]).toEqual([
      {
        apiUrl: 'https://slack.com/api/',
        port: 3000,
        host: '0.0.0.0',
        editors: NO_EDITORS,
        botToken: 'xoxb-1',
        signingSecret: 's',
        appToken: 'xapp-1',
      },
      { apiUrl: 'https://discord.com/api', readyTimeoutSeconds: 30, token: 'dt' },
    ]);
    expect(problems(`${FEED}slack: { botToken: xoxb-1 }\n`)).toEqual([
      'newsdigest.yaml:3: slack.botToken: unknown key "botToken" (allowed: apiUrl, port, host, editors)',
    ]);
  });

  it('are named by kind and printed without passwords', () => {
    const urls = ['sqlite://./x.sqlite', 'rediss://h:6380', 'postgres://h/db', 'mysql://h', 'x'];
    expect(urls.map(storageKind)).toEqual(['sqlite', 'redis', 'postgres', undefined, undefined]);
    const redacted = ['postgres://u:pa:ss@db:5432/n', 'redis://:secret@cache', 'sqlite://./x'].map(redactUrl);
    expect(redacted).toEqual(['postgres://u:***@db:5432/n', 'redis://:***@cache', 'sqlite://./x']);
  });
});

describe('parseConfig: problems, each with its line', () => {
  const cron = 'schedule: "0 7 * * *"';
  const cases: [string, string, string[], Env?][] = [
    [
      'unknown keys, with their paths and a suggestion',
      `${withChannel(['platform: console', 'shedule: "0 7 * * *"'])}chanels: []\n`,
      [
        'newsdigest.yaml:4: channels[0].schedule: missing (required)',
        'newsdigest.yaml:6: channels[0].shedule: unknown key "shedule" (did you mean "schedule"?)',
        'newsdigest.yaml:7: chanels: unknown key "chanels" (did you mean "channels"?)',
      ],
    ],
    [
      'a bad cron expression and a bad time zone',
      withChannel(['platform: console', 'schedule: "0 25 * * *"', 'timezone: Europe/Berln']),
      [
        'newsdigest.yaml:6: channels[0].schedule: "0 25 * * *" is not a valid cron expression',
        'newsdigest.yaml:7: channels[0].timezone: "Europe/Berln" is not an IANA time zone (like Europe/Berlin)',
      ],
    ],
    [
      'an unknown topic name, with the known ones',
      withChannel(['platform: console', 'topics: [Ukraine talks, Gaza talks]', cron]),
      ['newsdigest.yaml:6: channels[0].topics[1]: unknown topic "Gaza talks" (known: Ukraine talks, Iran talks)'],
    ],
    [
      'feed URLs that are not http(s), and one given twice (compared once normalised)',
      `${FEED}  - url: file:///etc/passwd\n  - url: not a url\n  - url: https://A.example/feed\n`,
      [
        'newsdigest.yaml:3: feeds[1].url: "file:///etc/passwd" is not an http:// or https:// URL',
        'newsdigest.yaml:4: feeds[2].url: "not a url" is not an http:// or https:// URL',
        'newsdigest.yaml:5: feeds[3].url: "https://A.example/feed" is already used by feeds[0]',
      ],
    ],
    [
      'a storage URL of another kind, without its password',
      `${FEED}storage:\n  url: mongodb://u:secret@db/news\n`,
      [
        'newsdigest.yaml:4: storage.url: "mongodb://u:***@db/news" is not a supported storage URL (use sqlite://, redis://, rediss://, postgres:// or postgresql://)',
      ],
    ],
    [
      'a slack channel without SLACK_BOT_TOKEN and a discord channel without DISCORD_TOKEN',
      `${withChannel(['platform: slack', 'channel: C0123', cron])}  - { id: d, platform: discord, channel: "1122", ${cron} }\n`,
      [
        'newsdigest.yaml:5: channels[0].platform: a slack channel needs the SLACK_BOT_TOKEN environment variable (tokens are never read from the file)',
        'newsdigest.yaml:8: channels[1].platform: a discord channel needs the DISCORD_TOKEN environment variable (tokens are never read from the file)',
      ],
      { SLACK_SIGNING_SECRET: 'sig', SLACK_APP_TOKEN: 'xapp', DISCORD_TOKEN: '' },
    ],
    [
      'a slack channel with a bot token but no way to receive /digest (no signing secret, no app token), said once',
      `${withChannel(['platform: slack', 'channel: C0123', cron])}  - { id: s2, platform: slack, channel: C0456, ${cron} }\n`,
      [
        'newsdigest.yaml:5: channels[0].platform: a slack channel needs SLACK_SIGNING_SECRET (/digest over HTTP) or SLACK_APP_TOKEN (Socket Mode) in the environment',
      ],
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: ' ' },
    ],
    [
      'allow-list entries that are not host:port',
      `${FEED}network:\n  allowPrivateHosts:\n    - 127.0.0.1\n    - "127.0.0.1:8080"\n    - http://127.0.0.1:80\n    - "[::1]:70000"\n`,
      [
        'newsdigest.yaml:5: network.allowPrivateHosts[0]: expected host:port (like 127.0.0.1:8080), got "127.0.0.1"',
        'newsdigest.yaml:7: network.allowPrivateHosts[2]: expected host:port (like 127.0.0.1:8080), got "http://127.0.0.1:80"',
        'newsdigest.yaml:8: network.allowPrivateHosts[3]: expected host:port (like 127.0.0.1:8080), got "[::1]:70000"',
      ],
    ],
    [
      'an unquoted Discord id (too long for a YAML number), a file channel without its path, an unknown platform',
      `${withChannel(['platform: discord', 'channel: 112233445566778899', cron])}  - { id: f, platform: file, ${cron} }\n  - { id: t, platform: teams, channel: x, ${cron} }\n`,
      [
        'newsdigest.yaml:6: channels[0].channel: put this id in quotes: it is too long for a YAML number',
        'newsdigest.yaml:8: channels[1].channel: missing (required: the output file path)',
        'newsdigest.yaml:9: channels[2].platform: expected one of console, file, slack, discord, got "teams"',
      ],
      { DISCORD_TOKEN: 'dt' },
    ],
    [
      'chat channels given by name where their id is needed',
      `${withChannel(['platform: slack', 'channel: "#policy-desk"', cron])}  - { id: d, platform: discord, channel: news, ${cron} }\n`,
      [
        'newsdigest.yaml:6: channels[0].channel: "#policy-desk" is not a Slack channel id: use the id (like C0123ABCD, at the bottom of the channel\'s details), not its name',
        'newsdigest.yaml:8: channels[1].channel: "news" is not a Discord channel id: use the number (Developer Mode on, right-click the channel, Copy Channel ID)',
      ],
      { SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's', DISCORD_TOKEN: 'dt' },
    ],
    [
      'a duplicate channel id and an admin channel that is not a channel',
      `${withChannel(['platform: console', cron])}  - { id: desk, platform: console, ${cron} }\nadminChannel: ops\n`,
      [
        'newsdigest.yaml:7: channels[1].id: "desk" is already used by channels[0]',
        'newsdigest.yaml:8: adminChannel: "ops" is not one of the channels\' ids (known: desk)',
      ],
    ],
    [
      'numbers and choices out of range',
      `${withChannel(['platform: console', cron, 'maxStories: 2.5', 'whenEmpty: sometimes'])}polling: { everyMinutes: 0 }\nretention: { days: "30" }\n`,
      [
        'newsdigest.yaml:7: channels[0].maxStories: expected a whole number above 0, got 2.5',
        'newsdigest.yaml:8: channels[0].whenEmpty: expected skip or notice, got "sometimes"',
        'newsdigest.yaml:9: polling.everyMinutes: expected a whole number above 0, got 0',
        'newsdigest.yaml:10: retention.days: expected a whole number above 0, got "30"',
      ],
    ],
    [
      'a DATABASE_URL it cannot use, without its password',
      FEED,
      [
        'environment: DATABASE_URL: "mysql://root:***@db/news" is not a supported storage URL (use sqlite://, redis://, rediss://, postgres:// or postgresql://)',
      ],
      { DATABASE_URL: 'mysql://root:hunter2@db/news' },
    ],
    ['no feeds', 'channels: []\n', ['newsdigest.yaml:1: feeds: missing (required)']],
    ['feeds not a list', 'feeds: a\n', ['newsdigest.yaml:1: feeds: expected a list of feeds, got "a"']],
    ['an empty feed list', 'feeds: []\n', ['newsdigest.yaml:1: feeds: expected at least one feed, got an empty list']],
    [
      'an empty file',
      '',
      ['newsdigest.yaml: expected a mapping with feeds, channels and the other settings, got nothing'],
    ],
    ['a key given twice', `${FEED}retention: {}\nretention: {}\n`, ['newsdigest.yaml:4: Map keys must be unique']],
    [
      'a topics file that does not exist',
      `${FEED}topics: topics/mine.yaml\n`,
      [
        'newsdigest.yaml:3: topics: topics file "topics/mine.yaml" not found (looked for /cfg/topics/mine.yaml and /pkg/topics/mine.yaml)',
      ],
    ],
  ];

  it.each(cases)('%s', (_name, source, expected, env = {}) => {
    expect(problems(source, env)).toEqual(expected);
  });

  it('reports every problem of a file at once, in line order', () => {
    const source = [
      'feeds:', //                                 1
      '  - url: ftp://a.example/feed', //          2
      '    nmae: A', //                            3
      'polling:', //                               4
      '  everyMinutes: often', //                  5
      'network: { allowPrivateHosts: [localhost] }', // 6
      'channels:', //                              7
      '  - id: policy-desk', //                    8
      '    platform: slack', //                    9
      '    channel: C0123', //                     10
      '    topics: [Ukraine talks, Weather]', //   11
      '    schedule: "0 7 * * *"', //              12
      '  - id: weekly', //                         13
      '    platform: console', //                  14
      '    schedule: "0 25 * * *"', //             15
      '    timezone: Mars/Olympus', //             16
      'storage: { url: "mysql://db/news" }', //    17
    ].join('\n');
    const {
      fileName,
      problems: [first],
    } = errorOf(source);
    expect([fileName, first]).toEqual([
      'newsdigest.yaml',
      { path: 'feeds[0].url', line: 2, message: expect.any(String) },
    ]);
    expect(problems(source)).toEqual([
      'newsdigest.yaml:2: feeds[0].url: "ftp://a.example/feed" is not an http:// or https:// URL',
      'newsdigest.yaml:3: feeds[0].nmae: unknown key "nmae" (did you mean "name"?)',
      'newsdigest.yaml:5: polling.everyMinutes: expected a whole number above 0, got "often"',
      'newsdigest.yaml:6: network.allowPrivateHosts[0]: expected host:port (like 127.0.0.1:8080), got "localhost"',
      'newsdigest.yaml:9: channels[0].platform: a slack channel needs SLACK_SIGNING_SECRET (/digest over HTTP) or SLACK_APP_TOKEN (Socket Mode) in the environment',
      'newsdigest.yaml:9: channels[0].platform: a slack channel needs the SLACK_BOT_TOKEN environment variable (tokens are never read from the file)',
      'newsdigest.yaml:11: channels[0].topics[1]: unknown topic "Weather" (known: Ukraine talks, Iran talks)',
      'newsdigest.yaml:15: channels[1].schedule: "0 25 * * *" is not a valid cron expression',
      'newsdigest.yaml:16: channels[1].timezone: "Mars/Olympus" is not an IANA time zone (like Europe/Berlin)',
      'newsdigest.yaml:17: storage.url: "mysql://db/news" is not a supported storage URL (use sqlite://, redis://, rediss://, postgres:// or postgresql://)',
    ]);
  });

  it('reports the topics file\u2019s own problems with its name and lines, after the config\u2019s', () => {
    const files = memoryFiles({
      '/cfg/config/topics.yaml': 'topics:\n  - name: A\n    terms: { x: 1 }\n    treshold: 2\n',
    });
    expect(problems(`${FEED}polling: { concurrency: 0 }\n`, {}, files)).toEqual([
      'newsdigest.yaml:3: polling.concurrency: expected a whole number above 0, got 0',
      '/cfg/config/topics.yaml:4: topics[0].treshold: unknown key "treshold" (did you mean "threshold"?)',
    ]);
  });

  it('reports a missing default topics file without a line', () => {
    expect(problems(FEED, {}, memoryFiles({}))).toEqual([
      'newsdigest.yaml: topics: topics file "config/topics.yaml" not found (looked for /cfg/config/topics.yaml and /pkg/config/topics.yaml)',
    ]);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsdigest-config-'));
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config/topics.yaml'), TOPICS_YAML);
    await writeFile(join(dir, 'newsdigest.yaml'), `${FEED}`);
    await writeFile(join(dir, 'other.yaml'), 'feeds:\n  - url: https://other.example/feed\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads ./newsdigest.yaml from cwd by default, with topics next to it', async () => {
    const config = await loadConfig({ env: {}, cwd: dir });
    expect(config.feeds.map((f) => f.name)).toEqual(['a.example']);
    expect(config.topics).toBe(join(dir, 'config/topics.yaml'));
  });

  it('takes NEWSDIGEST_CONFIG, and --config before it', async () => {
    const env = { NEWSDIGEST_CONFIG: 'other.yaml' };
    expect((await loadConfig({ env, cwd: dir })).feeds[0]?.name).toBe('other.example');
    expect((await loadConfig({ path: 'newsdigest.yaml', env, cwd: dir })).feeds[0]?.name).toBe('a.example');
  });

  it('explains a missing config file, and how to start one', async () => {
    const missing = loadConfig({ env: {}, cwd: join(dir, 'config') });
    await expect(missing).rejects.toThrow(
      './newsdigest.yaml: cannot read the config file: no such file (copy config/newsdigest.example.yaml to newsdigest.yaml, or pass --config PATH or set NEWSDIGEST_CONFIG)',
    );
    await expect(loadConfig({ path: 'nope.yaml', env: {}, cwd: dir })).rejects.toThrow(
      /^nope\.yaml: cannot read the config file: no such file$/,
    );
  });
});

describe('config/newsdigest.example.yaml', () => {
  it('validates with no environment and uses the shipped topics', async () => {
    const config = await loadConfig({ path: EXAMPLE, env: {}, cwd: tmpdir() });
    expect(config.feeds).toHaveLength(2);
    expect(config.channels.map((c) => c.platform)).toEqual(['console']);
    expect(config.topics).toBe(join(ROOT, 'config/topics.yaml'));
    expect(config.storage.kind).toBe('sqlite');
  });

  it('has a Slack and a Discord channel that validate once uncommented and given tokens', async () => {
    const source = (await readFile(EXAMPLE, 'utf8')).replace(/^ {2}# (?=- | {2})/gm, '  ');
    const options = { configDir: join(ROOT, 'config'), packageRoot: ROOT };
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sig', DISCORD_TOKEN: 'dt' };
    const config = parseConfig(source, 'example.yaml', env, options);
    expect(config.channels.map((c) => [c.platform, c.channel])).toEqual([
      ['console', 'stdout'],
      ['slack', 'C0123456789'],
      ['discord', '112233445566778899'],
    ]);
    expect(() => parseConfig(source, 'example.yaml', {}, options)).toThrow(/SLACK_BOT_TOKEN[\s\S]*DISCORD_TOKEN/);
  });
});
