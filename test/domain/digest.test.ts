import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopicsFile } from '../../src/config/topics-file.js';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import { buildDigest, createDigestBuilder } from '../../src/domain/digest.js';
import type { CompiledTopics } from '../../src/domain/topics.js';
import type { ArticleInput, Digest, DigestArticle, DigestStory } from '../../src/domain/types.js';
import {
  FIXTURE_ARTICLES,
  FIXTURE_DUPLICATES,
  FIXTURE_REJECTED,
  FIXTURE_STORIES,
  FIXTURE_TOPIC_EXPECTATIONS,
  GENEVA_BAY_PARAGRAPHS,
  GENEVA_COASTLINE,
  GENEVA_QUICK,
  GENEVA_QUICK_QUESTIONS,
} from '../fixtures/articles.js';
import { ARTICLE_FIELDS, DIGEST_FIELDS, STORY_FIELDS, SUMMARY_FIELDS } from '../fixtures/digest-contract.js';

const NOW = '2025-03-20T08:00:00Z';
let topics: CompiledTopics;
let digest: Digest;

beforeAll(async () => {
  topics = compileTopicDefinitions(await loadTopicsFile('config/topics.yaml'));
  digest = buildDigest(FIXTURE_ARTICLES, { topics, now: NOW });
});

function articleById(d: Digest, id: string): DigestArticle {
  const a = d.articles.find((x) => x.id === id);
  if (!a) throw new Error(`article ${id} missing from the digest`);
  return a;
}

function storyOf(d: Digest, articleId: string): DigestStory {
  const s = d.stories.find((x) => x.articles.includes(articleId));
  if (!s) throw new Error(`no story lists ${articleId}`);
  return s;
}

function inputById(id: string): ArticleInput {
  const a = FIXTURE_ARTICLES.find((x) => x.id === id);
  if (!a) throw new Error(`no fixture ${id}`);
  return a;
}

/** Stories as sorted lists of their articles, sorted: comparable across digests whatever the story order. */
function partition(d: Digest): string[][] {
  return d.stories.map((s) => [...s.articles].sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** Story id of every article (its original's story for a copy). */
function storyIds(d: Digest): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const a of d.articles) out[a.id] = d.stories.find((s) => s.articles.includes(a.duplicateOf ?? a.id))?.id ?? null;
  return out;
}

const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';
const isIso = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && v.endsWith('Z');

describe('buildDigest on the fixtures: the JSON contract', () => {
  it('has every field of the contract with the right types, and survives a JSON round trip', () => {
    expect(Object.keys(digest)).toEqual(expect.arrayContaining([...DIGEST_FIELDS]));
    expect(digest.generatedAt).toBe('2025-03-20T08:00:00.000Z');
    expect(JSON.parse(JSON.stringify(digest))).toEqual(digest);

    for (const a of digest.articles) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining([...ARTICLE_FIELDS]));
      expect(typeof a.id).toBe('string');
      expect(typeof a.title).toBe('string');
      expect(a.title.length).toBeGreaterThan(0);
      expect(nullableString(a.url)).toBe(true);
      expect(nullableString(a.source)).toBe(true);
      expect(a.publishedAt === null || isIso(a.publishedAt)).toBe(true);
      expect(Array.isArray(a.topics) && a.topics.every((t) => typeof t === 'string')).toBe(true);
      expect(nullableString(a.storyId)).toBe(true);
      expect(nullableString(a.duplicateOf)).toBe(true);
      expect([null, 'exact', 'near']).toContain(a.duplicateKind);
      expect(a.duplicateKind === null).toBe(a.duplicateOf === null);
      for (const w of a.warnings) {
        expect(['duplicate', 'self-repeat', 'qa-rewrite', 'not-an-article', 'boilerplate-removed']).toContain(w.kind);
        expect(typeof w.message).toBe('string');
        expect(w.message.length).toBeGreaterThan(0);
      }
      expect(Number.isInteger(a.words) && a.words > 0).toBe(true);
    }

    for (const s of digest.stories) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining([...STORY_FIELDS]));
      expect(typeof s.id).toBe('string');
      expect(typeof s.title).toBe('string');
      expect(s.topics.every((t) => typeof t === 'string')).toBe(true);
      expect(s.articles.length).toBeGreaterThan(0);
      expect(s.articles).toContain(s.bestSource);
      expect(s.sources.every((x) => typeof x === 'string')).toBe(true);
      expect(new Set(s.sources).size).toBe(s.sources.length);
      expect(isIso(s.firstPublishedAt) && isIso(s.lastPublishedAt)).toBe(true);
      expect((s.firstPublishedAt ?? '') <= (s.lastPublishedAt ?? '')).toBe(true);
      for (const sentence of s.summary) {
        expect(Object.keys(sentence)).toEqual(expect.arrayContaining([...SUMMARY_FIELDS]));
        expect(typeof sentence.text).toBe('string');
        expect(typeof sentence.articleId).toBe('string');
        expect(nullableString(sentence.url) && nullableString(sentence.source)).toBe(true);
      }
    }
    expect(new Set(digest.stories.map((s) => s.id)).size).toBe(digest.stories.length);

    for (const r of digest.rejected) {
      expect(typeof r.id).toBe('string');
      expect(typeof r.reason).toBe('string');
    }
  });

  it('lists accepted articles in input order, rejected ones apart', () => {
    const rejected = Object.keys(FIXTURE_REJECTED);
    expect(digest.articles.map((a) => a.id)).toEqual(
      FIXTURE_ARTICLES.map((a) => a.id).filter((id) => !rejected.includes(id)),
    );
    expect(digest.rejected.map((r) => r.id)).toEqual(rejected);
  });

  it.each(Object.entries(FIXTURE_REJECTED))('rejects %s with a reason', (id, reason) => {
    expect(digest.rejected.find((r) => r.id === id)?.reason).toMatch(reason);
  });

  it('normalises publish times and keeps urls and sources', () => {
    for (const a of digest.articles) {
      const input = inputById(a.id);
      expect(a.publishedAt).toBe(new Date(input.publishedAt ?? '').toISOString());
      expect(a.url).toBe(input.url ?? null);
      expect(a.source).toBe(input.source ?? null);
    }
  });
});

