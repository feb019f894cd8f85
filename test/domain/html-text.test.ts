import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, toIsoDate } from '../../src/domain/html-text.js';

describe('htmlToText text', () => {
  const cases: { name: string; html: string; text: string }[] = [
    {
      name: 'plain paragraphs',
      html: '<p>One fine day.</p><p>Two  more\n words.</p>',
      text: 'One fine day.\nTwo more words.',
    },
    {
      name: 'nested inline tags join as written',
      html: '<p>Hel<b>lo <i>wor</i></b>ld <a href="#">here</a>.</p>',
      text: 'Hello world here.',
    },
    {
      name: 'br and headings end lines',
      html: '<h2>Heading</h2>line one<br>line two<br/>line three',
      text: 'Heading\nline one\nline two\nline three',
    },
    {
      name: 'entities',
      html: '<p>Fish &amp; chips &lt;3 &quot;hot&quot; &apos;n&apos; &mdash; &ndash; &hellip; &rsquo;&lsquo;&rdquo;&ldquo; &copy;&reg;&trade;&euro;&pound;</p>',
      text: 'Fish & chips <3 "hot" \'n\' \u2014 \u2013 \u2026 \u2019\u2018\u201d\u201c \u00a9\u00ae\u2122\u20ac\u00a3',
    },
    {
      name: 'numeric entities',
      html: '<p>&#65;&#x42;&#X43; &#8212; &#146;s &#0; &#xD800;</p>',
      text: 'ABC \u2014 \u2019s \ufffd \ufffd',
    },
    {
      name: 'bare and unknown ampersands stay',
      html: '<p>AT&T & Sons &bogus; a=1&b=2 &amp</p>',
      text: 'AT&T & Sons &bogus; a=1&b=2 &amp',
    },
    { name: 'nbsp squashed', html: '<p>a&nbsp;&nbsp; b</p>', text: 'a b' },
    {
      name: 'script with </div> in a string',
      html: '<div><p>Before.</p><script>var s = "</div><p>not text</p>"; if (a < b) {}</script><p>After.</p></div>',
      text: 'Before.\nAfter.',
    },
    {
      name: 'style and comments dropped',
      html: '<style>p { color: red }</style><p>Kept<!-- <p>gone</p> --> text.</p>',
      text: 'Kept text.',
    },
    {
      name: 'page furniture dropped',
      html: '<nav><a>Home</a></nav><p>Story.</p><aside>Related</aside><form><button>Go</button></form><footer>(c) us</footer><select><option>x</option></select>',
      text: 'Story.',
    },
    {
      name: 'svg and template dropped',
      html: '<p>A<svg><title>icon</title><path d="M0"/></svg>B</p><template><p>T</p></template>',
      text: 'AB',
    },
    { name: 'unclosed tags', html: '<div><p>First<p>Second<li>Item<span>open', text: 'First\nSecond\nItemopen' },
    { name: 'uppercase tags', html: '<DIV><P>Upper</P><SCRIPT>x()</SCRIPT><P>Case</p></div>', text: 'Upper\nCase' },
    {
      name: 'attributes with > in quotes',
      html: '<p title="a > b" data-x=\'c>d\'>Text</p><p class=plain>More</p>',
      text: 'Text\nMore',
    },
    { name: 'lone < is text', html: '<p>1 < 2 and 3 <= 4</p>', text: '1 < 2 and 3 <= 4' },
    { name: 'doctype and cdata skipped', html: '<!DOCTYPE html><![CDATA[x]]><p>Body</p>', text: 'Body' },
    { name: 'unterminated comment swallows the rest', html: '<p>Kept</p><!-- <p>lost', text: 'Kept' },
    { name: 'pre keeps its lines', html: '<pre>line 1\nline 2</pre>', text: 'line 1\nline 2' },
    {
      name: 'table cells are separated',
      html: '<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>',
      text: 'a b\nc',
    },
    {
      name: 'misnested close ends the dropped element',
      html: '<div><aside>side<p>more side</div><p>Main text.</p>',
      text: 'Main text.',
    },
    {
      name: 'unclosed head ends at the body content',
      html: '<html><head><title>T</title><meta charset="utf-8"><p>Body text</p>',
      text: 'Body text',
    },
    {
      name: 'noscript and iframe content dropped',
      html: '<p>A</p><noscript><p>Enable JS</p></noscript><iframe><p>x</p></iframe><p>B</p>',
      text: 'A\nB',
    },
    {
      name: 'self-closed script without end tag does not eat the page',
      html: '<script src="a.js"/><p>Still here</p>',
      text: 'Still here',
    },
  ];
  it.each(cases)('$name', ({ html, text }) => {
    expect(htmlToText(html).text).toBe(text);
  });

  it('prefers the largest <article>', () => {
    const html =
      '<body><p>Menu junk</p><article><p>Short teaser.</p></article>' +
      '<article><h1>Main</h1><p>The long and real body of the story.</p></article><p>Footer junk</p></body>';
    expect(htmlToText(html).text).toBe('Main\nThe long and real body of the story.');
  });

  it('falls back to the body when the article is empty', () => {
    expect(htmlToText('<article></article><p>Body only.</p>').text).toBe('Body only.');
  });

  it('handles a 1 MB generated page', () => {
    const paragraph = (k: number) => `<p>Paragraph <b>${k}</b> says &ldquo;hello&rdquo; &amp; more.</p>\n`;
    const noise = '<script>var x = "</div>"; for (let i = 0; i < 9; i++) {}</script><nav><a href="/">Home</a></nav>';
    const chunks: string[] = ['<!doctype html><html><head><title>Big</title></head><body><article>'];
    let count = 0;
    let size = 0;
    while (size < 1_000_000) {
      const c = paragraph(count) + (count % 10 === 0 ? noise : '');
      chunks.push(c);
      size += c.length;
      count++;
    }
    chunks.push('</article></body></html>');
    const doc = htmlToText(chunks.join(''));
    const lines = doc.text.split('\n');
    expect(lines).toHaveLength(count);
    expect(lines[0]).toBe('Paragraph 0 says \u201chello\u201d & more.');
    expect(lines[count - 1]).toBe(`Paragraph ${count - 1} says \u201chello\u201d & more.`);
    expect(doc.text).not.toContain('Home');
    expect(doc.title).toBe('Big');
  });
});

