// Self-repeats: pages that print their own paragraphs (or sentences) twice, usually a CMS or scraper fault.
// Collapsed before anything else reads the article, so duplicates, topics and summaries see it once.
import {
  ComparisonStream,
  readSentence,
  type SentenceReading,
  splitSentences,
  splitSquashedSentences,
} from './text.js';

export interface CollapsedRepeats {
  paragraphs: string[];
  /** The sentences of each kept paragraph (split once here, reused by whoever reads the article next). */
  sentences: string[][];
  /** What reading each of those sentences found (its words and tokens), read once here. */
  readings: SentenceReading[][];
  /** comparisonHash of the kept paragraphs joined by line breaks, when the reading found it; else null. */
  key: number | null;
  repeatedParagraphs: number;
  repeatedSentences: number;
  repeatedWords: number;
  totalWords: number;
}

/** Paragraphs shorter than this can legitimately recur ("Read more.", a refrain) and are left alone. */
const MIN_REPEAT_WORDS = 6;

/**
 * Drops repeated paragraphs and sentences. `squashed`: every paragraph is squashed already (white space collapsed,
 * trimmed: cleanText's are), so its sentences are split without checking that again.
 */
export function collapseRepeats(paragraphs: readonly string[], squashed = false): CollapsedRepeats {
  const seenParagraphs = new Set<number>();
  const seenSentences = new Set<number>();
  const out: string[] = [];
  const outSentences: string[][] = [];
  const outReadings: SentenceReading[][] = [];
  // the whole text's key, read with the sentences: it holds while nothing is dropped
  const stream = new ComparisonStream();
  let dropped = false;
  let repeatedParagraphs = 0;
  let repeatedSentences = 0;
  let repeatedWords = 0;
  let totalWords = 0;

  for (const paragraph of paragraphs) {
    // one pass over the words: each sentence's hash and length; the paragraph's key combines them
    const sentences = squashed ? splitSquashedSentences(paragraph) : splitSentences(paragraph);
    const readings = sentences.map((sentence) => readSentence(sentence, stream));
    let words = 0;
    let key = 0;
    for (const reading of readings) {
      words += reading.words;
      key = (Math.imul(key, 31) + (reading.key % 0x7fffffff)) % 0x7fffffff;
    }
    totalWords += words;
    if (words >= MIN_REPEAT_WORDS && seenParagraphs.has(key)) {
      repeatedParagraphs++;
      repeatedWords += words;
      dropped = true;
      continue;
    }
    seenParagraphs.add(key);
    // Sentence level: a repeat that straddles paragraph breaks, or a body flattened into one paragraph. The
    // paragraph's own arrays are kept unless a sentence goes.
    let kept: string[] | null = null;
    let keptReadings: SentenceReading[] | null = null;
    for (let i = 0; i < sentences.length; i++) {
      const reading = readings[i];
      if (reading === undefined) continue;
      if (reading.words >= MIN_REPEAT_WORDS * 2 && seenSentences.has(reading.key)) {
        repeatedSentences++;
        repeatedWords += reading.words;
        kept ??= sentences.slice(0, i);
        keptReadings ??= readings.slice(0, i);
        continue;
      }
      seenSentences.add(reading.key);
      kept?.push(sentences[i] ?? '');
      keptReadings?.push(reading);
    }
    if (kept === null || keptReadings === null) {
      if (sentences.length === 0) continue;
      out.push(paragraph);
      outSentences.push(sentences);
      outReadings.push(readings);
      continue;
    }
    dropped = true;
    if (kept.length === 0) continue;
    out.push(kept.join(' '));
    outSentences.push(kept);
    outReadings.push(keptReadings);
  }
  return {
    paragraphs: out,
    sentences: outSentences,
    readings: outReadings,
    key: dropped ? null : stream.hash,
    repeatedParagraphs,
    repeatedSentences,
    repeatedWords,
    totalWords,
  };
}

/**
 * Whether the repeats are a fault worth telling the reader about: a pull quote printed twice is normal,
 * a tenth of the text printed twice is not.
 */
export function isSelfRepeating(r: CollapsedRepeats): boolean {
  if (r.repeatedWords < 25) return false;
  return r.repeatedParagraphs >= 2 || r.repeatedWords / Math.max(1, r.totalWords) >= 0.1;
}

export function describeRepeats(r: CollapsedRepeats): string {
  const share = Math.round((100 * r.repeatedWords) / Math.max(1, r.totalWords));
  const parts: string[] = [];
  if (r.repeatedParagraphs > 0) parts.push(`${r.repeatedParagraphs} paragraph${r.repeatedParagraphs === 1 ? '' : 's'}`);
  if (r.repeatedSentences > 0) parts.push(`${r.repeatedSentences} sentence${r.repeatedSentences === 1 ? '' : 's'}`);
  return `Prints ${parts.join(' and ')} twice (${r.repeatedWords} of ${r.totalWords} words, ${share}%); the copies were removed.`;
}
