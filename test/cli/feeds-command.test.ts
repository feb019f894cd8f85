// `newsdigest feeds` after real polls (`run --once` over a feed server on 127.0.0.1, SQLite): what the last poll
// noted about a feed's items, and a paused feed said plainly; and the report's lines as a table.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedLines, feedsReport } from '../../src/cli/feeds-report.js';
import { type RunIo, runFeedsCommand, runRunCommand } from '../../src/cli/run-command.js';
import { composeApp } from '../../src/compose.js';
import { type FeedHealth, initialHealth } from '../../src/domain/feed-health.js';
import type { Logger } from '../../src/ports.js';
import { body, type FeedServer, startFeedServer, status } from '../fakes/feed-server.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const NOW = new Date('2025-03-04T10:00:00.000Z');
const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><guid>w1</guid><title>Harbour bridge closes</title><link>https://news.example/w1</link>
<pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate><description>The harbour bridge closes for six weeks.</description></item>
<item><guid>w2</guid><title>Clock runs fast at the wire</title><link>https://news.example/w2</link>
<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate><description>An item dated far in the future.</description></item>
</channel></rss>`;

let feeds: FeedServer;
let dir: string;
let configPath: string;

function io(out: string[]): RunIo {
  return {
    stdout: (text) => void out.push(text),
    stderr: (text) => void out.push(text),
    env: () => ({}),
    cwd: () => dir,
    compose: (config) =>
      composeApp(config, { logger: silent, clock: { now: () => NOW }, stdout: () => {}, cwd: dir, platforms: false }),
    stopSignal: () => Promise.resolve('SIGTERM'),
  };
}

beforeAll(async () => {
  feeds = await startFeedServer({ '/wire': body(RSS), '/gone': status(404) });
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-feeds-'));
  configPath = join(dir, 'newsdigest.yaml');
  const config = (extra: string[]) =>
    [
      'feeds:',
      `  - { url: "${feeds.url('/wire')}", name: Wire }`,
      `  - { url: "${feeds.url('/gone')}", name: Gone }`,
      ...extra,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
      'polling: { maxFailuresBeforePause: 1 }',
    ].join('\n');
  await writeFile(configPath, config([]));
  // one run: Wire stores its items (one with an impossible date), Gone fails once and is paused
  await runRunCommand(['--once', '--config', configPath], io([]));
  // then a feed is added that no poll has seen yet
  await writeFile(configPath, config([`  - { url: "${feeds.url('/later')}", name: Later }`]));
}, 60_000);

afterAll(async () => {
  await feeds.close();
  await rm(dir, { recursive: true, force: true });
});

describe('newsdigest feeds after a poll', () => {
  it('shows what the last poll noted, paused feeds plainly, and counts the feeds by state', async () => {
    const out: string[] = [];
    expect(await runFeedsCommand(['--config', configPath], io(out))).toBe(0);
    const text = out.join('');
    expect(text).toContain(
      '  last poll noted: 1 item with an impossible date (e.g. 2100-01-01T00:00:00.000Z): shown with the time it was fetched',
    );
    expect(text).toContain(
      `Gone  ${feeds.url('/gone')}\n  PAUSED since ${NOW.toISOString()} after 1 failure in a row: `,
    );
    expect(text).toContain('  state: PAUSED; items in last poll: 0; every 15 min');
    expect(text).toContain('3 feeds: 1 ok, 1 PAUSED, 1 never polled, 1 with a warning\n');
  });
});

describe('newsdigest feeds resume', () => {
  it('clears a pause so the next run polls the feed, and says so', async () => {
    const out: string[] = [];
    expect(await runFeedsCommand(['resume', 'Gone', '--config', configPath], io(out))).toBe(0);
    expect(out.join('')).toMatch(/Gone resumed: it is polled at the next tick/);
    const again: string[] = [];
    expect(await runFeedsCommand(['resume', 'Gone', '--config', configPath], io(again))).toBe(0);
    expect(again.join('')).toMatch(/Gone is not paused/);
    const listed: string[] = [];
    await runFeedsCommand(['--config', configPath], io(listed));
    expect(listed.join('')).not.toContain('Gone  PAUSED');
    expect(listed.join('')).not.toContain('1 PAUSED');
  });

  it('refuses an unknown feed or a missing name with the usage', async () => {
    await expect(runFeedsCommand(['resume', 'Nope', '--config', configPath], io([]))).rejects.toThrow(
      /no feed named "Nope" in the configuration \(feeds: Wire, Gone, Later\)/,
    );
    await expect(runFeedsCommand(['resume'], io([]))).rejects.toThrow(/feeds resume needs a feed's name or URL/);
  });
});

describe('feedLines', () => {
  const feed = { name: 'Wire', url: 'https://wire.example/rss', pollMinutes: 30 };
  const base: FeedHealth = { ...initialHealth({ url: feed.url, name: feed.name }), initialized: true };
  const at = '2025-03-04T10:00:00.000Z';

  it.each<[string, FeedHealth | undefined, string[]]>([
    [
      'never polled',
      undefined,
      [
        '  state: never polled; items in last poll: 0; every 30 min',
        '  last success: never; next poll: at the next tick',
      ],
    ],
    [
      'ok, nothing noted',
      { ...base, lastSuccessAt: at, nextPollAt: at, items: 12, lastWarning: null },
      ['  state: ok; items in last poll: 12; every 30 min', `  last success: ${at}; next poll: ${at}`],
    ],
    [
      'recovered after failing: ok, the last error kept for reference',
      { ...base, lastSuccessAt: at, lastError: 'HTTP 503', lastErrorAt: at, consecutiveFailures: 0 },
      ['  state: ok; items in last poll: 0; every 30 min', `  last error (${at}, 0 in a row): HTTP 503`],
    ],
    [
      'failing',
      { ...base, lastError: 'HTTP 503', lastErrorAt: at, consecutiveFailures: 3, nextPollAt: at },
      ['  state: failing; items in last poll: 0; every 30 min', `  last error (${at}, 3 in a row): HTTP 503`],
    ],
    [
      'paused, nothing polls it',
      { ...base, lastError: 'HTTP 404', lastErrorAt: at, consecutiveFailures: 10, pausedAt: at },
      [`  PAUSED since ${at} after 10 failures in a row: no longer polled`, '  last success: never; next poll: none'],
    ],
    [
      'paused, probed later',
      { ...base, lastError: 'HTTP 404', consecutiveFailures: 11, pausedAt: at, nextPollAt: '2025-03-04T16:00:00.000Z' },
      [
        `  PAUSED since ${at} after 11 failures in a row: tried once more at 2025-03-04T16:00:00.000Z, resumed when it answers`,
        '  last success: never; next poll: 2025-03-04T16:00:00.000Z (a probe)',
      ],
    ],
    [
      'a warning',
      { ...base, lastWarning: '2 items with an impossible date' },
      ['  last poll noted: 2 items with an impossible date'],
    ],
  ])('%s', (_name, health, expected) => {
    const lines = feedLines(feed, health);
    expect(lines[0]).toBe('Wire  https://wire.example/rss');
    for (const line of expected) expect(lines).toContain(line);
  });

  it('keeps terminal control sequences from a feed out of the report', () => {
    const health = new Map([[feed.url, { ...base, lastWarning: 'bad \u001b[2Jdates' }]]);
    expect(feedsReport([feed], health)).toContain('last poll noted: bad dates\n1 feed: 1 ok, 1 with a warning\n');
  });
});
