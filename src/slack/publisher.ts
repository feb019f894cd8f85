// Posts a channel's digest to Slack: the parent message, then each story as a reply in its thread (updates go into
// the thread of the story's earlier post), paced to Slack's one message a second per channel. After each story
// `onPosted` lets the delivery ledger record it, so a restart never posts a story twice. With the delivery journal
// (ADR 009) every message carries metadata naming its nonce, an intent is written before it is sent, and a retry
// after an intent reads the thread (or the channel, for the parent) for it before posting again; the parent is
// kept per digest window, so a restart goes on in the same thread, and its counts are corrected at the end.
import type { webApi } from '@slack/bolt';
import {
  type ChannelDigest,
  type DeliveryJournal,
  type DeliveryLedger,
  DIGEST_PARENT_ITEM,
  type Logger,
  type Publisher,
} from '../ports.js';
import { SlackDeliveryError, toDeliveryError } from './errors.js';
import type { SlackMessage } from './limits.js';
import { ChannelPacer } from './pacer.js';
import { withRetryAfter } from './rate-limit.js';
import { renderChannelDigest } from './render.js';

type WebClient = webApi.WebClient;

/** Where each digest's parent message is, so an interrupted digest resumes in the same thread. */
export interface DigestThreads {
  /** The parent's ts for the channel's digest whose window starts at `windowStart`, when it was posted. */
  get(channel: string, windowStart: string): Promise<string | undefined>;
  put(channel: string, windowStart: string, ts: string): Promise<void>;
}

export function memoryThreads(): DigestThreads {
  const map = new Map<string, string>();
  return {
    get: async (channel, windowStart) => map.get(`${channel}\n${windowStart}`),
    put: async (channel, windowStart, ts) => {
      map.set(`${channel}\n${windowStart}`, ts);
    },
  };
}

/** Ledger entries under this prefix hold digest parents, not stories; no story id starts with it. */
export const THREAD_RECORD_PREFIX = 'slack-digest-parent:';

/**
 * Digest parents kept in the delivery ledger beside the stories, keyed by the window's start: a digest cut short
 * is rebuilt after a restart with the same start (the channel's last completed digest), so it finds its parent.
 */
export function ledgerThreads(ledger: DeliveryLedger, now: () => Date = () => new Date()): DigestThreads {
  return {
    get: async (channel, windowStart) => (await ledger.get(channel, THREAD_RECORD_PREFIX + windowStart))?.messageId,
    put: (channel, windowStart, ts) =>
      ledger.record({
        channel,
        storyId: THREAD_RECORD_PREFIX + windowStart,
        articleIds: [],
        messageId: ts,
        threadId: ts,
        postedAt: now().toISOString(),
      }),
  };
}

export interface SlackPublisherOptions {
  readonly client: WebClient;
  /** The Slack channel id (C0123ABCD). */
  readonly channel: string;
  /** IANA zone for the times shown in this channel. */
  readonly timeZone: string;
  readonly logger: Logger;
  /** Shared by every poster to the same workspace, so posts to one channel never overlap. */
  readonly pacer?: ChannelPacer;
  readonly threads?: DigestThreads;
}

