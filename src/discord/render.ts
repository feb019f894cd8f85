// A channel digest as Discord message payloads: a parent message that says what the digest covers, then one
// message per story (more when a story overflows Discord's limits), and updates for the threads of earlier posts.
// Pure: the same digest always renders the same payloads. The per-story content comes from render/story-view.ts.

import { type APIEmbed, EmbedBuilder, messageLink, TimestampStyles, time } from 'discord.js';
import { plural } from '../domain/plural.js';
import type { DigestArticle } from '../domain/types.js';
import type { ChannelDigest, StoryDelivery, StoryPost } from '../ports.js';
import { moreStoriesLine, overflowLine, postedLine } from '../render/notes.js';
import {
  joinNames,
  linkOf,
  newArticlesPhrase,
  outletName,
  type SourceView,
  type StoryView,
  viewDigest,
} from '../render/story-view.js';
import { zonedTime } from '../render/zoned-time.js';
import { checkMessage, DISCORD_LIMITS as L, truncate } from './limits.js';

const COLOR = 0x3b82f6;
/** A line of a description or a field never exceeds one field value, so any line fits anywhere. */
const LINE_MAX = L.fieldValue;

export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  /** Digests quote the news: nobody is ever pinged by them. */
  allowed_mentions: { parse: [] };
}

export interface RenderedStory {
  readonly delivery: StoryDelivery;
  /** The earlier thread an update goes into; null for a story of this digest's own thread. */
  readonly thread: string | null;
  readonly messages: MessagePayload[];
}

export interface RenderedDigest {
  /** The channel message the digest's thread starts from. */
  readonly parent: MessagePayload;
  readonly threadName: string;
  /** New stories first (in digest order), then updates to earlier threads. */
  readonly stories: RenderedStory[];
}

export interface DiscordRenderOptions {
  /** First words of the parent message and thread name; "News digest" by default. */
  readonly heading?: string;
  /** One line of channel noise (a `/digest` answer): heading and counts, no window or topics. */
  readonly oneLine?: boolean;
  /** False when the stories follow as replies of their own (a private answer), not in a thread. Default true. */
  readonly threaded?: boolean;
  /** The channel's zone, for the thread's name (message times are Discord timestamps, shown in each reader's). */
  readonly timeZone?: string;
  /** A /digest answer: the stories that matched beyond those shown. */
  readonly moreStories?: number;
  /** A /digest answer: where the asking channel already got a story, by story id. */
  readonly posted?: ReadonlyMap<string, StoryPost>;
  /** The server the digest is posted in, to link the earlier posts in `posted` (no link without it). */
  readonly guildId?: string | null;
}

export function renderChannelDigest(cd: ChannelDigest, options: DiscordRenderOptions = {}): RenderedDigest {
  const heading = options.heading ?? 'News digest';
  // UTC, so story-view's times parse back exactly into Discord timestamps that each reader sees in their own zone
  const view = viewDigest(cd.digest, { timeZone: 'UTC' });
  const viewOf = new Map<string, StoryView>();
  cd.digest.stories.forEach((s, i) => {
    const v = view.stories[i];
    if (v) viewOf.set(s.id, v);
  });
  const articles = new Map(cd.digest.articles.map((a) => [a.id, a]));
  const fresh = cd.stories.filter((d) => d.kind === 'new' || d.earlier.threadId === null);
  const updates = cd.stories.filter((d) => d.kind === 'update' && d.earlier.threadId !== null);
  const stories: RenderedStory[] = [];
  const earlier = (id: string) => earlierPost(options.posted?.get(id), cd.channel, options.guildId ?? null);
  fresh.forEach((d, i) => {
    const v = viewOf.get(d.story.id);
    if (!v) return;
    const messages = storyMessages(d, { ...v, number: i + 1 }, articles, earlier(d.story.id));
    stories.push({ delivery: d, thread: null, messages });
  });
  for (const d of updates) {
    const v = viewOf.get(d.story.id);
    const thread = d.kind === 'update' ? d.earlier.threadId : null;
    if (v) stories.push({ delivery: d, thread, messages: storyMessages(d, { ...v, number: 0 }, articles, null) });
  }
  const parent = parentMessage(cd, heading, stories, viewOf, options);
  const when = zonedTime(options.timeZone ?? 'UTC').dateTime(cd.to) ?? '';
  const threadName = truncate(`${heading} ${when}`.trim(), L.threadName) || 'News digest';
  return { parent, threadName, stories };
}

