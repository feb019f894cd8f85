// Posting channel digests to Discord: the parent message in the channel, a thread started from it (a post in a
// forum channel), one message per story in the thread, and updates in the threads of earlier posts. Every story is
// handed to `onPosted` as soon as it is up, so the delivery ledger makes a retried digest skip it. Pacing and 429s
// are discord.js's REST queue's job (per-route buckets, `retry_after`).

import { ChannelType, type REST, type RESTPostAPIChannelThreadsResult, Routes } from 'discord.js';
import type { ChannelDigest, Logger, PublishedStory, Publisher } from '../ports.js';
import { type DeliveryStep, DiscordDeliveryError, deliveryError } from './errors.js';
import { type DiscordRenderOptions, type MessagePayload, type RenderedDigest, renderChannelDigest } from './render.js';

/** Minutes without activity after which Discord archives a digest thread (it reopens when an update is posted). */
export type AutoArchiveMinutes = 60 | 1440 | 4320 | 10080;

export interface DiscordPublisherOptions {
  readonly rest: REST;
  readonly channelId: string;
  readonly logger: Logger;
  readonly autoArchiveMinutes?: AutoArchiveMinutes;
  /** The channel's zone (its thread names); UTC when absent. */
  readonly timeZone?: string;
}

export interface PostedDigest {
  /** The parent message (in a forum channel, the post's first message, whose id is the post's). */
  readonly messageId: string;
  /** The digest's thread, when it has new stories. */
  readonly threadId: string | null;
}

const THREADS = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

interface MessageResult {
  readonly id: string;
}

export function createDiscordPublisher(options: DiscordPublisherOptions): Publisher {
  const logger = options.logger.child({ discordChannel: options.channelId });
  let kind: Promise<ChannelType> | null = null;
  return {
    async publish(digest: ChannelDigest, onPosted: (posted: PublishedStory) => Promise<void>): Promise<void> {
      // everything was posted by an earlier, interrupted run (the ledger says so): nothing to say
      if (digest.stories.length === 0 && !digest.notice) return;
      try {
        kind ??= channelType(options.rest, options.channelId);
        const type = await kind;
        const rendered = renderChannelDigest(digest, options.timeZone ? { timeZone: options.timeZone } : {});
        const posted = await postRendered(options.rest, options.channelId, rendered, onPosted, {
          forum: type === ChannelType.GuildForum || type === ChannelType.GuildMedia,
          inThread: THREADS.has(type),
          autoArchiveMinutes: options.autoArchiveMinutes ?? 1440,
          logger,
        });
        logger.info({ messageId: posted.messageId, threadId: posted.threadId }, 'digest posted to discord');
      } catch (error) {
        kind = null;
        // the ledger's or the renderer's own errors are not Discord's: they go up as they are
        if (!(error instanceof DiscordDeliveryError)) throw error;
        const failure = error;
        logger.error({ step: failure.step, code: failure.code, hint: failure.hint, err: failure }, failure.message);
        throw failure;
      }
    },
  };
}

/** Renders and posts a digest the way `/digest` does: no ledger, the parent message's link is the answer. */
export async function postDigest(
  rest: REST,
  channelId: string,
  digest: ChannelDigest,
  render: DiscordRenderOptions,
  logger: Logger,
  /** Asked inside a thread: the stories follow the parent there, as threads cannot nest. */
  inThread = false,
): Promise<PostedDigest> {
  const rendered = renderChannelDigest(digest, render);
  return postRendered(rest, channelId, rendered, async () => {}, {
    forum: false,
    inThread,
    autoArchiveMinutes: 1440,
    logger,
  });
}

interface PostOptions {
  readonly forum: boolean;
  readonly inThread?: boolean;
  readonly autoArchiveMinutes: AutoArchiveMinutes;
  readonly logger: Logger;
}

async function postRendered(
  rest: REST,
  channelId: string,
  rendered: RenderedDigest,
  onPosted: (posted: PublishedStory) => Promise<void>,
  options: PostOptions,
): Promise<PostedDigest> {
  const step = async <T>(name: DeliveryStep, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw deliveryError(channelId, name, error);
    }
  };
  const post = (channel: string, body: MessagePayload, name: DeliveryStep) =>
    step(name, async () => (await rest.post(Routes.channelMessages(channel), { body })) as MessageResult);

  let messageId: string;
  let threadId: string | null = options.inThread ? channelId : null;
  if (options.forum) {
    // a forum post is a thread whose first message is the parent; its id is the thread's
    const thread = await step('create thread', async () => {
      const body = {
        name: rendered.threadName,
        auto_archive_duration: options.autoArchiveMinutes,
        message: rendered.parent,
      };
      return (await rest.post(Routes.threads(channelId), { body })) as RESTPostAPIChannelThreadsResult;
    });
    messageId = thread.id;
    threadId = thread.id;
  } else {
    messageId = (await post(channelId, rendered.parent, 'post digest')).id;
  }

  const ensureThread = async (): Promise<string> => {
    if (threadId !== null) return threadId;
    const body = { name: rendered.threadName, auto_archive_duration: options.autoArchiveMinutes };
    try {
      const thread = (await rest.post(Routes.threads(channelId, messageId), { body })) as MessageResult;
      threadId = thread.id;
    } catch (error) {
      const failure = deliveryError(channelId, 'create thread', error);
      // 160004: this message already has a thread (a retried request); its id is the message's
      if (failure.code !== 160004) throw failure;
      threadId = messageId;
    }
    return threadId;
  };

  for (const story of rendered.stories) {
    let target = story.thread ?? (await ensureThread());
    let first: string | null = null;
    for (const message of story.messages) {
      try {
        const posted = await post(target, message, story.thread === null ? 'post story' : 'post update');
        first ??= posted.id;
      } catch (error) {
        if (!(error instanceof DiscordDeliveryError) || story.thread === null || first !== null) throw error;
        if (error.code !== 10003 && error.code !== 160005 && error.code !== 50001) throw error;
        // the earlier thread is gone or locked: the update goes into this digest's thread instead
        options.logger.warn(
          { thread: story.thread, code: error.code },
          'earlier thread unavailable: update posted anew',
        );
        target = await ensureThread();
        first = (await post(target, message, 'post update')).id;
      }
    }
    if (first !== null) await onPosted({ storyId: story.delivery.story.id, messageId: first, threadId: target });
  }
  return { messageId, threadId };
}

async function channelType(rest: REST, channelId: string): Promise<ChannelType> {
  try {
    const channel = (await rest.get(Routes.channel(channelId))) as { type: ChannelType };
    return channel.type;
  } catch (error) {
    throw deliveryError(channelId, 'read channel', error);
  }
}
