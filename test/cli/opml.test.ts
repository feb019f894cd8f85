// OPML in and out: the strict reader (what it takes, what it refuses and says where) and the writer, round trip.
import { describe, expect, it } from 'vitest';
import { MAX_OUTLINES, OpmlError, parseOpml, renderOpml } from '../../src/cli/opml.js';

const doc = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n<head><title>t</title></head>\n<body>\n${body}\n</body>\n</opml>\n`;

function errorOf(text: string): OpmlError {
  try {
    parseOpml(text);
  } catch (error) {
    if (error instanceof OpmlError) return error;
    throw error;
  }
  throw new Error('expected an OpmlError');
}

describe('parseOpml', () => {
  it('lists feeds of nested categories in order, with XML entities decoded and titles from title or text', () => {
    const feeds = parseOpml(
      doc(`<!-- exported by some reader -->
<outline text="News">
  <outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.example/rss?a=1&amp;b=2"/>
  <outline text="Deeper"><outline type="rss" title="Caf&#233; &#x2014; daily" xmlurl='https://cafe.example/feed'/></outline>
</outline>
<outline text="no feed here"/>`),
    );
    expect(feeds).toEqual([
      { url: 'https://wire.example/rss?a=1&b=2', title: 'Wire & Co', line: 7 },
      { url: 'https://cafe.example/feed', title: 'Café — daily', line: 8 },
    ]);
  });

  it('round-trips what renderOpml writes, with names that need escaping', () => {
    const groups = [
      { title: 'Config file', feeds: [{ name: 'A & "B" <C>', url: 'https://a.example/rss?x=1&y=2' }] },
      { title: 'Channel desk: subscribed from chat', feeds: [{ name: 'b.example', url: 'https://b.example/feed' }] },
    ];
    const text = renderOpml('newsdigest feeds', groups, new Date('2024-03-02T09:30:00Z'));
    expect(text).toContain('<opml version="2.0">');
    expect(text).toContain('<dateCreated>Sat, 02 Mar 2024 09:30:00 GMT</dateCreated>');
    expect(parseOpml(text).map((f) => [f.title, f.url])).toEqual([
      ['A & "B" <C>', 'https://a.example/rss?x=1&y=2'],
      ['b.example', 'https://b.example/feed'],
    ]);
  });

  it.each([
    ['plain text', 'just some words', 'text outside the document element: this is not XML'],
    ['an HTML page', '<html><body>hi</body></html>', 'the document element is <html>, not <opml>'],
    ['JSON', '{"feeds": []}', 'this is not XML'],
    ['an empty file', '', 'no <opml> document'],
    ['a tag never closed', '<opml><body><outline text="x">', '<outline> is never closed'],
    ['tags closed out of order', '<opml><body></opml></body>', 'line 1: </opml> does not close <body>'],
    ['an unquoted attribute', '<opml><body>\n<outline xmlUrl=https://x/></body></opml>', 'line 2: attribute xmlUrl'],
    ['a bare ampersand', '<opml><outline xmlUrl="https://x/?a=1&b=2"/></opml>', '"&" not part of an entity'],
    ['an entity bomb', '<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml/>', 'a DOCTYPE or declaration is not accepted'],
    ['an unknown entity', '<opml><outline xmlUrl="&lol;"/></opml>', 'unknown entity &lol;'],
    ['two documents', '<opml/><opml/>', 'more than one document element'],
  ])('refuses %s, saying why', (_what, text, message) => {
    expect(errorOf(text).message).toContain(message);
  });

  it('refuses more outlines than it reads, and deep nesting', () => {
    const many = '<outline xmlUrl="https://x.example/"/>'.repeat(MAX_OUTLINES + 1);
    expect(errorOf(doc(many)).message).toContain(`more than ${MAX_OUTLINES} outlines`);
    const deep = `<opml>${'<outline>'.repeat(100)}${'</outline>'.repeat(100)}</opml>`;
    expect(errorOf(deep).message).toContain('nested more than 64 deep');
  });
});
