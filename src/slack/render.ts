// Digests as Slack messages: one parent message saying what the digest covers, one thread reply per story (split
// into several messages at block boundaries when it is too long for one), updates for earlier threads, and the
// /digest answers. Pure: the same input gives the same messages, and every message is checked against Slack's
// limits before it is returned.
import { DIGEST_HELP } from '../domain/digest-query.js';
import { plural } from '../domain/plural.js';
import type { Digest, DigestArticle, DigestStory } from '../domain/types.js';
import type { ChannelDigest, StoryPost } from '../ports.js';
import { moreStoriesLine, overflowLine, postedLine } from '../render/notes.js';
import { linkOf, newArticlesPhrase, type StoryView, viewDigest } from '../render/story-view.js';
import { zonedTime } from '../render/zoned-time.js';
import { checkMessage, SLACK_LIMITS, type SlackBlock, type SlackMessage } from './limits.js';
import { contexts, escapeText, escapeWithin, fallback, link, sections } from './mrkdwn.js';
import { storyBlocks, storyFallback, type UpdateParts, updateBlocks, updateFallback } from './story-blocks.js';

/**
 * Characters of block text in one message. Not a Slack limit (that is 50 blocks of up to 3,000 each) but ours: a
 * longer message is a wall of text on a phone, and Slack refuses very large payloads as `msg_too_long`.
 */
export const MESSAGE_CHARS = 12_000;
/** The parent's pointer to its thread; response_url replies have no thread, so they leave it out. */
const THREAD_NOTE = ':thread: The stories are in the thread.';

/** How often one slash command's response_url may be used. */
export const RESPONSE_URL_USES = 5;

export interface RenderedStory {
  readonly storyId: string;
  readonly kind: 'new' | 'update';
  /** One message, or several when the story is too long for one. */
  readonly messages: SlackMessage[];
}

export interface RenderedDigest {
  readonly parent: SlackMessage;
  readonly stories: RenderedStory[];
}

export interface SlackRenderOptions {
  /** IANA zone for every time shown. */
  readonly timeZone: string;
  /** Links to the earlier posts of updated stories, by story id (from chat.getPermalink). */
  readonly permalinks?: ReadonlyMap<string, string>;
}

/** A scheduled digest: the parent message and the story replies (new stories and updates), most important first. */
export function renderChannelDigest(digest: ChannelDigest, options: SlackRenderOptions): RenderedDigest {
  if (digest.stories.length === 0) {
    return { parent: plainMessage(digest.notice?.trim() || 'Nothing new.'), stories: [] };
  }
  const delivered = digest.stories.map((d) => d.story);
  const view = viewDigest({ ...digest.digest, stories: delivered }, { timeZone: options.timeZone });
  const byId = new Map(digest.digest.articles.map((a) => [a.id, a]));
  const stories = digest.stories.flatMap((d, i): RenderedStory[] => {
    const story = view.stories[i];
    if (!story) return [];
    const best = bestUrl(d.story, story, byId);
    if (d.kind === 'new') {
      return [
        { storyId: d.story.id, kind: 'new', messages: packMessages(storyBlocks(story, best), storyFallback(story)) },
      ];
    }
    const parts = updateParts(d.story, story, d.newArticleIds);
    const messages = packMessages(updateBlocks(story, best, parts), updateFallback(story, parts));
    return [{ storyId: d.story.id, kind: 'update', messages }];
  });

  const updates = digest.stories.filter((d) => d.kind === 'update');
  const fresh = digest.stories.length - updates.length;
  const counts = countsLine(digest.digest, delivered, updates.length);
  const zoned = zonedTime(options.timeZone);
  const window = zoned.window(digest.from, digest.to);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `News digest · ${zoned.day(digest.to)}` } },
    ...sections([`*${escapeText(window)}*`, counts]),
  ];
  // said next to the counts, so nobody takes the thread for everything that happened
  if (digest.overflow)
    blocks.push(...sections([`:heavy_plus_sign: ${escapeText(overflowLine(digest.overflow, '/digest'))}`]));
  const topics = [...new Set(delivered.flatMap((s) => s.topics))];
  if (topics.length > 0) blocks.push(...contexts([`Topics: ${escapeText(topics.join(', '))}`]));
  if (updates.length > 0) {
    // the view lists the stories in delivery order, updates wherever they fall among the new ones
    const titleOf = new Map(digest.stories.map((d, i) => [d.story.id, view.stories[i]?.title ?? d.story.title]));
    const lines = updates.map((u) => {
      const title = titleOf.get(u.story.id) ?? u.story.title;
      const permalink = options.permalinks?.get(u.story.id) ?? null;
      return `• ${link(permalink, title)}: ${newArticlesPhrase(u.newArticleIds, byId)} (in its earlier thread)`;
    });
    blocks.push(...sections(['*Updates to earlier stories*', ...lines]));
  }
  if (fresh > 0) blocks.push(...contexts([THREAD_NOTE]));
  const text = fallback(`News digest, ${window}: ${counts.replace(/\*/g, '')}`);
  return { parent: checkMessage({ text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) }), stories };
}

