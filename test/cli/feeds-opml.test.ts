// `newsdigest feeds import|export` and `newsdigest feeds` with subscriptions, over a feed server on 127.0.0.1 and
// SQLite: an import checks each URL as chat does, reports what it added and skipped and why, keeps what was there,
// and survives a restart (every command here is a new composition over the same file, as a new process is).
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { type RunIo, runFeedsCommand, runRunCommand } from '../../src/cli/run-command.js';
import { composeApp } from '../../src/compose.js';
import type { Logger } from '../../src/ports.js';
import { body, type FeedServer, rssFeed, startFeedServer } from '../fakes/feed-server.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const NOW = new Date('2025-03-04T10:00:00.000Z');
const rss = (name: string) =>
  body(
    rssFeed([
      { id: `${name}-1`, title: `${name} item`, text: `Text of ${name}.`, at: new Date(NOW.getTime() - 3_600_000) },
    ]),
    { contentType: 'application/rss+xml' },
  );

let feeds: FeedServer;
let dir: string;
let configPath: string;

function io(out: string[], err: string[] = out): RunIo {
  return {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: () => ({}),
    cwd: () => dir,
    compose: (config) =>
      composeApp(config, { logger: silent, clock: { now: () => NOW }, stdout: () => {}, cwd: dir, platforms: false }),
    stopSignal: () => Promise.resolve('SIGTERM'),
  };
}

async function feedsCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runFeedsCommand([...args, '--config', configPath], io(out, err));
  return { code, out: out.join(''), err: err.join('') };
}

async function writeOpml(name: string, urls: readonly string[]): Promise<string> {
  const path = join(dir, name);
  const outlines = urls.map((u) => `<outline type="rss" text="x" xmlUrl="${u.replace(/&/g, '&amp;')}"/>`);
  await writeFile(path, `<?xml version="1.0"?><opml version="2.0"><body>\n${outlines.join('\n')}\n</body></opml>`);
  return path;
}

beforeAll(async () => {
  feeds = await startFeedServer({
    '/wire': rss('wire'),
    '/one': rss('one'),
    '/two': rss('two'),
    '/page': body('<html><body>no feed</body></html>', { contentType: 'text/html' }),
  });
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-opml-'));
  configPath = join(dir, 'newsdigest.yaml');
  await writeFile(
    configPath,
    [
      `feeds: [{ url: "${feeds.url('/wire')}", name: Wire }]`,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
      'channels:',
      '  - { id: desk, platform: console, schedule: "0 8 * * *" }',
    ].join('\n'),
  );
});

afterAll(async () => {
  await feeds.close();
  await rm(dir, { recursive: true, force: true });
});

describe('newsdigest feeds import / export', () => {
  it('adds the valid feeds, says why each other one is skipped, and keeps them across restarts', async () => {
    const file = await writeOpml('mine.opml', [
      feeds.url('/one'),
      feeds.url('/wire'),
      feeds.url('/one'),
      feeds.url('/page'),
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'http://user:secret@example.com/feed',
    ]);
    const first = await feedsCli(['import', file, '--channel', 'desk']);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`added    ${feeds.hostPort}  ${feeds.url('/one')}`);
    expect(first.out).toContain(`skipped  ${feeds.url('/wire')}: the channel follows it in the config file already`);
    expect(first.out).toContain(`skipped  ${feeds.url('/one')}: listed twice`);
    expect(first.out).toMatch(new RegExp(`skipped  ${feeds.url('/page')}: .+`));
    expect(first.out).toContain('skipped  javascript:alert(1): javascript: URLs are not feeds');
    expect(first.out).toContain('skipped  file:///etc/passwd: file: URLs are not feeds');
    expect(first.out).toMatch(/skipped {2}http:\/\/169\.254\.169\.254\/latest\/meta-data\/: .+/);
    expect(first.out).toContain('skipped  http://user:secret@example.com/feed: a URL with a user name or password');
    expect(first.out).toContain('newsdigest: 1 added to desk, 7 skipped, of 8 in');

    // a second import adds to the list, never replaces it
    const second = await feedsCli(['import', await writeOpml('more.opml', [feeds.url('/two')]), '--channel', 'desk']);
    expect(second.out).toContain(`added    ${feeds.hostPort}/two  ${feeds.url('/two')}`);

    // a new process: `run --once` polls the subscriptions (their first poll is backfill), `feeds` lists them
    const run: string[] = [];
    expect(await runRunCommand(['--once', '--config', configPath], io(run))).toBe(0);
    expect(run.join('')).toContain('3 feeds polled (0 failed), 3 new articles');
    const listed = await feedsCli([]);
    expect(listed.out).toContain('Set from chat (/digest subscribe, mute):\nchannel desk:\n');
    expect(listed.out).toContain(`  subscribed ${feeds.hostPort}  ${feeds.url('/one')} (by cli, `);
    expect(listed.out).toContain('3 feeds (2 subscribed from chat): 3 ok');
  });

  it('exports OPML 2.0 that imports back to nothing new', async () => {
    const exported = await feedsCli(['export']);
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('<opml version="2.0">');
    expect(exported.out).toContain(`<outline type="rss" text="Wire" title="Wire" xmlUrl="${feeds.url('/wire')}"/>`);
    expect(exported.out).toContain('<outline text="Channel desk: subscribed from chat"');
    const path = join(dir, 'exported.opml');
    await writeFile(path, exported.out);
    const again = await feedsCli(['import', path, '--channel', 'desk']);
    expect(again.out).toContain('newsdigest: 0 added to desk, 3 skipped, of 3 in');
    expect(again.out).toContain('the channel is subscribed already');
  });

  it('refuses a file that is no OPML, too large, or a device, without changing anything', async () => {
    const notXml = join(dir, 'notes.opml');
    await writeFile(notXml, 'my feeds: https://a.example/rss');
    await expect(feedsCli(['import', notXml, '--channel', 'desk'])).rejects.toThrow(
      /notes\.opml is not an OPML file we can read: line 1: text outside the document element: this is not XML/,
    );
    const huge = join(dir, 'huge.opml');
    await writeFile(huge, `<opml><body>${' '.repeat(2_100_000)}</body></opml>`);
    await expect(feedsCli(['import', huge, '--channel', 'desk'])).rejects.toThrow(/over the 2 MB limit/);
    const device = join(dir, 'zero.opml');
    await symlink('/dev/zero', device);
    await expect(feedsCli(['import', device, '--channel', 'desk'])).rejects.toThrow(/not a regular file/);
    await expect(feedsCli(['import', notXml, '--channel', 'nope'])).rejects.toBeInstanceOf(UserError);
    await expect(feedsCli(['import', notXml])).rejects.toThrow(/needs one OPML file and --channel ID/);
    const listed = await feedsCli([]);
    expect(listed.out).toContain('3 feeds (2 subscribed from chat)');
  });
});