function parentMessage(
  cd: ChannelDigest,
  heading: string,
  stories: readonly RenderedStory[],
  viewOf: ReadonlyMap<string, StoryView>,
  options: DiscordRenderOptions,
): MessagePayload {
  const oneLine = options.oneLine ?? false;
  if (stories.length === 0) {
    return checked({ content: truncate(md(cd.notice?.trim() || `${heading}: nothing new.`), L.content) });
  }
  const lines = [`**${md(heading)}** · ${windowText(cd.from, cd.to)}`];
  const shown = stories.map((s) => viewOf.get(s.delivery.story.id)).filter((v) => v !== undefined);
  const topics = [...new Set(shown.flatMap((v) => v.topics))];
  if (topics.length > 0) lines.push(`Topics: ${md(topics.join(', '))}`);
  const fresh = stories.filter((s) => s.thread === null).length;
  const updated = stories.length - fresh;
  const sources = shown.reduce((n, v) => n + v.sources.length, 0);
  const copies = shown.reduce((n, v) => n + v.sources.filter((s) => s.copyOf !== null).length, 0);
  const outlets = new Set(shown.flatMap((v) => v.sources.map((s) => s.outlet))).size;
  const counts = [oneLine ? plural(fresh, 'story', 'stories') : plural(fresh, 'new story', 'new stories')];
  if (updated > 0) counts.push(plural(updated, 'update', 'updates'));
  counts.push(`${plural(sources, 'article', 'articles')} from ${plural(outlets, 'outlet', 'outlets')}`);
  if (copies > 0) counts.push(`${plural(copies, 'copy', 'copies')} folded`);
  const more = options.moreStories ? md(moreStoriesLine(options.moreStories)) : null;
  if (oneLine) {
    const line = `**${md(heading)}** · ${counts.join(' · ')}`;
    const tail = more === null ? '' : `\n${more}`;
    return checked({ content: `${truncate(line, L.content - tail.length)}${tail}` });
  }
  lines.push(counts.join(' · '));
  if (more !== null) lines.push(more);
  if (cd.overflow) lines.push(md(overflowLine(cd.overflow, '/digest')));
  if (fresh > 0 && options.threaded !== false) lines.push('The stories are in the thread below.');
  const articlesById = new Map(cd.digest.articles.map((a) => [a.id, a]));
  const updateLines = stories
    .filter((s) => s.thread !== null && s.delivery.kind === 'update')
    .map((s) => {
      const ids = s.delivery.kind === 'update' ? s.delivery.newArticleIds : [];
      const title = viewOf.get(s.delivery.story.id)?.title ?? s.delivery.story.title;
      return `↳ Updated: **${md(truncate(title, 200))}**: ${newArticlesPhrase(ids, articlesById)} in <#${s.thread}>`;
    });
  return checked({ content: fitLines(lines, updateLines, L.content) });
}

/** The head lines, then as many tail lines as fit, then "…and N more": never more than `max` characters. */
function fitLines(head: readonly string[], tail: readonly string[], max: number): string {
  // the head is cut so that at least the "…and N more" note fits after it
  const reserve = tail.length > 0 ? `\n…and ${tail.length} more`.length : 0;
  let text = truncate(head.join('\n'), max - reserve);
  for (let i = 0; i < tail.length; i++) {
    const rest = tail.length - i - 1;
    const more = rest > 0 ? `\n…and ${rest} more` : '';
    const line = `\n${tail[i] ?? ''}`;
    if (text.length + line.length + more.length > max) return `${text}\n…and ${tail.length - i} more`;
    text += line;
  }
  return text;
}

interface Field {
  name: string;
  value: string;
}

