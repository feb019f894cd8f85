// Feed text reaches terminals through the text and Markdown renderers and the console/file publisher: no escape
// sequence or control character may come through, only printable text and line breaks.
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/domain/types.js';
import { createTextPublisher } from '../../src/publishers/text-publisher.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { terminalSafe } from '../../src/render/terminal-safe.js';
import { renderText } from '../../src/render/text.js';
import { digest } from './fixture-digest.js';

const CLEAR = '\u001b[2J\u001b[H';
const TITLE = '\u001b]0;owned\u0007';
const CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4=\u001b\\';
const RED_8BIT = '\u009b31m';

/** The fixture with escape sequences planted in a title, a summary sentence, an outlet and a warning. */
function hostile(): Digest {
  const d = structuredClone(digest);
  const [rain, bridge] = d.stories;
  if (!rain || !bridge || !d.articles[0] || !bridge.summary[0]) throw new Error('fixture changed');
  rain.title = `${CLEAR}Rain ${RED_8BIT}delays harvest${TITLE}`;
  bridge.summary[0].text = `The bridge closes.${CLIPBOARD} Back\rspace\u0008 and bell\u0007.`;
  d.articles[0].source = `Coastline\u001b[5m Wire\u007f`;
  return d;
}

/** Characters a terminal acts on: C0 controls but the line break, DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminalSafe', () => {
  it.each([
    ['a colour', 'a\u001b[1;31mred\u001b[0m word', 'ared word'],
    ['an OSC title ended by BEL', `x${TITLE}y`, 'xy'],
    ['an OSC 52 clipboard write ended by ST', `x${CLIPBOARD}y`, 'xy'],
    ['an 8-bit CSI', `x${RED_8BIT}y`, 'xy'],
    ['a lone ESC at the end', 'x\u001b', 'x'],
    ['carriage return and backspace', 'over\rwrite\u0008', 'overwrite'],
    ['a tab', 'a\tb', 'a b'],
    ['line breaks and text in any script', 'Zürich\n東京 — “quoted”', 'Zürich\n東京 — “quoted”'],
  ])('removes %s', (_name, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });
});

describe('text output of feed text with escape sequences', () => {
  it('renderText prints none of them, and keeps the words', () => {
    const text = renderText(hostile());
    expect(text).not.toMatch(ACTIVE);
    expect(text).toContain('1. Rain delays harvest');
    expect(text).toContain('The bridge closes. Back space and bell.');
    expect(text).toContain('[1] Coastline Wire');
  });

  it('renderMarkdown prints none of them', () => {
    expect(renderMarkdown(hostile())).not.toMatch(ACTIVE);
  });

  it('the console publisher writes none of them, notices included', async () => {
    const written: string[] = [];
    const publisher = createTextPublisher({ write: (text) => void written.push(text) });
    const d = hostile();
    await publisher.publish(
      {
        channel: 'desk',
        from: '2024-03-01T00:00:00.000Z',
        to: '2024-03-02T00:00:00.000Z',
        digest: d,
        stories: d.stories.map((story) => ({ kind: 'new', story })),
      },
      async () => {},
    );
    await publisher.publish(
      {
        channel: 'desk',
        from: '2024-03-02T00:00:00.000Z',
        to: '2024-03-03T00:00:00.000Z',
        digest: { ...d, stories: [] },
        stories: [],
        notice: `Quiet day on ${CLEAR}topics`,
      },
      async () => {},
    );
    expect(written).toHaveLength(2);
    for (const text of written) expect(text).not.toMatch(ACTIVE);
  });
});