export function createSlackPublisher(options: SlackPublisherOptions): Publisher {
  const { client, channel, timeZone } = options;
  const pacer = options.pacer ?? new ChannelPacer();
  const threads = options.threads ?? memoryThreads();
  const poster = slackPoster(client, pacer);

  return {
    async publish(digest, onPosted, journal): Promise<void> {
      const log = options.logger.child({ channel: digest.channel, slackChannel: channel });
      try {
        const planned = journal?.planned ?? digest.stories;
        if (planned.length === 0) {
          if (digest.notice) await poster.post(channel, renderChannelDigest(digest, { timeZone }).parent);
          return;
        }
        const permalinks = new Map<string, string>();
        for (const d of planned) {
          if (d.kind !== 'update') continue;
          const permalink = await poster.permalink(channel, d.earlier.messageId, log);
          if (permalink) permalinks.set(d.story.id, permalink);
        }
        // the parent counts every story of the window, those an interrupted attempt posted too
        const rendered = renderChannelDigest({ ...digest, stories: planned }, { timeZone, permalinks });
        const parent = await placeParent(digest, rendered.parent, journal, log);
        if (parent === null) return;
        const todo = new Map(digest.stories.map((d) => [d.story.id, d]));
        for (const story of rendered.stories) {
          const delivery = todo.get(story.storyId);
          if (!delivery) continue;
          const threadTs =
            delivery.kind === 'update' ? (delivery.earlier.threadId ?? delivery.earlier.messageId) : parent.ts;
          const intent = await journal?.intend(story.storyId);
          const seen = intent?.earlier ? await look(() => poster.findReplies(channel, threadTs), log) : NOTHING;
          let first: string | undefined;
          let found = false;
          for (const [part, message] of story.messages.entries()) {
            const key = intent && `${intent.nonce}.${part}`;
            const earlier = key === undefined ? undefined : seen.get(key);
            if (part === 0) found = earlier !== undefined;
            const tag = intent && storyTag(story.storyId, intent.nonce, part);
            const ts = earlier ?? (await poster.post(channel, message, threadTs, tag, journal?.beforeSend));
            first ??= ts;
          }
          if (first === undefined) continue;
          if (found) log.info({ storyId: story.storyId, ts: first }, 'story found in its thread: not posted again');
          await onPosted({ storyId: story.storyId, messageId: first, threadId: threadTs, ...(found ? { found } : {}) });
        }
        // a resumed digest's parent was rendered from the stories planned then: it now says what was posted
        if (parent.resumed) await poster.update(channel, parent.ts, rendered.parent);
      } catch (error) {
        // Slack's refusals get their hint logged here; anything else (the ledger failing) goes up unchanged
        if (error instanceof SlackDeliveryError) {
          log.error({ err: error, code: error.code, hint: error.hint }, 'Slack digest failed');
        }
        throw error;
      }
    },
  };

  /**
   * The digest's parent: the one an earlier attempt recorded, the one it posted without recording (found by its
   * metadata), or a new one. Null when there is nothing to post and no parent to correct.
   */
  async function placeParent(
    digest: ChannelDigest,
    message: SlackMessage,
    journal: DeliveryJournal | undefined,
    log: Logger,
  ): Promise<{ ts: string; resumed: boolean } | null> {
    const recorded = journal ? (await journal.parent())?.messageId : await threads.get(digest.channel, digest.from);
    if (recorded !== undefined) {
      log.info({ threadTs: recorded }, 'resuming an interrupted digest in its thread');
      return { ts: recorded, resumed: true };
    }
    if (digest.stories.length === 0) return null;
    const intent = await journal?.intend(DIGEST_PARENT_ITEM);
    if (intent?.earlier) {
      const oldest = Date.parse(intent.earlier.at) / 1000 - LOOK_BACK_SECONDS;
      const seen = await look(() => poster.findInChannel(channel, oldest), log);
      const ts = seen.get(`${intent.nonce}.0`);
      if (ts !== undefined) {
        log.info({ threadTs: ts }, 'digest parent found in the channel: resuming in its thread');
        await journal?.recordParent(ts, ts);
        return { ts, resumed: true };
      }
    }
    const tag = intent && parentTag(digest.from, intent.nonce);
    const ts = await poster.post(channel, message, undefined, tag, journal?.beforeSend);
    if (journal) await journal.recordParent(ts, ts);
    else await threads.put(digest.channel, digest.from, ts);
    return { ts, resumed: false };
  }
}

/** How far before an intent the channel's history is searched for the parent (clocks differ a little). */
const LOOK_BACK_SECONDS = 300;
const NOTHING: ReadonlyMap<string, string> = new Map();

/** A lookup that fails (a missing scope, Slack down) finds nothing: posting again risks a repeat, never a loss. */
async function look(find: () => Promise<Map<string, string>>, log: Logger): Promise<ReadonlyMap<string, string>> {
  try {
    return await find();
  } catch (error) {
    log.warn({ err: error }, 'could not look for the posts of an interrupted attempt: posting again');
    return NOTHING;
  }
}

/** Message metadata event types: what a lookup matches (with the nonce and part in the payload). */
export const STORY_EVENT = 'newsdigest_story';
export const PARENT_EVENT = 'newsdigest_digest';

