// Topic classification: which configured topics an article is about, with the sentence that shows it.
// Pure. Scores sentences, not bags of words, so that a word said in passing does not make a topic.

import { splitSentences, stem, tokenize } from './text.js';

export interface TopicDefinition {
  name: string;
  description: string;
  /** Entity -> aliases. A sentence is about the topic's subject only if it names one (the entity's own name counts). */
  entities: Record<string, string[]>;
  /** Weighted words, matched stemmed ('negotiation' matches 'negotiations'). */
  terms: Record<string, number>;
  /** Weighted word sequences ('nuclear programme', 'prisoner exchange'), matched on stemmed tokens. */
  phrases: Record<string, number>;
  /** Phrases whose presence in a sentence voids that sentence for this topic. */
  exclude: string[];
  threshold: number;
}

export interface TopicMatch {
  name: string;
  score: number;
  /** The sentence (or title) that scored best for the topic. */
  evidence: string;
}

export interface ClassifiableDocument {
  title: string;
  paragraphs: readonly string[];
  /** The paragraphs already split into sentences and tokenized (tokenize); saves doing it again. */
  sentences?: readonly {
    readonly text: string;
    readonly tokens: readonly string[];
    readonly stems?: readonly string[];
  }[];
}

type PatternKind = 'entity' | 'term' | 'exclude';

interface Pattern {
  readonly tokens: readonly string[];
  readonly topic: number;
  readonly kind: PatternKind;
  readonly weight: number;
  /** Distinct id within the topic, so a term said twice in a sentence counts once. */
  readonly id: number;
}

interface CompiledTopic {
  readonly name: string;
  readonly threshold: number;
  readonly hasEntities: boolean;
}

/** Topics with every alias, term, phrase and exclusion tokenized and stemmed once, indexed by first token. */
export interface CompiledTopics {
  readonly topics: readonly CompiledTopic[];
  readonly byFirstToken: ReadonlyMap<string, readonly Pattern[]>;
}

/** What naming the subject adds to a sentence that also has a term: enough to rank, never enough on its own. */
export const ENTITY_WEIGHT = 1;
/** The title is the article's own summary: its score counts half again. */
export const TITLE_WEIGHT = 1.5;
/**
 * Article score = best sentence + 0.5 x second best + 0.25 x the rest summed, capped at CAP_FACTOR x best sentence.
 * The cap means repetition can at most double the best evidence: however long the article, sentences that each hold
 * one generic word never add up to a topic unless some single sentence gets within half of the threshold.
 */
export const CAP_FACTOR = 2;

/** Stem plus a trailing silent 'e' dropped, so 'exchange', 'exchanged' and 'exchanging' meet. */
export function foldWord(word: string): string {
  return stem(word);
}

/** Lower-case, punctuation-folded, stemmed tokens of a text, stopwords kept (phrases like 'end to the war' need them). */
export function foldedTokens(text: string): string[] {
  return tokenize(text).map(foldWord);
}

export function compileTopics(defs: readonly TopicDefinition[]): CompiledTopics {
  const byFirstToken = new Map<string, Pattern[]>();
  const topics: CompiledTopic[] = [];
  defs.forEach((def, topic) => {
    let id = 0;
    const add = (text: string, kind: PatternKind, weight: number): void => {
      const tokens = foldedTokens(text);
      const first = tokens[0];
      if (first === undefined) return;
      const pattern: Pattern = { tokens, topic, kind, weight, id: id++ };
      const list = byFirstToken.get(first);
      if (list) list.push(pattern);
      else byFirstToken.set(first, [pattern]);
    };
    const entityNames = Object.keys(def.entities);
    for (const entity of entityNames) {
      for (const alias of [entity, ...(def.entities[entity] ?? [])]) add(alias, 'entity', ENTITY_WEIGHT);
    }
    // Terms and phrases are the same thing to the matcher: a term is a one-word phrase.
    for (const [term, weight] of Object.entries(def.terms)) add(term, 'term', weight);
    for (const [phrase, weight] of Object.entries(def.phrases)) add(phrase, 'term', weight);
    for (const phrase of def.exclude) add(phrase, 'exclude', 0);
    topics.push({ name: def.name, threshold: def.threshold, hasEntities: entityNames.length > 0 });
  });
  return { topics, byFirstToken };
}

