// OPML 2.0 in and out, for `newsdigest feeds import|export`. Reading is strict and small on purpose: a well-formed
// document (tags closed in order, attributes quoted, only XML's own entities), no DOCTYPE (so no entity expansion),
// bounded in outlines and depth. Only `<outline xmlUrl=...>` matters; categories (nested outlines) are flattened.

export class OpmlError extends Error {
  override readonly name = 'OpmlError';
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

export interface OpmlFeed {
  readonly url: string;
  /** The outline's title, else its text; null when it has neither. */
  readonly title: string | null;
  readonly line: number;
}

export const MAX_OUTLINES = 10_000;
const MAX_DEPTH = 64;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][\w.:-]*/;

/** The feeds an OPML document lists, in order. Throws OpmlError saying what is wrong and where. */
export function parseOpml(source: string): OpmlFeed[] {
  const text = source.replace(/^\uFEFF/, '');
  const feeds: OpmlFeed[] = [];
  const open: string[] = [];
  let roots = 0;
  let outlines = 0;
  let i = 0;
  const lineAt = (at: number) => {
    let line = 1;
    for (let k = text.indexOf('\n'); k >= 0 && k < at; k = text.indexOf('\n', k + 1)) line++;
    return line;
  };
  const fail = (message: string, at: number): never => {
    throw new OpmlError(message, lineAt(at));
  };
  const skipTo = (end: string, from: number, what: string) => {
    const at = text.indexOf(end, from);
    if (at < 0) fail(`${what} is not closed`, from);
    return at + end.length;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const stretch = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (stretch.trim() !== '' && open.length === 0) fail('text outside the document element: this is not XML', i);
    if (lt < 0) break;
    if (text.startsWith('<?', lt)) i = skipTo('?>', lt, 'a processing instruction');
    else if (text.startsWith('<!--', lt)) i = skipTo('-->', lt, 'a comment');
    else if (text.startsWith('<![CDATA[', lt)) i = skipTo(']]>', lt, 'a CDATA section');
    else if (text.startsWith('<!', lt)) fail('a DOCTYPE or declaration is not accepted in OPML here', lt);
    else if (text.startsWith('</', lt)) {
      const name = NAME.exec(text.slice(lt + 2))?.[0] ?? '';
      const end = text.indexOf('>', lt);
      if (name === '' || end < 0 || text.slice(lt + 2 + name.length, end).trim() !== '') fail('a bad end tag', lt);
      if (open.at(-1) !== name) fail(`</${name}> does not close <${open.at(-1) ?? 'nothing'}>`, lt);
      open.pop();
      i = end + 1;
    } else {
      const tag = readTag(text, lt, fail);
      if (open.length === 0) {
        roots++;
        if (roots > 1) fail('more than one document element', lt);
        if (tag.name !== 'opml') fail(`the document element is <${tag.name}>, not <opml>: this is not OPML`, lt);
      }
      if (tag.name === 'outline') {
        if (++outlines > MAX_OUTLINES) fail(`more than ${MAX_OUTLINES} outlines`, lt);
        const url = attribute(tag.attributes, 'xmlUrl');
        if (url !== undefined) {
          const title = attribute(tag.attributes, 'title') ?? attribute(tag.attributes, 'text') ?? null;
          feeds.push({ url: url.trim(), title: title?.trim() || null, line: lineAt(lt) });
        }
      }
      if (!tag.selfClosing) {
        open.push(tag.name);
        if (open.length > MAX_DEPTH) fail(`outlines nested more than ${MAX_DEPTH} deep`, lt);
      }
      i = tag.end;
    }
  }
  if (open.length > 0) throw new OpmlError(`<${open.at(-1)}> is never closed`, null);
  if (roots === 0) throw new OpmlError('no <opml> document: this is not XML', null);
  return feeds;
}

function readTag(
  text: string,
  lt: number,
  fail: (message: string, at: number) => never,
): { name: string; attributes: Map<string, string>; selfClosing: boolean; end: number } {
  const name = NAME.exec(text.slice(lt + 1, lt + 200))?.[0];
  if (!name) return fail('a "<" that starts no tag: this is not XML', lt);
  const attributes = new Map<string, string>();
  let i = lt + 1 + name.length;
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    const c = text[i];
    if (c === undefined) return fail(`<${name}> is not closed`, lt);
    if (c === '>') return { name, attributes, selfClosing: false, end: i + 1 };
    if (c === '/' && text[i + 1] === '>') return { name, attributes, selfClosing: true, end: i + 2 };
    const attr = NAME.exec(text.slice(i, i + 200))?.[0];
    if (!attr) return fail(`a bad attribute in <${name}>`, i);
    i += attr.length;
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] !== '=') return fail(`attribute ${attr} of <${name}> has no value`, i);
    i++;
    while (/\s/.test(text[i] ?? '')) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") return fail(`attribute ${attr} of <${name}> is not quoted`, i);
    const close = text.indexOf(quote, i + 1);
    if (close < 0) return fail(`attribute ${attr} of <${name}> is not closed`, i);
    const raw = text.slice(i + 1, close);
    if (raw.includes('<')) return fail(`attribute ${attr} of <${name}> contains "<"`, i);
    if (attributes.has(attr)) return fail(`attribute ${attr} is repeated in <${name}>`, i);
    attributes.set(
      attr,
      decodeEntities(raw, (message) => fail(message, i)),
    );
    i = close + 1;
  }
}

function decodeEntities(raw: string, fail: (message: string) => never): string {
  return raw.replace(/&([^;\s&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) return fail(`"&" not part of an entity (write &amp;)`);
    const known = ENTITIES[name];
    if (known !== undefined) return known;
    const code = /^#x([0-9a-f]{1,6})$/i.exec(name)?.[1] ?? /^#(\d{1,7})$/.exec(name)?.[1];
    const value = code === undefined ? Number.NaN : Number.parseInt(code, name.startsWith('#x') ? 16 : 10);
    if (Number.isNaN(value) || value > 0x10ffff) return fail(`unknown entity &${name}; (OPML takes XML's own only)`);
    return String.fromCodePoint(value);
  });
}

/** An attribute by name, its case ignored (xmlUrl is written xmlurl by some tools). */
function attribute(attributes: ReadonlyMap<string, string>, name: string): string | undefined {
  for (const [key, value] of attributes) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

export interface OpmlGroup {
  readonly title: string;
  readonly feeds: readonly { readonly name: string; readonly url: string }[];
}

/** An OPML 2.0 document: one outline per group, its feeds inside. */
export function renderOpml(title: string, groups: readonly OpmlGroup[], created: Date): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    `    <dateCreated>${created.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
  ];
  for (const group of groups) {
    lines.push(`    <outline text="${escapeXml(group.title)}" title="${escapeXml(group.title)}">`);
    for (const f of group.feeds) {
      const name = escapeXml(f.name);
      lines.push(`      <outline type="rss" text="${name}" title="${name}" xmlUrl="${escapeXml(f.url)}"/>`);
    }
    lines.push('    </outline>');
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[^\t\n\r\u0020-\uffff]/gu, (c) => (c.length > 1 ? c : ''));
}
