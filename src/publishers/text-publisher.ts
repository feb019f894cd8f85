// A publisher that writes digests as text: to the console (stdout) or appended to a file. The platform-less
// default, and what `npm run demo` shows.

import type { ChannelDigest, PublishedStory, Publisher } from '../ports.js';
import { overflowLine } from '../render/notes.js';
import { newArticlesPhrase } from '../render/story-view.js';
import { terminalSafe } from '../render/terminal-safe.js';
import { renderText } from '../render/text.js';
import { zonedTime } from '../render/zoned-time.js';

export interface TextPublisherOptions {
  /** Where the text goes: process.stdout.write, or an append to a file. */
  readonly write: (text: string) => Promise<void> | void;
  /** The channel's zone for every time printed; UTC when absent. */
  readonly timeZone?: string;
}

export function createTextPublisher(options: TextPublisherOptions): Publisher {
  return {
    async publish(digest: ChannelDigest, onPosted: (posted: PublishedStory) => Promise<void>): Promise<void> {
      if (digest.stories.length === 0) {
        if (digest.notice) await options.write(terminalSafe(`# ${digest.channel}: ${digest.notice}\n`));
        return;
      }
      const shown = new Set(digest.stories.map((d) => d.story.id));
      const updates = digest.stories.filter((d) => d.kind === 'update');
      const header = [`# ${digest.channel}: ${zonedTime(options.timeZone ?? 'UTC').window(digest.from, digest.to)}`];
      if (digest.overflow) header.push(overflowLine(digest.overflow, 'newsdigest search'));
      const byId = new Map(digest.digest.articles.map((a) => [a.id, a]));
      for (const u of updates) {
        header.push(
          `Update to an earlier story (${u.earlier.messageId}): ${newArticlesPhrase(u.newArticleIds, byId)}.`,
        );
      }
      const text = renderText(
        { ...digest.digest, stories: digest.digest.stories.filter((s) => shown.has(s.id)) },
        options.timeZone ? { timeZone: options.timeZone } : {},
      );
      await options.write(`${terminalSafe(header.join('\n'))}\n${text}\n`);
      for (const d of digest.stories) {
        const messageId = `${digest.channel}:${digest.to}:${d.story.id}`;
        await onPosted({
          storyId: d.story.id,
          messageId,
          threadId: d.kind === 'update' ? (d.earlier.threadId ?? d.earlier.messageId) : null,
        });
      }
    },
  };
}
