// The parsed page as extraction sees it: its elements in document order and its text as lines (one line per run
// of text between block boundaries), so that an element's text is a contiguous range of lines and "how much text,
// how much of it linked" is two subtractions of prefix sums. The DOM is walked once; nothing reads it afterwards.
import { parseHTML } from 'linkedom';

// The part of linkedom's DOM this module reads; linkedom's own types assume the browser's DOM library.
interface DomNode {
  readonly nodeType: number;
  readonly firstChild: DomNode | null;
  readonly nextSibling: DomNode | null;
}
interface DomElement extends DomNode {
  readonly localName: string;
  getAttribute(name: string): string | null;
}
interface DomText extends DomNode {
  readonly data: string;
}
interface DomDocument {
  readonly body: DomElement | null;
}
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export interface PageElement {
  tag: string;
  /** Index of the parent element, -1 for the root. */
  parent: number;
  /** `class` and `id`, lower case, space separated. */
  names: string;
  role: string;
  itemprop: string;
  /** One past the last element of this subtree (elements are in document order). */
  end: number;
  /** This subtree's lines: [lineStart, lineEnd). */
  lineStart: number;
  lineEnd: number;
}

export interface PageLine {
  text: string;
  /** The innermost block element holding the line. */
  owner: number;
  /** Characters of the line inside links. */
  linkChars: number;
  /** The line is (inside) a heading h1-h6. */
  heading: number;
}

export interface PageModel {
  elements: PageElement[];
  lines: PageLine[];
  /** Prefix sums over lines: characters, linked characters, commas. Entry k covers lines [0, k). */
  chars: Int32Array;
  links: Int32Array;
  commas: Int32Array;
}

export const BLOCK = new Set(
  (
    'address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure ' +
    'footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table tbody ' +
    'thead tfoot tr td th ul caption legend br'
  ).split(' '),
);
const HEADING: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

const COMMAS = /[,\u060c\ufe50\ufe10\ufe11\u2e41\u2e34\u2e32\uff0c]/g;

function attr(el: DomElement, name: string): string {
  return el.getAttribute(name) ?? '';
}

/** The model of markup written by `preparePage`. */
export function buildModel(markup: string): PageModel {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${markup}</body></html>`) as unknown as {
    document: DomDocument;
  };
  const elements: PageElement[] = [];
  const lines: PageLine[] = [];
  const root = document.body;
  if (root === null) return finish(elements, lines);

  let text = '';
  let linkChars = 0;
  const openIndex: number[] = [];
  let linkDepth = 0;
  // the innermost open block element, and heading level, for each open element
  const ownerStack: number[] = [];
  const headingStack: number[] = [];
  const flush = (): void => {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line) {
      const owner = ownerStack[ownerStack.length - 1] ?? 0;
      const heading = headingStack[headingStack.length - 1] ?? 0;
      lines.push({ text: line, owner, linkChars: Math.min(linkChars, line.length), heading });
    }
    text = '';
    linkChars = 0;
  };
  const open = (el: DomElement, tag: string): void => {
    const parent = openIndex[openIndex.length - 1] ?? -1;
    const index = elements.length;
    elements.push({
      tag,
      parent,
      names: attr(el, 'n'), // attribute names as extract-prepare writes them
      role: attr(el, 'r'),
      itemprop: attr(el, 'p'),
      end: index + 1,
      lineStart: lines.length,
      lineEnd: lines.length,
    });
    openIndex.push(index);
    const isBlock = BLOCK.has(tag);
    ownerStack.push(isBlock ? index : (ownerStack[ownerStack.length - 1] ?? index));
    headingStack.push(HEADING[tag] ?? headingStack[headingStack.length - 1] ?? 0);
    if (tag === 'a') linkDepth++;
  };
  const close = (tag: string): void => {
    if (BLOCK.has(tag)) flush();
    const index = openIndex.pop() ?? 0;
    ownerStack.pop();
    headingStack.pop();
    if (tag === 'a') linkDepth--;
    const el = elements[index];
    if (el) {
      el.end = elements.length;
      el.lineEnd = lines.length;
    }
  };

  // Iterative, since unclosed inline tags on a sloppy page can nest thousands deep.
  const path: { el: DomElement; tag: string }[] = [];
  open(root, 'body');
  let node: DomNode | null = root.firstChild;
  for (;;) {
    while (node === null) {
      const done = path.pop();
      if (done === undefined) break;
      close(done.tag);
      node = done.el.nextSibling;
    }
    if (node === null) break;
    if (node.nodeType === TEXT_NODE) {
      const data = (node as DomText).data;
      text += data;
      if (linkDepth > 0) linkChars += data.trim().length;
      node = node.nextSibling;
    } else if (node.nodeType === ELEMENT_NODE) {
      const el = node as DomElement;
      const tag = el.localName;
      if (BLOCK.has(tag)) flush();
      if (tag === 'br' || tag === 'hr') {
        node = node.nextSibling;
        continue;
      }
      open(el, tag);
      path.push({ el, tag });
      node = el.firstChild;
    } else {
      node = node.nextSibling;
    }
  }
  close('body');
  return finish(elements, lines);
}

/** A heading that is (mostly) a link: the headline of another page. */
export function isLinkedHeading(line: { text: string; linkChars: number; heading: number }): boolean {
  return line.heading > 0 && line.linkChars > line.text.length * 0.6;
}

function finish(elements: PageElement[], lines: PageLine[]): PageModel {
  const n = lines.length;
  const chars = new Int32Array(n + 1);
  const links = new Int32Array(n + 1);
  const commas = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const line = lines[k];
    const len = line ? line.text.length : 0;
    chars[k + 1] = (chars[k] ?? 0) + len;
    links[k + 1] = (links[k] ?? 0) + (line ? line.linkChars : 0);
    commas[k + 1] = (commas[k] ?? 0) + (line ? (line.text.match(COMMAS)?.length ?? 0) : 0);
  }
  return { elements, lines, chars, links, commas };
}

/** Characters, linked characters and commas of lines [from, to). */
export function rangeStats(
  model: PageModel,
  from: number,
  to: number,
): { chars: number; links: number; commas: number } {
  return {
    chars: (model.chars[to] ?? 0) - (model.chars[from] ?? 0),
    links: (model.links[to] ?? 0) - (model.links[from] ?? 0),
    commas: (model.commas[to] ?? 0) - (model.commas[from] ?? 0),
  };
}
