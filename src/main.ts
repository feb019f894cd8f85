// The composition root: the only module that knows every concrete piece. No work happens at import time.
import { fileURLToPath } from 'node:url';
import { runDigestCommand } from './cli/digest-command.js';
import { UserError } from './cli/errors.js';

const USAGE = `usage: newsdigest <command> [options]

commands:
  digest    build a digest from a .jsonl file or a directory of articles and print it

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
