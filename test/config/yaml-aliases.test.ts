// YAML aliases are resolved after parsing: an alias without its anchor, or a chain of aliases built to expand into
// millions of values, must come back as a ConfigError at its line, never as a ReferenceError and a stack trace.
import { describe, expect, it } from 'vitest';
import { parseTopicsYaml } from '../../src/config/topics-file.js';
import { ConfigError, parseConfig } from '../../src/config.js';

/** Nine lists, each holding the previous one nine times: 9^9 values once expanded. */
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefghi'.split('').map((name, i) => {
    const previous = 'abcdefgh'[i] ?? 'a';
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`;
  }),
  'feeds: *i',
].join('\n');

function errorOf(parse: () => unknown): unknown {
  try {
    parse();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('aliases in newsdigest.yaml', () => {
  it('an alias that names no anchor is a ConfigError at its line', () => {
    const error = errorOf(() => parseConfig('polling: {}\nfeeds: *nope\n', 'newsdigest.yaml', {}));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'newsdigest.yaml:2: alias *nope names no anchor: define &nope before it, or write the value out',
    );
  });

  it('an alias bomb is a ConfigError, found quickly', () => {
    const started = Date.now();
    const error = errorOf(() => parseConfig(ALIAS_BOMB, 'newsdigest.yaml', {}));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^newsdigest\.yaml:\d+: aliases expand to too many values/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an alias used before its anchor is reported, as YAML resolves only backwards', () => {
    const error = errorOf(() => parseConfig('feeds: *later\nother: &later []\n', 'newsdigest.yaml', {}));
    expect((error as ConfigError).problems).toEqual([
      {
        path: '',
        line: 1,
        message: 'alias *later names no anchor: define &later before it, or write the value out',
      },
    ]);
  });
});

describe('aliases in the topics file', () => {
  it('an unknown alias is a ConfigError too', () => {
    const error = errorOf(() => parseTopicsYaml('topics: *missing\n', 'topics.yaml'));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('topics.yaml:1: alias *missing names no anchor');
  });
});
