// Which language a text is written in, as far as grouping needs to know: English (what the word tools here read),
// or another language whose reports of the same event share no words with English ones but still name the same
// people and places. Told by the short function words every sentence of a language is made of ("the", "of", "and";
// "de", "la", "que"; "der", "und"), counted over the first words of the text.
import { STOPWORDS } from './text.js';

/** Function words of the languages newsrooms most often mix with English in one feed list. */
const FUNCTION_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  es: new Set(
    'de la que el en y a los se del las un por con no una su para es al lo como más pero sus le ya o fue ha'.split(' '),
  ),
  fr: new Set(
    'de la le et les des en un une du est que qui dans pour pas sur au par plus ne se il elle ce sont avec'.split(' '),
  ),
  de: new Set(
    'der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an aus er hat dass sie nach bei'.split(
      ' ',
    ),
  ),
  it: new Set('di che e la il un a per in è non una sono del si le da con i al della dei nel alla'.split(' ')),
  pt: new Set('de que e o a do da em um para é com não uma os no se na por mais as dos como mas foi ao das'.split(' ')),
  nl: new Set('de het een en van in is dat op te zijn met voor niet die aan er maar om ook als bij of'.split(' ')),
};

/** Words read from the start of the text: enough for a confident count, cheap for a long one. */
const SAMPLE_WORDS = 200;
/** Fewer words than this say too little to tell. */
const MIN_WORDS = 20;
/** Share of function words a text of the language has (English texts: 0.18 at the least, 0.44 typically). */
const MIN_SHARE = 0.15;

/**
 * 'en' for English, a two-letter code for another language told by its function words, null when the text says
 * too little or none fits (a table, a list of names): such a text is taken for English by whoever asks.
 */
export function languageOfTokens(sentences: readonly { readonly tokens: readonly string[] }[]): string | null {
  // English first, one lookup a word: nearly every text is, and needs nothing more
  let words = 0;
  let english = 0;
  outer: for (const sentence of sentences) {
    for (const token of sentence.tokens) {
      if (words >= SAMPLE_WORDS) break outer;
      words++;
      if (STOPWORDS.has(token)) english++;
    }
  }
  if (words < MIN_WORDS) return null;
  if (english >= MIN_SHARE * words) return 'en';
  let best: string | null = null;
  let bestCount = 0;
  for (const code in FUNCTION_WORDS) {
    const functionWords = FUNCTION_WORDS[code];
    if (functionWords === undefined) continue;
    let count = 0;
    let read = 0;
    sample: for (const sentence of sentences) {
      for (const token of sentence.tokens) {
        if (read++ >= SAMPLE_WORDS) break sample;
        if (functionWords.has(token)) count++;
      }
    }
    if (count > bestCount) {
      best = code;
      bestCount = count;
    }
  }
  return best !== null && bestCount >= MIN_SHARE * words ? best : null;
}

/** The language of a text that is not English; null for English and for texts that say too little to tell. */
export function otherLanguageOf(sentences: readonly { readonly tokens: readonly string[] }[]): string | null {
  const language = languageOfTokens(sentences);
  return language === 'en' ? null : language;
}