interface SentenceHits {
  entity: boolean;
  excluded: boolean;
  termWeight: number;
  termIds: Set<number>;
}

/** Score of one sentence for every topic (0 where the sentence does not count). */
function scoreSentence(tokens: readonly string[], compiled: CompiledTopics): number[] {
  const n = compiled.topics.length;
  const hits: (SentenceHits | undefined)[] = new Array(n);
  for (let i = 0; i < tokens.length; i++) {
    const candidates = compiled.byFirstToken.get(tokens[i] ?? '');
    if (!candidates) continue;
    for (const p of candidates) {
      if (!matchesAt(tokens, i, p.tokens)) continue;
      let h = hits[p.topic];
      if (!h) {
        h = { entity: false, excluded: false, termWeight: 0, termIds: new Set() };
        hits[p.topic] = h;
      }
      if (p.kind === 'entity') h.entity = true;
      else if (p.kind === 'exclude') h.excluded = true;
      else if (!h.termIds.has(p.id)) {
        h.termIds.add(p.id);
        h.termWeight += p.weight;
      }
    }
  }
  const scores = new Array<number>(n).fill(0);
  for (let t = 0; t < n; t++) {
    const h = hits[t];
    const topic = compiled.topics[t];
    if (!h || !topic || h.excluded || h.termIds.size === 0) continue;
    if (topic.hasEntities && !h.entity) continue;
    scores[t] = h.termWeight + (h.entity ? ENTITY_WEIGHT : 0);
  }
  return scores;
}

function matchesAt(tokens: readonly string[], start: number, pattern: readonly string[]): boolean {
  if (start + pattern.length > tokens.length) return false;
  for (let k = 1; k < pattern.length; k++) {
    if (tokens[start + k] !== pattern[k]) return false;
  }
  return true;
}

/** Combines sentence scores (any order) into the article score; see CAP_FACTOR. */
export function combineScores(sentenceScores: readonly number[]): number {
  const sorted = sentenceScores.filter((s) => s > 0).sort((a, b) => b - a);
  const best = sorted[0] ?? 0;
  const second = sorted[1] ?? 0;
  let rest = 0;
  for (let i = 2; i < sorted.length; i++) rest += sorted[i] ?? 0;
  return Math.min(best + 0.5 * second + 0.25 * rest, CAP_FACTOR * best);
}

/**
 * Every topic whose article score reaches its threshold, in config order, each with its best sentence.
 * The title counts as a sentence weighted TITLE_WEIGHT; a sentence repeated word for word counts once.
 */
export function classifyTopics(doc: ClassifiableDocument, compiled: CompiledTopics): TopicMatch[] {
  const n = compiled.topics.length;
  if (n === 0) return [];
  const perTopic: number[][] = Array.from({ length: n }, () => []);
  const best: { score: number; sentence: string }[] = Array.from({ length: n }, () => ({ score: 0, sentence: '' }));
  const seen = new Set<string>();
  const consider = (sentence: string, factor: number, folded?: readonly string[]): void => {
    const scores = scoreSentence(folded ?? foldedTokens(sentence), compiled);
    for (let t = 0; t < n; t++) {
      const s = (scores[t] ?? 0) * factor;
      if (s <= 0) continue;
      perTopic[t]?.push(s);
      const b = best[t];
      if (b && s > b.score) {
        b.score = s;
        b.sentence = sentence;
      }
    }
  };
  const title = doc.title.trim();
  if (title) {
    seen.add(title);
    consider(title, TITLE_WEIGHT);
  }
  const sentences = doc.sentences ?? doc.paragraphs.flatMap((p) => splitSentences(p).map((text) => ({ text })));
  for (const sentence of sentences) {
    if (seen.has(sentence.text)) continue;
    seen.add(sentence.text);
    consider(sentence.text, 1, 'tokens' in sentence ? (sentence.stems ?? sentence.tokens.map(foldWord)) : undefined);
  }
  const out: TopicMatch[] = [];
  compiled.topics.forEach((topic, t) => {
    const score = combineScores(perTopic[t] ?? []);
    if (score > 0 && score >= topic.threshold) {
      out.push({ name: topic.name, score: Math.round(score * 100) / 100, evidence: best[t]?.sentence ?? '' });
    }
  });
  return out;
}