export interface MessageTag {
  readonly event_type: string;
  readonly event_payload: Record<string, string | number>;
}

const storyTag = (storyId: string, nonce: string, part: number): MessageTag => ({
  event_type: STORY_EVENT,
  event_payload: { story_id: storyId, nonce, part },
});
const parentTag = (window: string, nonce: string): MessageTag => ({
  event_type: PARENT_EVENT,
  event_payload: { window, nonce, part: 0 },
});

export interface SlackPoster {
  /** Posts a message (paced per channel) and returns its ts. Throws SlackDeliveryError. */
  post(
    channel: string,
    message: SlackMessage,
    threadTs?: string,
    tag?: MessageTag,
    beforeSend?: () => Promise<void>,
  ): Promise<string>;
  /** Replaces a message's text and blocks (a resumed digest's parent counts). */
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** The tagged messages of a thread, by `<nonce>.<part>`. */
  findReplies(channel: string, threadTs: string): Promise<Map<string, string>>;
  /** The tagged messages in the channel since `oldest` (seconds), by `<nonce>.<part>`. */
  findInChannel(channel: string, oldest: number): Promise<Map<string, string>>;
  /** A link to a message, or null when Slack will not give one (the digest goes on without it). */
  permalink(channel: string, ts: string, log: Logger): Promise<string | null>;
}

export function slackPoster(client: WebClient, pacer: ChannelPacer): SlackPoster {
  return {
    async post(channel, message, threadTs, tag, beforeSend) {
      const result = await pacer.run(channel, async () => {
        // after the pacing wait, right before the request: a stalled process learns here that it must stop
        await beforeSend?.();
        return withRetryAfter(() =>
          client.chat.postMessage({
            channel,
            text: message.text,
            ...(message.blocks ? { blocks: message.blocks } : {}),
            ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
            ...(tag === undefined ? {} : { metadata: tag }),
            unfurl_links: false,
            unfurl_media: false,
          }),
        ).catch((error: unknown) => {
          throw toDeliveryError(error, channel);
        });
      });
      if (typeof result.ts !== 'string') {
        throw new SlackDeliveryError('no_ts', channel, 'Slack accepted the message but returned no ts');
      }
      return result.ts;
    },
    async update(channel, ts, message) {
      await withRetryAfter(() =>
        client.chat.update({
          channel,
          ts,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
        }),
      ).catch((error: unknown) => {
        throw toDeliveryError(error, channel);
      });
    },
    async findReplies(channel, threadTs) {
      return tagged((cursor) =>
        client.conversations.replies({
          channel,
          ts: threadTs,
          include_all_metadata: true,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        }),
      );
    },
    async findInChannel(channel, oldest) {
      return tagged((cursor) =>
        client.conversations.history({
          channel,
          oldest: oldest.toFixed(6),
          include_all_metadata: true,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        }),
      );
    },
    async permalink(channel, ts, log) {
      try {
        const result = await withRetryAfter(() => client.chat.getPermalink({ channel, message_ts: ts }));
        return typeof result.permalink === 'string' ? result.permalink : null;
      } catch (error) {
        log.warn({ err: toDeliveryError(error, channel) }, 'no link to the earlier post');
        return null;
      }
    },
  };
}

/** Messages per page of a lookup, and pages read at most: a digest thread holds far fewer messages. */
const PAGE = 200;
const PAGES = 5;

interface MessagePage {
  readonly messages?: readonly { ts?: string; metadata?: { event_type?: string; event_payload?: unknown } }[];
  readonly response_metadata?: { next_cursor?: string };
}

/** Reads pages of messages and keeps the tagged ones by `<nonce>.<part>`. */
async function tagged(read: (cursor: string | undefined) => Promise<MessagePage>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const result = await withRetryAfter(() => read(cursor));
    for (const m of result.messages ?? []) {
      const type = m.metadata?.event_type;
      if (typeof m.ts !== 'string' || (type !== STORY_EVENT && type !== PARENT_EVENT)) continue;
      const payload = (m.metadata?.event_payload ?? {}) as { nonce?: unknown; part?: unknown };
      if (typeof payload.nonce === 'string') found.set(`${payload.nonce}.${Number(payload.part ?? 0)}`, m.ts);
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (cursor === undefined) break;
  }
  return found;
}
