// What goes wrong delivering to Discord, with the hint a server admin needs to fix it.
import { DiscordAPIError } from 'discord.js';

export type DeliveryStep =
  | 'read channel'
  | 'post digest'
  | 'create thread'
  | 'post story'
  | 'post update'
  | 'reply'
  | 'correct digest counts';

/** Discord error codes that mean the bot is not allowed to do something in this channel, and what to do about it. */
const HINTS: Record<number, string> = {
  10003: 'Discord does not know this channel id: check the channel in the config (right click > Copy Channel ID)',
  50001:
    'Missing Access: the bot cannot see this channel; add it to the server and give it View Channel on the channel',
  50013:
    'Missing Permissions: give the bot Send Messages, Create Public Threads, Send Messages in Threads and Embed Links in this channel',
  50024: 'threads cannot be created in this kind of channel: use a text, announcement or forum channel',
  160002: 'threads cannot be created in this channel: allow Create Public Threads for the bot',
  160005: 'the thread is locked: unlock it or let the bot post updates in a new digest',
  160006: 'the server has reached its maximum of active threads: archive some threads',
};

export class DiscordDeliveryError extends Error {
  override readonly name = 'DiscordDeliveryError';
  constructor(
    readonly channelId: string,
    readonly step: DeliveryStep,
    /** Discord's JSON error code (50013 ...), or null when the request failed otherwise. */
    readonly code: number | null,
    readonly hint: string | null,
    options: ErrorOptions,
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`Discord channel ${channelId}: could not ${step}: ${hint ?? reason}`, options);
  }

  /** Whether this is the bot lacking access or permissions rather than Discord failing. */
  get isPermission(): boolean {
    return this.code !== null && this.code in HINTS;
  }
}

export function deliveryError(channelId: string, step: DeliveryStep, cause: unknown): DiscordDeliveryError {
  if (cause instanceof DiscordDeliveryError) return cause;
  const code = cause instanceof DiscordAPIError && typeof cause.code === 'number' ? cause.code : null;
  let hint = code === null ? null : (HINTS[code] ?? null);
  if (step === 'create thread' && code === 50013) {
    hint = 'Missing Permissions: the bot needs Create Public Threads (and Send Messages in Threads) here';
  }
  return new DiscordDeliveryError(channelId, step, code, hint, { cause });
}