function storyMessages(
  delivery: StoryDelivery,
  view: StoryView,
  articles: ReadonlyMap<string, DigestArticle>,
  earlier: Field | null,
): MessagePayload[] {
  const urlOf = new Map(view.sources.map((s) => [s.ref, linkable(s.url)]));
  const lines = view.summary.map((s) => {
    const url = s.ref === null ? null : (urlOf.get(s.ref) ?? null);
    const ref = s.ref === null ? '' : url ? ` [${s.ref}](${url})` : ` \\[${s.ref}\\]`;
    return `${truncate(md(s.text), LINE_MAX - ref.length)}${ref}`;
  });
  // first: the reader may already have followed this story in its thread
  const fields: Field[] = earlier === null ? [] : [earlier];
  fields.push(...chunkField('Sources', view.sources.map(sourceLine)));
  if (view.firstReport) {
    const at = timestamp(view.firstReport.time);
    fields.push({ name: 'Reported first by', value: truncate(`${md(view.firstReport.outlet)}, ${at}`, LINE_MAX) });
  }
  fields.push(
    ...chunkField(
      'Warnings',
      view.warnings.map((w) => truncate(`⚠️ ${md(w)}.`, LINE_MAX)),
    ),
  );

  const best = articles.get(delivery.story.bestSource);
  const title = truncate(view.number > 0 ? `${view.number}. ${view.title}` : view.title, L.embedTitle);
  const footer = view.topics.length > 0 ? truncate(`Topics: ${view.topics.join(', ')}`, L.footer) : null;
  const embeds = packEmbeds({ title, url: linkable(linkOf(best?.url)), footer }, lines, fields);

  let content: string | null = null;
  if (delivery.kind === 'update') {
    const names = [...new Set(delivery.newArticleIds.map((id) => articles.get(id)).filter((a) => a !== undefined))];
    const outlets = [...new Set(names.map(outletName))];
    const count = newArticlesPhrase(delivery.newArticleIds, articles);
    content = truncate(`**${count}:** ${md(joinNames(outlets))}`, L.content);
  }
  return packMessages(embeds, content);
}

/** "Posted here on <t:…:f>, 2 new articles since: [thread](…/channels/guild/thread/message)" for a /digest answer. */
function earlierPost(post: StoryPost | undefined, channelId: string, guildId: string | null): Field | null {
  if (post === undefined) return null;
  const t = Date.parse(post.postedAt);
  const when = Number.isNaN(t) ? null : time(Math.floor(t / 1000), TimestampStyles.ShortDateTime);
  const line = postedLine('here', when, post.newArticles);
  // the story's message lives in its thread (threadId); a link needs the server, unknown in a DM
  const url = guildId === null ? null : linkable(messageLink(post.threadId ?? channelId, post.messageId, guildId));
  return { name: 'Earlier post', value: truncate(url === null ? line : `${line}: [thread](${url})`, LINE_MAX) };
}

function sourceLine(s: SourceView): string {
  const parts = [`**${s.ref}.** ${md(s.outlet)}${s.copyOf === null ? '' : ` (copy of ${md(s.copyOf)})`}`];
  const url = linkable(s.url);
  if (s.title !== null) parts.push(url ? `[${md(truncate(s.title, 150))}](${url})` : md(truncate(s.title, 150)));
  else if (url) parts.push(`[link](${url})`);
  if (s.time !== null) parts.push(timestamp(s.time));
  const line = parts.join(' · ');
  // a line too long for a field loses its link text before it loses its link
  return line.length <= LINE_MAX ? line : truncate(parts[0] ?? '', LINE_MAX);
}

/** Lines joined into fields of at most one field value each: "Sources", "Sources (continued)", ... */
function chunkField(name: string, lines: readonly string[]): Field[] {
  const fields: Field[] = [];
  let value = '';
  for (const line of lines) {
    if (value !== '' && value.length + 1 + line.length > L.fieldValue) {
      fields.push({ name: fields.length === 0 ? name : `${name} (continued)`, value });
      value = '';
    }
    value = value === '' ? line : `${value}\n${line}`;
  }
  if (value !== '') fields.push({ name: fields.length === 0 ? name : `${name} (continued)`, value });
  return fields;
}

interface Draft {
  title: string;
  url: string | null;
  footer: string | null;
  description: string;
  fields: Field[];
  length: number;
}

