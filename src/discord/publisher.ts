// Posting channel digests to Discord: the parent message in the channel, a thread started from it (a post in a
// forum channel), one message per story in the thread, and updates in the threads of earlier posts. Every story is
// handed to `onPosted` as soon as it is up, so the delivery ledger makes a retried digest skip it. With the delivery
// journal (ADR 009) each message carries a nonce with enforce_nonce, an intent is written before it is sent, a
// retry looks for it first (find-posted.ts), and a restart goes on in the same parent and thread, whose counts are
// corrected at the end. Pacing and 429s are discord.js's REST queue's job (per-route buckets, `retry_after`).

import { ChannelType, type REST, type RESTPostAPIChannelThreadsResult, Routes } from 'discord.js';
import {
  type ChannelDigest,
  type DeliveryJournal,
  DIGEST_PARENT_ITEM,
  type Logger,
  type PublishedStory,
  type Publisher,
} from '../ports.js';
import { type DeliveryStep, DiscordDeliveryError, deliveryError } from './errors.js';
import { NONE_POSTED, type NoncedPayload, recentMessages, sameDigestStart, withNonce } from './find-posted.js';
import { type DiscordRenderOptions, type RenderedDigest, renderChannelDigest } from './render.js';

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
    async publish(digest, onPosted, given): Promise<void> {
      // a quiet-day notice has no stories to keep: it goes out without the journal
      const journal = given && given.planned.length > 0 ? given : undefined;
      const planned = journal?.planned ?? digest.stories;
      const resume = journal ? await journal.parent() : undefined;
      // everything was posted by an earlier, interrupted run (the ledger says so): nothing to say, nothing to correct
      if (digest.stories.length === 0 && !digest.notice && resume === undefined) return;
      try {
        kind ??= channelType(options.rest, options.channelId);
        const type = await kind;
        // rendered from every story of the window, so the parent's counts and numbers hold across a resume
        const rendered = renderChannelDigest(
          { ...digest, stories: planned },
          options.timeZone ? { timeZone: options.timeZone } : {},
        );
        const posted = await postRendered(options.rest, options.channelId, rendered, onPosted, {
          forum: type === ChannelType.GuildForum || type === ChannelType.GuildMedia,
          inThread: THREADS.has(type),
          autoArchiveMinutes: options.autoArchiveMinutes ?? 1440,
          logger,
          ...(journal ? { journal, todo: new Set(digest.stories.map((d) => d.story.id)) } : {}),
          ...(resume ? { resume } : {}),
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
  /** Intents and the parent of a scheduled digest (ADR 009); absent for `/digest` answers. */
  readonly journal?: DeliveryJournal;
  /** The stories to post now (by id); the rendered digest also holds those an earlier attempt posted. */
  readonly todo?: ReadonlySet<string>;
  /** The parent an earlier attempt at this window posted: the digest goes on there. */
  readonly resume?: { readonly messageId: string; readonly threadId: string | null };
}

async function postRendered(
  rest: REST,
  channelId: string,
  rendered: RenderedDigest,
  onPosted: (posted: PublishedStory) => Promise<void>,
  options: PostOptions,
): Promise<PostedDigest> {
  const { journal, logger } = options;
  const step = async <T>(name: DeliveryStep, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw deliveryError(channelId, name, error);
    }
  };
  const post = async (channel: string, body: NoncedPayload, name: DeliveryStep) => {
    // right before each request that sends: a process that stalled past its digest lock learns here that it must stop
    await journal?.beforeSend();
    return step(name, async () => (await rest.post(Routes.channelMessages(channel), { body })) as MessageResult);
  };

  let messageId: string;
  let threadId: string | null = options.inThread ? channelId : null;
  let resumed = false;
  if (options.resume) {
    messageId = options.resume.messageId;
    threadId = options.resume.threadId ?? threadId;
    resumed = true;
    logger.info({ messageId, threadId }, 'resuming an interrupted digest in its message and thread');
  } else if (options.forum) {
    // a forum post is a thread whose first message is the parent; its id is the thread's (a forum post takes no
    // nonce: the window between its creation and its record stays, see ADR 009)
    await journal?.intend(DIGEST_PARENT_ITEM);
    await journal?.beforeSend();
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
    await journal?.recordParent(messageId, threadId);
  } else {
    const intent = await journal?.intend(DIGEST_PARENT_ITEM);
    const nonce = intent && `${intent.nonce}.0`;
    const seen = intent?.earlier ? await recentMessages(rest, channelId, logger) : NONE_POSTED;
    const found = nonce === undefined ? undefined : seen.find(nonce, rendered.parent, sameDigestStart(rendered.parent));
    if (found !== undefined) logger.info({ messageId: found }, 'digest message found in the channel: resuming it');
    resumed = found !== undefined;
    messageId = found ?? (await post(channelId, withNonce(rendered.parent, nonce), 'post digest')).id;
    await journal?.recordParent(messageId, threadId);
  }

  const ensureThread = async (): Promise<string> => {
    if (threadId !== null) return threadId;
    const body = { name: rendered.threadName, auto_archive_duration: options.autoArchiveMinutes };
    await journal?.beforeSend();
    try {
      const thread = (await rest.post(Routes.threads(channelId, messageId), { body })) as MessageResult;
      threadId = thread.id;
    } catch (error) {
      const failure = deliveryError(channelId, 'create thread', error);
      // 160004: this message already has a thread (a retried request, or a resumed digest); its id is the message's
      if (failure.code !== 160004) throw failure;
      threadId = messageId;
    }
    await journal?.recordParent(messageId, threadId);
    return threadId;
  };

  for (const story of rendered.stories) {
    const storyId = story.delivery.story.id;
    if (options.todo && !options.todo.has(storyId)) continue;
    let target = story.thread ?? (await ensureThread());
    const intent = await journal?.intend(storyId);
    const seen = intent?.earlier ? await recentMessages(rest, target, logger) : NONE_POSTED;
    let first: string | null = null;
    let found = false;
    for (const [part, message] of story.messages.entries()) {
      const nonce = intent && `${intent.nonce}.${part}`;
      const earlier = nonce === undefined ? undefined : seen.find(nonce, message);
      if (part === 0) found = earlier !== undefined;
      if (earlier !== undefined) {
        first ??= earlier;
        continue;
      }
      try {
        const posted = await post(
          target,
          withNonce(message, nonce),
          story.thread === null ? 'post story' : 'post update',
        );
        first ??= posted.id;
      } catch (error) {
        if (!(error instanceof DiscordDeliveryError) || story.thread === null || first !== null) throw error;
        if (error.code !== 10003 && error.code !== 160005 && error.code !== 50001) throw error;
        // the earlier thread is gone or locked: the update goes into this digest's thread instead
        logger.warn({ thread: story.thread, code: error.code }, 'earlier thread unavailable: update posted anew');
        target = await ensureThread();
        first = (await post(target, withNonce(message, nonce), 'post update')).id;
      }
    }
    if (first === null) continue;
    if (found) logger.info({ storyId, messageId: first }, 'story found in its thread: not posted again');
    await onPosted({ storyId, messageId: first, threadId: target, ...(found ? { found } : {}) });
  }
  if (resumed) {
    // the parent was rendered from the stories planned when it was first posted: it now says what was posted
    const where = options.forum ? messageId : channelId;
    await step('correct digest counts', () =>
      rest.patch(Routes.channelMessage(where, messageId), { body: rendered.parent }),
    );
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
