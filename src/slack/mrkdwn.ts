// Slack mrkdwn text that stays within Slack's limits: escaping, links, and packing pieces of text into sections and
// context elements. A piece too long for one block is split between words, never inside a `<url|label>` link.
import { type ContextBlock, type SectionBlock, SLACK_LIMITS } from './limits.js';

/** Links to URLs longer than this are shown as their label: such a URL is junk, and it would crowd out the text. */
const MAX_URL = 1_000;
/** Labels are shortened to this many characters (the URL still points at the whole thing). */
const MAX_LABEL = 200;

/** Slack's three control characters in message text. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escaped text of at most `max` characters. Escaping can make text five times longer (`&` is `&amp;`), so the
 * limit is applied to the escaped text, cutting between entities and ending with an ellipsis.
 */
export function escapeWithin(text: string, max: number): string {
  const escaped = escapeText(text);
  if (escaped.length <= max) return escaped;
  const cut = shorten(escaped, max);
  // a cut inside an entity ("&am…") would show as such: drop the broken entity
  return cut.replace(/&[a-z]{0,3}…$/, '…');
}

/** `<url|label>` for an http(s) URL; the escaped label alone otherwise. */
export function link(url: string | null, label: string): string {
  const shown = escapeText(shorten(label, MAX_LABEL));
  if (url === null || !/^https?:\/\//i.test(url) || url.length > MAX_URL) return shown;
  const safe = url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
  return `<${safe}|${shown}>`;
}

/** Cuts `text` at a word boundary to at most `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Packs pieces (already mrkdwn) into texts of at most `max` characters, joined by `separator`. A piece longer than
 * `max` is split between words; links (`<...>`) and entities (`&amp;`) are never cut.
 */
export function packTexts(pieces: readonly string[], separator: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces.flatMap((p) => splitPiece(p, max))) {
    if (current === '') current = piece;
    else if (current.length + separator.length + piece.length <= max) current += separator + piece;
    else {
      out.push(current);
      current = piece;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** Splits one piece into parts of at most `max` characters at spaces outside links. */
export function splitPiece(piece: string, max: number): string[] {
  if (piece.length <= max) return [piece];
  // atoms: links and entities stay whole; words are split at spaces
  const atoms = piece.match(/<[^>]*>|&[a-z]+;|\s+|[^<&\s]+|[<&]/g) ?? [];
  const parts: string[] = [];
  let current = '';
  for (const atom of atoms.flatMap((a) => (a.length > max ? hardCut(a, max) : [a]))) {
    if (current.length + atom.length > max) {
      if (current.trim() !== '') parts.push(current.trim());
      current = /^\s+$/.test(atom) ? '' : atom;
    } else current += atom;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** A single word longer than a block: cut at `max`, the only place text is cut rather than wrapped. */
function hardCut(word: string, max: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < word.length; i += max) parts.push(word.slice(i, i + max));
  return parts;
}

/** Section blocks holding the pieces, joined by `separator`, each within Slack's section limit. */
export function sections(pieces: readonly string[], separator = '\n'): SectionBlock[] {
  return packTexts(pieces, separator, SLACK_LIMITS.sectionText).map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
  }));
}

/** Context blocks holding the pieces, within Slack's element length and element count. */
export function contexts(pieces: readonly string[], separator = ' '): ContextBlock[] {
  const elements = packTexts(pieces, separator, SLACK_LIMITS.contextElementText).map((text) => ({
    type: 'mrkdwn' as const,
    text,
  }));
  const blocks: ContextBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: elements.slice(i, i + SLACK_LIMITS.contextElements) });
  }
  return blocks;
}

/** Plain text for the `text` fallback: escaped, one line, at most `max` characters. */
export function fallback(text: string, max = 500): string {
  const line = shorten(text.replace(/\s+/g, ' ').trim(), max);
  return escapeText(line) || 'newsdigest';
}
