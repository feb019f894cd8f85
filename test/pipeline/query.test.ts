import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import type { BuilderOptions } from '../../src/domain/digest.js';
import { type DigestSearch, parseDigestQuery } from '../../src/domain/digest-query.js';
import { compileTopics } from '../../src/domain/topics.js';
import { initialHealth } from '../../src/feeds/poll-feed.js';
import { answerDigestQuery, describeStatus } from '../../src/pipeline/query.js';
import type { StoredArticle } from '../../src/ports.js';
import { MemoryArticles } from '../fakes/memory-stores.js';
import { FIXTURE_ARTICLES } from '../fixtures/articles.js';

const NOW = new Date('2025-03-20T12:00:00Z');
let builder: BuilderOptions;
const articles = new MemoryArticles();

beforeAll(async () => {
  builder = { topics: compileTopics(await loadTopicsFile('config/topics.yaml')) };
  for (const a of FIXTURE_ARTICLES) {
    const at = a.publishedAt ?? '2025-03-01T00:00:00Z';
    const stored: StoredArticle = { ...a, id: a.id, feed: 'f', fetchedAt: at, publishedAt: at, backfill: true };
    await articles.putMany([stored], new Date(at));
  }
});

const ask = (input: string) => {
  const q = parseDigestQuery(input, NOW);
  if (q.kind !== 'search') throw new Error(q.kind);
  return answerDigestQuery({ articles, builder, retentionDays: 30, clock: { now: () => NOW } }, q as DigestSearch);
};

describe('answerDigestQuery', () => {
  it('finds stored articles by word, backfill included, and builds their stories', async () => {
    const answer = await ask('istanbul since:2w');
    expect(answer.kind).toBe('digest');
    if (answer.kind !== 'digest') return;
    expect(answer.digest.stories).toHaveLength(1);
    expect(answer.digest.stories[0]?.articles.sort()).toEqual(['istanbul-ledger', 'istanbul-metro']);
  });

  it('matches topic names the builder gave, not only words', async () => {
    const answer = await ask('topic:"Iran talks" since:30d');
    expect(answer.kind === 'digest' && answer.digest.articles.map((a) => a.id)).toEqual(['muscat-desert']);
  });

  it('says plainly when nothing matched, with the retention period', async () => {
    const answer = await ask('witkoff since:3d');
    expect(answer).toEqual({
      kind: 'empty',
      message: "No articles about 'witkoff' in the last 3 days; articles are kept 30 days.",
    });
  });
});

describe('describeStatus', () => {
  it('counts healthy feeds and lists failing ones and each channel', () => {
    const lines = describeStatus(
      [
        { ...initialHealth({ url: 'u1', name: 'Wire' }), lastSuccessAt: 'x', items: 3, initialized: true },
        {
          ...initialHealth({ url: 'u2', name: 'Broken' }),
          lastErrorAt: 'y',
          lastError: 'HTTP 503',
          consecutiveFailures: 4,
        },
      ],
      [{ id: 'desk', lastDigestAt: '2025-03-20T08:00:00.000Z', nextDigestAt: '2025-03-21T08:00:00.000Z' }],
    );
    expect(lines[0]).toBe('2 feeds, 1 healthy, 1 failing or paused.');
    expect(lines[1]).toBe('• Broken: 4 failures in a row; last error: HTTP 503');
    expect(lines[2]).toContain('desk: last digest 2025-03-20T08:00:00.000Z, next 2025-03-21T08:00:00.000Z');
  });
});
