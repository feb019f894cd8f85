// `npm run eval:feeds`: every file of ../shared/eval/feed-samples/ served from 127.0.0.1 and read through the same
// path as a real poll (pollFeed -> fetchText through the address guard -> parseFeed), each under a time limit.
// Prints how many parsed, were rejected (grouped by error), crashed or hung, and how titles and links compare with
// the upstream parsers' expected outputs. `--verbose` lists the mismatches. Reads the folder; writes nothing.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { AddressGuard } from '../src/feeds/address-guard.js';
import { FeedError, FeedTimeoutError } from '../src/feeds/errors.js';
import type { FeedItem } from '../src/feeds/feed-types.js';
import { resolveLink } from '../src/feeds/item-identity.js';
import { httpFeedFetcher, pollFeed } from '../src/feeds/poll-feed.js';
import { evalDir } from './lib/eval-data.js';
import { type Cell, printTable } from './lib/table.js';

const FEED_LIMIT_MS = 15_000;
const FETCH_TIMEOUT_MS = 10_000;
const VERBOSE = process.argv.includes('--verbose');

const manifestSchema = z.array(
  z.object({
    file: z.string(),
    kind: z.string(),
    xml_well_formed: z.boolean().optional(),
    json_ok: z.boolean().optional(),
  }),
);
type Sample = z.infer<typeof manifestSchema>[number];

type Result =
  | { status: 'parsed'; items: readonly FeedItem[]; url: string }
  | { status: 'rejected'; error: FeedError }
  | { status: 'crashed'; error: Error }
  | { status: 'hung'; detail: string };

const CONTENT_TYPES: Record<string, string> = {
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.xml': 'application/xml',
  '.json': 'application/feed+json',
  '.html': 'text/html',
};

