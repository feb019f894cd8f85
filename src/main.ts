// The composition root: the only module that knows every concrete piece. No work happens at import time, and
// nothing heavy is imported up front: each command loads its own code (and the platform SDKs only when a command
// needs them), so `newsdigest --help` and `--version` start at once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from './cli/errors.js';
import type { ComposeOptions } from './compose.js';
import type { AppConfig } from './config.js';

const USAGE = `usage: newsdigest <command> [options]

commands:
  digest        build a digest from a .jsonl file or a directory of articles and print it
  run           poll feeds and post digests on schedule (--once: do it all now and exit)
  feeds         list every feed's health and what its last poll noted
  search        answer a /digest query from the stored stories, as chat does: search "iran since:3d"
  discord       discord register: register the /digest command
  check-config  validate the configuration (--config PATH, else $NEWSDIGEST_CONFIG, else ./newsdigest.yaml);
                --connect also tries the storage and the Slack and Discord tokens

options:
  --version     print newsdigest's version
  --help        print this text

run "newsdigest <command> --help" for a command's options`;

/** Where the shipped config lives, whatever the working directory. */
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_TOPICS = `${PACKAGE_ROOT}config/topics.yaml`;

/** The version in package.json, read when asked. */
function version(): string {
  const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
    now: () => new Date().toISOString(),
    defaultTopicsPath: DEFAULT_TOPICS,
  };
  try {
    switch (command) {
      case 'digest': {
        const { runDigestCommand } = await import('./cli/digest-command.js');
        return await runDigestCommand(rest, io);
      }
      case 'run':
      case 'feeds':
      case 'search':
      case 'discord': {
        const runIo = {
          ...io,
          env: () => process.env,
          cwd: () => process.cwd(),
          compose: async (config: AppConfig) => {
            // the platforms, storage and feed code load here, for the commands that work with them
            const [{ composeApp, createLogger }, { appSecrets }] = await Promise.all([
              import('./compose.js'),
              import('./secrets.js'),
            ]);
            const options: ComposeOptions = {
              logger: createLogger(process.env.LOG_LEVEL, appSecrets(config)),
              clock: { now: () => new Date() },
              stdout: io.stdout,
              cwd: process.cwd(),
              discordCommands: command === 'discord',
              // `feeds` and `search` read the store: no platform SDK is loaded for them
              platforms: command !== 'feeds' && command !== 'search',
            };
            return composeApp(config, options);
          },
          stderrIsTTY: process.stderr.isTTY === true,
          stopSignal: () =>
            new Promise<string>((resolve) => {
              process.once('SIGINT', () => resolve('SIGINT'));
              process.once('SIGTERM', () => resolve('SIGTERM'));
            }),
        };
        if (command === 'search') {
          const { runSearchCommand } = await import('./cli/search-command.js');
          return await runSearchCommand(rest, { ...runIo, now: () => new Date() });
        }
        const commands = await import('./cli/run-command.js');
        if (command === 'run') return await commands.runRunCommand(rest, runIo);
        if (command === 'discord') return await commands.runDiscordCommand(rest, runIo);
        return await commands.runFeedsCommand(rest, runIo);
      }
      case 'check-config': {
        const { runCheckConfigCommand } = await import('./cli/check-config-command.js');
        return await runCheckConfigCommand(rest, { ...io, env: () => process.env, cwd: () => process.cwd() });
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      case 'version':
      case '--version':
      case '-V':
        io.stdout(`newsdigest ${version()}\n`);
        return 0;
      default:
        io.stderr(`newsdigest: unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`newsdigest: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'StorageUnavailableError') {
      // storage that is down is the operator's to fix or wait out, not a bug: one line, no stack (known by name, so
      // the storage code is not loaded for commands that never open it)
      io.stderr(`newsdigest: ${error.message}\n`);
      return 1;
    }
    io.stderr(
      `newsdigest: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
