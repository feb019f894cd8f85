// Which members speak for a story, for the one-batch builder and for stored stories alike: original reporting
// first (a Q&A rewrite or an opinion piece only when nothing else tells the story), then the most central, then the
// earliest; a title that is not a question; the members whose sentences a summary may quote.

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
  const ranked = members
    .map((member, order) => ({ member, order }))
    .sort(
      (x, y) =>
        Number(of.notReporting(x.member)) - Number(of.notReporting(y.member)) ||
        of.centrality(y.member) - of.centrality(x.member) ||
        x.order - y.order,
    )
    .map((x) => x.member);
  const best = ranked[0];
  if (best === undefined) return null;
  const plain = ranked.filter((m) => !of.notReporting(m));
  const titled = ranked.find((m) => !/\?\s*["'”’]?\s*$/.test(of.title(m))) ?? best;
  return { best, titled, quoted: (plain.length > 0 ? plain : ranked).slice(0, SUMMARY_ARTICLES) };
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
