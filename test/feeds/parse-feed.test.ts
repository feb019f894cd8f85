import { describe, expect, it } from 'vitest';
import { canonicalLink } from '../../src/domain/canonical-link.js';
import { FeedParseError } from '../../src/feeds/errors.js';
import { itemIdentity, resolveLink } from '../../src/feeds/item-identity.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';

const URL_ = 'https://news.example/feeds/main.xml';
const parse = (text: string) => parseFeed(text, { url: URL_ });

const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example News</title>
  <item>
    <title>Talks resume in Geneva</title>
    <link>/2024/06/04/talks?utm_source=rss&amp;utm_medium=feed</link>
    <guid isPermaLink="false">story-1001</guid>
    <pubDate>Tue, 04 Jun 2024 10:00:00 GMT</pubDate>
    <dc:creator>Jane Doe</dc:creator>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>Full <b>body</b> text.</p>]]></content:encoded>
  </item>
  <item>
    <title>No guid here</title>
    <link>https://news.example/b?utm_campaign=x&amp;z=2&amp;a=1&amp;fbclid=abc#comments</link>
    <description>&lt;p&gt;Escaped &amp;amp; html&lt;/p&gt;</description>
  </item>
  <item>
    <title>Neither guid nor link</title>
    <pubDate>Wed, 05 Jun 2024 08:00:00 GMT</pubDate>
  </item>
  <item><title>Duplicate</title><guid>story-1001</guid></item>
  <item><title>Bad link</title><link>javascript:alert(1)</link></item>
</channel>
</rss>`;

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Site</title><link>https://rdf.example/</link></channel>
  <item rdf:about="https://rdf.example/one">
    <title>First RDF item</title><link>https://rdf.example/one</link>
    <dc:date>2024-06-01T12:00:00+02:00</dc:date><dc:creator>R. Writer</dc:creator>
  </item>
  <item rdf:about="https://rdf.example/two"><title>Second</title><link>https://rdf.example/two</link></item>
</rdf:RDF>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Atom Example</title>
  <entry>
    <title>Atom entry</title>
    <link rel="alternate" href="entries/1"/>
    <link rel="edit" href="https://atom.example/edit/1"/>
    <id>tag:atom.example,2024:1</id>
    <published>2024-06-02T09:30:00Z</published>
    <author><name>Alex Author</name></author>
    <summary>The summary.</summary>
    <content type="html">&lt;p&gt;The content.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Entry with a broken date</title>
    <link href="https://atom.example/2"/>
    <id>tag:atom.example,2024:2</id>
    <updated>sometime last week</updated>
  </entry>
</feed>`;

const JSON_FEED_11 = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'JSON Example',
  authors: [{ name: 'Feed Author' }],
  items: [
    {
      id: 'j1',
      url: 'https://json.example/1',
      title: 'JSON one',
      content_html: '<p>Hi</p>',
      content_text: 'Hi',
      summary: 'S',
      date_published: '2024-06-03T10:00:00+01:00',
      authors: [{ name: 'Item Author' }, { name: 'Second' }],
    },
    { id: 2, external_url: '/relative', title: 'Numeric id', content_text: 'Body', url: 42 },
    { url: 'https://json.example/3?ref=home', title: 'No id' },
  ],
});

