// Topics told by examples: a sentence is about a topic's event when it says, in the examples' words after
// lemmatising, about as much as one example says: the weights of the example words it holds (each weighed by how
// rare it is in general English, verbs above nouns) summed and measured against an example's mean weight. Names
// (proper nouns, the topic's entities) never count, so naming the topic's countries is not enough, and one word
// is not enough either: beside its heaviest word the event takes words of weight (the action and what it acts on),
// and words pooled from several examples count only when the nearest single example is said in part, or when
// together they say half of an example.
// Pure: the language model (lemmas, parts of speech, negation) and the background vocabulary are passed in.
//
// Cost: every sentence is first scored on the stems it already has (a map lookup per word); the caller asks the
// language model only about the few sentences of an article whose topic the cheap scores leave unsure.
import type { BackgroundVocabulary } from './background.js';
import { type AnalysedWord, type LanguageModel, plainWords } from './language.js';
import { STOPWORDS, stem } from './text.js';

/** Below this share of an example's weight a sentence is not about its event. */
export const SUPPORT_FLOOR = 0.25;
/** Words pooled from several examples count when they say this share of an example's weight (twice the floor). */
const POOLED_FLOOR = 2 * SUPPORT_FLOOR;

/** With background statistics, the matched words beside the heaviest must weigh this much together: "swap" with
 * "side" is no prisoner swap. Without them every word weighs 1 and two distinct words are needed. */
const REST_WEIGHT = 2.5;
/** Parts of speech that carry an event or its object. Proper nouns are participants, not the event. */
const EVENT_POS = new Set(['NOUN', 'VERB', 'ADJ', 'ADV', 'NUM', '']);
/** The action counts for more than its setting: "exchanged" over "war". */
const VERB_FACTOR = 1.5;
/** An example word that is also one of the topic's terms weighs at least this many times its term weight. */
const HINT_FACTOR = 1.5;
/** Weight of a word with no background statistics (a rare word). */
const RARE_WEIGHT = 6;
/** Weight floor: "year", "people", "make" still count for something. */
const COMMON_WEIGHT = 0.3;

export interface ExampleSlot {
  /** The example, numbered across all topics. */
  readonly example: number;
  readonly weight: number;
  readonly topic: number;
  /** The word (its topic and lemma) as a number, so a word met in several examples, or in two forms ("held",
   * "hold"), counts once. */
  readonly word: number;
  /** A word of a counter-example: it measures how near the sentence is to that, never counts for the topic. */
  readonly counter: boolean;
}

export interface CompiledExamples {
  readonly topicCount: number;
  /** Per example (numbered across topics, counter-examples after the examples): its topic and total event weight. */
  readonly exampleTopic: readonly number[];
  readonly exampleTotal: readonly number[];
  /** Per example: whether it is a counter-example (see TopicDefinition.counterExamples). */
  readonly exampleCounter: readonly boolean[];
  /** Key (a stem of a lemma or of the written form) -> the example words it matches. */
  readonly byKey: ReadonlyMap<string, readonly ExampleSlot[]>;
  /** What the matched words beside the heaviest must weigh together (REST_WEIGHT with background
   * statistics, else 1). */
  readonly restWeight: number;
  /** Per topic, the mean event weight of its examples: what a sentence's matched weight is measured against. */
  readonly topicNorm: readonly number[];
  readonly model: LanguageModel | null;
  /** The coverage of a sentence none of whose words is an example word (every share 0): one, shared, never written. */
  readonly noCoverage: Coverage;
}

export interface ExampleOptions {
  model?: LanguageModel | undefined;
  background?: BackgroundVocabulary | undefined;
}

/** Words that never carry an event on their own, beyond the stopwords. */
const LIGHT_WORDS = new Set(['be', 'have', 'do', 'get', 'make', 'take', 'go', 'come', 'part', 'thing', 'way']);

function isContent(word: AnalysedWord): boolean {
  if (word.lemma.length < 2 || STOPWORDS.has(word.lemma) || STOPWORDS.has(word.text)) return false;
  return !LIGHT_WORDS.has(word.lemma);
}

function weightOf(lemma: string, pos: string, background: BackgroundVocabulary | undefined): number {
  let w = 1;
  if (background) {
    const p = background.termProbability(stem(lemma));
    w = p <= 0 ? RARE_WEIGHT : Math.min(RARE_WEIGHT, Math.max(COMMON_WEIGHT, -Math.log(p)));
  }
  return pos === 'VERB' ? w * VERB_FACTOR : w;
}

/**
 * A tagger reads a capital at the start of a sentence as a name ("Detainees held by..."): the first word is
 * tagged again in lower case and taken as a common word only if it then reads as a noun or a verb.
 */
