// What the domain asks of a language model: the words of one sentence with their lemma, part of speech and
// whether they stand under a negation. An adapter (src/language/) answers it with a real NLP library; without one,
// plainWords() stands in with the text's own tokens, so the domain works, less well, with no model at all.
import { tokenize } from './text.js';

export interface AnalysedWord {
  /** The word as written, lower case. */
  readonly text: string;
  /** Dictionary form, lower case ("freed" -> "free", "held" -> "hold", "talks" -> "talk"). */
  readonly lemma: string;
  /** Universal part of speech (NOUN, VERB, PROPN, ADJ, ...); empty when unknown. */
  readonly pos: string;
  /** True when a negation governs the word ("no talks were held", "did not exchange"). */
  readonly negated: boolean;
}

export interface LanguageModel {
  /** The words of one sentence (punctuation and spaces left out). Deterministic: same text, same answer. */
  analyse(sentence: string): readonly AnalysedWord[];
}

/**
 * Without a model: the text's words, each its own lemma, no negation; a capitalised word after the first is taken
 * for a name (PROPN), the rest get no part of speech.
 */
export function plainWords(sentence: string): AnalysedWord[] {
  const out: AnalysedWord[] = [];
  for (const match of sentence.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
    const written = match[0];
    for (const token of tokenize(written)) {
      const name = out.length > 0 && /^\p{Lu}/u.test(written);
      out.push({ text: token, lemma: token, pos: name ? 'PROPN' : '', negated: false });
    }
  }
  return out;
}