describe('parseFeed', () => {
  it('reads RSS 2.0: content:encoded, creator, guid, relative links, duplicates and bad links', async () => {
    const feed = await parse(RSS2);
    expect(feed.title).toBe('Example News');
    expect(feed.format).toBe('rss');
    expect(feed.items.map((i) => i.title)).toEqual([
      'Talks resume in Geneva',
      'No guid here',
      'Neither guid nor link',
      'Bad link',
    ]);
    const [first, second, third, bad] = feed.items;
    expect(first).toEqual({
      id: 'story-1001',
      title: 'Talks resume in Geneva',
      link: 'https://news.example/2024/06/04/talks?utm_source=rss&utm_medium=feed',
      publishedAt: '2024-06-04T10:00:00.000Z',
      author: 'Jane Doe',
      contentHtml: '<p>Full <b>body</b> text.</p>',
      contentText: 'Full body text.',
      summary: 'Short summary.',
    });
    expect(second?.id).toBe('https://news.example/b?a=1&z=2');
    expect(second?.contentHtml).toBe('<p>Escaped &amp; html</p>');
    expect(second?.contentText).toBe('Escaped & html');
    expect(second?.summary).toBeNull();
    expect(third?.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(third?.link).toBeNull();
    expect(bad?.link).toBeNull();
  });

  it('reads RSS 1.0 (RDF)', async () => {
    const feed = await parse(RDF);
    expect(feed).toMatchObject({ title: 'RDF Site', format: 'rdf' });
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      id: 'https://rdf.example/one',
      link: 'https://rdf.example/one',
      publishedAt: '2024-06-01T10:00:00.000Z',
      author: 'R. Writer',
    });
  });

  it('reads Atom, and survives an entry whose date rss-parser would throw on', async () => {
    const feed = await parse(ATOM);
    expect(feed).toMatchObject({ title: 'Atom Example', format: 'atom' });
    expect(feed.items[0]).toEqual({
      id: 'tag:atom.example,2024:1',
      title: 'Atom entry',
      link: 'https://news.example/feeds/entries/1',
      publishedAt: '2024-06-02T09:30:00.000Z',
      author: 'Alex Author',
      contentHtml: '<p>The content.</p>',
      contentText: 'The content.',
      summary: 'The summary.',
    });
    expect(feed.items[1]).toMatchObject({ id: 'tag:atom.example,2024:2', publishedAt: null });
  });

  it('reads an Atom entry whose link is written RSS-style (<link>URL</link>)', async () => {
    const feed = await parse(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e1</id><title>T</title>' +
        '<link>https://atom.example/e1</link><updated>2024-06-02T09:30:00Z</updated></entry></feed>',
    );
    expect(feed.items[0]).toMatchObject({
      id: 'e1',
      link: 'https://atom.example/e1',
      publishedAt: '2024-06-02T09:30:00.000Z',
    });
  });

  it('reads unescaped markup and control characters in titles as text', async () => {
    const feed = await parse(
      '<rss version="2.0"><channel><item><title><p>Item \u0008Title</p></title></item></channel></rss>',
    );
    expect(feed.items[0]?.title).toBe('Item Title');
  });

  it('reads JSON Feed 1.1, dropping fields of the wrong type', async () => {
    const feed = await parse(JSON_FEED_11);
    expect(feed).toMatchObject({ title: 'JSON Example', format: 'json' });
    expect(feed.items[0]).toEqual({
      id: 'j1',
      title: 'JSON one',
      link: 'https://json.example/1',
      publishedAt: '2024-06-03T09:00:00.000Z',
      author: 'Item Author, Second',
      contentHtml: '<p>Hi</p>',
      contentText: 'Hi',
      summary: 'S',
    });
    expect(feed.items[1]).toMatchObject({ id: '2', link: 'https://news.example/relative', author: 'Feed Author' });
    expect(feed.items[2]?.id).toBe('https://json.example/3');
  });

  it('reads JSON Feed 1.0 with its single author', async () => {
    const text = JSON.stringify({
      version: 'https://jsonfeed.org/version/1',
      title: 'Old',
      author: { name: 'Solo' },
      items: [{ id: 'x', content_text: 't' }],
    });
    const feed = await parse(text);
    expect(feed.items[0]?.author).toBe('Solo');
  });

  it('tolerates leading whitespace, a BOM and bare ampersands', async () => {
    const feed = await parse(`\uFEFF\n\n  <?xml version="1.0"?><rss version="2.0"><channel><title>A & B &amp; C</title>
      <item><title>Q&A</title><link>https://x.example/?a=1&b=2</link></item></channel></rss>`);
    expect(feed.title).toBe('A & B & C');
    expect(feed.items[0]).toMatchObject({ title: 'Q&A', link: 'https://x.example/?a=1&b=2' });
  });

  it('reads <rss> without a version and without a channel', async () => {
    expect(
      (await parse('<rss><channel><title>v</title><item><title>i</title></item></channel></rss>')).items,
    ).toHaveLength(1);
    expect(await parse('<?xml version="1.0"?><rss version="2.0"></rss>')).toEqual({
      title: null,
      format: 'rss',
      items: [],
    });
  });

  it.each([
    ['', 'empty document'],
    ['   \n', 'empty document'],
    ['<rss version="2.0"><channel><title>x</channel></rss>', 'is not well-formed XML'],
    ['<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</body></html>', 'it is an HTML page'],
    ['<note><to>x</to></note>', 'root element <note> is not RSS, RDF or Atom'],
    ['{"version": "1.0", "items": [', 'is not valid JSON'],
    ['{"title": "no version", "items": []}', 'missing "version"'],
    ['{"version": "https://jsonfeed.org/version/2", "items": []}', 'unsupported version'],
    ['{"version": "https://jsonfeed.org/version/1.1", "items": {}}', 'items'],
    ['{"version": "https://jsonfeed.org/version/1.1", "items": [1]}', 'items.0'],
    ['[1, 2]', 'JSON that is not a JSON Feed'],
    ['Service Unavailable', 'is not a feed'],
    [
      '<html><head><title>Home</title><link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml?a=1&amp;b=2"></head><body>Welcome</body></html>',
      'it is an HTML page; it names its feed at https://news.example/feed.xml?a=1&b=2: put that address in the config',
    ],
  ])('rejects %j with a clear FeedParseError', async (text, message) => {
    const error = await parse(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as FeedParseError).message).toContain(message);
    expect((error as FeedParseError).message).toContain(URL_);
    expect((error as FeedParseError).url).toBe(URL_);
  });

  it('says a feed nests its elements too deeply, not that its XML is broken (the parser overflowed its stack)', async () => {
    const nested = `${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}`;
    const text = `<rss version="2.0"><channel><title>x</title><item><title>a</title><description>${nested}</description></item></channel></rss>`;
    const error = await parse(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as FeedParseError).message).toBe(`${URL_} nests its elements too deeply to be read as a feed`);
  });
});

