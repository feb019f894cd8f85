// Answering `/digest`: parse first (instant), so help and mistakes are answered at once and only to the asker; a
// query is deferred (ephemerally: Discord fixes a reply's visibility when it is deferred) well within the 3 seconds
// Discord allows, answered from the stored articles, posted in the channel as a message with a thread of stories,
// and the deferred reply edited to link to it. With `private` the stories go into the ephemeral reply instead.

import {
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  MessageFlags,
  messageLink,
  PermissionFlagsBits,
  type REST,
} from 'discord.js';
import {
  type Asker,
  DIGEST_HELP,
  type DigestSearch,
  type EditorCommand,
  parseDigestQuery,
} from '../domain/digest-query.js';
import { plural } from '../domain/plural.js';
import type { ChannelDigest, Logger, QueryAnswer } from '../ports.js';
import { DiscordDeliveryError } from './errors.js';
import { DISCORD_LIMITS, truncate } from './limits.js';
import { postDigest } from './publisher.js';
import { type MessagePayload, md, mdKeepingCode, renderChannelDigest } from './render.js';

export interface DigestCommandDeps {
  readonly rest: REST;
  readonly logger: Logger;
  readonly answerQuery: (query: DigestSearch) => Promise<QueryAnswer>;
  readonly status: () => Promise<string[]>;
  readonly now: () => Date;
  /** The invoking channel's zone, for the answer's thread name. */
  readonly timeZone?: string;
  /** Answers `/digest subscribe|unsubscribe|mute|unmute|feeds|topics` (typed in `query`) for the asker. */
  readonly editor?: (command: EditorCommand, asker: Asker) => Promise<string>;
}

/** Who may change a channel's feeds from Discord. */
export const DISCORD_EDITORS = 'members with the Manage Channels permission';

export interface DigestOptions {
  readonly query: string | null;
  readonly since: string | null;
  readonly topic: string | null;
  readonly source: string | null;
  readonly private: boolean | null;
}

/** The slash-command help, in Discord's markdown, with how the options map onto the shared query language. */
export const DISCORD_DIGEST_HELP = `${DIGEST_HELP.replace(/\*([^*\n]+)\*/g, '**$1**')}
Type it all in \`query\` (\`/digest query: iran since:3d\`), or use the \`since\`, \`topic\`, \`source\` and \`private\` options.`;

/** The options as one query in the shared language, so Slack and Discord parse the same way. */
export function queryText(options: DigestOptions): string {
  const quote = (v: string) => (/\s/.test(v) ? `"${v.replace(/["“”]/g, '')}"` : v.replace(/["“”]/g, ''));
  const parts: string[] = [];
  if (options.query?.trim()) parts.push(options.query.trim());
  if (options.since?.trim()) parts.push(`since:${quote(options.since.trim())}`);
  if (options.topic?.trim()) parts.push(`topic:${quote(options.topic.trim())}`);
  if (options.source?.trim()) parts.push(`source:${quote(options.source.trim())}`);
  if (options.private) parts.push('private');
  return parts.join(' ');
}

export function optionsOf(interaction: ChatInputCommandInteraction): DigestOptions {
  const o = interaction.options;
  return {
    query: o.getString('query'),
    since: o.getString('since'),
    topic: o.getString('topic'),
    source: o.getString('source'),
    private: o.getBoolean('private'),
  };
}

export async function handleDigestCommand(
  interaction: ChatInputCommandInteraction,
  deps: DigestCommandDeps,
): Promise<void> {
  const log = deps.logger.child({ interaction: interaction.id, discordChannel: interaction.channelId });
  const query = parseDigestQuery(queryText(optionsOf(interaction)), deps.now());
  if (query.kind === 'help' || query.kind === 'error') {
    const text = query.kind === 'help' ? DISCORD_DIGEST_HELP : `${md(query.message)}\n\n${DISCORD_DIGEST_HELP}`;
    await interaction.reply({ content: truncate(text, DISCORD_LIMITS.content), flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    if (query.kind === 'status') {
      const lines = await deps.status();
      await interaction.editReply(truncate(lines.map(md).join('\n') || 'No status.', DISCORD_LIMITS.content));
      return;
    }
    if (query.kind !== 'search') {
      // the member's permissions in this channel, as Discord computed them for the interaction (none in a DM)
      const asker: Asker = {
        id: interaction.user.id,
        mayEdit: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
        whoMay: DISCORD_EDITORS,
      };
      const text = deps.editor ? await deps.editor(query, asker) : 'Changing feeds from chat is not available here.';
      await interaction.editReply({
        content: truncate(mdKeepingCode(text), DISCORD_LIMITS.content),
        allowedMentions: { parse: [] },
      });
      return;
    }
    await answerSearch(interaction, query, deps, log);
  } catch (error) {
    const hint = error instanceof DiscordDeliveryError ? (error.hint ?? error.message) : 'something went wrong';
    log.error({ err: error }, '/digest failed');
    await interaction.editReply(truncate(`Sorry, the digest could not be posted: ${hint}`, DISCORD_LIMITS.content));
  }
}

async function answerSearch(
  interaction: ChatInputCommandInteraction,
  query: DigestSearch,
  deps: DigestCommandDeps,
  log: Logger,
): Promise<void> {
  const answer = await deps.answerQuery(query);
  if (answer.kind === 'empty') {
    await interaction.editReply(truncate(md(answer.message), DISCORD_LIMITS.content));
    return;
  }
  const channelId = interaction.channelId;
  const digest: ChannelDigest = {
    channel: channelId,
    from: query.since,
    to: deps.now().toISOString(),
    digest: answer.digest,
    stories: answer.digest.stories.map((story) => ({ kind: 'new', story })),
  };
  const heading = `Digest ${answer.description}`;
  const notes = {
    ...(answer.moreStories ? { moreStories: answer.moreStories } : {}),
    ...(answer.posted ? { posted: answer.posted } : {}),
    guildId: interaction.guildId,
  };
  const stories = answer.digest.stories.length;
  const summary = `${plural(stories, 'story', 'stories')} from ${plural(answer.matched, 'article')} ${answer.description}`;
  if (query.private) {
    const rendered = renderChannelDigest(digest, { heading, threaded: false, ...notes });
    await interaction.editReply(editOf(rendered.parent));
    for (const story of rendered.stories) {
      for (const message of story.messages) {
        await interaction.followUp({ ...editOf(message), flags: MessageFlags.Ephemeral });
      }
    }
    return;
  }
  const inThread = interaction.channel?.isThread() ?? false;
  const render = { heading, oneLine: true, ...notes, ...(deps.timeZone ? { timeZone: deps.timeZone } : {}) };
  const posted = await postDigest(deps.rest, channelId, digest, render, log, inThread);
  const link = messageLink(channelId, posted.messageId, interaction.guildId ?? '@me');
  await interaction.editReply(truncate(`Posted ${md(summary)}: ${link}`, DISCORD_LIMITS.content));
}

function editOf(message: MessagePayload): InteractionEditReplyOptions & { content?: string } {
  const out: InteractionEditReplyOptions & { content?: string } = { allowedMentions: { parse: [] } };
  if (message.content !== undefined) out.content = message.content;
  if (message.embeds !== undefined) out.embeds = message.embeds;
  return out;
}
