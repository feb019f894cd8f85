// The ops server on its own: readiness checks within a deadline, one run of the checks for a flood of requests,
// secrets masked in what it shows, and only what it serves.
import { afterEach, describe, expect, it } from 'vitest';
import { PromMetrics } from '../../src/ops/metrics.js';
import { type OpsServer, type ReadinessCheck, startOpsServer } from '../../src/ops/ops-server.js';
import { healthz, parseMetrics, scrape } from './scrape.js';

const started: OpsServer[] = [];
const metrics: PromMetrics[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
  for (const m of metrics.splice(0)) m.close();
});

async function serve(checks: ReadinessCheck[], extra: { checkTimeoutMs?: number; metrics?: PromMetrics } = {}) {
  const server = await startOpsServer({
    host: '127.0.0.1',
    port: 0,
    checks,
    redact: (text) => text.replaceAll('hunter2', '***'),
    ...extra,
  });
  started.push(server);
  return server;
}

describe('/healthz', () => {
  it('is 200 when every check passes, 503 naming the failing check and why', async () => {
    let storageUp = true;
    const server = await serve([
      {
        name: 'storage',
        check: () => {
          if (!storageUp) throw new Error('redis://:hunter2@127.0.0.1:1 does not answer');
        },
      },
      { name: 'slack', check: async () => {} },
    ]);
    expect((await healthz(server.url)).status).toBe(200);
    storageUp = false;
    const down = await healthz(server.url);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('failing');
    expect(down.body.checks).toEqual([
      expect.objectContaining({ name: 'storage', ok: false, error: 'redis://:***@127.0.0.1:1 does not answer' }),
      expect.objectContaining({ name: 'slack', ok: true }),
    ]);
  });

  it('fails a check that hangs at its deadline, and answers then', async () => {
    const server = await serve([{ name: 'redis', check: () => new Promise<void>(() => {}) }], {
      checkTimeoutMs: 300,
    });
    const started = performance.now();
    const health = await healthz(server.url);
    const ms = performance.now() - started;
    expect(health.status).toBe(503);
    expect(health.body.checks[0]?.error).toBe('no answer within 300 ms');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2_000);
  });

  it('runs the checks once for many requests at the same time', async () => {
    let runs = 0;
    const server = await serve([
      {
        name: 'storage',
        check: async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        },
      },
    ]);
    const answers = await Promise.all(Array.from({ length: 20 }, () => healthz(server.url)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(runs).toBe(1);
  });

  it('answers /livez even while a readiness check hangs', async () => {
    const server = await serve([{ name: 'storage', check: () => new Promise<void>(() => {}) }], {
      checkTimeoutMs: 5_000,
    });
    void healthz(server.url).catch(() => {});
    const res = await fetch(`${server.url}/livez`);
    expect(res.status).toBe(200);
  });
});

describe('starting', () => {
  it('says which port it could not listen on, and why', async () => {
    const taken = await serve([]);
    await expect(startOpsServer({ host: '127.0.0.1', port: taken.port, checks: [] })).rejects.toThrow(
      `the ops endpoints cannot listen on 127.0.0.1:${taken.port} (ops.port): EADDRINUSE`,
    );
  });
});

