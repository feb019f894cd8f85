// The configuration for the commands that work with the store (run, feeds, discord, search): a bad file is the
// operator's to fix, shown as its message with every problem, never as a stack trace.
import { type AppConfig, ConfigError, loadConfig } from '../config.js';
import { UserError } from './errors.js';

export interface ConfigIo {
  env: () => Record<string, string | undefined>;
  cwd: () => string;
}

/** `readsOnly`: the command posts nothing (search, feeds, opml), so Slack and Discord tokens are not asked for. */
export async function loadCommandConfig(
  io: ConfigIo,
  path: string | undefined,
  options: { readsOnly?: boolean } = {},
): Promise<AppConfig> {
  try {
    return await loadConfig({
      ...(path === undefined ? {} : { path }),
      env: io.env(),
      cwd: io.cwd(),
      ...(options.readsOnly ? { chatTokens: false } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message, 1, { cause: error });
    throw error;
  }
}
