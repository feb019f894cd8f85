// Which language a text is written in, as far as grouping needs to know: English (what the word tools here read),
// or another language whose reports of the same event share no words with English ones but still name the same
// people and places. Told by the short function words every sentence of a language is made of ("the", "of", "and";
// "de", "la", "que"; "der", "und"), counted over the first words of the text.
import { entriesNow, isStopword, type SentenceTokens, STOPWORDS, wordOf } from './text.js';

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
export function languageOfTokens(sentences: readonly SentenceTokens[]): string | null {
  // English first, one lookup a word: nearly every text is, and needs nothing more
  const words = sampleSize(sentences);
  if (words < MIN_WORDS) return null;
  const english = countSampledStopwords(sentences);
  if (english >= MIN_SHARE * words) return 'en';
  let best: string | null = null;
  let bestCount = 0;
  for (const code in FUNCTION_WORDS) {
    const functionWords = FUNCTION_WORDS[code];
    if (functionWords === undefined) continue;
    const count = countSampled(sentences, functionWords);
    if (count > bestCount) {
      best = code;
      bestCount = count;
    }
  }
  return best !== null && bestCount >= MIN_SHARE * words ? best : null;
}

/** Tokens the language is told from: the first SAMPLE_WORDS, or all of a shorter text. */
function sampleSize(sentences: readonly SentenceTokens[]): number {
  let words = 0;
  for (const sentence of sentences) {
    words += 'tokens' in sentence ? sentence.tokens.length : sentence.wordEntries.entries.length;
    if (words >= SAMPLE_WORDS) return SAMPLE_WORDS;
  }
  return words;
}

/**
 * How many of the first SAMPLE_WORDS tokens pass: `token` judges a sentence kept as tokens, `entry` one kept as
 * word-memo entries (read without making their strings where the memo already knows the answer).
 */
function countSampledBy(
  sentences: readonly SentenceTokens[],
  token: (token: string) => boolean,
  entry: (entry: number) => boolean,
): number {
  let count = 0;
  let read = 0;
  for (const sentence of sentences) {
    if ('tokens' in sentence) {
      for (const t of sentence.tokens) {
        if (read++ >= SAMPLE_WORDS) return count;
        if (token(t)) count++;
      }
      continue;
    }
    for (const e of entriesNow(sentence.text, sentence.wordEntries)) {
      if (read++ >= SAMPLE_WORDS) return count;
      if (entry(e)) count++;
    }
  }
  return count;
}

const isStopwordToken = (token: string): boolean => STOPWORDS.has(token);

/** How many of the first SAMPLE_WORDS tokens are STOPWORDS (the word memo knows it of each entry). */
function countSampledStopwords(sentences: readonly SentenceTokens[]): number {
  return countSampledBy(sentences, isStopwordToken, isStopword);
}

/** How many of the first SAMPLE_WORDS tokens are in `set`; memo entries are read as their tokens. */
function countSampled(sentences: readonly SentenceTokens[], set: ReadonlySet<string>): number {
  return countSampledBy(
    sentences,
    (token) => set.has(token),
    (entry) => set.has(wordOf(entry)),
  );
}

/** The language of a text that is not English; null for English and for texts that say too little to tell. */
export function otherLanguageOf(sentences: readonly SentenceTokens[]): string | null {
  const language = languageOfTokens(sentences);
  return language === 'en' ? null : language;
}
