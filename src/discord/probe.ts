// `newsdigest check-config --connect` for Discord: one GET /users/@me with the configured token and API URL, no
// retries, answered as a line a person can act on.
import { DiscordAPIError, REST, Routes } from 'discord.js';

export interface DiscordProbeOptions {
  readonly token: string;
  readonly apiUrl: string;
  readonly timeoutMs?: number;
}

export async function probeDiscord(options: DiscordProbeOptions): Promise<{ ok: boolean; detail: string }> {
  const rest = new REST({ api: options.apiUrl, retries: 0, timeout: options.timeoutMs ?? 10_000 }).setToken(
    options.token,
  );
  try {
    const me = (await rest.get(Routes.user())) as { username?: string; id?: string };
    return { ok: true, detail: `bot ${me.username ?? '?'} (${me.id ?? '?'})` };
  } catch (error) {
    return { ok: false, detail: explain(error, options.apiUrl) };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

function explain(error: unknown, apiUrl: string): string {
  if (error instanceof DiscordAPIError && error.status === 401) {
    return 'HTTP 401: DISCORD_TOKEN is not valid: copy the bot token from the Developer Portal (your app > Bot > Reset Token)';
  }
  if (error instanceof DiscordAPIError) {
    return `HTTP ${error.status}: ${error.message}: check DISCORD_TOKEN and discord.apiUrl`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Discord could not be reached at ${apiUrl} (${reason}): check the network and discord.apiUrl`;
}
