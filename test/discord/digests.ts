// Channel digests for the Discord tests: the renderer fixture, and generated stories big enough to overflow every
// Discord limit.
import type { Digest, DigestArticle, DigestStory } from '../../src/domain/types.js';
import type { ChannelDigest, StoryDelivery } from '../../src/ports.js';
import { digest as fixture } from '../render/fixture-digest.js';

export { fixture };

export function channelDigest(digest: Digest, stories?: StoryDelivery[], channel = 'news'): ChannelDigest {
  return {
    channel,
    from: '2024-03-01T00:00:00.000Z',
    to: '2024-03-02T09:30:00.000Z',
    digest,
    stories: stories ?? digest.stories.map((story) => ({ kind: 'new', story })),
  };
}

function article(id: string, fields: Partial<DigestArticle> = {}): DigestArticle {
  return {
    id,
    title: `Headline ${id}`,
    url: `https://news.example/${id}`,
    source: `Outlet ${id}`,
    publishedAt: '2024-03-01T08:00:00.000Z',
    topics: ['Ukraine talks'],
    storyId: null,
    duplicateOf: null,
    duplicateKind: null,
    warnings: [],
    words: 400,
    ...fields,
  };
}

/** `count` stories, each with `sources` articles (long titles), `sentences` long summary sentences, warnings. */
export function bigDigest(count: number, sources: number, sentences: number, wordsPerSentence = 60): Digest {
  const articles: DigestArticle[] = [];
  const stories: DigestStory[] = [];
  for (let s = 0; s < count; s++) {
    const ids: string[] = [];
    for (let i = 0; i < sources; i++) {
      const id = `s${s}a${i}`;
      ids.push(id);
      articles.push(
        article(id, {
          title: `${'Very long headline about the talks '.repeat(6)}${id}`,
          source: `Outlet number ${i} with a long name`,
          publishedAt: new Date(Date.UTC(2024, 2, 1, 8, i)).toISOString(),
          storyId: `story-${s}`,
          warnings: i % 3 === 0 ? [{ kind: 'self-repeat', message: 'repeats' }] : [],
        }),
      );
    }
    stories.push({
      id: `story-${s}`,
      title: `${'An extremely long story title '.repeat(12)}${s}`,
      topics: ['Ukraine talks', 'Prisoner swaps'],
      articles: ids,
      bestSource: ids[0] ?? '',
      summary: Array.from({ length: sentences }, (_, k) => {
        const id = ids[k % ids.length] ?? '';
        return {
          text: `Sentence ${k} ${'word '.repeat(wordsPerSentence)}end.`,
          articleId: id,
          url: null,
          source: null,
        };
      }),
      sources: ids.map((_, i) => `Outlet number ${i} with a long name`),
      firstPublishedAt: '2024-03-01T08:00:00.000Z',
      lastPublishedAt: '2024-03-01T09:00:00.000Z',
    });
  }
  return { generatedAt: '2024-03-02T09:30:00.000Z', articles, stories, rejected: [] };
}
