// Topic classification: which configured topics an article is about, with the sentence that shows it.
// Pure. Scores sentences, not bags of words, so that a word said in passing does not make a topic.

import {
  entriesNow,
  type SentenceTokens,
  splitSentences,
  stem,
  stemOf,
  type WordEntries,
  wordMemoGeneration,
  wordRun,
} from './text.js';
import {
  type CompiledExamples,
  type Coverage,
  compileExamples,
  coverageOfSlots,
  type ExampleOptions,
  type ExampleSlot,
  modelCoverage,
  SUPPORT_FLOOR,
} from './topic-examples.js';

export type { ExampleOptions } from './topic-examples.js';

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
  /**
   * Example sentences or headlines that report the topic's event. A topic with examples is decided by them (see
   * topic-examples.ts): terms and phrases become hints, `threshold` gives way to `similarity`.
   */
  examples?: readonly string[];
  /**
   * Sentences that share the examples' words but report something else (police freeing hostages is no swap): a
   * sentence that says more of one of them than of any example does not count for the topic.
   */
  counterExamples?: readonly string[];
  /** Share of an example's event a topic with examples must reach (article score, see combineScores). */
  similarity?: number;
}

/** Default `similarity` for topics with examples. */
export const DEFAULT_SIMILARITY = 0.5;
/** What a topic's hint terms can add to a sentence's example score, and per unit of their weight. */
const HINT_CAP = 0.2;
const HINT_PER_WEIGHT = 0.05;
/** A sentence that does not name the topic's subject itself, in an article whose title or lead does. */
const CONTEXT_FACTOR = 0.8;
/** A topic's cheap article score in [UNSURE_LOW, UNSURE_HIGH) x its similarity is unsure: the model is asked. */
const UNSURE_LOW = 0.5;
const UNSURE_HIGH = 1.5;
/** How many of an unsure topic's best-matching sentences the model reads. */
const MODEL_SENTENCES = 3;
/** Sentences (title first) that set an article's subject for the rest of it. */
const LEAD_SENTENCES = 3;

export interface TopicMatch {
  name: string;
  score: number;
  /** The sentence (or title) that scored best for the topic. */
  evidence: string;
}

export interface ClassifiableDocument {
  title: string;
  paragraphs: readonly string[];
  /**
   * The paragraphs already split into sentences and tokenized (tokenize, or the word-memo entries of a prepared
   * sentence); saves doing it again.
   */
  sentences?: readonly ({ readonly text: string } & SentenceTokens & { readonly stems?: readonly string[] })[];
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
  /** Decided by its examples (with `similarity`) rather than by its terms (with `threshold`). */
  readonly byExamples: boolean;
  readonly similarity: number;
}

/** Topics with every alias, term, phrase and exclusion tokenized and stemmed once, indexed by first token. */
export interface CompiledTopics {
  readonly topics: readonly CompiledTopic[];
  readonly byFirstToken: ReadonlyMap<string, readonly Pattern[]>;
  readonly examples: CompiledExamples;
  /** byFirstToken and examples.byKey in one map: a sentence's word is looked up once for both. */
  readonly byStem: ReadonlyMap<string, StemUses>;
  /** byStem's answers by word-memo entry (see usesOfEntry). */
  readonly byEntry: UsesByEntry;
}

/**
 * byStem's answer for each word-memo entry met, as of one generation of the memo (an entry names another word once it
 * starts over): a word of a prepared sentence is looked up by its stem once, not at every use. `answers[entry]` is 0
 * when not looked up yet, -1 for no uses, else 1 + the uses' place in `list`. Bounded by the memo's size.
 */
interface UsesByEntry {
  generation: number;
  answers: Int32Array;
  /** byStem's values, each once, in the order first met. */
  readonly list: StemUses[];
  /** Where each of `list` stands in it. */
  readonly places: Map<StemUses, number>;
}

/** What a stemmed word starts (patterns) and which example words it is (slots). */
interface StemUses {
  readonly patterns: readonly Pattern[] | undefined;
  readonly slots: readonly ExampleSlot[] | undefined;
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
  // stem() of each token, as the word memo holds it
  return wordRun(text).stems;
}

