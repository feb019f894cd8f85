// Sample feeds for `npm run demo`, built from examples/wire-day.jsonl (invented articles written for this
// project): each outlet gets a feed in a different format, and one outlet gives only snippets, so its pages are
// fetched and cleaned. Dates are moved into the last day and a half.
import { readFileSync } from 'node:fs';
import type { ArticleInput } from '../../src/domain/types.js';

export interface SampleArticle extends ArticleInput {
  readonly id: string;
  readonly publishedAt: string;
  readonly source: string;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const paragraphsHtml = (text: string) =>
  text
    .split('\n')
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join('');

export function loadSamples(path: string, now: Date): SampleArticle[] {
  const out: SampleArticle[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const a = JSON.parse(line) as Partial<SampleArticle>;
      if (a.id && a.source && a.publishedAt && (a.text || a.html)) out.push(a as SampleArticle);
    } catch {
      // the example file holds two deliberately broken lines
    }
  }
  // the fortnight the examples span, squeezed into the last 36 hours, in the same order
  const times = out.map((a) => Date.parse(a.publishedAt));
  const newest = Math.max(...times);
  const span = Math.max(1, newest - Math.min(...times));
  const end = now.getTime() - 3_600_000;
  return out.map((a) => ({
    ...a,
    publishedAt: new Date(end - ((newest - Date.parse(a.publishedAt)) / span) * 36 * 3_600_000).toISOString(),
  }));
}

export function slug(source: string): string {
  return source.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function rss(title: string, base: string, items: readonly SampleArticle[]): string {
  const body = items
    .map(
      (a) => `<item><guid isPermaLink="false">${a.id}</guid><title>${escapeXml(a.title ?? a.id)}</title>
<link>${base}/pages/${a.id}.html?utm_source=rss</link><pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate>
<content:encoded><![CDATA[${paragraphsHtml(a.text ?? '')}]]></content:encoded></item>`,
    )
    .join('\n');
  return `\n<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${escapeXml(title)}</title>
<link>${base}</link>${body}</channel></rss>`;
}

/** Atom with one-sentence summaries only: the pipeline fetches each page for the full text. */
export function atomSnippets(title: string, base: string, items: readonly SampleArticle[]): string {
  const entries = items
    .map((a) => {
      const first = (a.text ?? '').split('\n').find((p) => p.split(' ').length > 8) ?? '';
      const snippet = `${first.split('. ')[0]}.`;
      return `<entry><id>urn:demo:${a.id}</id><title>${escapeXml(a.title ?? a.id)}</title>
<link href="${base}/pages/${a.id}.html"/><updated>${a.publishedAt}</updated><summary>${escapeXml(snippet)}</summary></entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${escapeXml(title)}</title>
<id>urn:demo:${slug(title)}</id><updated>${items[0]?.publishedAt ?? new Date(0).toISOString()}</updated>${entries}</feed>`;
}

export function jsonFeed(title: string, base: string, items: readonly SampleArticle[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    home_page_url: base,
    items: items.map((a) => ({
      id: a.id,
      url: `${base}/pages/${a.id}.html`,
      title: a.title,
      content_text: a.text,
      date_published: a.publishedAt,
    })),
  });
}

/** An article page as sites serve them: navigation, share bar and footer around the text. */
export function articlePage(a: SampleArticle): string {
  return `<!doctype html><html><head><title>${escapeXml(a.title ?? a.id)} | ${escapeXml(a.source)}</title>
<meta property="og:site_name" content="${escapeXml(a.source)}"><meta property="article:published_time" content="${a.publishedAt}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/europe">Europe</a></nav>
<div class="share">Share on Facebook · Share on X · Email</div>
<article><h1>${escapeXml(a.title ?? '')}</h1>${paragraphsHtml(a.text ?? '')}</article>
<aside><h3>Most read</h3><ul><li>Ten things to know about the weekend</li></ul></aside>
<footer>© ${new Date(a.publishedAt).getUTCFullYear()} ${escapeXml(a.source)}. All rights reserved.</footer></body></html>`;
}
