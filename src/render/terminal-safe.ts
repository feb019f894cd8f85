// Feed text is written by strangers and printed to terminals: an escape sequence in a headline could recolour the
// screen, move the cursor, set the window title or (OSC 52) write the clipboard. Text meant for a terminal or a
// log file goes through here last, so nothing but printable text and line breaks leaves the renderer.
import { ESCAPE_SEQUENCES } from '../domain/visible-text.js';

// biome-ignore-start lint/suspicious/noControlCharactersInRegex: matching control characters is the point
/** What is left: C0 controls but the line break, DEL and C1 controls. Tabs become spaces. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: matching control characters is the point

export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(/\t/g, ' ').replace(CONTROL, '');
}