function analyseExample(model: LanguageModel, sentence: string): readonly AnalysedWord[] {
  const words = model.analyse(sentence);
  const first = words[0];
  if (first?.pos !== 'PROPN') return words;
  const again = model.analyse(sentence.charAt(0).toLowerCase() + sentence.slice(1))[0];
  if (again === undefined || (again.pos !== 'NOUN' && again.pos !== 'VERB')) return words;
  return [again, ...words.slice(1)];
}

/**
 * `examples[t]` lists topic t's example sentences; `participants[t]` the stems of its entity names and aliases,
 * which never count as event words; `hints[t]` its one-word terms (stem -> weight). A topic without examples gets
 * no slots.
 */
export function compileExamples(
  examples: readonly (readonly string[])[],
  participants: readonly ReadonlySet<string>[],
  options: ExampleOptions = {},
  hints: readonly ReadonlyMap<string, number>[] = [],
  counterExamples: readonly (readonly string[])[] = [],
): CompiledExamples {
  const model = options.model ?? null;
  const byKey = new Map<string, ExampleSlot[]>();
  const exampleTopic: number[] = [];
  const exampleTotal: number[] = [];
  const exampleCounter: boolean[] = [];
  const wordIds = new Map<string, number>();
  const compile = (list: readonly string[], topic: number, counter: boolean): void => {
    for (const sentence of list) {
      const example = exampleTopic.length;
      let total = 0;
      const words = model ? analyseExample(model, sentence) : plainWords(sentence);
      const seen = new Set<string>();
      for (const word of words) {
        if (!isContent(word) || !EVENT_POS.has(word.pos)) continue;
        const lemmaKey = stem(word.lemma);
        const textKey = stem(word.text);
        if (participants[topic]?.has(lemmaKey) || participants[topic]?.has(textKey) || seen.has(lemmaKey)) continue;
        seen.add(lemmaKey);
        // a word the user also lists as a term weighs at least HINT_FACTOR x its term weight: general-English
        // rarity undersells news words that are common in speech ("talks", "deal")
        const hint = hints[topic]?.get(lemmaKey) ?? hints[topic]?.get(textKey) ?? 0;
        const weight = Math.max(weightOf(word.lemma, word.pos, options.background), HINT_FACTOR * hint);
        total += weight;
        const wordKey = `${topic}\u0000${lemmaKey}`;
        let wordId = wordIds.get(wordKey);
        if (wordId === undefined) {
          wordId = wordIds.size;
          wordIds.set(wordKey, wordId);
        }
        const slot: ExampleSlot = { example, topic, weight, word: wordId, counter };
        for (const key of new Set([lemmaKey, textKey])) {
          const slots = byKey.get(key);
          if (slots) slots.push(slot);
          else byKey.set(key, [slot]);
        }
      }
      exampleTopic.push(topic);
      exampleTotal.push(total);
      exampleCounter.push(counter);
    }
  };
  examples.forEach((list, topic) => {
    compile(list, topic, false);
  });
  counterExamples.forEach((list, topic) => {
    compile(list, topic, true);
  });
  for (const slots of byKey.values()) slots.sort((a, b) => b.weight - a.weight);
  const topicNorm = examples.map((_, t) => {
    const totals = exampleTotal.filter((_, e) => exampleTopic[e] === t && !exampleCounter[e]);
    return totals.length === 0 ? 0 : totals.reduce((a, b) => a + b, 0) / totals.length;
  });
  const restWeight = options.background ? REST_WEIGHT : 1;
  const zeros = Object.freeze(new Array<number>(examples.length).fill(0));
  const noCoverage = Object.freeze({ share: zeros, raw: zeros });
  return {
    topicCount: examples.length,
    exampleTopic,
    exampleTotal,
    exampleCounter,
    byKey,
    topicNorm,
    restWeight,
    model,
    noCoverage,
  };
}

/** Per topic: `share`, the sentence's coverage (0 when it fails the two-word rule); `raw`, the matched share before it. */
export interface Coverage {
  readonly share: readonly number[];
  readonly raw: readonly number[];
}

/**
 * coverageOfSlots' working tables, reused from sentence to sentence (a sentence's own are garbage as soon as its
 * coverage is known): per topic the summed and the heaviest weight, per example the summed weight, and which words
 * and (word, example) pairs were counted. Grown as needed.
 */
const coverageScratch = {
  sum: new Float64Array(8),
  heaviest: new Float64Array(8),
  exampleSum: new Float64Array(64),
  counted: new Set<number>(),
  exampleCounted: new Set<number>(),
};

/** The scratch tables for `topics` topics and `examples` examples, zeroed. */
function emptiedScratch(
  topics: number,
  examples: number,
): { sum: Float64Array; heaviest: Float64Array; exampleSum: Float64Array } {
  const c = coverageScratch;
  if (c.sum.length < topics) {
    c.sum = new Float64Array(topics * 2);
    c.heaviest = new Float64Array(topics * 2);
  }
  if (c.exampleSum.length < examples) c.exampleSum = new Float64Array(examples * 2);
  c.sum.fill(0, 0, topics);
  c.heaviest.fill(0, 0, topics);
  c.exampleSum.fill(0, 0, examples);
  return { sum: c.sum, heaviest: c.heaviest, exampleSum: c.exampleSum };
}

