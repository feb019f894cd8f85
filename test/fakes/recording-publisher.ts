// A publisher that records what each channel received and can fail after N stories, as a crash mid-digest would.
import type { ChannelDigest, PublishedStory, Publisher } from '../../src/ports.js';

export interface RecordedPost {
  readonly channel: string;
  readonly storyId: string;
  readonly kind: 'new' | 'update';
  readonly title: string;
  readonly newArticleIds: readonly string[];
  readonly threadId: string | null;
  /** The outlets the story was shown with. */
  readonly sources: readonly string[];
}

export class RecordingPublisher implements Publisher {
  readonly posts: RecordedPost[] = [];
  /** One-line notices (quiet days, the admin channel's alerts), by channel. */
  readonly notices: { readonly channel: string; readonly text: string }[] = [];
  /** Throw after this many stories of the next publish call (then reset). */
  failAfter: number | null = null;
  private counter = 0;

  async publish(digest: ChannelDigest, onPosted: (posted: PublishedStory) => Promise<void>): Promise<void> {
    if (digest.notice !== undefined) this.notices.push({ channel: digest.channel, text: digest.notice });
    let n = 0;
    for (const d of digest.stories) {
      if (this.failAfter !== null && n >= this.failAfter) {
        this.failAfter = null;
        throw new Error('publisher crashed mid-digest');
      }
      const messageId = `m${++this.counter}`;
      const threadId = d.kind === 'update' ? (d.earlier.threadId ?? d.earlier.messageId) : null;
      this.posts.push({
        channel: digest.channel,
        storyId: d.story.id,
        kind: d.kind,
        title: d.story.title,
        newArticleIds: d.kind === 'update' ? d.newArticleIds : [],
        threadId,
        sources: [...d.story.sources],
      });
      await onPosted({ storyId: d.story.id, messageId, threadId });
      n++;
    }
  }
}
