// `newsdigest search` end to end: a store filled by two real `run --once` over a feed server on 127.0.0.1 (the
// first poll is backfill, the second brings news; the console channel holds one story and says how many more
// did not fit), then searched in process with a set clock and through the built binary, as an operator would.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { runRunCommand } from '../../src/cli/run-command.js';
import { runSearchCommand, type SearchIo } from '../../src/cli/search-command.js';
import { composeApp } from '../../src/compose.js';
import type { Logger } from '../../src/ports.js';
import { zonedTime } from '../../src/render/zoned-time.js';
import { body, type FeedServer, type RssItem, rssFeed, startFeedServer } from '../fakes/feed-server.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const HOUR = 3_600_000;
// noon UTC of a day that ended at least 12 hours ago: the windows stay on one UTC day, and the binary (real time)
// finds the news within its default three days
const NEWS_AT = new Date(Math.floor((Date.now() - 12 * HOUR) / (24 * HOUR)) * 24 * HOUR + 12 * HOUR);
const BACKFILL_AT = new Date(NEWS_AT.getTime() - 24 * HOUR);
const DAY = NEWS_AT.toISOString().slice(0, 10);

const before = new Date(BACKFILL_AT.getTime() - HOUR);
const earlier = new Date(NEWS_AT.getTime() - HOUR);
const BACKFILL: RssItem[] = [
  {
    id: 'old1',
    title: 'Ferry timetable changes for the winter season',
    text: 'The island ferry runs every two hours from November. The operator cited fewer winter passengers and higher fuel costs. Commuters asked for an earlier morning crossing.',
    at: before,
  },
];
const NEWS: RssItem[] = [
  {
    id: 'n1',
    title: 'Harbour bridge closes for six weeks of repairs',
    text: 'The harbour bridge closes on Monday for six weeks of repairs to its steel cables. Drivers are told to use the ring road, and extra buses will run across the bay. The city engineer said the cables had corroded faster than expected.',
    at: earlier,
  },
  {
    id: 'n2',
    title: 'Orchestra cancels its spring tour after a roof collapse',
    text: 'The city orchestra cancelled its spring tour after part of the concert hall roof collapsed in a storm. No one was hurt. Musicians will rehearse in a school gymnasium while builders inspect the hall.',
    at: earlier,
  },
  {
    id: 'n3',
    title: 'Rail workers vote to strike over night shifts',
    text: 'Rail workers voted to strike for two days next month over night shift rosters. The union said members rejected the latest offer by a wide margin. The rail company said it would publish an emergency timetable.',
    at: earlier,
  },
];

let feeds: FeedServer;
let dir: string;
let configPath: string;
let now = BACKFILL_AT;
const screen: string[] = [];

function searchIo(out: string[]): SearchIo {
  return {
    stdout: (text) => void out.push(text),
    stderr: (text) => void out.push(text),
    env: () => ({}),
    cwd: () => dir,
    compose: (config) =>
      composeApp(config, { logger: silent, clock: { now: () => now }, stdout: (t) => void screen.push(t), cwd: dir }),
    now: () => now,
  };
}

async function search(args: readonly string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runSearchCommand([...args, '--config', configPath], searchIo(out));
  return { code, out: out.join('') };
}

beforeAll(async () => {
  feeds = await startFeedServer({ '/wire': body(rssFeed(BACKFILL)) });
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-search-'));
  configPath = join(dir, 'newsdigest.yaml');
  await writeFile(
    configPath,
    [
      'feeds:',
      `  - { url: "${feeds.url('/wire')}", name: Wire }`,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'news.sqlite')}" }`,
      'channels:',
      '  - { id: screen, platform: console, schedule: "0 8 * * *", timezone: Europe/Berlin, maxStories: 1 }',
    ].join('\n'),
  );
  const run = { ...searchIo([]), stopSignal: () => Promise.resolve('SIGTERM') };
  // the first poll is backfill: stored and searchable, never posted
  expect(await runRunCommand(['--once', '--config', configPath], run)).toBe(0);
  now = NEWS_AT;
  feeds.handle('/wire', body(rssFeed([...BACKFILL, ...NEWS])));
  expect(await runRunCommand(['--once', '--config', configPath], run)).toBe(0);
  now = new Date(NEWS_AT.getTime() + HOUR);
}, 60_000);

afterAll(async () => {
  await feeds.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a capped digest and the search it points to', () => {
  it('the console digest held one story and named the search for the rest', () => {
    expect(screen.join('')).toContain(
      `2 more stories did not fit in this digest: see them with newsdigest search since:${DAY}`,
    );
  });

  it('that search finds every story of the day, and says which one the channel already got', async () => {
    const { code, out } = await search([`since:${DAY}`, '--channel', 'screen']);
    expect(code).toBe(0);
    expect(out).toContain(`Digest since ${DAY}`);
    expect(out).toContain('3 stories from 3 matching articles');
    for (const item of NEWS) expect(out).toContain(item.title);
    expect(out).not.toContain('Ferry timetable');
    // one story reached the channel, at the second run, shown in the channel's zone
    const posted = out.split('\n').filter((l) => l.includes('Posted in screen on'));
    const at = zonedTime('Europe/Berlin').dateTime(NEWS_AT.toISOString());
    expect(posted).toEqual([`   Posted in screen on ${at}, nothing new since`]);
  });
});