/**
 * Coverage from the sentence's own stemmed tokens, no model: `slotsByWord` holds compiled.byKey.get() of each stem,
 * looked up by the caller (one lookup per word serves the topic terms too); null when none has any.
 */
export function coverageOfSlots(
  slotsByWord: readonly (readonly ExampleSlot[] | undefined)[] | null,
  compiled: CompiledExamples,
): Coverage {
  if (slotsByWord === null) return compiled.noCoverage;
  const n = compiled.topicCount;
  const examples = compiled.exampleTopic.length;
  let sum: Float64Array | null = null;
  let heaviest: Float64Array | null = null;
  let exampleSum: Float64Array | null = null;
  const { counted, exampleCounted } = coverageScratch;
  for (let i = 0; i < slotsByWord.length; i++) {
    const slots = slotsByWord[i];
    if (!slots) continue;
    if (sum === null) {
      ({ sum, heaviest, exampleSum } = emptiedScratch(n, examples));
      counted.clear();
      exampleCounted.clear();
    }
    if (heaviest === null || exampleSum === null) continue;
    for (const s of slots) {
      const t = s.topic;
      // and once per example, for the share of the nearest single example
      const pair = s.word * examples + s.example;
      if (!exampleCounted.has(pair)) {
        exampleCounted.add(pair);
        exampleSum[s.example] = (exampleSum[s.example] ?? 0) + s.weight;
      }
      if (s.counter) continue;
      // a word counts once per topic, at its heaviest use in the topic's examples (slots are sorted that way)
      if (counted.has(s.word)) continue;
      counted.add(s.word);
      sum[t] = (sum[t] ?? 0) + s.weight;
      if (s.weight > (heaviest[t] ?? 0)) heaviest[t] = s.weight;
    }
  }
  if (sum === null || heaviest === null) return compiled.noCoverage;
  const out = new Array<number>(n).fill(0);
  const raw = new Array<number>(n).fill(0);
  const nearest = new Float64Array(n);
  // the share of its nearest counter-example a sentence says, per topic (zero for topics without them)
  const nearestCounter = new Float64Array(n);
  if (exampleSum !== null) {
    for (let e = 0; e < examples; e++) {
      const t = compiled.exampleTopic[e] ?? 0;
      const total = compiled.exampleTotal[e] ?? 0;
      if (total <= 0) continue;
      const near = compiled.exampleCounter[e] ? nearestCounter : nearest;
      near[t] = Math.max(near[t] ?? 0, (exampleSum[e] ?? 0) / total);
    }
  }
  for (let t = 0; t < n; t++) {
    const norm = compiled.topicNorm[t] ?? 0;
    if (norm > 0) raw[t] = (sum[t] ?? 0) / norm;
    // one rare word is a mention; the event takes more: beside the heaviest word, the others must weigh together
    // what one word that means something weighs (the action and what it acts on; "front line" counts as much as
    // "ceasefire", "side" beside "swap" does not)
    const rest = (sum[t] ?? 0) - (heaviest[t] ?? 0);
    if (norm <= 0 || rest < compiled.restWeight) continue;
    // words gathered from several examples ("diplomats" from one, "discussed" from another) are no event unless
    // one example alone is said in part (the nearest example covered at SUPPORT_FLOOR), or they say together as
    // much as POOLED_FLOOR of an example's weight
    if ((nearest[t] ?? 0) < SUPPORT_FLOOR && (sum[t] ?? 0) / norm < POOLED_FLOOR) continue;
    // nearer to something else the topic's words also tell (a rescue of hostages) than to its event
    const counter = nearestCounter[t] ?? 0;
    if (counter >= SUPPORT_FLOOR && counter > (nearest[t] ?? 0)) continue;
    out[t] = Math.min(1, (sum[t] ?? 0) / norm);
  }
  return { share: out, raw };
}

/** Coverage from the language model's reading of the sentence: lemmas ("freed" -> "free") and negation. */
export function modelCoverage(text: string, model: LanguageModel, compiled: CompiledExamples): Coverage {
  const words = model.analyse(text);
  const keys: string[] = [];
  const negated: boolean[] = [];
  for (const w of words) {
    // both forms: the lemma finds "free" in "freed", the written form keeps what the stems already matched
    keys.push(stem(w.lemma), stem(w.text));
    negated.push(w.negated, w.negated);
  }
  return coverageOf(keys, negated, compiled);
}

function coverageOf(keys: readonly string[], negated: readonly boolean[] | null, compiled: CompiledExamples): Coverage {
  const slotsByWord = keys.map((key, i) => (negated?.[i] === true ? undefined : compiled.byKey.get(key)));
  return coverageOfSlots(slotsByWord, compiled);
}