describe('buildDigest on the fixtures: duplicates', () => {
  it.each(Object.entries(FIXTURE_DUPLICATES))('%s copies %o', (id, { of, kind }) => {
    const copy = articleById(digest, id);
    expect(copy.duplicateOf).toBe(of);
    expect(copy.duplicateKind).toBe(kind);
    const original = articleById(digest, of);
    const warning = copy.warnings.find((w) => w.kind === 'duplicate');
    expect(warning?.message).toContain(original.source ?? '');
  });

  it('no other article is a duplicate', () => {
    const copies = digest.articles.filter((a) => a.duplicateOf !== null).map((a) => a.id);
    expect(copies.sort()).toEqual(Object.keys(FIXTURE_DUPLICATES).sort());
    for (const a of digest.articles) {
      if (a.duplicateOf === null) expect(a.warnings.map((w) => w.kind)).not.toContain('duplicate');
    }
  });
});

describe('buildDigest on the fixtures: stories', () => {
  it('groups the originals into the expected stories', () => {
    expect(partition(digest)).toEqual(
      FIXTURE_STORIES.map((s) => [...s].sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')),
    );
  });

  it('geneva-bay joins geneva-coastline; the Istanbul meeting is a different story', () => {
    const geneva = storyOf(digest, 'geneva-coastline');
    expect(storyOf(digest, 'geneva-bay').id).toBe(geneva.id);
    expect(storyOf(digest, 'geneva-quick').id).toBe(geneva.id);
    const istanbul = storyOf(digest, 'istanbul-ledger');
    expect(storyOf(digest, 'istanbul-metro').id).toBe(istanbul.id);
    expect(istanbul.id).not.toBe(geneva.id);
  });

  it('every accepted article is in exactly one story, or copies an article that is', () => {
    for (const a of digest.articles) {
      const listing = digest.stories.filter((s) => s.articles.includes(a.id));
      if (a.duplicateOf === null) {
        expect(listing).toHaveLength(1);
        expect(a.storyId).toBe(listing[0]?.id);
      } else {
        expect(listing).toHaveLength(0);
        expect(digest.stories.filter((s) => s.articles.includes(a.duplicateOf ?? ''))).toHaveLength(1);
      }
    }
    const listed = digest.stories.flatMap((s) => s.articles);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('a question-and-answer rewrite is never the best source, and no story title is a question', () => {
    for (const s of digest.stories) {
      expect(s.bestSource).not.toBe(GENEVA_QUICK.id);
      expect(s.title).not.toMatch(/\?\s*["'”’]?\s*$/);
    }
  });

  it('counts the outlets of a story and its copies', () => {
    expect([...storyOf(digest, 'geneva-coastline').sources].sort()).toEqual([
      'Bay Courier',
      'Coastline Wire',
      'Metro Daily',
      'Quick Answers',
    ]);
    expect([...storyOf(digest, 'istanbul-ledger').sources].sort()).toEqual(['Harbor Ledger', 'Metro Daily']);
  });

  it('spans the publish times of a story and its copies', () => {
    const geneva = storyOf(digest, 'geneva-coastline');
    expect(geneva.firstPublishedAt).toBe('2025-03-03T09:00:00.000Z');
    expect(geneva.lastPublishedAt).toBe('2025-03-05T10:00:00.000Z');
  });

  it('orders stories by distinct sources, most first', () => {
    const counts = digest.stories.map((s) => s.sources.length);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(digest.stories[0]?.articles).toContain('geneva-coastline');
    expect(digest.stories[1]?.articles).toContain('istanbul-ledger');
  });

  it('gives each story the topics of its articles', () => {
    for (const s of digest.stories) {
      const expected = new Set(s.articles.flatMap((id) => FIXTURE_TOPIC_EXPECTATIONS[id] ?? []));
      expect([...s.topics].sort()).toEqual([...expected].sort());
    }
  });
});

describe('buildDigest on the fixtures: topics', () => {
  it.each(Object.entries(FIXTURE_TOPIC_EXPECTATIONS))('%s -> %j', (id, expected) => {
    expect(articleById(digest, id).topics).toEqual(expected);
  });
});

describe('buildDigest on the fixtures: warnings', () => {
  it.each([
    ['geneva-coastline', []],
    ['geneva-metro', ['duplicate']],
    ['geneva-bay', ['self-repeat']],
    ['geneva-quick', ['qa-rewrite']],
    ['istanbul-ledger', []],
    ['istanbul-metro', []],
    ['swap-northern', ['boilerplate-removed']],
    ['muscat-desert', []],
  ])('%s -> %j', (id, kinds) => {
    expect(articleById(digest, id).warnings.map((w) => w.kind)).toEqual(kinds);
  });
});

describe('buildDigest on the fixtures: summaries', () => {
  it('every story has 1 to 5 summary sentences, none a question, none repeated', () => {
    for (const s of digest.stories) {
      expect(s.summary.length).toBeGreaterThanOrEqual(1);
      expect(s.summary.length).toBeLessThanOrEqual(5);
      const texts = s.summary.map((x) => x.text);
      expect(new Set(texts.map((t) => t.toLowerCase())).size).toBe(texts.length);
      for (const t of texts) {
        expect(t).not.toMatch(/\?\s*["'”’)]?\s*$/);
        expect(GENEVA_QUICK_QUESTIONS).not.toContain(t);
      }
    }
  });

  it('every summary sentence is verbatim from the article it cites, without a lead dateline', () => {
    for (const s of digest.stories) {
      for (const sentence of s.summary) {
        expect(s.articles).toContain(sentence.articleId);
        const input = inputById(sentence.articleId);
        expect(input.text ?? '').toContain(sentence.text);
        expect(sentence.text).not.toMatch(/^[\p{Lu} .,'-]*\([\p{L}&. -]+\)/u);
        expect(sentence.text).toMatch(/^["'“‘(\p{Lu}\p{N}]/u);
      }
    }
  });

  it('every summary sentence carries the url and source of its article', () => {
    for (const s of digest.stories) {
      for (const sentence of s.summary) {
        const article = articleById(digest, sentence.articleId);
        expect(sentence.url).toBe(article.url);
        expect(sentence.source).toBe(article.source);
      }
    }
  });

  it('the Geneva summary never quotes the question-and-answer rewrite while other outlets tell the story', () => {
    const geneva = storyOf(digest, 'geneva-coastline');
    expect(geneva.summary.map((x) => x.articleId)).not.toContain(GENEVA_QUICK.id);
  });
});

describe('createDigestBuilder incrementally', () => {
  const byTime = [...FIXTURE_ARTICLES].sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''));

  function inBatches(inputs: readonly ArticleInput[], sizes: readonly number[]): Digest {
    const builder = createDigestBuilder({ topics });
    let at = 0;
    for (const size of sizes) {
      builder.add(inputs.slice(at, at + size));
      at += size;
    }
    expect(at).toBe(inputs.length);
    return builder.result(NOW);
  }

  it.each([[[3, 3, 4]], [[1, 5, 4]], [[6, 2, 2]]])(
    'batches %j arriving in publish order give the same stories with the same ids',
    (sizes) => {
      const batched = inBatches(byTime, sizes);
      expect(partition(batched)).toEqual(partition(digest));
      expect(storyIds(batched)).toEqual(storyIds(digest));
      expect(batched.stories.map((s) => s.id)).toEqual(digest.stories.map((s) => s.id));
      for (const a of digest.articles) {
        const b = articleById(batched, a.id);
        expect([b.duplicateOf, b.duplicateKind]).toEqual([a.duplicateOf, a.duplicateKind]);
      }
      expect(batched.rejected.map((r) => r.id).sort()).toEqual(digest.rejected.map((r) => r.id).sort());
    },
  );

  it('batches in input order give the same partition and copies', () => {
    const batched = inBatches(FIXTURE_ARTICLES, [3, 3, 4]);
    expect(partition(batched)).toEqual(partition(digest));
    expect(articleById(batched, 'geneva-metro').duplicateOf).toBe('geneva-coastline');
  });

  it('an article id given twice is rejected the second time', () => {
    const d = createDigestBuilder({ topics }).add([GENEVA_COASTLINE]).add([GENEVA_COASTLINE]).result(NOW);
    expect(d.articles.map((a) => a.id)).toEqual([GENEVA_COASTLINE.id]);
    expect(d.rejected).toHaveLength(1);
    expect(d.rejected[0]?.reason).toContain(GENEVA_COASTLINE.id);
  });
});

describe('buildDigest copies', () => {
  it('an exact copy under another id and source is an exact duplicate of the original', () => {
    const copy: ArticleInput = {
      ...GENEVA_COASTLINE,
      id: 'geneva-copycat',
      title: 'Envoys talk for five hours in Geneva',
      source: 'Copycat News',
      url: 'https://coastline.example/copycat/geneva',
      publishedAt: '2025-03-03T11:00:00Z',
    };
    const d = buildDigest([copy, GENEVA_COASTLINE], { topics, now: NOW });
    const a = articleById(d, 'geneva-copycat');
    expect(a.duplicateOf).toBe('geneva-coastline');
    expect(a.duplicateKind).toBe('exact');
    expect(a.warnings.find((w) => w.kind === 'duplicate')?.message).toContain('Coastline Wire');
    expect(d.stories).toHaveLength(1);
    expect(d.stories[0]?.articles).toEqual(['geneva-coastline']);
    expect([...(d.stories[0]?.sources ?? [])].sort()).toEqual(['Coastline Wire', 'Copycat News']);
  });

  it.each([
    [['first', 'second'], 'first'],
    [['second', 'first'], 'second'],
  ])('without dates, input order %j decides the original: %s', (order, original) => {
    const body = GENEVA_BAY_PARAGRAPHS.join('\n');
    const inputs = order.map((id) => ({ id, text: body, source: `Outlet ${id}` }));
    const d = buildDigest(inputs, { topics, now: NOW });
    const copy = order.find((id) => id !== original) ?? '';
    expect(articleById(d, copy).duplicateOf).toBe(original);
    expect(articleById(d, original).duplicateOf).toBeNull();
    expect(d.stories.map((s) => s.articles)).toEqual([[original]]);
  });

  it('with dates, the earlier publication is the original whatever the input order', () => {
    const body = GENEVA_BAY_PARAGRAPHS.join('\n');
    const d = buildDigest(
      [
        { id: 'later', text: body, source: 'Later News', publishedAt: '2025-03-05T00:00:00Z' },
        { id: 'earlier', text: body, source: 'Earlier News', publishedAt: '2025-03-04T00:00:00Z' },
      ],
      { topics, now: NOW },
    );
    expect(articleById(d, 'later').duplicateOf).toBe('earlier');
  });
});
