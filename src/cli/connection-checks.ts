// `check-config --connect`: a valid file can still crash at start (a server down, a revoked token), so this opens
// and closes the storage and asks each configured platform who the bot is, and says for each what to fix.
// Each SDK is loaded only for the check that needs it.
import type { AppConfig } from '../config.js';

export interface ConnectionCheck {
  /** storage, slack or discord */
  readonly what: string;
  readonly ok: boolean;
  /** What was found, or what failed and what to do about it. */
  readonly detail: string;
}

export async function checkConnections(config: AppConfig, cwd: string): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [{ what: 'storage', ...(await checkStorage(config, cwd)) }];
  const slackToken = config.slack.botToken;
  if (slackToken !== undefined) {
    const { probeSlack } = await import('../slack/probe.js');
    checks.push({ what: 'slack', ...(await probeSlack({ botToken: slackToken, apiUrl: config.slack.apiUrl })) });
  }
  const discordToken = config.discord.token;
  if (discordToken !== undefined) {
    const { probeDiscord } = await import('../discord/probe.js');
    checks.push({ what: 'discord', ...(await probeDiscord({ token: discordToken, apiUrl: config.discord.apiUrl })) });
  }
  return checks;
}

async function checkStorage(config: AppConfig, cwd: string): Promise<{ ok: boolean; detail: string }> {
  const { openStorage, StorageUnavailableError } = await import('../storage/index.js');
  try {
    const storage = await openStorage(config.storage.url, { cwd });
    await storage.close();
    return { ok: true, detail: `${storage.backend} at ${storage.url} opened and closed` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof StorageUnavailableError
        ? 'is the server running and reachable from here, with this user and password? (storage.url, or DATABASE_URL)'
        : 'check storage.url (or DATABASE_URL)';
    return { ok: false, detail: `${reason}: ${hint}` };
  }
}
