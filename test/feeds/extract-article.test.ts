import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/feeds/extract-article.js';
import { preparePage } from '../../src/feeds/extract-prepare.js';

// Hand-written pages shaped like the news pages the bot fetches: the story among the furniture every outlet prints.

const STORY = [
  'Officials from both governments met in Geneva on Tuesday for a third round of talks, the first since the ceasefire collapsed in March, according to people briefed on the meeting.',
  'The delegations agreed on a timetable for prisoner exchanges, a monitoring mission and a hotline between the two military headquarters, a spokesman for the mediators said.',
  'Critics warned that previous agreements had unravelled within weeks, and that neither side had yet committed to withdrawing heavy weapons from the front line.',
  'A fourth round is planned for next month in Vienna, where the mediators hope to settle the question of humanitarian corridors before winter.',
];

const paragraphs = (lines: readonly string[]): string => lines.map((l) => `<p>${l}</p>`).join('\n');

function page(body: string, head = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const NEWS_PAGE = page(
  `
  <div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p><button>Accept</button></div>
  <header class="site-header"><a href="/">The Daily Planet</a>
    <nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li></ul></nav>
  </header>
  <main>
    <article class="story">
      <h1>Talks resume in Geneva as both sides agree on prisoner timetable</h1>
      <div class="byline">By Jane Roe</div>
      <time datetime="2025-04-11T09:30:00Z">April 11, 2025</time>
      <div class="share-bar"><a href="#">Share</a> <a href="#">Tweet</a> <a href="#">Email</a></div>
      <figure><img src="/img/geneva.jpg" alt="Delegates at the table"><figcaption>Delegates arrive in Geneva. Photo: Agency</figcaption></figure>
      <div class="story-body">${paragraphs(STORY)}</div>
      <div class="related-stories"><h3>Related</h3><ul>
        <li><a href="/a">Ceasefire collapses after three weeks of calm</a></li>
        <li><a href="/b">Mediators name new envoy for the region</a></li>
        <li><a href="/c">What the Vienna round could change</a></li>
      </ul></div>
    </article>
  </main>
  <aside class="sidebar"><h2>Most read</h2><ol><li><a href="/x">Storm hits the coast, thousands without power</a></li><li><a href="/y">Markets rally on rate hopes</a></li></ol></aside>
  <footer><p>© 2025 The Daily Planet. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
  `,
  `<title>Talks resume in Geneva | The Daily Planet</title>
   <meta property="og:title" content="Talks resume in Geneva as both sides agree on prisoner timetable">
   <meta property="og:site_name" content="The Daily Planet">
   <meta property="article:published_time" content="2025-04-11T09:30:00Z">
   <meta name="author" content="Jane Roe">`,
);

describe('extractArticle on a news page', () => {
  const article = extractArticle(NEWS_PAGE, 'https://planet.example/world/geneva-talks');

  it('returns the story, one paragraph a line', () => {
    expect(article?.text).toBe(STORY.join('\n'));
  });

  it('drops navigation, sidebars, footers, related links, share bars, captions and the cookie banner', () => {
    const text = article?.text ?? '';
    for (const junk of ['World', 'Most read', 'Storm hits', 'Ceasefire collapses', 'Share', 'cookies', 'Photo:', '©']) {
      expect(text).not.toContain(junk);
    }
  });

  it('reads title, byline, date and site from the metadata', () => {
    expect(article).toMatchObject({
      title: 'Talks resume in Geneva as both sides agree on prisoner timetable',
      byline: 'Jane Roe',
      publishedAt: '2025-04-11T09:30:00.000Z',
      siteName: 'The Daily Planet',
    });
  });
});

describe('extractArticle metadata', () => {
  it('takes date, author, headline and publisher from JSON-LD when the page has no <meta> for them', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Ignored' },
        {
          '@type': 'NewsArticle',
          headline: 'Mediators set a date for the Vienna round',
          datePublished: '2025-05-02T07:15:00+02:00',
          author: [
            { '@type': 'Person', name: 'Ana Diaz' },
            { '@type': 'Person', name: 'Lee Chan' },
          ],
          publisher: { '@type': 'Organization', name: 'Wire Service' },
        },
      ],
    };
    const html = page(
      `<div class="content"><h1>Mediators set a date</h1>${paragraphs(STORY)}</div>`,
      `<script type="application/ld+json">${JSON.stringify(ld)}</script>`,
    );
    expect(extractArticle(html, 'https://wire.example/story')).toMatchObject({
      title: 'Mediators set a date for the Vienna round',
      byline: 'Ana Diaz, Lee Chan',
      publishedAt: '2025-05-02T05:15:00.000Z',
      siteName: 'Wire Service',
    });
  });

  it('reads the article beside a JSON-LD block nested 100,000 levels deep (it overflowed the stack)', () => {
    const ld = { '@type': 'NewsArticle', headline: 'Mediators set a date', author: { name: 'Ana Diaz' } };
    const html = page(
      `<div class="content">${paragraphs(STORY)}</div>`,
      `<script type="application/ld+json">${'['.repeat(100_000)}${']'.repeat(100_000)}</script>` +
        `<script type="application/ld+json">${JSON.stringify([[ld]])}</script>`,
    );
    const article = extractArticle(html, 'https://wire.example/story');
    expect(article?.text).toBe(STORY.join('\n'));
    expect(article?.byline).toBe('Ana Diaz');
  });

  it('skips a broken JSON-LD block and reads the byline and date lines above the story', () => {
    const html = page(
      `<div class="post"><p>By Maria Rossi</p><p>Published April 11, 2025</p>${paragraphs(STORY)}</div>`,
      '<script type="application/ld+json">{ "@type": "NewsArticle", broken </script>',
    );
    const article = extractArticle(html, 'https://www.news.example/a');
    expect(article).toMatchObject({
      byline: 'Maria Rossi',
      publishedAt: '2025-04-11T00:00:00.000Z',
      siteName: 'news.example',
    });
    expect(article?.text).toBe(STORY.join('\n'));
  });
});

