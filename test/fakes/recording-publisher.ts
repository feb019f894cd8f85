// A publisher that records what each channel received and can fail after N stories, as a crash mid-digest would.
import type { ChannelDigest, DeliveryJournal, PublishedStory, Publisher } from '../../src/ports.js';

export interface RecordedPost {
  readonly channel: string;
  readonly storyId: string;
  readonly kind: 'new' | 'update';
  readonly title: string;
  /** The headline of the article the title links to (the story's best source). */
  readonly linkedHeadline: string | undefined;
  readonly newArticleIds: readonly string[];
  readonly threadId: string | null;
  /** The outlets the story was shown with. */
  readonly sources: readonly string[];
  /** The articles its summary quoted, one per sentence. */
  readonly quoted: readonly string[];
}

export class RecordingPublisher implements Publisher {
  readonly posts: RecordedPost[] = [];
  /** One-line notices (quiet days, the admin channel's alerts), by channel. */
  readonly notices: { readonly channel: string; readonly text: string }[] = [];
  /** Every publish call (one per digest delivered): its channel and how many stories it carried. */
  readonly digests: { readonly channel: string; readonly stories: number }[] = [];
  /** Throw after this many stories of the next publish call (then reset). */
  failAfter: number | null = null;
  /** Keep a parent per digest window through the journal, new stories in its thread, as the chat publishers do. */
  useJournal = false;
  /** Per publish call with a journal: the stories planned for the window (what a parent counts). */
  readonly planned: { readonly channel: string; readonly storyIds: readonly string[] }[] = [];
  private counter = 0;

  async publish(
    digest: ChannelDigest,
    onPosted: (posted: PublishedStory) => Promise<void>,
    journal?: DeliveryJournal,
  ): Promise<void> {
    this.digests.push({ channel: digest.channel, stories: digest.stories.length });
    if (digest.notice !== undefined) this.notices.push({ channel: digest.channel, text: digest.notice });
    let parentThread: string | null = null;
    if (this.useJournal && journal && journal.planned.length > 0) {
      this.planned.push({ channel: digest.channel, storyIds: journal.planned.map((d) => d.story.id) });
      parentThread = (await journal.parent())?.threadId ?? null;
      if (parentThread === null) {
        parentThread = `thread-${++this.counter}`;
        await journal.recordParent(`parent-${this.counter}`, parentThread);
      }
    }
    let n = 0;
    for (const d of digest.stories) {
      if (this.failAfter !== null && n >= this.failAfter) {
        this.failAfter = null;
        throw new Error('publisher crashed mid-digest');
      }
      const messageId = `m${++this.counter}`;
      const threadId = d.kind === 'update' ? (d.earlier.threadId ?? d.earlier.messageId) : parentThread;
      this.posts.push({
        channel: digest.channel,
        storyId: d.story.id,
        kind: d.kind,
        title: d.story.title,
        linkedHeadline: digest.digest.articles.find((a) => a.id === d.story.bestSource)?.title,
        newArticleIds: d.kind === 'update' ? d.newArticleIds : [],
        threadId,
        sources: [...d.story.sources],
        quoted: d.story.summary.map((s) => s.articleId),
      });
      await onPosted({ storyId: d.story.id, messageId, threadId });
      n++;
    }
  }
}
