// The composition root: the only module that knows every concrete piece. No work happens at import time.
import { fileURLToPath } from 'node:url';
import { runCheckConfigCommand } from './cli/check-config-command.js';
import { runDigestCommand } from './cli/digest-command.js';
import { UserError } from './cli/errors.js';
import { runDiscordCommand, runFeedsCommand, runRunCommand } from './cli/run-command.js';
import { composeApp, createLogger } from './compose.js';

const USAGE = `usage: newsdigest <command> [options]

commands:
  digest        build a digest from a .jsonl file or a directory of articles and print it
  run           poll feeds and post digests on schedule (--once: do it all now and exit)
  feeds         list every feed's health
  discord       discord register: register the /digest command
  check-config  validate the configuration (--config PATH, else $NEWSDIGEST_CONFIG, else ./newsdigest.yaml)

run "newsdigest <command> --help" for a command's options`;

/** Where the shipped config lives, whatever the working directory. */
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_TOPICS = `${PACKAGE_ROOT}config/topics.yaml`;

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
      case 'digest':
        return await runDigestCommand(rest, io);
      case 'run':
      case 'feeds':
      case 'discord': {
        const runIo = {
          ...io,
          env: () => process.env,
          cwd: () => process.cwd(),
          compose: (config: Parameters<typeof composeApp>[0]) =>
            composeApp(config, {
              logger: createLogger(process.env.LOG_LEVEL),
              clock: { now: () => new Date() },
              stdout: io.stdout,
              cwd: process.cwd(),
              discordCommands: command === 'discord',
            }),
          stopSignal: () =>
            new Promise<string>((resolve) => {
              process.once('SIGINT', () => resolve('SIGINT'));
              process.once('SIGTERM', () => resolve('SIGTERM'));
            }),
        };
        if (command === 'run') return await runRunCommand(rest, runIo);
        if (command === 'discord') return await runDiscordCommand(rest, runIo);
        return await runFeedsCommand(rest, runIo);
      }
      case 'check-config':
        return await runCheckConfigCommand(rest, { ...io, env: () => process.env, cwd: () => process.cwd() });
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`newsdigest: unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`newsdigest: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(
      `newsdigest: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
