// Finding the messages an interrupted digest had posted before it could record them (ADR 009). Every digest
// message carries a nonce (`<item nonce>.<part>`) with enforce_nonce, so Discord itself answers a repeated post
// within a few minutes with the message it already has; past that, the retry reads the channel's or thread's recent
// messages and matches the nonce, or, where Discord leaves the nonce out of a listed message, the same payload.
import { type REST, Routes } from 'discord.js';
import type { Logger } from '../ports.js';
import type { MessagePayload } from './render.js';

/** Messages read per lookup: Discord's maximum page, far more than a digest thread holds. */
export const LOOKUP_LIMIT = 100;

export interface ListedMessage {
  readonly id: string;
  readonly nonce?: string | number | null;
  readonly content?: string;
  readonly embeds?: readonly { title?: string; url?: string; description?: string }[];
  readonly author?: { readonly id?: string };
}

export interface PostedMessages {
  /**
   * The earlier message of this nonce, if it is among the recent ones; where the listing leaves nonces out, the one
   * `same` accepts (by default: the same payload).
   */
  find(nonce: string, payload: MessagePayload, same?: (listed: ListedMessage) => boolean): string | undefined;
}

export const NONE_POSTED: PostedMessages = { find: () => undefined };

/**
 * A digest's parent names its window as "heading · <start> to <end>", and the end is the time of each attempt: an
 * earlier attempt's parent is the one whose first line starts the same, up to the end.
 */
export function sameDigestStart(payload: MessagePayload): (listed: ListedMessage) => boolean {
  const start = (content: string | undefined) => (content ?? '').split('\n')[0]?.split(' to ')[0] ?? '';
  const wanted = start(payload.content);
  return (listed) => wanted !== '' && start(listed.content) === wanted;
}

/** A message body with the nonce Discord checks for repeats. */
export type NoncedPayload = MessagePayload & { nonce?: string; enforce_nonce?: boolean };

export function withNonce(payload: MessagePayload, nonce: string | undefined): NoncedPayload {
  return nonce === undefined ? payload : { ...payload, nonce, enforce_nonce: true };
}

/** The recent messages of a channel or thread; a failed read finds nothing (posting again risks a repeat, no loss). */
export async function recentMessages(rest: REST, channelId: string, logger: Logger): Promise<PostedMessages> {
  let listed: ListedMessage[];
  try {
    const query = new URLSearchParams({ limit: String(LOOKUP_LIMIT) });
    listed = (await rest.get(Routes.channelMessages(channelId), { query })) as ListedMessage[];
  } catch (error) {
    logger.warn({ err: error, channelId }, 'could not read recent messages to find an interrupted post: posting again');
    return NONE_POSTED;
  }
  const byNonce = new Map<string, string>();
  for (const m of listed) if (m.nonce !== undefined && m.nonce !== null) byNonce.set(String(m.nonce), m.id);
  return {
    find(nonce, payload, same) {
      const exact = byNonce.get(nonce);
      if (exact !== undefined) return exact;
      // a listed message without its nonce is matched on what it says: the render is pure, so a retry renders
      // the same story the same way unless an article came in between (then it is posted again)
      const wanted = fingerprint(payload);
      const matches = same ?? ((m: ListedMessage) => fingerprint(m) === wanted);
      return listed.find((m) => (m.nonce === undefined || m.nonce === null) && matches(m))?.id;
    },
  };
}

function fingerprint(m: Pick<ListedMessage, 'content' | 'embeds'>): string {
  const embeds = (m.embeds ?? []).map((e) => [e.title ?? '', e.url ?? '', e.description ?? '']);
  return JSON.stringify([m.content ?? '', embeds]);
}
