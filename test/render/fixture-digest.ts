// A small hand-made digest shared by the renderer tests: two stories given in an order that is not by date,
// copies (one a copy of a copy) listed under their original's story, missing urls, sources and dates.

import type { Digest, DigestArticle } from '../../src/domain/types.js';

function article(fields: Partial<DigestArticle> & Pick<DigestArticle, 'id' | 'title'>): DigestArticle {
  return {
    url: null,
    source: null,
    publishedAt: null,
    topics: [],
    storyId: null,
    duplicateOf: null,
    duplicateKind: null,
    warnings: [],
    words: 300,
    ...fields,
  };
}

export const digest: Digest = {
  generatedAt: '2024-03-02T09:30:00.000Z',
  articles: [
    article({
      id: 'cw1',
      title: 'Harbour bridge to close for six weeks',
      url: 'https://coastline.example/bridge',
      source: 'Coastline Wire',
      publishedAt: '2024-03-01T08:00:00.000Z',
      storyId: 's-bridge',
    }),
    article({
      id: 'hp1',
      title: 'Drivers face detours as bridge shuts',
      url: 'https://harbourpost.example/detours',
      source: 'Harbour Post',
      publishedAt: '2024-03-01T10:15:00.000Z',
      storyId: 's-bridge',
    }),
    article({
      id: 'qa1',
      title: 'Bridge closing time explained',
      storyId: 's-bridge',
      warnings: [{ kind: 'qa-rewrite', message: 'most paragraphs answer a question in the heading' }],
    }),
    article({
      id: 'md1',
      title: 'Harbour bridge to close for six weeks',
      url: 'https://metro.example/news/1',
      source: 'Metro Daily',
      publishedAt: '2024-03-01T09:00:00.000Z',
      duplicateOf: 'cw1',
      duplicateKind: 'exact',
      warnings: [{ kind: 'duplicate', message: 'same text as cw1' }],
    }),
    article({
      id: 'bc1',
      title: 'Bridge closure for six weeks',
      source: 'Bay Courier',
      duplicateOf: 'cw1',
      duplicateKind: 'near',
      warnings: [
        { kind: 'duplicate', message: 'near copy of cw1' },
        { kind: 'self-repeat', message: 'paragraphs 4-6 repeat 1-3' },
      ],
    }),
    article({
      id: 'tw1',
      title: 'Harbour bridge to close for six weeks',
      source: 'Town Wire',
      publishedAt: '2024-03-01T11:00:00.000Z',
      duplicateOf: 'md1',
      duplicateKind: 'exact',
    }),
    article({
      id: 'fc1',
      title: 'Rain *delays* harvest [update]',
      url: 'https://farm.example/rain_(update)',
      source: 'Farm Chronicle',
      publishedAt: '2024-03-01T12:00:00.000Z',
      storyId: 's-rain',
      warnings: [{ kind: 'boilerplate-removed', message: 'newsletter prompt' }],
    }),
  ],
  stories: [
    {
      id: 's-rain',
      title: 'Rain *delays* harvest [update]',
      topics: ['weather', 'farming'],
      articles: ['fc1'],
      bestSource: 'fc1',
      summary: [
        {
          text: 'Heavy rain kept combines out of the fields for a third week.',
          articleId: 'fc1',
          url: null,
          source: null,
        },
      ],
      sources: ['Farm Chronicle'],
      firstPublishedAt: '2024-03-01T12:00:00.000Z',
      lastPublishedAt: '2024-03-01T12:00:00.000Z',
    },
    {
      id: 's-bridge',
      title: 'Harbour bridge closes for repairs',
      topics: ['transport'],
      articles: ['cw1', 'hp1', 'qa1'],
      bestSource: 'cw1',
      summary: [
        { text: 'The harbour bridge will close for six weeks from Monday.', articleId: 'cw1', url: null, source: null },
        { text: 'Drivers are told to use the ring road.', articleId: 'hp1', url: null, source: null },
      ],
      sources: ['Coastline Wire', 'Harbour Post', 'Metro Daily', 'Bay Courier', 'Town Wire'],
      firstPublishedAt: '2024-03-01T08:00:00.000Z',
      lastPublishedAt: '2024-03-01T11:00:00.000Z',
    },
  ],
  rejected: [
    { id: 'x9', reason: 'no text' },
    { id: 'x10', reason: 'not an article: a cookie notice' },
  ],
};