describe('extractArticle metadata the page only shows', () => {
  const bare = (head: string, top = ''): string => page(`<article>${top}${paragraphs(STORY)}</article>`, head);

  it('takes the byline from a byline element and the date from the address', () => {
    const article = extractArticle(
      bare('', '<div class="article-byline"><a href="/staff/roe">Jane Roe</a></div>'),
      'https://news.example/2025/04/11/geneva-talks/',
    );
    expect(article).toMatchObject({ byline: 'Jane Roe', publishedAt: '2025-04-11T00:00:00.000Z' });
    expect(article?.text).toBe(STORY.join('\n'));
  });

  it('drops the site name from the title, or takes the <h1> the title wraps', () => {
    const piped = bare('<title>Talks resume in Geneva | Planet</title>');
    expect(extractArticle(piped, 'https://planet.example/a')?.title).toBe('Talks resume in Geneva');
    const named = bare('<title>Talks resume in Geneva - Daily Planet</title>');
    expect(extractArticle(named, 'https://dailyplanet.example/a')?.title).toBe('Talks resume in Geneva');
    const kept = bare('<title>Talks resume - what we know</title>');
    expect(extractArticle(kept, 'https://planet.example/a')?.title).toBe('Talks resume - what we know');
    const wrapped = page(
      `<h1>Talks resume in Geneva</h1>${paragraphs(STORY)}`,
      '<title>World: Talks resume in Geneva</title>',
    );
    expect(extractArticle(wrapped, 'https://planet.example/a')?.title).toBe('Talks resume in Geneva');
    const logo = page(
      `<h1><a href="/">The Daily Planet</a></h1><article>${paragraphs(STORY)}</article>`,
      '<title>Talks resume in Geneva as both sides agree | The Daily Planet</title>',
    );
    expect(extractArticle(logo, 'https://dailyplanet.example/a')?.title).toBe(
      'Talks resume in Geneva as both sides agree',
    );
  });
});

describe('extractArticle finds no article', () => {
  it('returns null for an error page', () => {
    const html = page(
      `<nav><a href="/">Home</a> <a href="/news">News</a></nav>
       <div class="error"><h1>404</h1><p>Sorry, the page you are looking for does not exist or has been moved.</p>
       <p><a href="/">Go back to the homepage</a></p></div><footer>© 2025 Example News</footer>`,
      '<title>Page not found</title>',
    );
    expect(extractArticle(html, 'https://news.example/missing')).toBeNull();
  });

  it('returns null for a section page of teasers', () => {
    const teaser = (i: number): string =>
      `<div class="teaser"><h2><a href="/story-${i}">Headline number ${i} about the talks and the ceasefire</a></h2>
       <p>A short summary of story ${i}, which says what happened, where, and who said what about it.</p></div>`;
    const html = page(`<main><h1>World news</h1>${[1, 2, 3, 4, 5, 6].map(teaser).join('')}</main>`);
    expect(extractArticle(html, 'https://news.example/world')).toBeNull();
  });

  it('returns null for an empty or script-only page', () => {
    expect(extractArticle('', 'https://news.example/')).toBeNull();
    expect(extractArticle(page('<script>render()</script>'), 'https://news.example/')).toBeNull();
  });
});