/** A name as the topics file writes it: with a capital letter somewhere ("Iran", "iPhone", "JCPOA"), not "captive". */
function isName(alias: string): boolean {
  return alias !== alias.toLowerCase();
}

/** `options` may hand in a language model and background word statistics; both only sharpen topics with examples. */
export function compileTopics(defs: readonly TopicDefinition[], options: ExampleOptions = {}): CompiledTopics {
  const byFirstToken = new Map<string, Pattern[]>();
  const topics: CompiledTopic[] = [];
  // Names (written with a capital: Iran, iPhone, JCPOA) are who takes part, never the event; an alias written in lower
  // case is a kind of participant (captive, detainee) that the topic's examples may well report, so it stays an
  // event word there while still being what a sentence must name.
  const participants = defs.map((def) => {
    const stems = new Set<string>();
    for (const [entity, aliases] of Object.entries(def.entities)) {
      for (const name of [entity, ...aliases]) {
        if (!isName(name)) continue;
        for (const t of foldedTokens(name)) stems.add(t);
      }
    }
    return stems;
  });
  const hints = defs.map((def) => {
    const stems = new Map<string, number>();
    for (const [term, weight] of Object.entries(def.terms)) {
      const [only, ...more] = foldedTokens(term);
      if (only !== undefined && more.length === 0) stems.set(only, weight);
    }
    return stems;
  });
  const examples = compileExamples(
    defs.map((d) => d.examples ?? []),
    participants,
    options,
    hints,
    defs.map((d) => ((d.examples?.length ?? 0) > 0 ? (d.counterExamples ?? []) : [])),
  );
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
    topics.push({
      name: def.name,
      threshold: def.threshold,
      hasEntities: entityNames.length > 0,
      byExamples: (def.examples?.length ?? 0) > 0,
      similarity: def.similarity ?? DEFAULT_SIMILARITY,
    });
  });
  const byStem = new Map<string, StemUses>();
  for (const key of [...byFirstToken.keys(), ...examples.byKey.keys()]) {
    if (!byStem.has(key)) byStem.set(key, { patterns: byFirstToken.get(key), slots: examples.byKey.get(key) });
  }
  const byEntry = { generation: wordMemoGeneration(), answers: new Int32Array(0), list: [], places: new Map() };
  return { topics, byFirstToken, examples, byStem, byEntry };
}

/** What the stem of a word-memo entry starts and is (byStem), remembered by entry. */
function usesOfEntry(compiled: CompiledTopics, entry: number): StemUses | undefined {
  const cache = compiled.byEntry;
  if (entry >= cache.answers.length) {
    const grown = new Int32Array(Math.max(1024, entry * 2));
    grown.set(cache.answers);
    cache.answers = grown;
  }
  const answer = cache.answers[entry] ?? 0;
  if (answer > 0) return cache.list[answer - 1];
  if (answer < 0) return undefined;
  const uses = compiled.byStem.get(stemOf(entry));
  if (uses === undefined) {
    cache.answers[entry] = -1;
    return undefined;
  }
  let place = cache.places.get(uses);
  if (place === undefined) {
    place = cache.list.length;
    cache.list.push(uses);
    cache.places.set(uses, place);
  }
  cache.answers[entry] = place + 1;
  return uses;
}

/** The entries of a prepared sentence's words as they hold now; the entry cache starts over with the memo. */
function entriesFor(compiled: CompiledTopics, text: string, words: WordEntries): readonly number[] {
  const entries = entriesNow(text, words);
  const cache = compiled.byEntry;
  const generation = wordMemoGeneration();
  if (cache.generation !== generation) {
    cache.generation = generation;
    cache.answers.fill(0);
  }
  return entries;
}

interface SentenceHits {
  entity: boolean;
  excluded: boolean;
  termWeight: number;
  termIds: Set<number>;
}

/** A sentence's hits where nothing matched: shared, never written. */
const NO_HITS: readonly (SentenceHits | undefined)[] = Object.freeze([]);

