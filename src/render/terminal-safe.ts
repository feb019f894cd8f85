// Feed text is written by strangers and printed to terminals: an escape sequence in a headline could recolour the
// screen, move the cursor, set the window title or (OSC 52) write the clipboard. Text meant for a terminal or a
// log file goes through here last, so nothing but printable text and line breaks leaves the renderer.

// biome-ignore-start lint/suspicious/noControlCharactersInRegex: matching control characters is the point
/** ESC and 8-bit CSI/OSC/DCS sequences whole, so no "[31m" is left behind. */
const SEQUENCE =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -~]?/g;
/** What is left: C0 controls but the line break, DEL and C1 controls. Tabs become spaces. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: matching control characters is the point

export function terminalSafe(text: string): string {
  return text.replace(SEQUENCE, '').replace(/\t/g, ' ').replace(CONTROL, '');
}