/** Serves exactly the manifest's files, bytes as stored and no charset in the header: the document must say. */
async function serve(root: string, samples: readonly Sample[]): Promise<{ server: Server; origin: string }> {
  const files = new Set(samples.map((s) => s.file));
  const server = createServer((req, res) => {
    const file = decodeURIComponent((req.url ?? '/').slice(1));
    if (!files.has(file)) {
      res.writeHead(404).end();
      return;
    }
    const bytes = readFileSync(join(root, file));
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function runOne(url: string, fetch: ReturnType<typeof httpFeedFetcher>): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<Result>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'hung', detail: `no result within ${FEED_LIMIT_MS} ms` }),
      FEED_LIMIT_MS,
    );
  });
  const poll = pollFeed({ url, name: url, intervalMs: 900_000 }, undefined, { fetch, clock: { now: () => new Date() } })
    .then((outcome): Result => {
      if (outcome.kind === 'updated') return { status: 'parsed', items: outcome.feed.items, url: outcome.url };
      if (outcome.kind === 'not-modified') return { status: 'crashed', error: new Error('304 without validators') };
      const { error } = outcome;
      if (error instanceof FeedTimeoutError) return { status: 'hung', detail: error.message };
      return error instanceof FeedError ? { status: 'rejected', error } : { status: 'crashed', error };
    })
    .catch((error: unknown): Result => ({ status: 'crashed', error: error as Error }));
  try {
    return await Promise.race([poll, limit]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- comparison with upstream expected outputs ----

interface Expected {
  readonly repo: string;
  readonly items: readonly { title: string | null; link: string | null }[];
}

const looseItems = z.array(z.record(z.string(), z.unknown()).catch({}));
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** An Atom entry's page: the `alternate` link, else one without rel, as Atom defines. */
function alternate(links: unknown): string | null {
  const list = z
    .array(z.object({ href: z.string().optional(), rel: z.string().optional() }).catch({}))
    .catch([])
    .parse(links);
  const found = list.find((l) => l.rel === 'alternate') ?? list.find((l) => l.rel === undefined);
  return found?.href ?? null;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The upstream parser's items for a sample, when the upstream repo ships them. */
function expectedFor(root: string, file: string): Expected | null {
  const repo = file.split('/')[0] ?? '';
  const rssParser = /^rss-parser\/input\/(.+)\.\w+$/.exec(file);
  if (rssParser?.[1]) {
    const path = join(root, 'rss-parser', 'expected-output', `${rssParser[1]}.json`);
    if (!existsSync(path)) return null;
    const data = z.object({ feed: z.object({ items: looseItems }) }).parse(readJson(path));
    return { repo, items: data.feed.items.map((i) => ({ title: str(i.title), link: str(i.link) })) };
  }
  if (repo === 'gofeed') {
    // X.xml has X.json beside it; a JSON Feed X.json has X_expected.json.
    const path = join(
      root,
      file.endsWith('.xml') ? file.replace(/\.xml$/, '.json') : file.replace(/\.json$/, '_expected.json'),
    );
    if (!existsSync(path)) return null;
    // gofeed's RSS and JSON outputs list `items`; its Atom output lists `entries` with `links: [{href, rel}]`.
    const data = z.object({ items: looseItems.nullish(), entries: looseItems.nullish() }).parse(readJson(path));
    const entries = [...(data.items ?? []), ...(data.entries ?? [])];
    return {
      repo,
      items: entries.map((i) => ({ title: str(i.title), link: str(i.link) ?? str(i.url) ?? alternate(i.links) })),
    };
  }
  return null;
}

const normTitle = (t: string | null): string | null => {
  const squashed = t?.replace(/\s+/g, ' ').trim() ?? '';
  return squashed === '' ? null : squashed;
};

/** How many of `expected` find an equal, unused partner in `actual` (multiset intersection). */
function matched(expected: readonly (string | null)[], actual: readonly (string | null)[]): number {
  const pool = new Map<string | null, number>();
  for (const a of actual) pool.set(a, (pool.get(a) ?? 0) + 1);
  let count = 0;
  for (const e of expected) {
    const left = pool.get(e) ?? 0;
    if (left > 0) {
      pool.set(e, left - 1);
      count += 1;
    }
  }
  return count;
}

interface RepoScore {
  files: number;
  items: number;
  titles: number;
  links: number;
  filesAllMatched: number;
  /** Expected titles holding U+FFFD: the upstream parser mis-decoded a non-UTF-8 feed, so they cannot match. */
  mojibake: number;
}

function compare(root: string, results: Map<string, Result>, origin: string): Map<string, RepoScore> {
  const scores = new Map<string, RepoScore>();
  for (const [file, result] of results) {
    const expected = expectedFor(root, file);
    if (expected === null) continue;
    const score = scores.get(expected.repo) ?? {
      files: 0,
      items: 0,
      titles: 0,
      links: 0,
      filesAllMatched: 0,
      mojibake: 0,
    };
    scores.set(expected.repo, score);
    const base = `${origin}/${file}`;
    const ours = result.status === 'parsed' ? result.items : [];
    const wantTitles = expected.items.map((i) => normTitle(i.title));
    const wantLinks = expected.items.map((i) => resolveLink(i.link, base));
    const titleHits = matched(
      wantTitles,
      ours.map((i) => normTitle(i.title)),
    );
    const linkHits = matched(
      wantLinks,
      ours.map((i) => i.link),
    );
    score.files += 1;
    score.items += expected.items.length;
    score.titles += titleHits;
    score.links += linkHits;
    score.mojibake += wantTitles.filter((t) => t?.includes('\uFFFD')).length;
    const allMatched = titleHits === expected.items.length && linkHits === expected.items.length;
    if (allMatched) score.filesAllMatched += 1;
    if (VERBOSE && !allMatched) {
      console.log(
        `\n${file} (${result.status}): titles ${titleHits}/${wantTitles.length}, links ${linkHits}/${wantLinks.length}`,
      );
      for (let i = 0; i < Math.min(3, expected.items.length); i += 1) {
        console.log(`  expected ${JSON.stringify(wantTitles[i])} ${wantLinks[i]}`);
        console.log(`  ours     ${JSON.stringify(normTitle(ours[i]?.title ?? null))} ${ours[i]?.link ?? null}`);
      }
    }
  }
  return scores;
}

// ---- report ----

function errorGroup(result: Result, origin: string, file: string): string {
  if (result.status === 'parsed') return '';
  if (result.status === 'hung') return result.detail;
  const url = `${origin}/${file}`;
  return `${result.error.name}: ${result.error.message.split(url).join('<feed>').split(origin).join('<server>')}`;
}

function upstreamChecks(results: Map<string, Result>): Cell[][] {
  const items = (file: string): number | null => {
    const r = results.get(file);
    return r?.status === 'parsed' ? r.items.length : null;
  };
  const rejected = (file: string): boolean => results.get(file)?.status === 'rejected';
  const uniqueIds = (file: string): boolean => {
    const r = results.get(file);
    return r?.status === 'parsed' && new Set(r.items.map((i) => i.id)).size === r.items.length;
  };
  const checks: [string, string, boolean][] = [
    ['node-feedparser/notafeed.html', 'error "Not a feed"', rejected('node-feedparser/notafeed.html')],
    ['node-feedparser/saxerror.xml', 'lenient parser recovers 3 items', items('node-feedparser/saxerror.xml') === 3],
    ['node-feedparser/compressed.xml', 'valid after gunzip (10 items)', items('node-feedparser/compressed.xml') === 10],
    ['node-feedparser/guid-dupes.xml', 'duplicate guids: first one used', uniqueIds('node-feedparser/guid-dupes.xml')],
    ['rss-parser/input/unrecognized.rss', 'error, not a feed', rejected('rss-parser/input/unrecognized.rss')],
    [
      'rss-parser/input/uolNoticias.rss',
      'parses (defaultRSS 2.0)',
      (items('rss-parser/input/uolNoticias.rss') ?? 0) > 0,
    ],
  ];
  return checks.map(([file, expectation, ok]) => [file, expectation, ok ? 'yes' : 'NO']);
}

async function main(): Promise<number> {
  const dir = evalDir();
  const root = dir === null ? null : join(dir, 'feed-samples');
  if (root === null || !existsSync(join(root, 'manifest.json'))) {
    console.log(
      'eval:feeds skipped: ../shared/eval/feed-samples not found (set NEWSDIGEST_EVAL_DIR to point elsewhere)',
    );
    return 0;
  }
  const samples = manifestSchema.parse(readJson(join(root, 'manifest.json')));
  const { server, origin } = await serve(root, samples);
  const guard = new AddressGuard({ allow: [origin.replace('http://', '')] });
  const dispatcher = guard.createAgent({ connectTimeoutMs: 5000 });
  const fetch = httpFeedFetcher({ guard, dispatcher, userAgent: 'newsdigest-eval', timeoutMs: FETCH_TIMEOUT_MS });
  const results = new Map<string, Result>();
  const started = performance.now();
  try {
    for (const sample of samples) {
      results.set(sample.file, await runOne(`${origin}/${encodeURI(sample.file)}`, fetch));
    }
  } finally {
    await dispatcher.close();
    server.closeAllConnections();
    server.close();
  }
  const elapsed = performance.now() - started;

  const counts = { parsed: 0, rejected: 0, crashed: 0, hung: 0 };
  const groups = new Map<string, string[]>();
  for (const [file, result] of results) {
    counts[result.status] += 1;
    if (result.status === 'parsed') continue;
    const key = `${result.status} | ${errorGroup(result, origin, file)}`;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const malformed = samples.filter((s) => s.xml_well_formed === false || s.json_ok === false);
  const malformedParsed = malformed.filter((s) => results.get(s.file)?.status === 'parsed').length;
  const items = [...results.values()].reduce((n, r) => n + (r.status === 'parsed' ? r.items.length : 0), 0);

  console.log(
    `feed-samples: ${samples.length} files through pollFeed -> fetchText -> parseFeed in ${Math.round(elapsed)} ms`,
  );
  printTable(
    'Outcome',
    ['outcome', 'files'],
    [
      ['parsed', counts.parsed],
      ['rejected with a clear error', counts.rejected],
      ['crashed (unexpected exception)', counts.crashed],
      ['hung (time limit)', counts.hung],
      ['items read from parsed feeds', items],
      [`not well-formed per manifest (${malformed.length}): parsed anyway`, malformedParsed],
    ],
  );
  printTable(
    'Rejections, crashes and hangs by error',
    ['files', 'outcome | error class: message', 'examples'],
    [...groups]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([key, files]) => [files.length, key, files.slice(0, 2).join(', ')]),
  );
  const scores = compare(root, results, origin);
  printTable(
    'Items against upstream expected outputs (title and link, matched/total)',
    ['source repo', 'files', 'titles', 'links', 'files fully matched', 'expected titles with U+FFFD'],
    [...scores].map(([repo, s]) => [
      repo,
      s.files,
      `${s.titles}/${s.items}`,
      `${s.links}/${s.items}`,
      `${s.filesAllMatched}/${s.files}`,
      s.mojibake,
    ]),
  );
  console.log(
    'A title whose expected text holds U+FFFD is one the upstream parser decoded wrongly (Latin-1 read as UTF-8);\n' +
      'ours differs there because it is decoded correctly. --verbose lists every mismatch.',
  );
  printTable('Upstream test expectations', ['file', 'upstream expects', 'met'], upstreamChecks(results));
  const ok = counts.crashed === 0 && counts.hung === 0;
  console.log(ok ? 'OK: nothing crashed or hung.' : 'FAIL: some feeds crashed or hung (must be 0).');
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