/**
 * What one sentence holds for each topic: subject named, exclusion, terms (undefined where nothing matched); and the
 * example slots of each of its words, for cheap coverage (see topic-examples.ts), found by the same lookup (null when
 * none of its words has any). The words are the sentence's stems, or (`entries` not null) the word-memo entries whose
 * stems they are. Most sentences match little: their arrays are made only when something matches.
 */
function hitsOf(
  stems: readonly string[] | null,
  entries: readonly number[] | null,
  compiled: CompiledTopics,
): { hits: readonly (SentenceHits | undefined)[]; slots: (readonly ExampleSlot[] | undefined)[] | null } {
  const n = entries !== null ? entries.length : (stems?.length ?? 0);
  let hits: (SentenceHits | undefined)[] | null = null;
  let slots: (readonly ExampleSlot[] | undefined)[] | null = null;
  for (let i = 0; i < n; i++) {
    const uses = entries !== null ? usesOfEntry(compiled, entries[i] ?? 0) : compiled.byStem.get(stems?.[i] ?? '');
    if (!uses) continue;
    if (uses.slots !== undefined) {
      slots ??= new Array(n);
      slots[i] = uses.slots;
    }
    const candidates = uses.patterns;
    if (!candidates) continue;
    for (const p of candidates) {
      if (!(entries !== null ? entriesMatchAt(entries, i, p.tokens) : matchesAt(stems ?? [], i, p.tokens))) continue;
      hits ??= new Array(compiled.topics.length);
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
  return { hits: hits ?? NO_HITS, slots };
}

/** Score of a topic by terms: the sum of its distinct terms plus the entity, if the sentence counts at all. */
function termScore(h: SentenceHits | undefined, topic: CompiledTopic): number {
  if (!h || h.excluded || h.termIds.size === 0) return 0;
  if (topic.hasEntities && !h.entity) return 0;
  return h.termWeight + (h.entity ? ENTITY_WEIGHT : 0);
}

/**
 * Score of a topic by examples: the share of its nearest example's event the sentence says, if at least
 * SUPPORT_FLOOR, plus a little for hint terms. The subject must be named in the sentence, or in the article's
 * title or lead (then the sentence counts CONTEXT_FACTOR).
 */
function exampleScore(
  coverage: number,
  h: SentenceHits | undefined,
  topic: CompiledTopic,
  subjectInLead: boolean,
): number {
  if (coverage < SUPPORT_FLOOR || h?.excluded === true) return 0;
  let factor = 1;
  if (topic.hasEntities && h?.entity !== true) {
    if (!subjectInLead) return 0;
    factor = CONTEXT_FACTOR;
  }
  return factor * (coverage + Math.min(HINT_CAP, HINT_PER_WEIGHT * (h?.termWeight ?? 0)));
}

function matchesAt(tokens: readonly string[], start: number, pattern: readonly string[]): boolean {
  if (start + pattern.length > tokens.length) return false;
  for (let k = 1; k < pattern.length; k++) {
    if (tokens[start + k] !== pattern[k]) return false;
  }
  return true;
}

/** matchesAt over word-memo entries, their stems read from the memo. */
function entriesMatchAt(entries: readonly number[], start: number, pattern: readonly string[]): boolean {
  if (start + pattern.length > entries.length) return false;
  for (let k = 1; k < pattern.length; k++) {
    if (stemOf(entries[start + k] ?? 0) !== pattern[k]) return false;
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
 * Every topic whose article score reaches its threshold (or, for a topic with examples, its similarity), in config
 * order, each with its best sentence. The title counts as a sentence weighted TITLE_WEIGHT; a sentence repeated
 * word for word counts once.
 */
export function classifyTopics(doc: ClassifiableDocument, compiled: CompiledTopics): TopicMatch[] {
  const n = compiled.topics.length;
  if (n === 0) return [];
  const anyExamples = compiled.topics.some((t) => t.byExamples);
  // each sentence's stems, or the word-memo entries of a prepared sentence's words (read before the next is scanned)
  const sentences: { text: string; factor: number; read: ReturnType<typeof hitsOf> }[] = [];
  const seen = new Set<string>();
  const title = doc.title.trim();
  if (title) {
    seen.add(title);
    sentences.push({ text: title, factor: TITLE_WEIGHT, read: hitsOf(foldedTokens(title), null, compiled) });
  }
  const body = doc.sentences ?? doc.paragraphs.flatMap((p) => splitSentences(p).map((text) => ({ text })));
  for (const sentence of body) {
    if (seen.has(sentence.text)) continue;
    seen.add(sentence.text);
    const read =
      'wordEntries' in sentence
        ? hitsOf(null, entriesFor(compiled, sentence.text, sentence.wordEntries), compiled)
        : hitsOf(
            'tokens' in sentence ? (sentence.stems ?? sentence.tokens.map(foldWord)) : foldedTokens(sentence.text),
            null,
            compiled,
          );
    sentences.push({ text: sentence.text, factor: 1, read });
  }
  const read = sentences.map((s) => s.read);
  const hits = read.map((r) => r.hits);
  const subjectInLead = compiled.topics.map((_, t) => hits.slice(0, LEAD_SENTENCES).some((h) => h[t]?.entity === true));

  const coverage: (Coverage | null)[] = read.map((r) =>
    anyExamples ? coverageOfSlots(r.slots, compiled.examples) : null,
  );
  const scoreOf = (t: number, i: number): number => {
    const topic = compiled.topics[t];
    const sentence = sentences[i];
    if (!topic || !sentence) return 0;
    const h = hits[i]?.[t];
    const raw = topic.byExamples
      ? exampleScore(coverage[i]?.share[t] ?? 0, h, topic, subjectInLead[t] === true)
      : termScore(h, topic);
    return raw * sentence.factor;
  };
  const scores = compiled.topics.map((_, t) => sentences.map((_, i) => scoreOf(t, i)));

  // Where the cheap scores leave a topic unsure, the language model reads the sentences that matched it best.
  const model = compiled.examples.model;
  if (model !== null) {
    const analysed = new Set<number>();
    compiled.topics.forEach((topic, t) => {
      if (!topic.byExamples) return;
      const cheap = combineScores(scores[t] ?? []);
      if (cheap < UNSURE_LOW * topic.similarity || cheap >= UNSURE_HIGH * topic.similarity) return;
      const candidates = sentences
        .map((_, i) => ({ i, raw: coverage[i]?.raw[t] ?? 0 }))
        .filter((c) => c.raw > 0)
        .sort((a, b) => b.raw - a.raw)
        .slice(0, MODEL_SENTENCES);
      for (const { i } of candidates) {
        const sentence = sentences[i];
        if (!sentence) continue;
        if (!analysed.has(i)) {
          analysed.add(i);
          coverage[i] = modelCoverage(sentence.text, model, compiled.examples);
        }
        const row = scores[t];
        if (row) row[i] = scoreOf(t, i);
      }
    });
  }

  const best = scores.map((row) => {
    let at = -1;
    row.forEach((s, i) => {
      if (s > 0 && (at < 0 || s > (row[at] ?? 0))) at = i;
    });
    return at < 0 ? '' : (sentences[at]?.text ?? '');
  });
  const out: TopicMatch[] = [];
  compiled.topics.forEach((topic, t) => {
    let score = combineScores(scores[t] ?? []);
    let needed = topic.byExamples ? topic.similarity : topic.threshold;
    if (topic.byExamples && score < needed && score > 0) {
      // Terms still carry a topic the way they always did, but only in an article that reports the event somewhere
      // (a sentence at SUPPORT_FLOOR of an example, which is what made score > 0): hints, not the whole model.
      const byTerms = combineScores(sentences.map((s, i) => termScore(hits[i]?.[t], topic) * s.factor));
      if (byTerms >= topic.threshold) {
        score = byTerms;
        needed = topic.threshold;
      }
    }
    if (score > 0 && score >= needed) {
      out.push({ name: topic.name, score: Math.round(score * 100) / 100, evidence: best[t] ?? '' });
    }
  });
  return out;
}