describe('links with a scheme other than http(s)', () => {
  it('are dropped from RSS items and listed with their scheme', async () => {
    const feed = await parse(`<rss version="2.0"><channel><title>T</title>
      <item><guid>a</guid><title>A</title><link>file:///etc/passwd</link></item>
      <item><guid>b</guid><title>B</title><link>/relative/is/fine</link></item>
      <item><guid>c</guid><title>C</title><link>javascript:alert(1)</link></item>
      <item><guid>d</guid><title>D</title></item></channel></rss>`);
    expect(feed.items.map((i) => i.link)).toEqual([null, 'https://news.example/relative/is/fine', null, null]);
    expect(feed.refusedLinks).toEqual([
      { scheme: 'file:', item: 'a' },
      { scheme: 'javascript:', item: 'c' },
    ]);
  });

  it('are dropped from JSON Feed items and listed with their scheme', async () => {
    const feed = await parse(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [
          { id: 'x', url: 'ftp://files.example/x', content_text: 'x' },
          { id: 'y', url: 'data:text/plain,hi', external_url: 'https://y.example/', content_text: 'y' },
          { id: 'z', external_url: 'data:text/plain,hi', content_text: 'z' },
        ],
      }),
    );
    expect(feed.items.map((i) => i.link)).toEqual([null, 'https://y.example/', null]);
    expect(feed.refusedLinks).toEqual([
      { scheme: 'ftp:', item: 'x' },
      { scheme: 'data:', item: 'z' },
    ]);
  });

  it('leave a feed without any such link as it was', async () => {
    expect(await parse('<rss version="2.0"><channel><item><guid>1</guid></item></channel></rss>')).not.toHaveProperty(
      'refusedLinks',
    );
  });
});

describe('item identity', () => {
  it.each([
    ['https://a.example/x?utm_source=a&utm_MEDIUM=b&id=3', 'https://a.example/x?id=3'],
    ['https://a.example/x?b=2&a=1&a=0#frag', 'https://a.example/x?a=0&a=1&b=2'],
    ['https://a.example/x?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=5&cmpid=6&ocid=7', 'https://a.example/x'],
    ['https://A.Example:443/x/', 'https://a.example/x/'],
    ['https://a.example/x?reference=keep', 'https://a.example/x?reference=keep'],
  ])('canonicalLink(%s) = %s', (link, canonical) => {
    expect(canonicalLink(link)).toBe(canonical);
  });

  it.each([
    ['/a/b', 'https://n.example/feed', 'https://n.example/a/b'],
    ['c', 'https://n.example/dir/feed.xml', 'https://n.example/dir/c'],
    ['//cdn.example/x', 'https://n.example/', 'https://cdn.example/x'],
    ['mailto:x@y.z', 'https://n.example/', null],
    ['   ', 'https://n.example/', null],
    ['http://[bad', 'https://n.example/', null],
  ])('resolveLink(%j, %s) = %s', (link, base, expected) => {
    expect(resolveLink(link, base)).toBe(expected);
  });

  it('prefers guid, then canonical link, then a stable title+date hash', () => {
    const base = { guid: null, link: null, title: 'T', date: '2024-06-04T10:00:00.000Z' };
    expect(itemIdentity({ ...base, guid: ' g-1 ', link: 'https://x.example/' })).toBe('g-1');
    expect(itemIdentity({ ...base, link: 'https://x.example/p?utm_source=z' })).toBe('https://x.example/p');
    const hashed = itemIdentity(base);
    expect(hashed).toBe(itemIdentity({ ...base }));
    expect(hashed).not.toBe(itemIdentity({ ...base, date: '2024-06-05T10:00:00.000Z' }));
    expect(hashed).not.toBe(itemIdentity({ ...base, title: 'U' }));
  });
});
