// Reading the two article-extraction sets in ../shared/eval (never copied into the repo): gzip-compressed pages
// and their ground truth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface BodyPage {
  id: string;
  url: string;
  html: string;
  /** The article body, paragraphs separated by blank lines. */
  body: string;
}

export interface SegmentPage {
  id: string;
  url: string;
  html: string;
  with: string[];
  without: string[];
  /** Upstream metadata, where annotated ('' when the page has none). */
  meta: { title: string; author: string; date: string } | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

function readJson(path: string): Record<string, Record<string, unknown>> {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error(`${path}: not an object`);
  return raw as Record<string, Record<string, unknown>>;
}

const CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;

/**
 * Bytes to text the way a browser would for a page without a Content-Type header: the charset a `<meta>` declares
 * near the top, else UTF-8 when the bytes are valid UTF-8, else windows-1252.
 */
export function decodePage(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 8192));
  const declared = CHARSET.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // an unknown label: fall through to the sniffing below
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder(declared ? 'utf-8' : 'windows-1252').decode(bytes);
  }
}

function readPage(dir: string, id: string): string | null {
  const path = join(dir, 'html', `${id}.html.gz`);
  return existsSync(path) ? decodePage(gunzipSync(readFileSync(path))) : null;
}

/** The Zyte article-extraction benchmark: 181 pages with their article body. */
export function loadBodySet(evalRoot: string): BodyPage[] {
  const dir = join(evalRoot, 'article-extraction-benchmark');
  const truth = readJson(join(dir, 'ground-truth.json'));
  const pages: BodyPage[] = [];
  for (const [id, rec] of Object.entries(truth)) {
    const html = readPage(dir, id);
    if (html !== null) pages.push({ id, url: str(rec.url), html, body: str(rec.articleBody) });
  }
  return pages;
}

/** Upstream predictions kept with the Zyte set (`output/<name>.json`), to check the metric port against. */
export function loadUpstreamOutputs(evalRoot: string): Map<string, Map<string, string>> {
  const dir = join(evalRoot, 'article-extraction-benchmark', 'output');
  const out = new Map<string, Map<string, string>>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const raw = readJson(join(dir, file)).output ?? {};
    const bodies = new Map<string, string>();
    for (const [id, rec] of Object.entries(raw)) {
      const body = typeof rec === 'object' && rec !== null ? (rec as Record<string, unknown>).articleBody : '';
      bodies.set(id, str(body));
    }
    out.set(file.replace(/\.json$/, ''), bodies);
  }
  return out;
}

/** The English subset of trafilatura's evaluation set: 171 pages with segments that must / must not appear. */
export function loadSegmentSet(evalRoot: string): SegmentPage[] {
  const dir = join(evalRoot, 'trafilatura-eval-en');
  const truth = readJson(join(dir, 'ground-truth.json'));
  const pages: SegmentPage[] = [];
  for (const [id, rec] of Object.entries(truth)) {
    const html = readPage(dir, id);
    // upstream keys are urls or file names ("hard::site.com-story.html"): either way, an absolute url to resolve against
    const key = str(rec.url).replace(/^hard::/, '');
    const url = /^https?:\/\//.test(key) ? key : `https://${key}`;
    const meta = 'title' in rec ? { title: str(rec.title), author: str(rec.author), date: str(rec.date) } : null;
    if (html !== null) pages.push({ id, url, html, with: strings(rec.with), without: strings(rec.without), meta });
  }
  return pages;
}
