// Exact and near-duplicate detection over a growing set of articles. An article is compared only with the
// articles that share an LSH band with it (or its exact text key), never with all of them.
import { bandKeys, estimateContainment, estimateJaccard, type Fingerprint, U32MultiMap } from './fingerprint.js';
import type { DuplicateKind } from './types.js';

export interface DuplicateMatch {
  /** Item number of the original (as given to add). */
  original: number;
  kind: DuplicateKind;
  jaccard: number;
  containment: number;
  /**
   * The newcomer holds the original and adds text of its own (a wire's "UPDATE 2" with new paragraphs, an outlet
   * adding its own reporting): a later version with news in it, not a copy.
   */
  revision: boolean;
}

/** Same story retold in other words never gets near these (public same-event triplets peak at 0.2 Jaccard). */
export const NEAR_JACCARD = 0.5;
/** A copy with a paragraph added or cut: most of the shorter text is inside the longer one. */
export const NEAR_CONTAINMENT = 0.8;
/** A contained copy still shares at least this much (a 2x longer text holding all of a shorter one: 0.5). */
const MIN_JACCARD_CONTAINED = 0.35;
/**
 * A near copy that holds its original and adds this many shingles (about words) is a later version with news of
 * its own: a sentence or two of reporting, more than a trailer line ("Additional reporting by...", at most ~20).
 */
const REVISION_SHINGLES = 25;

/** Containment is only trusted on texts long enough for the estimate to mean something. */
const MIN_SHINGLES_FOR_CONTAINMENT = 40;

export class DuplicateIndex {
  private readonly exact = new Map<number, number>();
  private bands = new U32MultiMap(4096);
  private prints: (Fingerprint | undefined)[] = [];
  private items: number[] = [];
  private slotOf = new Map<number, number>();
  private removed = 0;

  /**
   * The earliest added original this text copies, else the earliest it is a later version of (`revision`), or
   * null. Does not add it.
   */
  find(exactKey: number, print: Fingerprint): DuplicateMatch | null {
    const same = this.exact.get(exactKey);
    if (same !== undefined) return { original: same, kind: 'exact', jaccard: 1, containment: 1, revision: false };
    // a copy of any original beats a revision of an earlier one: a copy of "UPDATE 2" is a copy of UPDATE 2, not a
    // later version of the first report
    let copy: DuplicateMatch | null = null;
    let revised: DuplicateMatch | null = null;
    const tried = new Set<number>();
    for (const key of bandKeys(print.signature)) {
      this.bands.forEach(key, (slot) => {
        if (tried.has(slot)) return;
        tried.add(slot);
        const other = this.prints[slot];
        const item = this.items[slot];
        if (other === undefined || item === undefined) return;
        const jaccard = estimateJaccard(print, other);
        const containment = estimateContainment(print, other, jaccard);
        const small = Math.min(print.shingles, other.shingles);
        const large = Math.max(print.shingles, other.shingles);
        // the containment estimate is only sound when the sizes are comparable: from Jaccard alone, a short
        // text beside a long one looks contained at any overlap
        const comparable =
          small >= MIN_SHINGLES_FOR_CONTAINMENT && small * 2 >= large && jaccard >= MIN_JACCARD_CONTAINED;
        if (jaccard < NEAR_JACCARD && !(comparable && containment >= NEAR_CONTAINMENT)) return;
        const added = print.shingles - other.shingles;
        const revision = containment >= NEAR_CONTAINMENT && added >= REVISION_SHINGLES;
        const match: DuplicateMatch = { original: item, kind: 'near', jaccard, containment, revision };
        // the earliest original wins, so chains of copies all point at the first publication
        if (revision) {
          if (revised === null || item < revised.original) revised = match;
        } else if (copy === null || item < copy.original) copy = match;
      });
    }
    return copy ?? revised;
  }

  /** Registers an original (copies are not added: they point at their original instead). */
  add(item: number, exactKey: number, print: Fingerprint): void {
    if (!this.exact.has(exactKey)) this.exact.set(exactKey, item);
    const slot = this.prints.length;
    this.prints.push(print);
    this.items.push(item);
    this.slotOf.set(item, slot);
    for (const key of bandKeys(print.signature)) this.bands.add(key, slot);
  }

  /** Forgets an original (it left the window copies are looked for in). The table is rebuilt once half is gone. */
  remove(item: number, exactKey: number): void {
    if (this.exact.get(exactKey) === item) this.exact.delete(exactKey);
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slotOf.delete(item);
    this.prints[slot] = undefined;
    this.removed++;
    if (this.removed * 2 > this.prints.length && this.prints.length > 1024) this.compact();
  }

  get size(): number {
    return this.slotOf.size;
  }

  private compact(): void {
    const prints = this.prints;
    const items = this.items;
    this.bands = new U32MultiMap(4096);
    this.prints = [];
    this.items = [];
    this.slotOf = new Map();
    this.removed = 0;
    prints.forEach((print, slot) => {
      const item = items[slot];
      if (print === undefined || item === undefined) return;
      const at = this.prints.length;
      this.prints.push(print);
      this.items.push(item);
      this.slotOf.set(item, at);
      for (const key of bandKeys(print.signature)) this.bands.add(key, at);
    });
  }
}

/** The warning a copy carries, naming its original. */
export function describeCopy(
  copy: DuplicateMatch,
  original: { readonly id: string; readonly source: string | null; readonly title: string },
): string {
  const from = reportOf(original);
  if (copy.kind === 'exact') return `Re-publishes ${from}'s report word for word (article ${original.id}).`;
  const same = Math.round(100 * copy.jaccard);
  const held = Math.round(100 * copy.containment);
  return `Re-publishes ${from}'s report with changes (article ${original.id}): ${same}% of the wording is the same, ${held}% of the shorter text is in the other.`;
}

/** The warning a later version with text of its own carries, naming what it revises. */
export function describeRevision(original: {
  readonly id: string;
  readonly source: string | null;
  readonly title: string;
}): string {
  return `Re-issues ${reportOf(original)}'s report with text of its own added (article ${original.id}).`;
}

/** Whose report an original is: its outlet, else its title in quotes. */
function reportOf(original: { readonly source: string | null; readonly title: string }): string {
  return original.source ?? `"${original.title}"`;
}
