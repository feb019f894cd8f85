// The `ops` block of the config (and its environment override): off unless a port is given, 127.0.0.1 by default.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AppConfig, ConfigError, type Env, parseConfig } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FEEDS = 'feeds: [{ url: "https://a.example/feed" }]';

function parse(source: string, env: Env = {}): AppConfig {
  return parseConfig(source, 'newsdigest.yaml', env, { configDir: ROOT, packageRoot: ROOT });
}

function problems(source: string, env: Env = {}): string[] {
  try {
    parse(source, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ops config', () => {
  it('is off when absent', () => {
    expect(parse(FEEDS).ops).toBeUndefined();
  });

  it('listens on 127.0.0.1 unless told otherwise; 0 is any free port', () => {
    expect(parse(`${FEEDS}\nops: { port: 9464 }`).ops).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parse(`${FEEDS}\nops: { port: 0, host: 0.0.0.0 }`).ops).toEqual({ port: 0, host: '0.0.0.0' });
  });

  it('reports a port out of range and an unknown key', () => {
    expect(problems(`${FEEDS}\nops: { port: 70000 }`)).toEqual([
      'ops.port: expected a port number from 0 to 65535 (0: any free port), got 70000',
    ]);
    expect(problems(`${FEEDS}\nops: { port: 9464, path: /x }`).join('\n')).toContain('path');
  });

  it('is turned on (and its host set) by NEWSDIGEST_OPS_PORT and NEWSDIGEST_OPS_HOST', () => {
    const env = { NEWSDIGEST_OPS_PORT: '9464', NEWSDIGEST_OPS_HOST: '0.0.0.0' };
    expect(parse(FEEDS, env).ops).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(parse(`${FEEDS}\nops: { port: 1234 }`, { NEWSDIGEST_OPS_PORT: '9464' }).ops).toEqual({
      port: 9464,
      host: '127.0.0.1',
    });
    // a host alone turns nothing on
    expect(parse(FEEDS, { NEWSDIGEST_OPS_HOST: '0.0.0.0' }).ops).toBeUndefined();
    expect(problems(FEEDS, { NEWSDIGEST_OPS_PORT: 'nine' })).toEqual([
      'NEWSDIGEST_OPS_PORT: expected a port number from 0 to 65535 (0: any free port)',
    ]);
  });
});