describe('newsdigest search', () => {
  it('answers words, backfill included, in UTC without --channel and with no "Posted" line', async () => {
    const { code, out } = await search(['ferry since:7d']);
    expect(code).toBe(0);
    expect(out).toContain("Digest about 'ferry' in the last 7 days");
    expect(out).toContain('Ferry timetable changes for the winter season');
    expect(out).toMatch(/First reported by Wire, .* UTC\./);
    expect(out).not.toContain('Posted');
  });

  it('gives the answer as JSON: the notes, posted by story id, and the digest contract', async () => {
    const { code, out } = await search([`since:${DAY}`, '--format', 'json', '--channel', 'screen']);
    expect(code).toBe(0);
    const answer = JSON.parse(out) as {
      posted: Record<string, unknown>;
      digest: { stories: { id: string; title: string }[] };
    };
    expect(answer).toMatchObject({ kind: 'digest', description: `since ${DAY}`, matched: 3, moreStories: 0 });
    expect(answer.digest.stories.map((s) => s.title).sort()).toEqual(NEWS.map((i) => i.title).sort());
    const posted = Object.entries(answer.posted);
    expect(posted).toHaveLength(1);
    expect(answer.digest.stories.map((s) => s.id)).toContain(posted[0]?.[0]);
    expect(posted[0]?.[1]).toMatchObject({ channel: 'screen', postedAt: NEWS_AT.toISOString(), newArticles: 0 });
  });

  it('gives the answer as Markdown', async () => {
    const { code, out } = await search(['strike', '--format', 'markdown']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^# Digest about 'strike' in the last 3 days\n\n1 story from 1 matching article\n\n## 1\. Rail workers/,
    );
  });

  it('takes a query that starts by leaving a word out, with or without --', async () => {
    const all = await search(['since:7d', '--format', 'json']);
    const without = await search(['-ferry since:7d', '--format', 'json']);
    const spread = await search(['-ferry', 'since:7d', '--format', 'json']);
    const printed: string[] = [];
    const afterDashes = {
      code: await runSearchCommand(
        ['--config', configPath, '--format', 'json', '--', '-ferry since:7d'],
        searchIo(printed),
      ),
      out: '',
    };
    afterDashes.out = printed.join('');
    for (const r of [all, without, spread, afterDashes]) expect(r.code).toBe(0);
    const titles = (out: string) =>
      (JSON.parse(out) as { digest: { stories: { title: string }[] } }).digest.stories.map((s) => s.title).sort();
    expect(titles(all.out)).toContain('Ferry timetable changes for the winter season');
    expect(titles(without.out)).toEqual(titles(all.out).filter((t) => !/ferry/i.test(t)));
    expect(titles(spread.out)).toEqual(titles(without.out));
    expect(titles(afterDashes.out)).toEqual(titles(without.out));
  });

  it('prints the empty answer and exits 0', async () => {
    const { code, out } = await search(['zeppelin']);
    expect(code).toBe(0);
    expect(out).toBe("No articles about 'zeppelin' in the last 3 days; articles are kept 30 days.\n");
  });

  it('answers status as /digest status does', async () => {
    const { code, out } = await search(['status']);
    expect(code).toBe(0);
    expect(out).toContain('1 feed');
  });

  it.each([
    ['a query /digest refuses', ['since:3x'], 'since:3x is not a duration: try since:3d'],
    [
      'an unknown channel',
      ['bridge', '--channel', 'nowhere'],
      '--channel: "nowhere" is not a configured channel id (known: screen)',
    ],
    ['an unknown format', ['bridge', '--format', 'yaml'], '--format must be one of text, json, markdown, got "yaml"'],
    ['no query', [], 'a query is needed'],
  ])('refuses %s with exit code 2', async (_what, args, message) => {
    const error = await runSearchCommand([...args, '--config', configPath], searchIo([])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toContain(message);
  });
});

describe('bin/newsdigest.js search', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const newsdigest = (args: readonly string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, LOG_LEVEL: 'silent' };
      execFile(
        process.execPath,
        ['bin/newsdigest.js', ...args],
        { cwd: ROOT, env, encoding: 'utf8' },
        (error, stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
      );
    });

  it('answers from the store as chat would, and exits 0', async () => {
    const result = await newsdigest(['search', 'orchestra', '--config', configPath, '--channel', 'screen']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Digest about 'orchestra' in the last 3 days");
    expect(result.stdout).toContain('Orchestra cancels its spring tour after a roof collapse');
  });

  it('needs no chat tokens, though the config has Slack and Discord channels: it posts nothing', async () => {
    const withChat = join(dir, 'with-chat.yaml');
    await writeFile(
      withChat,
      [
        (await readFile(configPath, 'utf8')).trimEnd(),
        '  - { id: desk, platform: slack, channel: C0DESK, schedule: "0 8 * * *" }',
        '  - { id: news, platform: discord, channel: "900000000000000001", schedule: "0 8 * * *" }',
      ].join('\n'),
    );
    const result = await newsdigest(['search', 'orchestra', '--config', withChat]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Orchestra cancels its spring tour after a roof collapse');
    expect(result.stderr).not.toMatch(/TOKEN|no publisher/);
    // run still asks for them
    const run = await newsdigest(['run', '--once', '--config', withChat]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a slack channel needs the SLACK_BOT_TOKEN environment variable');
  });

  it('exits 2 with the parser message on stderr for a query /digest refuses', async () => {
    const result = await newsdigest(['search', 'until:soon', '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('until:soon is not a date or a duration');
    expect(result.stdout).toBe('');
  });
});
