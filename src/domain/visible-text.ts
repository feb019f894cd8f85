// Text as chat should show it. Feeds carry characters nobody sees but everyone's client acts on: control characters,
// zero-width spaces and byte-order marks inside words (search and copy break on them), soft hyphens, and bidi
// overrides that make a title read backwards (U+202E turns "gro.elpmaxe" into a link-looking "example.org": the
// trick of spoofed headlines). And feeds encode their titles twice: "Council &amp;amp; mayor" reaches us as
// "Council &amp; mayor". Removed and decoded here, before anything reads the text.
import { decodeEntities } from './html-text.js';
import { squash } from './text.js';

// biome-ignore-start lint/suspicious/noControlCharactersInRegex: matching control characters is the point
/**
 * Terminal escape sequences whole (ESC and 8-bit CSI/OSC/DCS), so that removing their ESC leaves no "[31m" behind.
 * Shared with the renderer's terminalSafe.
 */
export const ESCAPE_SEQUENCES =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -~]?/g;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: matching control characters is the point

/**
 * C0 and C1 controls except tab and line breaks, soft hyphen, zero-width space, word joiner, BOM, and the bidi
 * embeddings, overrides and isolates. Kept: the zero-width (non-)joiners that Persian, Indic scripts and emoji
 * sequences need, and the left-to-right and right-to-left marks, which only hint.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;
const ENTITY = /&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/i;
/** Feeds double-encode; none triple-encodes on purpose. */
const MAX_DECODES = 2;

/** The text without its invisible characters (line breaks kept). */
export function visibleText(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(INVISIBLE, '');
}

/** A title as a line of text: visible characters, entities left by double encoding decoded, spaces squashed. */
export function titleText(title: string): string {
  let text = visibleText(title);
  for (let i = 0; i < MAX_DECODES && ENTITY.test(text); i++) text = visibleText(decodeEntities(text));
  return squash(text);
}
