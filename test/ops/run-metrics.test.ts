// The ops endpoints as `newsdigest run` wires them: the real composition root on SQLite, feeds from the local feed
// server, a console channel. A scrape before and after a poll and a digest shows each counter move by what happened.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type RunningApp } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { digestAll, pollAndProcess } from '../../src/pipeline/app.js';
import type { Logger } from '../../src/ports.js';
import { body, type FeedServer, rssFeed, startFeedServer, status } from '../fakes/feed-server.js';
import { healthz, scrape } from './scrape.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const NOW = new Date('2024-03-12T12:00:00.000Z');

const STORIES = [
  'Harbour workers in Rotterdam walked out on Tuesday over a new shift plan that the port authority wants to bring in next month, union leaders said.',
  'The central bank of Norway kept its main rate unchanged and said inflation was slowing faster than its economists had expected in the autumn.',
  'A research vessel mapping the seabed off Greenland found a ridge of volcanic rock far longer than charts had shown, its chief scientist said.',
];

let dir: string;
let items: { id: string; title: string; text: string; at: Date }[];
let feeds: FeedServer;
let app: RunningApp;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-ops-'));
  items = STORIES.map((text, i) => ({
    id: `wire-${i}`,
    title: text.split(' ').slice(0, 6).join(' '),
    text: `${text} ${text}`,
    at: new Date(NOW.getTime() - (i + 1) * 3_600_000),
  }));
  feeds = await startFeedServer({ '/wire.xml': body(rssFeed(items)), '/broken.xml': status(500) });
  const path = join(dir, 'newsdigest.yaml');
  await writeFile(
    path,
    [
      'feeds:',
      // the token in the URL must never become a label: feeds are labelled by name
      `  - { url: "${feeds.url('/wire.xml')}?token=feed-query-token", name: Wire }`,
      `  - { url: "${feeds.url('/broken.xml')}", name: Broken }`,
      `network: { allowPrivateHosts: ["${feeds.hostPort}"] }`,
      `storage: { url: "sqlite://${join(dir, 'db.sqlite')}" }`,
      'ops: { port: 0 }',
      'channels:',
      '  - { id: screen, platform: console, schedule: "0 8 * * *", whenEmpty: notice }',
    ].join('\n'),
  );
  const config = await loadConfig({ path, env: {}, cwd: dir });
  app = await composeApp(config, { logger: silent, clock: { now: () => NOW }, stdout: () => {}, cwd: dir });
  const ops = await app.startOps();
  if (!ops) throw new Error('ops endpoints did not start');
  origin = ops.url;
});
afterAll(async () => {
  await app?.close();
  await feeds?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('/metrics through a poll and a digest', () => {
  it('starts at zero for every outcome, with the process metrics and the event-loop histogram', async () => {
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const m = await scrape(origin);
    expect(m.get('newsdigest_feed_polls_total{outcome="stored"}')).toBe(0);
    expect(m.get('newsdigest_feed_polls_total{outcome="failed"}')).toBe(0);
    expect(m.get('newsdigest_articles_ingested_total')).toBe(0);
    expect(m.get('newsdigest_digests_total{outcome="delivered"}')).toBe(0);
    expect(m.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(m.get('newsdigest_feeds{state="healthy"}')).toBe(2);
  });

  it('counts a poll: outcomes, the failure by kind, articles stored and processed, each feed by name', async () => {
    const reports = await pollAndProcess(app, true);
    const stored = reports.reduce((n, r) => n + r.newArticles, 0);
    expect(stored).toBe(3);
    const m = await scrape(origin);
    expect(m.get('newsdigest_feed_polls_total{outcome="stored"}')).toBe(1);
    expect(m.get('newsdigest_feed_polls_total{outcome="failed"}')).toBe(1);
    const failures = [...m].filter(([k]) => k.startsWith('newsdigest_feed_poll_failures_total{'));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.[1]).toBe(1);
    expect(failures[0]?.[0]).toMatch(/kind="\w+"/);
    expect(m.get('newsdigest_articles_ingested_total')).toBe(3);
    const processed = ['story', 'copy', 'rejected'].reduce(
      (n, result) => n + (m.get(`newsdigest_articles_processed_total{result="${result}"}`) ?? 0),
      0,
    );
    expect(processed).toBe(3);
    expect(m.get('newsdigest_feed_consecutive_failures{feed="Broken"}')).toBe(1);
    expect(m.get('newsdigest_feed_consecutive_failures{feed="Wire"}')).toBe(0);
    expect(m.get('newsdigest_feed_paused{feed="Broken"}')).toBe(0);
    expect(m.get('newsdigest_feeds{state="failing"}')).toBe(1);
    expect(m.get('newsdigest_feeds{state="healthy"}')).toBe(1);
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).not.toContain('feed-query-token');
    expect(text).not.toContain('wire.xml');
  });

  it('counts a digest and the stories it posted, by platform', async () => {
    // the first poll was backfill (never posted): news comes with the second
    const news = [
      'Firefighters in Valencia contained a warehouse blaze that had burned through the night near the old harbour, the city said on Wednesday morning.',
    ].map((text, i) => ({ id: `news-${i}`, title: 'Warehouse blaze in Valencia', text: `${text} ${text}`, at: NOW }));
    feeds.handle('/wire.xml', body(rssFeed([...news, ...items])));
    await pollAndProcess(app, true);
    const [report] = await digestAll(app, app.plan.channels);
    expect(report?.error).toBeUndefined();
    const m = await scrape(origin);
    expect(m.get('newsdigest_digests_total{outcome="delivered"}')).toBe(1);
    expect(m.get('newsdigest_stories_posted_total{platform="console"}')).toBe(report?.posted);
    expect(report?.posted).toBe(1);
  });

  it('has the event-loop delay as a histogram', async () => {
    const m = await scrape(origin);
    const count = m.get('newsdigest_event_loop_delay_seconds_count') ?? 0;
    expect(count).toBeGreaterThan(0);
    expect(m.get('newsdigest_event_loop_delay_seconds_bucket{le="+Inf"}')).toBe(count);
    expect(m.get('newsdigest_event_loop_delay_seconds_bucket{le="10"}')).toBeLessThanOrEqual(count);
  });

  it('shows the queue depths the job layer sets, also from a read at each scrape', async () => {
    app.metrics?.setQueueDepth('poll', 7);
    expect((await scrape(origin)).get('newsdigest_queue_depth{queue="poll"}')).toBe(7);
    let waiting = 3;
    app.metrics?.beforeScrape('queues', () => app.metrics?.setQueueDepth('digest', waiting));
    expect((await scrape(origin)).get('newsdigest_queue_depth{queue="digest"}')).toBe(3);
    waiting = 5;
    expect((await scrape(origin)).get('newsdigest_queue_depth{queue="digest"}')).toBe(5);
  });

  it('/healthz is 200 with the storage check passing; /livez answers', async () => {
    const health = await healthz(origin);
    expect(health.status).toBe(200);
    expect(health.body.checks).toEqual([expect.objectContaining({ name: 'storage', ok: true })]);
    expect((await fetch(`${origin}/livez`)).status).toBe(200);
  });
});
