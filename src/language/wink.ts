// The language model the topic classifier is handed: wink-nlp with its English light model (MIT, both from the
// npm registry, about 4.7 MB installed, nothing fetched at run time). It gives lemmas, universal parts of speech
// and negation flags; the domain asks for nothing else (src/domain/language.ts).

import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import type { AnalysedWord, LanguageModel } from '../domain/language.js';

let cached: LanguageModel | undefined;

/** Built once per process (about 0.1 s): the model's tables are large, its answers deterministic. */
export function loadLanguageModel(): LanguageModel {
  if (cached) return cached;
  // 'sbd' marks sentence bounds, which negation scope needs; no entity recogniser: its tags are dates and numbers
  const nlp = winkNLP(model, ['sbd', 'negation', 'pos']);
  const its = nlp.its;
  cached = {
    analyse(sentence: string): AnalysedWord[] {
      const tokens = nlp.readDoc(sentence).tokens();
      const types = tokens.out(its.type) as string[];
      const normal = tokens.out(its.normal) as string[];
      // wink's type for its.lemma asks for model addons that out() supplies itself
      const lemmas = tokens.out(its.lemma as unknown as typeof its.normal) as string[];
      const pos = tokens.out(its.pos) as string[];
      const negated = tokens.out(its.negationFlag) as unknown as boolean[];
      const out: AnalysedWord[] = [];
      for (let i = 0; i < types.length; i++) {
        if (types[i] !== 'word' && types[i] !== 'number') continue;
        out.push({
          text: normal[i] ?? '',
          lemma: (lemmas[i] ?? normal[i] ?? '').toLowerCase(),
          pos: pos[i] ?? '',
          negated: negated[i] === true,
        });
      }
      return out;
    },
  };
  return cached;
}
