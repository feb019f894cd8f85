// Which members speak for a story, for the one-batch builder and for stored stories alike: original reporting
// first (a Q&A rewrite or an opinion piece only when nothing else tells the story), then the most central, then the
// earliest; a title shaped like a headline (no question, no "5 things we learned", no "Q&A:" or "Live:" label, not
// in capitals); the members whose sentences a summary may quote.
import { isOpinion } from './opinion.js';

/**
 * A Q&A rewrite or an opinion piece: in its story, but no report of it (the default notReporting of FaceOf for
 * prepared and stored articles alike).
 */
export function isNotReporting(article: {
  readonly qaRewrite: boolean;
  readonly warnings: readonly { readonly kind: string }[];
}): boolean {
  return article.qaRewrite || isOpinion(article.warnings);
}

/** Articles whose sentences a summary draws on: the best source and the most central others. */
export const SUMMARY_ARTICLES = 12;
/** Members compared with each other to find the most central one. */
export const CENTRALITY_SAMPLE = 30;

export interface FaceOf<T> {
  /** A Q&A rewrite or an opinion piece: in the story, but no report of it. */
  readonly notReporting: (member: T) => boolean;
  readonly title: (member: T) => string;
  /** Mean similarity to the other members (0 when not known). */
  readonly centrality: (member: T) => number;
}

export interface StoryFace<T> {
  readonly best: T;
  readonly titled: T;
  readonly quoted: T[];
}

/** The story's face, or null for a story without members. Members come in arrival order. */
export function storyFace<T>(members: readonly T[], of: FaceOf<T>): StoryFace<T> | null {
  // the best source is also where the title links: a member whose title is a headline comes before a list or an
  // interview that may be more central, so the story's title and its link are the same article's
  const ranked = members
    .map((member, order) => ({ member, order, headline: isHeadlineShaped(of.title(member)) }))
    .sort(
      (x, y) =>
        Number(of.notReporting(x.member)) - Number(of.notReporting(y.member)) ||
        Number(y.headline) - Number(x.headline) ||
        of.centrality(y.member) - of.centrality(x.member) ||
        x.order - y.order,
    )
    .map((x) => x.member);
  const best = ranked[0];
  if (best === undefined) return null;
  const plain = ranked.filter((m) => !of.notReporting(m));
  // a reporting member's title that says what happened, else one that at least is no question; a column's or a
  // rewrite's title only when no report has one
  const titleOf = (from: readonly T[]) =>
    from.find((m) => isHeadlineShaped(of.title(m))) ?? from.find((m) => !isQuestionTitle(of.title(m)));
  const titled = titleOf(plain) ?? titleOf(ranked) ?? best;
  return { best, titled, quoted: (plain.length > 0 ? plain : ranked).slice(0, SUMMARY_ARTICLES) };
}

const QUESTION_TITLE = /\?\s*["'”’]?\s*$/;
/** "5 things we learned from...", "Three takeaways from...": a list about the event, not its headline. */
const LISTICLE =
  /^(?:\d+|three|four|five|six|seven|eight|nine|ten)\s+(?:things|ways|reasons|takeaways|lessons|questions|facts|moments|key\b)/i;
/** Formats named before the headline: an interview, a live page, pictures, a video, an explainer, a column. */
const FORMAT_PREFIX =
  /^(?:q\s*&\s*a|interview|live(?: updates)?|watch|video|in pictures|photos|gallery|explainer|podcast|quiz|factbox|timeline|opinion|editorial|comment|column)\b\s*[:|–—-]/i;

function isQuestionTitle(title: string): boolean {
  return QUESTION_TITLE.test(title);
}

/** A headline that tells what happened: no question, no list, no format label, not shouted in capitals. */
function isHeadlineShaped(title: string): boolean {
  if (isQuestionTitle(title) || LISTICLE.test(title) || FORMAT_PREFIX.test(title)) return false;
  const letters = title.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  return !(letters.length >= 20 && upper >= 0.8 * letters.length);
}

/** Mean of `similarity` of each of the first CENTRALITY_SAMPLE members to the others of that sample. */
export function centralityOf<T>(members: readonly T[], similarity: (a: T, b: T) => number): Map<T, number> {
  const out = new Map<T, number>();
  const sample = members.slice(0, CENTRALITY_SAMPLE);
  for (const a of sample) {
    let sum = 0;
    for (const b of sample) if (a !== b) sum += similarity(a, b);
    out.set(a, sample.length > 1 ? sum / (sample.length - 1) : 0);
  }
  return out;
}
