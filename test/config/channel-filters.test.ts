// Per-channel feed lists and filters in the config: resolved to feed names, channel-only feeds polled too, every
// problem reported with its line.
import { describe, expect, it } from 'vitest';
import { type AppConfig, ConfigError, type ConfigFiles, parseConfig } from '../../src/config.js';

const FILES: ConfigFiles = {
  exists: (path) => path === '/cfg/config/topics.yaml',
  readText: () => 'topics:\n  - { name: Iran talks, terms: { enrichment: 3 } }\n',
};
const parse = (source: string): AppConfig =>
  parseConfig(source, 'newsdigest.yaml', {}, { configDir: '/cfg', packageRoot: '/pkg', files: FILES });
function problems(source: string): string[] {
  try {
    parse(source);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n').filter((l) => l.startsWith('newsdigest.yaml:'));
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const FEEDS = [
  'feeds:',
  '  - { url: "https://wire.example/rss", name: Wire }',
  '  - { url: "https://paper.example/rss", name: Paper }',
  'channels:',
];
const channel = (extra: string) => `  - { id: desk, platform: console, schedule: "0 7 * * *", ${extra} }`;

describe('channels[].feeds, keywords and mutedSources', () => {
  it('follows the global list by default, with no filter', () => {
    const config = parse([...FEEDS, channel('topics: []')].join('\n'));
    expect(config.globalFeeds).toEqual(['Wire', 'Paper']);
    expect(config.channels[0]).toMatchObject({ feeds: null, keywords: [], exclusions: [], mutedSources: [] });
  });

  it('resolves names and URLs of global feeds, and polls a channel-only feed without adding it to the global list', () => {
    const config = parse(
      [
        ...FEEDS,
        channel(
          'feeds: [wire, "https://paper.example/rss", "https://local.example/feed", { url: "https://extra.example/x", name: Extra, pollMinutes: 5 }]',
        ),
      ].join('\n'),
    );
    expect(config.channels[0]?.feeds).toEqual(['Wire', 'Paper', 'local.example', 'Extra']);
    expect(config.feeds.map((f) => [f.name, f.pollMinutes])).toEqual([
      ['Wire', 15],
      ['Paper', 15],
      ['local.example', 15],
      ['Extra', 5],
    ]);
    expect(config.globalFeeds).toEqual(['Wire', 'Paper']);
  });

  it('splits keywords from -exclusions, and keeps muted outlets as written', () => {
    const config = parse(
      [
        ...FEEDS,
        channel('keywords: [iran, "prisoner swap", -football, " - sport "], mutedSources: [Tabloid Daily]'),
      ].join('\n'),
    );
    expect(config.channels[0]).toMatchObject({
      keywords: ['iran', 'prisoner swap'],
      exclusions: ['football', 'sport'],
      mutedSources: ['Tabloid Daily'],
    });
  });

  it('reports each bad entry with its line', () => {
    expect(
      problems(
        [
          ...FEEDS,
          channel('feeds: [Nope, { url: "ftp://x.example/rss" }]'),
          '  - id: sport',
          '    platform: console',
          '    schedule: "0 7 * * *"',
          '    keywords: iran',
          '    mutedSources: [""]',
          '    feeds: [{ url: "https://other.example/rss", name: Wire }]',
        ].join('\n'),
      ),
    ).toEqual([
      'newsdigest.yaml:5: channels[0].feeds[1].url: "ftp://x.example/rss" is not an http:// or https:// URL',
      'newsdigest.yaml:9: channels[1].keywords: expected a list of keywords (a leading - makes an exclusion), got "iran"',
      'newsdigest.yaml:10: channels[1].mutedSources[0]: expected non-empty text, got ""',
    ]);
    expect(
      problems(
        [
          ...FEEDS,
          channel('feeds: [Nope]'),
          channel('feeds: [{ url: "https://other.example/rss", name: wire }]').replace('desk', 'sport'),
        ].join('\n'),
      ),
    ).toEqual([
      'newsdigest.yaml:5: channels[0].feeds[0]: unknown feed "Nope" (global feeds: Wire, Paper)',
      'newsdigest.yaml:6: channels[1].feeds[0]: the name "wire" is already another feed\'s (https://wire.example/rss): give this one a name of its own',
    ]);
  });

  it('takes Slack editors as user and user group ids', () => {
    const config = parse(
      [...FEEDS, '', 'slack: { editors: { users: [U1], userGroups: [S1] } }'].join('\n').replace('channels:\n', ''),
    );
    expect(config.slack.editors).toEqual({ users: ['U1'], userGroups: ['S1'] });
  });
});