describe('htmlToText metadata', () => {
  it('reads Open Graph, canonical, author and publish time', () => {
    const html = `<html><head>
      <title>Bridge closes | Coastline Wire</title>
      <meta property="og:title" content="Bridge closes for repairs &amp; checks">
      <meta property="og:site_name" content="Coastline Wire">
      <meta property="og:url" content="https://example.test/og">
      <link rel="alternate canonical" href="https://example.test/bridge">
      <meta name="author" content=" Ana Ruiz ">
      <meta property="article:published_time" content="2024-03-01T10:00:00+02:00">
    </head><body><p>x</p></body></html>`;
    expect(htmlToText(html)).toEqual({
      title: 'Bridge closes for repairs & checks',
      text: 'x',
      publishedAt: '2024-03-01T08:00:00.000Z',
      siteName: 'Coastline Wire',
      canonicalUrl: 'https://example.test/bridge',
      byline: 'Ana Ruiz',
    });
  });

  const titles: { name: string; html: string; title: string | null }[] = [
    {
      name: '<title> loses a " | Site" suffix equal to the site name',
      html: '<title>Storm hits coast | Bay Courier</title><meta property="og:site_name" content="Bay Courier">',
      title: 'Storm hits coast',
    },
    {
      name: '<title> loses a " - Site" suffix, any case',
      html: '<meta property="og:site_name" content="Bay Courier"><title>Storm hits coast - bay courier</title>',
      title: 'Storm hits coast',
    },
    { name: 'other suffixes stay', html: '<title>Storm - live updates</title>', title: 'Storm - live updates' },
    {
      name: 'without a site name, the h1 when the <title> is the h1 and a short suffix',
      html: '<title>Tractor protests paralyse Dutch roads - Europe Today</title><h1>Tractor protests paralyse Dutch roads</h1>',
      title: 'Tractor protests paralyse Dutch roads',
    },
    {
      name: 'a <title> that goes on past the h1 with more than a name stays',
      html: '<title>Storm hits coast - thousands without power as winds reach 120 km/h | Bay</title><h1>Storm hits coast</h1>',
      title: 'Storm hits coast - thousands without power as winds reach 120 km/h | Bay',
    },
    {
      name: 'first h1 when there is no title',
      html: '<body><nav><h1>Site</h1></nav><h1>Real <em>head</em></h1><h1>Second</h1>',
      title: 'Real head',
    },
    {
      name: 'svg titles are not page titles',
      html: '<svg><title>logo</title></svg><h1>Headline</h1>',
      title: 'Headline',
    },
    { name: 'none', html: '<p>text</p>', title: null },
  ];
  it.each(titles)('title: $name', ({ html, title }) => {
    expect(htmlToText(html).title).toBe(title);
  });

  const dates: { name: string; html: string; publishedAt: string | null }[] = [
    {
      name: 'og:article:published_time',
      html: '<meta property="og:article:published_time" content="2024-05-02">',
      publishedAt: '2024-05-02T00:00:00.000Z',
    },
    {
      name: 'JSON-LD datePublished',
      html: '<script type="application/ld+json">{"@type":"NewsArticle","datePublished": "2024-05-03T09:30:00Z"}</script>',
      publishedAt: '2024-05-03T09:30:00.000Z',
    },
    {
      name: '<time datetime> inside the article beats one outside',
      html: '<aside><time datetime="2020-01-01">x</time></aside><p><time datetime="2021-01-01">a</time></p><article><p>Body text here</p><time datetime="2024-05-04 08:00">b</time></article>',
      publishedAt: '2024-05-04T08:00:00.000Z',
    },
    {
      name: 'an unreadable candidate falls through to the next',
      html: '<meta property="article:published_time" content="yesterday"><time datetime="2024-05-05T00:00:00Z">x</time>',
      publishedAt: '2024-05-05T00:00:00.000Z',
    },
    { name: 'none readable', html: '<time datetime="soon">x</time>', publishedAt: null },
  ];
  it.each(dates)('publishedAt: $name', ({ html, publishedAt }) => {
    expect(htmlToText(html).publishedAt).toBe(publishedAt);
  });

  it('uses og:url when there is no canonical link', () => {
    expect(htmlToText('<meta property="og:url" content="https://example.test/a">').canonicalUrl).toBe(
      'https://example.test/a',
    );
  });
});

describe('decodeEntities and toIsoDate', () => {
  it('leaves text without entities alone', () => {
    expect(decodeEntities('plain')).toBe('plain');
    expect(decodeEntities('&constructor;')).toBe('&constructor;');
  });

  it.each([
    ['2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T10:00:00', '2024-03-01T10:00:00.000Z'],
    ['Fri, 01 Mar 2024 10:00:00 +0200', '2024-03-01T08:00:00.000Z'],
    ['March 3, 2024 10:00', '2024-03-03T10:00:00.000Z'],
    ['Friday', null],
    ['5', null],
    ['', null],
  ])('toIsoDate(%j)', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });
});
