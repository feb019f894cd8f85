// De-duplication check: seeded syndicated copies of real articles, mixed back into their set.
import type { ArticleInput, Digest } from '../../src/domain/types.js';
import { COPY_KINDS, type CopyKind, later, makeCopy, OUTLETS } from './copies.js';
import type { EvalRecord } from './eval-data.js';
import { toInput, wordsOf } from './eval-data.js';
import { duplicateChain, duplicateLinks, shingleJaccard } from './metrics.js';
import type { Rng } from './prng.js';

/** ECB+ has no dates; in this check every ECB+ article is dated this, so copies can be later than originals. */
export const UNDATED_BASE = '2020-06-01T08:00:00.000Z';

export interface GeneratedCopy {
  id: string;
  original: string;
  kind: CopyKind;
}

export interface DedupSet {
  name: string;
  /** Originals, copies and every other article of the set, in date order. */
  inputs: ArticleInput[];
  copies: GeneratedCopy[];
}

/** `count` originals with bodies of at least `minWords`, one copy each, the kinds taken in turn. */
export function buildDedupSet(
  name: string,
  records: readonly EvalRecord[],
  count: number,
  rng: Rng,
  minWords = 80,
): DedupSet {
  const dated = records.map((r) => ({ ...toInput(r), publishedAt: r.date ?? UNDATED_BASE }));
  const eligible = dated.filter((a) => wordsOf(a.text ?? '') >= minWords);
  const originals = rng.shuffle(eligible).slice(0, count);
  const copies: GeneratedCopy[] = [];
  const copyInputs: ArticleInput[] = [];
  originals.forEach((original, i) => {
    const kind = COPY_KINDS[i % COPY_KINDS.length] ?? 'headline';
    const id = `${original.id}~copy-${kind}`;
    const source = rng.pick(OUTLETS.filter((o) => o !== original.source));
    const publishedAt = later(original.publishedAt, rng.int(1, 36));
    copyInputs.push(makeCopy(original, { kind, id, source, publishedAt }, rng));
    copies.push({ id, original: original.id, kind });
  });
  // Stable sort: copies land after their originals and among the articles of the days that follow.
  const inputs = [...dated, ...copyInputs].sort(
    (a, b) => Date.parse(a.publishedAt ?? '') - Date.parse(b.publishedAt ?? ''),
  );
  return { name, inputs, copies };
}

export interface KindScore {
  kind: CopyKind;
  copies: number;
  found: number;
}

export interface FalseDuplicate {
  id: string;
  duplicateOf: string;
  kind: string;
  /** Word 5-shingle Jaccard of the two bodies: high means the real data holds a genuine near-copy. */
  jaccard: number;
}

export interface DedupScore {
  name: string;
  perKind: KindScore[];
  /** Articles the digest marked as duplicates. */
  reported: number;
  /** Reported copies whose chain reaches their own original. */
  correct: number;
  /** Generated copies marked as a duplicate of something else. */
  wrongTarget: FalseDuplicate[];
  /** Real articles (not generated copies) marked as duplicates. */
  falseDuplicates: FalseDuplicate[];
}

export function scoreDedup(set: DedupSet, digest: Digest): DedupScore {
  const links = duplicateLinks(digest);
  const texts = new Map(set.inputs.map((a) => [a.id, a.text ?? '']));
  const jaccard = (a: string, b: string): number => shingleJaccard(texts.get(a) ?? '', texts.get(b) ?? '');
  const byCopy = new Map(set.copies.map((c) => [c.id, c]));
  const perKind = COPY_KINDS.map((kind): KindScore => ({ kind, copies: 0, found: 0 }));
  const wrongTarget: FalseDuplicate[] = [];
  for (const c of set.copies) {
    const score = perKind.find((k) => k.kind === c.kind);
    if (!score) continue;
    score.copies += 1;
    const chain = duplicateChain(links, c.id);
    // A copy may also point straight at the article its original duplicates: same root, same text.
    const originalRoot = duplicateChain(links, c.original).at(-1) ?? c.original;
    if (chain.includes(c.original) || (chain.length > 0 && chain.at(-1) === originalRoot)) score.found += 1;
    else if (chain[0] !== undefined) {
      wrongTarget.push({ id: c.id, duplicateOf: chain[0], kind: c.kind, jaccard: jaccard(c.id, chain[0]) });
    }
  }
  const falseDuplicates: FalseDuplicate[] = [];
  let reported = 0;
  for (const a of digest.articles) {
    if (a.duplicateOf === null) continue;
    reported += 1;
    if (byCopy.has(a.id)) continue;
    const j = jaccard(a.id, a.duplicateOf);
    falseDuplicates.push({ id: a.id, duplicateOf: a.duplicateOf, kind: a.duplicateKind ?? '?', jaccard: j });
  }
  const correct = perKind.reduce((n, k) => n + k.found, 0);
  return { name: set.name, perKind, reported, correct, wrongTarget, falseDuplicates };
}