describe('what the server answers', () => {
  it('GET and HEAD only, and 404 elsewhere', async () => {
    const server = await serve([]);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    // no metrics were given: no /metrics
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('serves /metrics in the Prometheus text format', async () => {
    const m = new PromMetrics({ defaultMetrics: false });
    metrics.push(m);
    const server = await serve([], { metrics: m });
    m.feedPolled('failed', 'FeedHttpError');
    m.feedPolled('stored');
    m.articlesStored(4);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const series = parseMetrics(await res.text());
    expect(series.get('newsdigest_feed_poll_failures_total{kind="FeedHttpError"}')).toBe(1);
    expect(series.get('newsdigest_feed_polls_total{outcome="stored"}')).toBe(1);
    expect(series.get('newsdigest_articles_ingested_total')).toBe(4);
  });
});

describe('label values are bounded', () => {
  it('keeps 20 kinds of failure and counts the rest as other; an odd kind is other', async () => {
    const m = new PromMetrics({ defaultMetrics: false });
    metrics.push(m);
    const server = await serve([], { metrics: m });
    for (let i = 0; i < 50; i++) m.feedPolled('failed', `Kind${i}Error`);
    m.feedPolled('failed', 'has spaces and "quotes"');
    const series = await scrape(server.url);
    const kinds = [...series.keys()].filter((k) => k.startsWith('newsdigest_feed_poll_failures_total{'));
    expect(kinds).toHaveLength(21);
    expect(series.get('newsdigest_feed_poll_failures_total{kind="other"}')).toBe(31);
  });

  it('shows at most the cap of per-feed series, the least healthy first, and counts every feed', async () => {
    const samples = Array.from({ length: 50 }, (_, i) => ({
      name: `Feed ${String(i).padStart(2, '0')}`,
      consecutiveFailures: i % 10 === 0 ? 3 : 0,
      paused: i === 49,
    }));
    const m = new PromMetrics({ defaultMetrics: false, maxFeedSeries: 5, feedHealth: async () => samples });
    metrics.push(m);
    const server = await serve([], { metrics: m });
    const series = await scrape(server.url);
    const shown = [...series.keys()].filter((k) => k.startsWith('newsdigest_feed_consecutive_failures{'));
    expect(shown).toEqual([
      'newsdigest_feed_consecutive_failures{feed="Feed 49"}',
      'newsdigest_feed_consecutive_failures{feed="Feed 00"}',
      'newsdigest_feed_consecutive_failures{feed="Feed 10"}',
      'newsdigest_feed_consecutive_failures{feed="Feed 20"}',
      'newsdigest_feed_consecutive_failures{feed="Feed 30"}',
    ]);
    expect(series.get('newsdigest_feed_paused{feed="Feed 49"}')).toBe(1);
    expect(series.get('newsdigest_feeds{state="paused"}')).toBe(1);
    expect(series.get('newsdigest_feeds{state="failing"}')).toBe(5);
    expect(series.get('newsdigest_feeds{state="healthy"}')).toBe(44);
    expect(series.get('newsdigest_feed_series_omitted')).toBe(45);
  });

  it('answers a scrape on time when reading feed health hangs, and counts the miss', async () => {
    const m = new PromMetrics({
      defaultMetrics: false,
      scrapeReadTimeoutMs: 200,
      feedHealth: () => new Promise(() => {}),
    });
    metrics.push(m);
    const server = await serve([], { metrics: m });
    const started = performance.now();
    const series = await scrape(server.url);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(series.get('newsdigest_scrape_read_failures_total{read="feed-health"}')).toBe(1);
  });

  it('never starts a scrape-time read again while the last one still runs', async () => {
    let reads = 0;
    const m = new PromMetrics({
      defaultMetrics: false,
      scrapeReadTimeoutMs: 100,
      feedHealth: () => {
        reads++;
        return new Promise(() => {});
      },
    });
    metrics.push(m);
    await Promise.all([m.render(), m.render()]);
    await m.render();
    expect(reads).toBe(1);
    expect(parseMetrics(await m.render()).get('newsdigest_scrape_read_failures_total{read="feed-health"}')).toBe(4);
  });

  it('reads feed health again after a poll here, not for every scrape in between', async () => {
    let reads = 0;
    const m = new PromMetrics({
      defaultMetrics: false,
      feedHealth: async () => {
        reads++;
        return [{ name: 'Wire', consecutiveFailures: reads, paused: false }];
      },
    });
    metrics.push(m);
    await m.render();
    await m.render();
    expect(reads).toBe(1);
    m.feedPolled('failed', 'FeedHttpError');
    const series = parseMetrics(await m.render());
    expect(reads).toBe(2);
    expect(series.get('newsdigest_feed_consecutive_failures{feed="Wire"}')).toBe(2);
  });
});
