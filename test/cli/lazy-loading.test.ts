// `newsdigest --help`, `--version` and the commands that never post must not load the platform SDKs or the storage
// backends: loading them took seconds. Each SDK is wrapped so the test sees whether anything imported it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const loaded = vi.hoisted(() => new Set<string>());
vi.mock('@slack/bolt', async (original) => {
  loaded.add('@slack/bolt');
  return original();
});
vi.mock('discord.js', async (original) => {
  loaded.add('discord.js');
  return original();
});
vi.mock('keyv', async (original) => {
  loaded.add('keyv');
  return original();
});
vi.mock('pino', async (original) => {
  loaded.add('pino');
  return original();
});

const { main } = await import('../../src/main.js');
const loadedByImport = [...loaded];

let out: string[];
beforeEach(() => {
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    out.push(String(text));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    out.push(String(text));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

// a module is loaded once per process: `loaded` only grows, so the commands that must load nothing come first
describe('what each command loads', () => {
  it('importing the entry point loads nothing', () => {
    expect(loadedByImport).toEqual([]);
  });

  it.each(
    [
      ['--help'],
      ['--version'],
      ['nonsense'],
      ['digest', '--help'],
      ['run', '--help'],
      ['check-config', '--help'],
      ['search', '--help'],
      ['search', 'since:3x'],
    ].map((argv) => [argv.join(' '), argv] as const),
  )('`newsdigest %s` loads no SDK and no storage', async (_shown, argv) => {
    await main(argv);
    expect([...loaded]).toEqual([]);
  });

  it('--version prints the version in package.json', async () => {
    expect(await main(['--version'])).toBe(0);
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(out.join('')).toBe(`newsdigest ${pkg.version}\n`);
  });

  describe('with a Slack channel configured', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'newsdigest-lazy-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('`feeds` loads storage but not the Slack SDK', async () => {
      const config = join(dir, 'newsdigest.yaml');
      await writeFile(
        config,
        [
          'feeds: [{ url: "https://a.example/feed", name: A }]',
          `storage: { url: "sqlite://${join(dir, 'db.sqlite')}" }`,
          'channels: [{ id: desk, platform: slack, channel: C1, schedule: "0 8 * * *" }]',
        ].join('\n'),
      );
      vi.stubEnv('SLACK_BOT_TOKEN', 'xoxb-1');
      vi.stubEnv('SLACK_SIGNING_SECRET', 'secret');
      vi.stubEnv('LOG_LEVEL', 'silent');
      try {
        expect(await main(['feeds', '--config', config])).toBe(0);
      } finally {
        vi.unstubAllEnvs();
      }
      expect(out.join('')).toContain('A  https://a.example/feed');
      expect(loaded.has('keyv')).toBe(true);
      expect(loaded.has('@slack/bolt')).toBe(false);
      expect(loaded.has('discord.js')).toBe(false);
    });

    it('`search` answers from storage without loading the Slack or Discord SDK', async () => {
      const config = join(dir, 'newsdigest.yaml');
      await writeFile(
        config,
        [
          'feeds: [{ url: "https://a.example/feed", name: A }]',
          `storage: { url: "sqlite://${join(dir, 'db.sqlite')}" }`,
          'channels:',
          '  - { id: desk, platform: slack, channel: C1, schedule: "0 8 * * *" }',
          '  - { id: chat, platform: discord, channel: "900", schedule: "0 8 * * *" }',
        ].join('\n'),
      );
      vi.stubEnv('SLACK_BOT_TOKEN', 'xoxb-1');
      vi.stubEnv('SLACK_SIGNING_SECRET', 'secret');
      vi.stubEnv('DISCORD_TOKEN', 'discord-1');
      vi.stubEnv('LOG_LEVEL', 'silent');
      try {
        expect(await main(['search', 'bridge', '--config', config, '--channel', 'desk'])).toBe(0);
      } finally {
        vi.unstubAllEnvs();
      }
      expect(out.join('')).toContain("No articles about 'bridge' in the last 3 days");
      expect(loaded.has('@slack/bolt')).toBe(false);
      expect(loaded.has('discord.js')).toBe(false);
    });
  });
});