describe('extractArticle keeps the text and nothing of the markup', () => {
  it('keeps link text, never link targets or images', () => {
    const html = page(
      `<article>
        <p>The agreement, <a href="/docs/agreement.pdf">published in full</a> by the mediators, runs to twelve pages and sets out every step.</p>
        <p><img src="../images/map.png" alt="Map of the front line"> The map shows where the monitors will be posted, along a line of about 400 kilometres.</p>
        ${paragraphs(STORY.slice(0, 2))}
      </article>`,
    );
    const text = extractArticle(html, 'https://news.example/a/b')?.text ?? '';
    expect(text).toContain('The agreement, published in full by the mediators, runs to twelve pages');
    expect(text).toContain('The map shows where the monitors will be posted');
    for (const markup of ['agreement.pdf', 'map.png', 'Map of the front line', 'href', '<']) {
      expect(text).not.toContain(markup);
    }
  });

  it('joins an article that advertisements split into pieces', () => {
    const ad = (slot: string): string =>
      `<div class="ad-slot ${slot}"><span>Advertisement</span><script>loadAd("${slot}")</script></div>`;
    const html = page(
      `<article class="article-body">
        <p>${STORY[0]}</p>${ad('top')}<p>${STORY[1]}</p>
        <div class="advert"><p>Story continues below advertisement</p></div>
        <p>${STORY[2]}</p>${ad('mid')}<p>${STORY[3]}</p>
      </article>`,
    );
    expect(extractArticle(html, 'https://news.example/a')?.text).toBe(STORY.join('\n'));
  });

  it('drops hidden text and decodes entities', () => {
    const html = page(
      `<div class="entry-content">
        <p style="display: none">Hidden teaser text that no reader ever sees on the page.</p>
        <p aria-hidden="true">Also hidden from every reader of this page.</p>
        <p>Fish &amp; chips cost &pound;4 &mdash; up 10% on last year, the survey of 300 shops found.</p>
        ${paragraphs(STORY)}
      </div>`,
    );
    const text = extractArticle(html, 'https://news.example/a')?.text ?? '';
    expect(text).not.toContain('idden');
    expect(text.split('\n')[0]).toBe('Fish & chips cost £4 — up 10% on last year, the survey of 300 shops found.');
  });
});