export interface QueryDigest {
  readonly digest: Digest;
  /** "about 'witkoff' in the last 3 days" */
  readonly description: string;
  /** Stories that matched beyond those shown. */
  readonly moreStories?: number;
  /** Where the asking channel already got a story, by story id. */
  readonly posted?: ReadonlyMap<string, StoryPost>;
}

export interface QueryRenderOptions {
  readonly timeZone: string;
  /** Who asked (a Slack user id), named on the parent. */
  readonly user?: string;
  /** Links to the channel's earlier posts of the stories in `posted`, by story id (from chat.getPermalink). */
  readonly permalinks?: ReadonlyMap<string, string>;
}

/** A /digest answer: a parent naming the query and who asked, and one reply per story. */
export function renderQueryAnswer(answer: QueryDigest, options: QueryRenderOptions): RenderedDigest {
  const view = viewDigest(answer.digest, { timeZone: options.timeZone });
  const byId = new Map(answer.digest.articles.map((a) => [a.id, a]));
  const zoned = zonedTime(options.timeZone);
  const stories = answer.digest.stories.flatMap((s, i): RenderedStory[] => {
    const story = view.stories[i];
    if (!story) return [];
    const blocks = storyBlocks(story, bestUrl(s, story, byId));
    const post = answer.posted?.get(s.id);
    if (post) {
      // right under the title: the reader may already have followed this story in its thread
      const line = escapeText(postedLine('here', zoned.dateTime(post.postedAt), post.newArticles));
      const permalink = options.permalinks?.get(s.id) ?? null;
      blocks.splice(1, 0, ...contexts([permalink === null ? line : `${line}: ${link(permalink, 'thread')}`]));
    }
    return [{ storyId: s.id, kind: 'new', messages: packMessages(blocks, storyFallback(story)) }];
  });
  const asker = options.user ? `, asked by <@${options.user}>` : '';
  const counts = countsLine(answer.digest, answer.digest.stories, 0);
  const lines = [`*Digest ${escapeText(answer.description)}*${asker}`, counts];
  if (answer.moreStories) lines.push(escapeText(moreStoriesLine(answer.moreStories)));
  const blocks: SlackBlock[] = sections(lines);
  if (stories.length > 0) blocks.push(...contexts([THREAD_NOTE]));
  const text = fallback(`Digest ${answer.description}: ${counts.replace(/\*/g, '')}`);
  return { parent: checkMessage({ text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) }), stories };
}

/** The whole answer as at most RESPONSE_URL_USES messages, for an ephemeral (private) reply: no thread, no note. */
export function packForResponses(rendered: RenderedDigest, max = RESPONSE_URL_USES): SlackMessage[] {
  const blocks = [rendered.parent, ...rendered.stories.flatMap((s) => s.messages)].flatMap((m) => [
    ...(m.blocks ?? sections([m.text])).filter((b) => !(b.type === 'context' && b.elements[0]?.text === THREAD_NOTE)),
    { type: 'divider' } as const,
  ]);
  const messages = packMessages(blocks.slice(0, -1), rendered.parent.text);
  if (messages.length <= max) return messages;
  const kept = messages.slice(0, Math.max(0, max - 1));
  const left = messages.length - kept.length;
  kept.push(plainMessage(`…and ${plural(left, 'more message')} not shown: narrow the query.`));
  return kept;
}

