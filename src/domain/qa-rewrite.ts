// SEO question-and-answer rewrites: a page that restates someone else's reporting as "What was ...?" lines,
// each followed by a paragraph answering it. Flagged, kept out of titles and summaries, never a best source.
// An interview printed as a transcript ("Q: Will Iran accept a cap?" / "A: Our right to enrich is not negotiable.")
// is reporting, not a rewrite: its speaker marks tell it apart. Its lines are someone's words in the first person,
// so they are not quoted as the story's news either.
import { isQuestion, wordCount } from './text.js';

export interface QaShape {
  /** Standalone question lines followed by an answer paragraph. */
  questionLines: number;
  isRewrite: boolean;
  /** A transcript: most question lines carry a speaker mark ("Q:", "Question:"), and so do their answers. */
  isInterview: boolean;
}

/** "Q:", "Q.", "Question:" before a question; "A:", "Answer:" or a speaker's name and a colon before its answer. */
const QUESTION_MARK = /^(?:q|question)\s*[:.]\s/i;
const ANSWER_MARK = /^(?:(?:a|answer)\s*[:.]\s|\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*)?:\s)/u;

/** A line of a transcript: a marked question or a marked answer. */
export function isTranscriptLine(line: string): boolean {
  return QUESTION_MARK.test(line) || ANSWER_MARK.test(line);
}

const FAQ_HEADER = /^(?:faqs?|frequently asked questions|questions and answers|q\s*&\s*a|key questions)\b/i;

/** A line that is one question and nothing else: "What happens next?", "Why did X criticize Y?" */
export function isQuestionLine(line: string): boolean {
  if (!line.includes('?')) return false; // most lines: no need to count words
  const words = wordCount(line);
  if (words < 3 || words > 30 || !isQuestion(line)) return false;
  // one sentence only: no sentence end before the final question mark
  return !/[.!?]\s+\p{Lu}/u.test(line.replace(/\?\s*["'”’)\]]?\s*$/, ''));
}

export function detectQaShape(paragraphs: readonly string[]): QaShape {
  let questionLines = 0;
  let markedExchanges = 0;
  let faqHeader = false;
  for (let i = 0; i < paragraphs.length; i++) {
    const line = paragraphs[i] ?? '';
    if (FAQ_HEADER.test(line) && wordCount(line) <= 6) faqHeader = true;
    if (!isQuestionLine(line)) continue;
    const next = paragraphs[i + 1];
    if (next !== undefined && QUESTION_MARK.test(line) && ANSWER_MARK.test(next)) markedExchanges++;
    if (next !== undefined && !isQuestionLine(next) && wordCount(next) >= 15) questionLines++;
  }
  const isInterview = markedExchanges >= 2 && markedExchanges * 2 >= Math.max(questionLines, markedExchanges);
  const share = questionLines / Math.max(1, paragraphs.length);
  const isRewrite = !isInterview && (questionLines >= 3 || (questionLines >= 2 && (share >= 0.2 || faqHeader)));
  return { questionLines, isRewrite, isInterview };
}

export function describeQa(shape: QaShape): string {
  return `Reads like an SEO question-and-answer rewrite (${shape.questionLines} question headings, each answered by a paragraph); its questions are never used as titles or summary sentences.`;
}
