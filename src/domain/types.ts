// The digest builder's vocabulary and the JSON contract every renderer and adapter reads.
// Field names of Digest, DigestArticle, DigestStory and Rejection are public: add fields, never rename them.

/** An article as it reaches the builder: from a .jsonl line, a file, or (later) a feed item. */
export interface ArticleInput {
  readonly id: string;
  readonly title?: string | undefined;
  /** Plain text, one paragraph a line. */
  readonly text?: string | undefined;
  /** Raw HTML, used when `text` is absent. */
  readonly html?: string | undefined;
  readonly url?: string | undefined;
  readonly source?: string | undefined;
  /** ISO 8601. */
  readonly publishedAt?: string | undefined;
}

/** Every kind of article warning: the digest contract's, and what stored results may hold. */
export const WARNING_KINDS = [
  'duplicate',
  'self-repeat',
  'qa-rewrite',
  'not-an-article',
  'boilerplate-removed',
  'date-replaced',
  'revised',
  'opinion',
] as const;

export type WarningKind = (typeof WARNING_KINDS)[number];

export interface ArticleWarning {
  readonly kind: WarningKind;
  readonly message: string;
}

export type DuplicateKind = 'exact' | 'near';

export interface DigestArticle {
  id: string;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  topics: string[];
  storyId: string | null;
  duplicateOf: string | null;
  duplicateKind: DuplicateKind | null;
  warnings: ArticleWarning[];
  /** Words of article text left after cleaning and collapsing repeats. */
  words: number;
}

export interface SummarySentence {
  text: string;
  articleId: string;
  url: string | null;
  source: string | null;
}

export interface DigestStory {
  id: string;
  title: string;
  topics: string[];
  articles: string[];
  bestSource: string;
  summary: SummarySentence[];
  /** Distinct outlets among the story's articles and their copies. */
  sources: string[];
  firstPublishedAt: string | null;
  lastPublishedAt: string | null;
}

export interface Rejection {
  id: string;
  reason: string;
}

export interface Digest {
  generatedAt: string;
  articles: DigestArticle[];
  stories: DigestStory[];
  rejected: Rejection[];
}