export function helpMessage(): SlackMessage {
  return checkMessage({ text: DIGEST_HELP });
}

/** A bad query: the parser's message, then the help. */
export function queryErrorMessage(message: string): SlackMessage {
  return checkMessage({ text: `:warning: ${escapeWithin(message, PLAIN_CHARS)}\n\n${DIGEST_HELP}` });
}

export function statusMessage(lines: readonly string[]): SlackMessage {
  return checkMessage({ text: `*newsdigest status*\n${plainMessage(lines.join('\n')).text}` });
}

/** Characters of one plain message: well within Slack's 40,000, after escaping. */
const PLAIN_CHARS = SLACK_LIMITS.fallbackText / 8;

/** Plain text (line breaks kept), escaped and within Slack's text limit. */
export function plainMessage(text: string): SlackMessage {
  return checkMessage({ text: escapeWithin(text.trim(), PLAIN_CHARS) || 'newsdigest' });
}

/** Blocks in reading order as messages of at most 50 blocks and MESSAGE_CHARS characters, split between blocks. */
export function packMessages(blocks: readonly SlackBlock[], fallbackText: string): SlackMessage[] {
  const groups: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  let chars = 0;
  for (const block of blocks) {
    const size = blockChars(block);
    if (current.length > 0 && (current.length >= SLACK_LIMITS.blocksPerMessage || chars + size > MESSAGE_CHARS)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(block);
    chars += size;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) =>
    checkMessage({
      text: groups.length === 1 ? fallbackText : `${fallbackText} (${i + 1}/${groups.length})`,
      blocks: group,
    }),
  );
}

function blockChars(block: SlackBlock): number {
  if (block.type === 'section' || block.type === 'header') return block.text.text.length;
  if (block.type === 'context') return block.elements.reduce((n, e) => n + e.text.length, 0);
  return 0;
}

/** The best source's URL, else the first source that has one. */
function bestUrl(story: DigestStory, view: StoryView, byId: ReadonlyMap<string, DigestArticle>): string | null {
  return linkOf(byId.get(story.bestSource)?.url) ?? view.sources.find((s) => s.url !== null)?.url ?? null;
}

/** Which sources and sentences of the story's view come from the articles the earlier post did not have. */
function updateParts(story: DigestStory, view: StoryView, newArticleIds: readonly string[]): UpdateParts {
  const ids = new Set(newArticleIds);
  // by article, not by URL: a live blog's later version shares its URL with the version posted before
  const newSources = view.sources.filter((s) => ids.has(s.articleId));
  const newSentences = story.summary.flatMap((s, i) => (ids.has(s.articleId) ? [i] : []));
  return { newSources, newSentences };
}

/** "*3 stories* (1 update) · 12 articles · 2 duplicates folded" (no zero counts), over the stories delivered. */
function countsLine(digest: Digest, stories: readonly DigestStory[], updates: number): string {
  const copiesOf = new Map<string, string[]>();
  for (const a of digest.articles) {
    if (a.duplicateOf !== null) copiesOf.set(a.duplicateOf, [...(copiesOf.get(a.duplicateOf) ?? []), a.id]);
  }
  const members = new Set<string>();
  const queue = stories.flatMap((s) => s.articles);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (members.has(id)) continue;
    members.add(id);
    queue.push(...(copiesOf.get(id) ?? []));
  }
  const byId = new Map(digest.articles.map((a) => [a.id, a]));
  const duplicates = [...members].filter((id) => (byId.get(id)?.duplicateOf ?? null) !== null).length;
  const parts = [
    `*${plural(stories.length, 'story', 'stories')}*${updates > 0 ? ` (${plural(updates, 'update')})` : ''}`,
    plural(members.size, 'article'),
  ];
  // a count of nothing is noise on every parent
  if (duplicates > 0) parts.push(`${plural(duplicates, 'duplicate')} folded`);
  return parts.join(' · ');
}
