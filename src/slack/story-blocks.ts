// One story as Block Kit blocks, laid out from the shared story view (src/render/story-view.ts): the title linked
// to the best source, each summary sentence ending with its numbered source link, the outlets with their publish
// times, who reported first, and one context line gathering the warnings. Pure.
import { addedSourcesPhrase, type SourceView, type StoryView } from '../render/story-view.js';
import type { SlackBlock } from './limits.js';
import { contexts, escapeText, fallback, link, sections } from './mrkdwn.js';

/** The source a summary sentence points at, as a numbered link (`<url|[2]>`), or `[2]` when it has no URL. */
export function refLink(view: StoryView, ref: number | null): string {
  if (ref === null) return '';
  const source = view.sources.find((s) => s.ref === ref);
  return link(source?.url ?? null, `[${ref}]`);
}

/** "Sentence. <url|[1]>" for each sentence. */
export function summaryPieces(view: StoryView, which: readonly number[] | null = null): string[] {
  return view.summary
    .filter((_, i) => which === null || which.includes(i))
    .map((s) => {
      const ref = refLink(view, s.ref);
      return ref === '' ? escapeText(s.text) : `${escapeText(s.text)} ${ref}`;
    });
}

/** "[1] <url|Coastline Wire> (copy of X) · 1 Mar 2024, 09:00 CET". */
export function sourceLine(source: SourceView): string {
  const parts = [`[${source.ref}] ${link(source.url, source.outlet)}`];
  if (source.copyOf !== null) parts.push(` (copy of ${escapeText(source.copyOf)})`);
  if (source.time !== null) parts.push(` · ${escapeText(source.time)}`);
  return parts.join('');
}

/**
 * The title in bold, linked to the best source. An asterisk in the title would end the bold early (mrkdwn has no
 * escape), so it is shown as the look-alike U+2217. Not numbered: a resumed digest renders only the stories left.
 */
export function titleLine(view: StoryView, bestUrl: string | null, prefix = ''): string {
  return `${prefix}*${link(bestUrl, view.title.replace(/\*/g, '\u2217'))}*`;
}

export function warningBlocks(view: StoryView): SlackBlock[] {
  if (view.warnings.length === 0) return [];
  const pieces = view.warnings.map((w, i) => `${i === 0 ? ':warning: ' : ''}${escapeText(w)}.`);
  return contexts(pieces);
}

export function firstReportBlocks(view: StoryView): SlackBlock[] {
  if (view.firstReport === null) return [];
  const { outlet, time } = view.firstReport;
  return contexts([`First reported by ${escapeText(outlet)}, ${escapeText(time)}`]);
}

/** Every block of a story's thread reply, in reading order. */
export function storyBlocks(view: StoryView, bestUrl: string | null): SlackBlock[] {
  const blocks: SlackBlock[] = [...sections([titleLine(view, bestUrl)])];
  if (view.topics.length > 0) blocks.push(...contexts([escapeText(view.topics.join(' · '))]));
  if (view.summary.length > 0) blocks.push(...sections(summaryPieces(view), ' '));
  if (view.sources.length > 0) blocks.push(...sections(['*Sources*', ...view.sources.map(sourceLine)]));
  blocks.push(...firstReportBlocks(view), ...warningBlocks(view));
  return blocks;
}

/** The notification text of a story: its title and first sentences. */
export function storyFallback(view: StoryView): string {
  return fallback([`${view.title}:`, ...view.summary.map((s) => s.text)].join(' '));
}

export interface UpdateParts {
  /** Sources the earlier post did not have. */
  readonly newSources: readonly SourceView[];
  /** Indexes into view.summary of sentences drawn from the new sources. */
  readonly newSentences: readonly number[];
}

/** An update for the earlier post's thread: "Update: 2 new sources: A, B", the new sentences and sources. */
export function updateBlocks(view: StoryView, bestUrl: string | null, parts: UpdateParts): SlackBlock[] {
  const count = parts.newSources.length;
  const names = [...new Set(parts.newSources.map((s) => s.outlet))].map(escapeText).join(', ');
  const head = `${titleLine(view, bestUrl, ':arrows_counterclockwise: Update: ')}\n${addedPhrase(parts)}${names ? `: ${names}` : ''}`;
  const blocks: SlackBlock[] = [...sections([head])];
  if (parts.newSentences.length > 0) blocks.push(...sections(summaryPieces(view, parts.newSentences), ' '));
  if (count > 0) blocks.push(...sections(['*New sources*', ...parts.newSources.map(sourceLine)]));
  blocks.push(...warningBlocks(view));
  return blocks;
}

export function updateFallback(view: StoryView, parts: UpdateParts): string {
  return fallback(`Update: ${view.title}: ${addedPhrase(parts)}`);
}

/** "2 new sources", "1 new source and 1 copy", "1 updated report": copies and later versions are no new sources. */
function addedPhrase(parts: UpdateParts): string {
  const copies = parts.newSources.filter((s) => s.copyOf !== null).length;
  const revisions = parts.newSources.filter((s) => s.copyOf === null && s.revised).length;
  return addedSourcesPhrase({ added: parts.newSources.length, copies, revisions });
}
