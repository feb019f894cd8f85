// Property tests of the YAML readers: whatever a config or topics file holds, parsing either succeeds or throws a
// ConfigError (a message for the user), never anything else, and a bad file never stalls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTopicsYaml } from '../../src/config/topics-file.js';
import { ConfigError, type ConfigFiles, parseConfig } from '../../src/config.js';

const RUNS = { numRuns: 300 };
const TOPICS = 'topics:\n  - { name: Ukraine talks, terms: { ceasefire: 3 } }\n';
const files: ConfigFiles = {
  exists: (path) => path === '/cfg/config/topics.yaml',
  readText: () => TOPICS,
};

/** Lines and fragments of a config, valid and not, and YAML's stranger syntax (tags, anchors, merge keys). */
const FRAGMENTS = [
  'feeds:',
  '  - url: https://a.example/feed',
  '  - { url: "http://b.example/rss", name: B, pollMinutes: 30 }',
  '    name: Wire',
  '    pollMinutes: 0',
  'channels:',
  '  - { id: desk, platform: slack, channel: C1, schedule: "0 8 * * *", timezone: Europe/Berlin }',
  '  - { id: desk, platform: discord, channel: 123456789012345678901, schedule: "61 * * * *" }',
  '  - id: screen',
  '    platform: console',
  '    timezone: Mars/Olympus',
  '    topics: [Ukraine talks, Nope]',
  'adminChannel: desk',
  'storage: { url: "redis://u:p@h:1" }',
  'storage: { url: 1 }',
  'polling: { everyMinutes: -1, concurrency: 1e999 }',
  'network: { allowPrivateHosts: ["127.0.0.1:99999"] }',
  'topics: config/topics.yaml',
  'topics: /nowhere.yaml',
  'slack: { port: 70000, apiUrl: "ftp://x" }',
  'discord: { guildId: 1.5 }',
  '&a',
  '*a',
  '*nope',
  '<<: *a',
  '<<: [*a, *b]',
  'x: &a { y: 1 }',
  'y: &b [1, 2]',
  '!!binary',
  '!!timestamp 2020-13-45',
  '!!int x',
  '!!float .nan',
  '!!set { a, b }',
  '!!omap [ a: 1 ]',
  '!!map',
  '!!seq',
  '!custom',
  '!<tag:yaml.org,2002:str>',
  '? [a, b]',
  '? { a: 1 }',
  ': 1',
  '- ',
  '---',
  '...',
  '%YAML 1.1',
  '%TAG ! tag:x,2000:',
  '# comment',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '|',
  '>-',
  '\t',
  '  ',
  '~',
  'null',
  '0x1F',
  '0o17',
  '.inf',
  '__proto__: { polluted: true }',
  'constructor: 1',
  'toString: 2',
];

const configText = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((lines) => lines.join('\n')),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(' ')),
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((value) => stringify(value) ?? ''),
  fc.anything({ withMap: true, withSet: true, withDate: true, withNullPrototype: true }).map((value) => {
    try {
      return stringify(value) ?? '';
    } catch {
      return String(value);
    }
  }),
);

function onlyConfigErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

describe('config parser properties', () => {
  it('newsdigest.yaml: any text parses or is a ConfigError', () => {
    fc.assert(
      fc.property(configText, fc.boolean(), (source, tokens) => {
        const env = tokens ? { SLACK_BOT_TOKEN: 'xoxb-1', DISCORD_TOKEN: 'd', DATABASE_URL: 'nope://x' } : {};
        onlyConfigErrors(() =>
          parseConfig(source, 'newsdigest.yaml', env, { configDir: '/cfg', packageRoot: '/pkg', files }),
        );
      }),
      RUNS,
    );
  });

  it('topics.yaml: any text parses or is a ConfigError', () => {
    fc.assert(
      fc.property(configText, (source) => {
        onlyConfigErrors(() => parseTopicsYaml(`topics:\n${source}`, 'topics.yaml'));
        onlyConfigErrors(() => parseTopicsYaml(source, 'topics.yaml'));
      }),
      RUNS,
    );
  });
});
