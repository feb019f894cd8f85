// The `/digest` application command: its definition (options query, since, topic, source, private) and its
// registration, guild-scoped when a guild id is configured (instant), else global (Discord may take a while to show
// a changed global command).

import { type REST, type RESTPutAPIApplicationCommandsJSONBody, Routes, SlashCommandBuilder } from 'discord.js';
import type { Logger } from '../ports.js';
import { truncate } from './limits.js';

export const DIGEST_COMMAND = 'digest';
/** Discord allows at most 25 choices; more topics than that are typed instead of picked. */
const MAX_CHOICES = 25;

export function digestCommand(topicNames: readonly string[]): RESTPutAPIApplicationCommandsJSONBody[number] {
  const topics = [...new Set(topicNames.map((t) => t.trim()).filter((t) => t !== ''))];
  return new SlashCommandBuilder()
    .setName(DIGEST_COMMAND)
    .setDescription('A digest of the stored news: words, a window, a topic or an outlet')
    .addStringOption((o) =>
      o
        .setName('query')
        .setDescription('Words that must appear ("quote a phrase"); or help, status, feeds, topics, subscribe URL')
        // room for a feed URL after `subscribe`
        .setMaxLength(1000),
    )
    .addStringOption((o) =>
      o.setName('since').setDescription('12h, 3d, 2w or a date like 2025-04-01 (default 3d)').setMaxLength(40),
    )
    .addStringOption((o) => {
      o.setName('topic').setDescription('One configured topic').setMaxLength(100);
      if (topics.length > 0 && topics.length <= MAX_CHOICES) {
        o.addChoices(...topics.map((t) => ({ name: truncate(t, 100), value: truncate(t, 100) })));
      }
      return o;
    })
    .addStringOption((o) => o.setName('source').setDescription('One outlet, like reuters').setMaxLength(100))
    .addBooleanOption((o) => o.setName('private').setDescription('Answer only to me'))
    .toJSON();
}

export interface RegisterOptions {
  /** The application's id; asked from Discord (GET /applications/@me) when absent. */
  readonly applicationId?: string;
  readonly guildId?: string | undefined;
  readonly topicNames: readonly string[];
  readonly logger: Logger;
}

export class DiscordRegisterError extends Error {
  override readonly name = 'DiscordRegisterError';
}

/** Puts `/digest` (replacing the application's commands in that scope); returns where it went. */
export async function registerDigestCommand(rest: REST, options: RegisterOptions): Promise<'guild' | 'global'> {
  const body = [digestCommand(options.topicNames)];
  try {
    const app = options.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
    const scope = options.guildId ? 'guild' : 'global';
    const route = options.guildId
      ? Routes.applicationGuildCommands(app, options.guildId)
      : Routes.applicationCommands(app);
    await rest.put(route, { body });
    options.logger.info({ scope, guildId: options.guildId ?? null }, '/digest registered');
    return scope;
  } catch (error) {
    const where = options.guildId ? `in guild ${options.guildId}` : 'globally';
    const hint = options.guildId ? ' (is the bot in that server, invited with the applications.commands scope?)' : '';
    throw new DiscordRegisterError(`Could not register /digest ${where}${hint}`, { cause: error });
  }
}
