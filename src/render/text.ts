// The digest (or a search answer) as plain text for a terminal or an e-mail body: no markup, lines wrapped at 100
// columns.

import type { Digest } from '../domain/types.js';
import { type AnswerNotes, answerHeadLines, postedLines } from './notes.js';
import { type RenderOptions, type SourceView, type StoryView, viewDigest } from './story-view.js';
import { terminalSafe } from './terminal-safe.js';

const WIDTH = 100;
const INDENT = '   ';
// Joins words that must stay on one line (a time, a sentence and its [n]); printed as a plain space.
const NBSP = '\u00a0';

export function renderText(digest: Digest, options: RenderOptions = {}): string {
  const view = viewDigest(digest, options);
  const out: string[] = ['NEWS DIGEST', ...wrap(`Generated ${view.generatedAt}`, ''), ...wrap(view.counts, '')];
  for (const story of view.stories) out.push('', ...storyLines(story));
  if (view.rejected.length > 0) {
    out.push('', 'REJECTED');
    for (const r of view.rejected) out.push(...wrap(`${r.id}: ${r.reason}`, `${INDENT}- `));
  }
  return terminalSafe(`${out.join('\n')}\n`);
}

/**
 * A search answer (`newsdigest search`): what was asked and found, then the stories, each with where `channel`
 * already got it.
 */
export function renderAnswerText(
  digest: Digest,
  notes: AnswerNotes,
  options: RenderOptions & { readonly channel?: string } = {},
): string {
  const view = viewDigest(digest, options);
  const posted = postedLines(digest, notes, options);
  const out = answerHeadLines(notes, view.stories.length).flatMap((line) => wrap(line, ''));
  view.stories.forEach((story, i) => {
    out.push('', ...storyLines(story, posted[i] ?? null));
  });
  return terminalSafe(`${out.join('\n')}\n`);
}

function storyLines(story: StoryView, note: string | null = null): string[] {
  const out = wrap(story.title, `${story.number}. `.padEnd(INDENT.length));
  if (note !== null) out.push(...wrap(note, INDENT));
  if (story.topics.length > 0) out.push(...wrap(`Topics: ${story.topics.join(', ')}`, INDENT));
  if (story.summary.length > 0) {
    const sentences = story.summary.map((s) => (s.ref === null ? s.text : `${s.text}${NBSP}[${s.ref}]`));
    out.push('', ...wrap(sentences.join(' '), INDENT));
  }
  if (story.sources.length > 0) {
    out.push('', `${INDENT}Sources:`);
    for (const source of story.sources) out.push(...wrap(sourceLine(source), `${INDENT}[${source.ref}] `));
  }
  if (story.firstReport) {
    out.push(...wrap(`First reported by ${story.firstReport.outlet}, ${story.firstReport.time}.`, INDENT));
  }
  if (story.warnings.length > 0) {
    out.push('', `${INDENT}Warnings:`);
    for (const warning of story.warnings) out.push(...wrap(`${warning}.`, `${INDENT}- `));
  }
  return out;
}

function sourceLine(source: SourceView): string {
  const outlet = source.copyOf === null ? source.outlet : `${source.outlet} (copy of ${source.copyOf})`;
  const time = source.time === null ? null : source.time.replaceAll(' ', NBSP);
  return [outlet, source.title, source.url, time].filter((part) => part !== null).join(' — ');
}

/**
 * Word-wraps `text` to WIDTH columns after `prefix`; later lines are indented to line up under the text. A word
 * longer than a line (a URL) gets a line of its own rather than being cut, so it stays copyable. Words joined by
 * NBSP move together.
 */
export function wrap(text: string, prefix: string, width = WIDTH): string[] {
  const indent = ' '.repeat(prefix.length);
  const lines: string[] = [];
  let line = prefix;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!word) continue;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line.trimEnd());
  return lines.map((l) => l.replaceAll(NBSP, ' '));
}
