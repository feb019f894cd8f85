// Posts a channel's digest to Slack: the parent message, then each story as a reply in its thread (updates go into
// the thread of the story's earlier post), paced to Slack's one message a second per channel. After each story
// `onPosted` lets the delivery ledger record it, so a restart never posts a story twice; the parent is remembered
// per digest window, so a restart mid-digest goes on in the same thread instead of starting a second one.
import type { webApi } from '@slack/bolt';
import type { ChannelDigest, DeliveryLedger, Logger, PublishedStory, Publisher } from '../ports.js';
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
    async publish(digest: ChannelDigest, onPosted: (posted: PublishedStory) => Promise<void>): Promise<void> {
      const log = options.logger.child({ channel: digest.channel, slackChannel: channel });
      try {
        if (digest.stories.length === 0) {
          if (digest.notice) await poster.post(channel, renderChannelDigest(digest, { timeZone }).parent);
          return;
        }
        const permalinks = new Map<string, string>();
        for (const d of digest.stories) {
          if (d.kind !== 'update') continue;
          const permalink = await poster.permalink(channel, d.earlier.messageId, log);
          if (permalink) permalinks.set(d.story.id, permalink);
        }
        const rendered = renderChannelDigest(digest, { timeZone, permalinks });
        let parentTs = await threads.get(digest.channel, digest.from);
        if (parentTs === undefined) {
          parentTs = await poster.post(channel, rendered.parent);
          await threads.put(digest.channel, digest.from, parentTs);
        } else {
          log.info({ threadTs: parentTs }, 'resuming an interrupted digest in its thread');
        }
        const byId = new Map(digest.stories.map((d) => [d.story.id, d]));
        for (const story of rendered.stories) {
          const delivery = byId.get(story.storyId);
          if (!delivery) continue;
          const threadTs =
            delivery.kind === 'update' ? (delivery.earlier.threadId ?? delivery.earlier.messageId) : parentTs;
          let first: string | undefined;
          for (const message of story.messages) {
            const ts = await poster.post(channel, message, threadTs);
            first ??= ts;
          }
          if (first === undefined) continue;
          await onPosted({ storyId: story.storyId, messageId: first, threadId: threadTs });
        }
      } catch (error) {
        // Slack's refusals get their hint logged here; anything else (the ledger failing) goes up unchanged
        if (error instanceof SlackDeliveryError) {
          log.error({ err: error, code: error.code, hint: error.hint }, 'Slack digest failed');
        }
        throw error;
      }
    },
  };
}

export interface SlackPoster {
  /** Posts a message (paced per channel) and returns its ts. Throws SlackDeliveryError. */
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<string>;
  /** A link to a message, or null when Slack will not give one (the digest goes on without it). */
  permalink(channel: string, ts: string, log: Logger): Promise<string | null>;
}

export function slackPoster(client: WebClient, pacer: ChannelPacer): SlackPoster {
  return {
    async post(channel, message, threadTs) {
      const result = await pacer
        .run(channel, () =>
          withRetryAfter(() =>
            client.chat.postMessage({
              channel,
              text: message.text,
              ...(message.blocks ? { blocks: message.blocks } : {}),
              ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
              unfurl_links: false,
              unfurl_media: false,
            }),
          ),
        )
        .catch((error: unknown) => {
          throw toDeliveryError(error, channel);
        });
      if (typeof result.ts !== 'string') {
        throw new SlackDeliveryError('no_ts', channel, 'Slack accepted the message but returned no ts');
      }
      return result.ts;
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
