// Extractive story summaries: sentences scored by how much of the story's shared vocabulary they carry (words
// many articles use are facts several sources confirm), nudged toward leads and toward sentences other outlets
// also wrote, then picked greedily with a redundancy penalty (maximal marginal relevance).
import { type PreparedArticle, withoutDateline } from './article.js';
import { legalScore } from './boilerplate.js';
import { comparisonKey } from './text.js';
import type { SummarySentence } from './types.js';

export interface SummaryOptions {
  maxSentences: number;
  minSentences: number;
  /** Sentences longer than this are used only when nothing shorter is left. */
  preferredMaxWords: number;
}

export const DEFAULT_SUMMARY: SummaryOptions = { maxSentences: 5, minSentences: 2, preferredMaxWords: 45 };

interface Candidate {
  article: PreparedArticle;
  text: string;
  key: string;
  terms: Set<string>;
  score: number;
  words: number;
  /** Position among its article's offered sentences (0: its first quotable sentence). */
  offered: number;
}

/** Sentences per article whose words count toward what the story is about. */
const SPREAD_SENTENCES = 30;
/** Quotable sentences considered per article, from the top. */
const SENTENCES_PER_ARTICLE = 15;
/** The best source's lead opens the summary up to this long. */
const MAX_OPENING_WORDS = 60;
/** Overlap above which a sentence says what a chosen one already said. */
const REDUNDANT = 0.5;
/** Overlap above which two sentences from different outlets report the same fact. */
const CONFIRMS = 0.3;

const NONE: ReadonlySet<string> = new Set();

/** The best sentence of the fresh articles that no other article wrote and no chosen sentence already says. */
function freshestNews(
  candidates: readonly Candidate[],
  chosen: readonly Candidate[],
  fresh: ReadonlySet<string>,
): Candidate | null {
  const elsewhere = new Set(candidates.filter((c) => !fresh.has(c.article.id)).map((c) => c.key));
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!fresh.has(c.article.id) || elsewhere.has(c.key)) continue;
    if (chosen.some((s) => s.key === c.key || overlap(c.terms, s.terms) >= REDUNDANT)) continue;
    if (best === null || c.score > best.score) best = c;
  }
  return best;
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (large.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Picks 2..5 sentences for a story from `articles` (its originals, best source first). Sentences come verbatim
 * from their article (a lead dateline like "(Reuters) -" aside) and are never questions, junk or repeats.
 */
export function summarizeStory(
  articles: readonly PreparedArticle[],
  options: SummaryOptions = DEFAULT_SUMMARY,
  /** The story's title: a sentence that only repeats it is the last choice. */
  title = '',
  /**
   * Articles a thread has not seen yet (an update): the summary says something of theirs when they say something
   * the other sentences do not, so an update shows what is new rather than only that there is a new source.
   */
  fresh: ReadonlySet<string> = NONE,
): SummarySentence[] {
  const titleKey = comparisonKey(title);
  if (articles.length === 0) return [];
  const outlets = new Set(articles.map((a) => a.source ?? a.id));

  // how many articles use each term: shared vocabulary is what the story is about
  const articleTerms = articles.map((a) => {
    const terms = new Set<string>();
    for (const s of a.sentences.slice(0, SPREAD_SENTENCES)) for (const t of s.terms) terms.add(t);
    return terms;
  });
  const spread = new Map<string, number>();
  for (const terms of articleTerms) for (const t of terms) spread.set(t, (spread.get(t) ?? 0) + 1);

  // a story told in two languages is summarised in its best source's: the other's sentences are its sources' to read
  const language = articles[0]?.language ?? null;

  const candidates: Candidate[] = [];
  articles.forEach((article) => {
    if (article.language !== language) return;
    let offered = 0;
    for (const sentence of article.sentences) {
      // a disclaimer sentence that survived cleaning is still no summary
      if (!sentence.quotable || legalScore(sentence.text) >= 2) continue;
      // news puts what matters first: the rest of a long article rarely makes a summary
      if (offered++ >= SENTENCES_PER_ARTICLE) break;
      const text = withoutDateline(sentence.text);
      const terms = new Set(sentence.terms);
      if (terms.size < 3) continue;
      let weight = 0;
      for (const t of terms) weight += (spread.get(t) ?? 1) / articles.length + 0.25;
      const key = comparisonKey(text);
      const lead = (1 + 0.5 / (1 + sentence.index)) * (key === titleKey ? 0.2 : 1);
      candidates.push({
        article,
        text,
        key,
        terms,
        score: (weight / terms.size ** 0.6) * lead,
        words: sentence.words,
        offered: offered - 1,
      });
    }
  });

  // a fact another outlet also wrote is worth more
  if (outlets.size > 1) {
    const byTerm = new Map<string, number[]>();
    candidates.forEach((c, i) => {
      for (const t of c.terms) {
        const list = byTerm.get(t);
        if (list) list.push(i);
        else byTerm.set(t, [i]);
      }
    });
    candidates.forEach((c, i) => {
      const shared = new Map<number, number>();
      for (const t of c.terms)
        for (const j of byTerm.get(t) ?? []) if (j !== i) shared.set(j, (shared.get(j) ?? 0) + 1);
      const outlet = c.article.source ?? c.article.id;
      const confirming = new Set<string>();
      for (const [j, n] of shared) {
        const o = candidates[j];
        if (!o) continue;
        const other = o.article.source ?? o.article.id;
        if (other !== outlet && n / (c.terms.size + o.terms.size - n) >= CONFIRMS) confirming.add(other);
      }
      c.score *= 1 + 0.25 * Math.min(3, confirming.size);
    });
  }

  const target = Math.max(options.minSentences, Math.min(options.maxSentences, 1 + outlets.size));
  const chosen: Candidate[] = [];
  const keys = new Set<string>();
  const pick = (allowLong: boolean): Candidate | null => {
    let best: Candidate | null = null;
    let bestValue = 0;
    for (const c of candidates) {
      if (keys.has(c.key) || (!allowLong && c.words > options.preferredMaxWords)) continue;
      let redundancy = 0;
      for (const s of chosen) redundancy = Math.max(redundancy, overlap(c.terms, s.terms));
      if (redundancy >= REDUNDANT) continue;
      const value = c.score * (1 - redundancy);
      if (value > bestValue) {
        best = c;
        bestValue = value;
      }
    }
    return best;
  };
  // the summary opens with the news as the best source tells it: its lead, not another outlet's aside that happens
  // to share more words (a wire's lead runs long: up to MAX_OPENING_WORDS)
  const best = articles[0];
  const opening = candidates.find((c) => c.article === best && c.offered === 0);
  if (opening !== undefined && opening.key !== titleKey && opening.words <= MAX_OPENING_WORDS) {
    chosen.push(opening);
    keys.add(opening.key);
  }
  while (chosen.length < target) {
    const next = pick(false) ?? pick(true);
    if (!next) break;
    chosen.push(next);
    keys.add(next.key);
  }
  if (fresh.size > 0 && !chosen.some((c) => fresh.has(c.article.id))) {
    const news = freshestNews(candidates, chosen, fresh);
    if (news !== null) {
      // in place of the last (least valued) choice when the summary is full
      if (chosen.length >= options.maxSentences) chosen.pop();
      chosen.push(news);
    }
  }
  return chosen.map((c) => ({ text: c.text, articleId: c.article.id, url: c.article.url, source: c.article.source }));
}