/** Summary lines into descriptions and fields into embeds, starting a continuation embed at any limit. */
function packEmbeds(
  head: { title: string; url: string | null; footer: string | null },
  lines: readonly string[],
  fields: readonly Field[],
): APIEmbed[] {
  const drafts: Draft[] = [];
  const start = (): Draft => {
    const first = drafts.length === 0;
    const more = ' (continued)';
    const title = first ? head.title : `${truncate(head.title, L.embedTitle - more.length)}${more}`;
    const footer = first ? head.footer : null;
    const draft = { title, url: first ? head.url : null, footer, description: '', fields: [], length: 0 };
    draft.length = title.length + (footer?.length ?? 0);
    drafts.push(draft);
    return draft;
  };
  let draft = start();
  for (const line of lines) {
    const added = (draft.description === '' ? 0 : 1) + line.length;
    const full = draft.description.length + added > L.embedDescription || draft.length + added > L.embedsTotal;
    if (full && draft.description !== '') draft = start();
    draft.length += (draft.description === '' ? 0 : 1) + line.length;
    draft.description = draft.description === '' ? line : `${draft.description}\n${line}`;
  }
  for (const field of fields) {
    const added = field.name.length + field.value.length;
    if (draft.fields.length >= L.embedFields || draft.length + added > L.embedsTotal) draft = start();
    draft.fields.push(field);
    draft.length += added;
  }
  return drafts.map((d) => {
    const embed = new EmbedBuilder().setColor(COLOR).setTitle(d.title);
    if (d.url) embed.setURL(d.url);
    if (d.description !== '') embed.setDescription(d.description);
    if (d.fields.length > 0) embed.addFields(d.fields);
    if (d.footer) embed.setFooter({ text: d.footer });
    return embed.toJSON();
  });
}

/** Embeds into messages of at most 10 embeds and 6,000 characters each; the content goes on the first. */
function packMessages(embeds: readonly APIEmbed[], content: string | null): MessagePayload[] {
  const messages: MessagePayload[] = [];
  let batch: APIEmbed[] = [];
  let length = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const message: MessagePayload = { embeds: batch, allowed_mentions: { parse: [] } };
    if (messages.length === 0 && content !== null) message.content = content;
    messages.push(checked(message));
    batch = [];
    length = 0;
  };
  for (const embed of embeds) {
    const n = embedSize(embed);
    if (batch.length >= L.embedsPerMessage || length + n > L.embedsTotal) flush();
    batch.push(embed);
    length += n;
  }
  flush();
  return messages;
}

function embedSize(e: APIEmbed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + fields;
}

function checked(message: Omit<MessagePayload, 'allowed_mentions'>): MessagePayload {
  const payload: MessagePayload = { ...message, allowed_mentions: { parse: [] } };
  checkMessage(payload);
  return payload;
}

/** story-view's UTC time ("1 Mar 2024, 08:00 UTC") as a Discord timestamp, shown in each reader's own zone. */
function timestamp(formatted: string): string {
  const t = Date.parse(formatted);
  return Number.isNaN(t) ? md(formatted) : time(Math.floor(t / 1000), TimestampStyles.RelativeTime);
}

function windowText(from: string, to: string): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return md(`${from} to ${to}`);
  const tag = (ms: number) => time(Math.floor(ms / 1000), TimestampStyles.ShortDateTime);
  return a === b ? tag(b) : `${tag(a)} to ${tag(b)}`;
}

/** An http(s) URL safe inside a markdown link: parentheses, angle brackets and spaces encoded. */
function linkable(url: string | null): string | null {
  if (url === null || !/^https?:\/\/[^\s]+$/i.test(url)) return null;
  try {
    new URL(url);
  } catch {
    return null;
  }
  return url.replace(/[()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Our own text with `code spans` kept as code (command names in answers) and everything else through `md`: a
 * name or URL inside it formats, links and mentions nothing.
 */
export function mdKeepingCode(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : md(part)))
    .join('');
}

/** Markdown that would format, link, mention or quote is escaped; Discord shows the characters themselves. */
export function md(text: string): string {
  return text
    .replace(/[\\`*_~|[\]<>]/g, '\\$&')
    .replace(/^(#{1,3}\s|-#\s|[-+]\s|\d+\.\s)/gm, '\\$1')
    .replace(/@(everyone|here)/g, '@\u200b$1');
}