describe('extractArticle on the pages that once went wrong', () => {
  it('keeps a Japanese article whole (no English sentence shape assumed)', () => {
    const ja = [
      'Kindle書籍を読む場合は、一般的にスマホやタブレットなどのモバイル端末で読むことが多いと思いますが、パソコンでそのまま読みたい時もあります。',
      'そんな用途を考慮してか、Kindleや楽天koboにはデスクトップアプリが用意されています。今回はそのデスクトップアプリに関する話です。',
      'ところがインストールすると、パスワード管理ソフトの起動ショートカットキーと同じ操作で別のアプリが立ち上がってしまいます。',
    ];
    const html = page(
      `<div class="entry-content">${paragraphs(ja)}</div><div class="sidebar"><a href="/">ホーム</a></div>`,
    );
    expect(extractArticle(html, 'https://blog.example.jp/a')?.text).toBe(ja.join('\n'));
  });

  it('keeps an embedded tweet, whose wrapper is named "social"', () => {
    const html = page(
      `<div class="article-body">${paragraphs(STORY.slice(0, 2))}
        <div class="social-media-embed"><blockquote class="twitter-tweet"><p>We are on it, and the talks resume tomorrow: <a href="https://t.co/x">https://t.co/x</a></p>
        — Mediators (@mediators) <a href="https://twitter.com/x">April 11, 2025</a></blockquote></div>
        ${paragraphs(STORY.slice(2))}</div>`,
    );
    expect(extractArticle(html, 'https://news.example/a')?.text).toContain(
      'We are on it, and the talks resume tomorrow',
    );
  });

  it('reads an article held in a layout table beside a navigation cell', () => {
    const nav = ['Home', 'World', 'Sport', 'Weather', 'Contact'].map((x) => `<a href="/${x}">${x}</a><br>`).join('');
    const html = page(`<table><tr><td class="menu">${nav}</td><td>${paragraphs(STORY)}</td></tr></table>`);
    expect(extractArticle(html, 'https://old.example/story.asp?id=1')?.text).toBe(STORY.join('\n'));
  });

  it('finds the body inside a wrapper whose name sounds like furniture ("above-footer")', () => {
    const html = page(
      `<div class="disclosure"><p>Some of the offers on this site come from partners, who may pay us for placement, which can change where they appear.</p></div>
       <div class="above-footer"><div class="article-body-content">${paragraphs(STORY)}</div></div>`,
    );
    expect(extractArticle(html, 'https://news.example/a')?.text).toBe(STORY.join('\n'));
  });

  it('reads a post that the page ships as a script template for JavaScript to render', () => {
    const html = page(`<div class="post-body"><script type="text/template">${paragraphs(STORY)}</script></div>`);
    expect(extractArticle(html, 'https://example.blogspot.com/2020/05/post.html')?.text).toBe(STORY.join('\n'));
  });

  it('takes the JSON-LD articleBody when the markup shows much less of the story', () => {
    const ld = { '@type': 'NewsArticle', headline: 'Talks resume', articleBody: STORY.join(' ') };
    const html = page(
      `<div id="app"><p>Loading the story, please wait a moment while the page finishes loading.</p></div>`,
      `<script type="application/ld+json">${JSON.stringify(ld)}</script>`,
    );
    expect(extractArticle(html, 'https://news.example/a')?.text).toBe(STORY.join(' '));
  });

  it('drops calls to action and contact lines under the story, not the story', () => {
    const html = page(
      `<article>${paragraphs(STORY)}
        <p>Follow us on Twitter and Facebook for the latest updates on the talks.</p>
        <p>Write to Jane Roe at jane.roe@planet.example</p></article>`,
    );
    expect(extractArticle(html, 'https://news.example/a')?.text).toBe(STORY.join('\n'));
  });
});

describe('extractArticle on hostile markup', () => {
  // Each of these once cost seconds (the parser's depth handling, regex backtracking, one text node per `<`, an
  // end-tag search per unclosed element); linear now, so the bound below is loose on purpose.
  it.each([
    ['deep nesting', `${'<div>'.repeat(100_000)}<p>${'word, '.repeat(100)}</p>`],
    ['a page of <', '<'.repeat(1_000_000)],
    ['unclosed hidden elements', `<p>text</p>${'<span hidden>x'.repeat(50_000)}`],
    ['many distinct unclosed hidden elements', Array.from({ length: 20_000 }, (_, i) => `<x${i} hidden>y`).join('')],
    ['unclosed styles', `${'<style>'.repeat(50_000)}<p>hello</p>`],
  ])('%s', (_name, html) => {
    const start = performance.now();
    extractArticle(html, 'https://hostile.example/');
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

describe('preparePage', () => {
  it('keeps only body markup with short attribute names and sets JSON-LD aside', () => {
    const prepared = preparePage(
      '<html><head><title>T</title><script type="application/ld+json">{"a":1}</script></head>' +
        '<body class="x"><!-- note --><div class="Main" id="top" data-x="1" onclick="f()" role="main">' +
        '<p itemprop="articleBody">Text &amp; more</p><svg><text>no</text></svg><nav>menu</nav></div></body></html>',
    );
    expect(prepared.markup).toBe('<div r="main" n="main top"><p p="articlebody">Text &amp; more</p></div>');
    expect(prepared.jsonLd).toEqual(['{"a":1}']);
    expect(prepared.bodyStart).toBeGreaterThan(0);
  });

  it('survives unclosed and broken markup', () => {
    expect(preparePage('<div class="a>x</div>').markup).toBe('<div n="a>x</div>">');
    expect(preparePage('<p>1 < 2 and <b>bold</p><button>never closed').markup).toBe(
      '<p>1 &lt; 2 and <b>bold</p>never closed',
    );
    expect(preparePage('<script>never closed').markup).toBe('never closed');
  });
});
