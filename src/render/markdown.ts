// The digest (or a search answer) as Markdown: headings, links and lists, readable as plain text in a terminal and
// rendered anywhere.

import type { Digest } from '../domain/types.js';
import { type AnswerNotes, answerHeadLines, postedLines } from './notes.js';
import { type RenderOptions, type SourceView, type StoryView, viewDigest } from './story-view.js';
import { terminalSafe } from './terminal-safe.js';

export function renderMarkdown(digest: Digest, options: RenderOptions = {}): string {
  const view = viewDigest(digest, options);
  const out: string[] = ['# News digest', '', `Generated ${md(view.generatedAt)}. ${md(view.counts)}.`];
  for (const story of view.stories) out.push('', ...storyLines(story));
  if (view.rejected.length > 0) {
    out.push('', '## Rejected', '');
    for (const r of view.rejected) out.push(`- ${atLineStart(md(r.id))}: ${md(r.reason)}`);
  }
  return terminalSafe(`${out.join('\n')}\n`);
}

/**
 * A search answer (`newsdigest search --format markdown`): what was asked and found, then the stories, each with
 * where `channel` already got it.
 */
export function renderAnswerMarkdown(
  digest: Digest,
  notes: AnswerNotes,
  options: RenderOptions & { readonly channel?: string } = {},
): string {
  const view = viewDigest(digest, options);
  const posted = postedLines(digest, notes, options);
  const [heading, ...rest] = answerHeadLines(notes, view.stories.length);
  const out = [`# ${md(heading ?? '')}`, ...rest.flatMap((line) => ['', atLineStart(md(line))])];
  view.stories.forEach((story, i) => {
    out.push('', ...storyLines(story, posted[i] ?? null));
  });
  return terminalSafe(`${out.join('\n')}\n`);
}

function storyLines(story: StoryView, note: string | null = null): string[] {
  const out = [`## ${story.number}. ${md(story.title)}`];
  if (note !== null) out.push('', `_${md(note)}_`);
  if (story.topics.length > 0) out.push('', `**Topics:** ${md(story.topics.join(', '))}`);
  if (story.summary.length > 0) {
    const sentences = story.summary.map((s) => (s.ref === null ? md(s.text) : `${md(s.text)} [${s.ref}]`));
    out.push('', atLineStart(sentences.join(' ')));
  }
  if (story.sources.length > 0) {
    out.push('', '**Sources**', '');
    for (const source of story.sources) out.push(`- ${sourceLine(source)}`);
  }
  if (story.firstReport) {
    out.push('', `First reported by ${md(story.firstReport.outlet)}, ${md(story.firstReport.time)}.`);
  }
  if (story.warnings.length > 0) {
    out.push('', '**Warnings**', '');
    for (const warning of story.warnings) out.push(`- ${atLineStart(md(warning))}.`);
  }
  return out;
}

function sourceLine(source: SourceView): string {
  const outlet = md(source.outlet) + (source.copyOf === null ? '' : ` (copy of ${md(source.copyOf)})`);
  const parts = [`[${source.ref}] ${outlet}`];
  const linkable = source.url !== null && /^https?:\/\//i.test(source.url) ? source.url : null;
  if (source.title !== null) parts.push(linkable ? link(source.title, linkable) : md(source.title));
  if (source.url !== null && (source.title === null || !linkable)) {
    parts.push(linkable ? `<${destination(linkable)}>` : md(source.url));
  }
  if (source.time !== null) parts.push(md(source.time));
  return parts.join(' — ');
}

function link(text: string, url: string): string {
  return `[${md(text)}](${/[\s()]/.test(url) ? `<${destination(url)}>` : url})`;
}

/** A URL safe inside `<...>`: angle brackets and line breaks would end it early. */
function destination(url: string): string {
  return url.replace(/[<>\s]/g, (c) => encodeURIComponent(c));
}

/** Characters that would turn into emphasis, links, code or HTML are escaped. */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}

/** Text that opens a line must not read as a heading, quote, list item or rule. */
function atLineStart(text: string): string {
  return text.replace(/^(?:[#>]|[-+](?=\s|$))/, '\\$&').replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}
