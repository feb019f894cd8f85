// Incremental story grouping. Each article arrives once, gets TF-IDF vectors with IDF fixed at arrival, finds
// candidate neighbours through an inverted index of its strongest terms and names, and joins the story of its
// most similar neighbour (max-link) when that similarity, damped by the time between them, clears a threshold;
// otherwise it starts a story. Earlier decisions never change, so story ids are stable across runs. Articles can
// be restored (start-up, from the vectors stored when they arrived) and evicted (when they leave the time window),
// so one grouper can run for months over a bounded window.
import type { BackgroundVocabulary } from './background.js';
import { daysAgreement } from './dates-in-text.js';
import { type IdBag, nameId, type TextFeatures } from './features.js';
import { fnv1a, termId } from './text.js';
import { U32Counter } from './u32-counter.js';

export interface GroupingOptions {
  /** Join the best story when the similarity to its closest member reaches this. */
  threshold: number;
  /** Weight of the names channel in the combined similarity (the words channel gets the rest). */
  entityShare: number;
  /** Below this words similarity the names channel counts in proportion (0: always in full). */
  wordsFloor: number;
  /**
   * Below this names similarity the words channel counts in proportion (0: always in full): the same template over
   * other protagonists (two companies' quarterly results told in one wire's words).
   */
  namesFloor: number;
  /** Days over which similarity halves (1 / (1 + (days / scale)^2)). */
  timeScaleDays: number;
  /** Articles further apart than this are never compared. */
  windowDays: number;
  /** How many typical articles the background vocabulary stands for (its weight against the stream's counts). */
  backgroundDocuments: number;
  /**
   * The background never outweighs the stream by more than this factor: in a small, focused batch (five articles
   * on one envoy) the batch itself says which words name the topic and which tell its events apart.
   */
  backgroundRatio: number;
  /** Similarity factor (1 - x) when both texts name months (without a year) and none in common. */
  monthWeight: number;
  /** Smoothing of the stream-spread factor (n - df + k) / (n + k); large values switch it off. */
  spreadSmoothing: number;
  /** Similarity factor when both leads name the day of the event: agreeing (1 + x), disagreeing (1 - x). */
  anchorWeight: number;
  /** Two leads' days agree within this many days (a report written after midnight, a story told over days). */
  dayTolerance: number;
  /**
   * Similarity factor (1 - x) for two reports of one outlet whose leads each name only the day they were published
   * on, and different days (however close): each tells that day's happening (Monday's market close, Tuesday's), not
   * a story told over days (a follow-up names the day it follows up: "Thursday's explosion", "a day after"). 0 (the
   * default): the days are compared as any others. Measured and not taken (ADR 001): one outlet's next-day
   * reactions ("The Kremlin said on Tuesday that the talks had been useful") name only their own day too.
   */
  ownDayConflict: number;
  /**
   * Share of the stream-spread damping (spreadSmoothing) kept between two leads that name the same day: reports of
   * one day's event share its words because they tell it, so in a young stream that is all that event, damping
   * them in full splits its next report into a story of its own (1: full damping, 0: none).
   */
  sameDaySpread: number;
  /**
   * Similarity factor (1 - x) when one text has no date and the latest years the two name (or its publish year)
   * are two or more apart: in a batch of undated texts, what years they name is the only clock.
   */
  eraWeight: number;
  /**
   * Similarity factor (1 - x) for each thing (up to two) both leads count with different numbers and no count in
   * common: "12 dead" against "3 dead", magnitude 6.1 against 5.4.
   */
  countWeight: number;
}

export const DEFAULT_GROUPING: GroupingOptions = {
  threshold: 0.245,
  entityShare: 0.5,
  wordsFloor: 0.2,
  namesFloor: 0.15,
  timeScaleDays: 10,
  windowDays: 45,
  backgroundDocuments: 3000,
  backgroundRatio: 10,
  anchorWeight: 0.2,
  spreadSmoothing: 1,
  monthWeight: 0.4,
  dayTolerance: 1,
  ownDayConflict: 0,
  sameDaySpread: 0.5,
  eraWeight: 0.3,
  countWeight: 0.3,
};

export interface SparseVector {
  ids: Uint32Array;
  weights: Float32Array;
}

/** What grouping keeps of an article, compact enough to store and to rebuild the grouper from at start-up. */
export interface MemberVectors {
  /** Strongest terms and names, unit length, sorted by id (ids are 32-bit hashes of the stemmed word or name). */
  terms: SparseVector;
  entities: SparseVector;
  /** Days the lead names, resolved (UTC day numbers, ascending); absent in records stored before they were kept. */
  days?: readonly number[];
  /** Latest year the text names (see TextFeatures); absent in older records and when it names none. */
  latestYear?: number;
  /** Days the lead names that could not be resolved ("fri", "apr 11"). */
  anchors: readonly string[];
  months: readonly string[];
  /** What the lead counts ("dead=12"); absent in records stored before they were kept. */
  counts?: readonly string[];
  /** The language of a text that is not English ('es', 'de'); absent for English (and in older records). */
  language?: string;
  /** Every term and name id of the article (its document-frequency contribution), sorted. */
  bag: Uint32Array;
}

interface Member extends MemberVectors {
  time: number | null;
  story: number;
  /** fnv1a of the outlet's name (lower case), when known: one outlet's reports of two days are compared as such. */
  source?: number;
}

const MAX_TERMS = 60;
const MAX_ENTITIES = 40;
/** Strongest terms/names an article is filed under in the inverted index, and looks up. */
const INDEX_TERMS = 16;
const INDEX_ENTITIES = 12;
const QUERY_TERMS = 10;
const QUERY_ENTITIES = 8;
/** Newest postings scanned per term: the index stays a bounded read at any stream length. */
const MAX_POSTINGS = 80;
/** Candidates (most shared index terms first) whose similarity is computed. */
const MAX_COMPARED = 25;
const DAY_MS = 86_400_000;
const NO_DAYS: readonly number[] = [];
const NO_COUNTS: readonly string[] = [];
/** Conflicting counts that damp: two (toll and magnitude) say enough. */
const MAX_COUNT_CONFLICTS = 2;
/**
 * Across languages only names can agree: they count this much of what they would alone. A Spanish report of a
 * Moscow meeting met the English one at 0.39 before the discount; a Spanish report of another Kremlin event that
 * day at 0.23, a hair under the threshold.
 */
const CROSS_LANGUAGE_NAMES = 0.8;
/** Undated texts whose years are this far apart are about different times. */
const ERA_GAP_YEARS = 2;
/** Below this many articles nobody can tell a subject word from an event word. */
const MIN_SPREAD_DOCUMENTS = 4;

/** The year a member says it is from: its publish year, else the latest year its text names (a lower bound). */
function eraOf(m: { time: number | null; latestYear?: number }): number | undefined {
  return m.time === null ? m.latestYear : new Date(m.time).getUTCFullYear();
}

/**
 * An article's distinct ids (ascending) in its first `size` places, each with its summed term frequency, its document
 * frequency once the article is counted and its background probability (both read in the one probe that counts it).
 * The grouper keeps one for the terms and one for the names, filled anew for every article (grown as needed).
 */
class CountedIds {
  size = 0;
  ids = new Uint32Array(256);
  tfs = new Float64Array(256);
  df = new Float64Array(256);
  background = new Float64Array(256);

  /** Room for `n` ids; what it held is forgotten. */
  reserve(n: number): void {
    this.size = 0;
    if (this.ids.length >= n) return;
    this.ids = new Uint32Array(n * 2);
    this.tfs = new Float64Array(n * 2);
    this.df = new Float64Array(n * 2);
    this.background = new Float64Array(n * 2);
  }
}

/** The entries of `common` with their spread losses, in parallel. */
interface CommonLosses {
  ids: readonly number[];
  loss: readonly number[];
  /** These losses x the grouper's sameDaySpread, made once for all the pairs compared with them. */
  sameDay?: CommonLosses;
}

/** The same losses, each x `share` (1: as they are); one grouper always asks with the same share. */
function scaled(losses: CommonLosses, share: number): CommonLosses {
  if (share === 1) return losses;
  losses.sameDay ??= { ids: losses.ids, loss: losses.loss.map((x) => x * share) };
  return losses.sameDay;
}

/** Places in a bag below this are sorted packed with their id (id x PLACES + place is exact in a double). */
const PLACES = 2 ** 20;

/**
 * Places 0..n-1 ordered by their 32-bit id (idOf[place]), equal ids in place order, into order[0..n): a native sort
 * of packed numbers.
 */
function byIdThenPlace(idOf: Float64Array, n: number, order: Float64Array): void {
  if (n >= PLACES) {
    const places = Array.from({ length: n }, (_, i) => i).sort((a, b) => (idOf[a] ?? 0) - (idOf[b] ?? 0) || a - b);
    order.set(places);
    return;
  }
  for (let i = 0; i < n; i++) order[i] = (idOf[i] ?? 0) * PLACES + i;
  order.subarray(0, n).sort();
  for (let i = 0; i < n; i++) {
    const v = order[i] ?? 0;
    order[i] = v - Math.floor(v / PLACES) * PLACES;
  }
}

/** Counting's working arrays, reused from bag to bag (grown as needed): a bag's keys, their weights, ids and order. */
const countScratch = {
  keys: [] as string[],
  given: new Float64Array(512),
  idOf: new Float64Array(512),
  order: new Float64Array(512),
};

function countScratchFor(n: number): typeof countScratch {
  if (countScratch.given.length < n) {
    const size = n * 2;
    countScratch.given = new Float64Array(size);
    countScratch.idOf = new Float64Array(size);
    countScratch.order = new Float64Array(size);
  }
  return countScratch;
}

/** The id of a stemmed term or a name: a 32-bit hash, so ids need no shared vocabulary to be stored or restored. */
export function featureId(key: string, kind: 't' | 'e'): number {
  return kind === 't' ? termId(key) : nameId(key);
}

export class StoryGrouper {
  private readonly options: GroupingOptions;
  /**
   * Articles (in the grouper now) that use each id, each with its background probability (backgroundOf) remembered
   * beside it while the id is counted: one probe reads both.
   */
  private readonly df = new U32Counter();
  private readonly background: BackgroundVocabulary | undefined;
  /** Vocabulary entries more than half of the stream's articles use: damped in similarity (spreadCosine). */
  private readonly common = new Set<number>();
  /**
   * Members filed under each id (file), oldest first, keyed by the id as a signed 32-bit integer (postingKey): a
   * small integer the Map hashes and compares in place, where half the unsigned ids would be boxed numbers.
   */
  private readonly postings = new Map<number, number[]>();
  /**
   * Members by number: member n in slot n - firstMember. Numbers are handed out in order and the engine evicts in
   * arrival order, so the emptied slots at the front are dropped (dropLeadingEmptySlots) and the array spans the
   * window; an index read is cheaper than a Map lookup on the candidate scan's hot path.
   */
  private readonly memberSlots: (Member | undefined)[] = [];
  /** The member number of memberSlots[0]. */
  private firstMember = 0;
  /** Empty slots at the front of memberSlots. */
  private leadingEmpty = 0;
  private memberCount = 0;
  /** Hits per member slot while bestStory scans the postings (all zero between scans); grown with memberSlots. */
  private hitCounts = new Uint32Array(1024);
  private readonly storyMembers = new Map<number, number[]>();
  /** Latest era (eraOf) any member of a story states, with how many members state it. */
  private readonly storyEra = new Map<number, { year: number; count: number }>();
  /** This article's counted terms and names (add), reused from article to article. */
  private readonly termCounts = new CountedIds();
  private readonly nameCounts = new CountedIds();
  /** vectorize()'s weights, reused from vector to vector (grown as needed). */
  private weightScratch = new Float64Array(256);
  private commonStale = false;
  private nextMember = 0;
  private nextStory = 0;
  private documents = 0;

  constructor(options: Partial<GroupingOptions> = {}, background?: BackgroundVocabulary) {
    this.options = { ...DEFAULT_GROUPING, ...options };
    this.background = background;
  }

  /** One more than the highest story number handed out (stories may since have been evicted). */
  get storyCount(): number {
    return this.nextStory;
  }

  /** Articles the grouper holds now. */
  get size(): number {
    return this.memberCount;
  }

  membersOf(story: number): readonly number[] {
    return this.storyMembers.get(story) ?? [];
  }

  vectorsOf(member: number): MemberVectors | undefined {
    return this.memberOf(member);
  }

  storyOf(member: number): number | null {
    return this.memberOf(member)?.story ?? null;
  }

  /** The member numbered `member`, if the grouper holds it. */
  private memberOf(member: number): Member | undefined {
    const slot = member - this.firstMember;
    return slot >= 0 ? this.memberSlots[slot] : undefined;
  }

  /** Drops the emptied slots at the front once they are over half the array (as the engine trims its window). */
  private dropLeadingEmptySlots(): void {
    const slots = this.memberSlots;
    while (this.leadingEmpty < slots.length && slots[this.leadingEmpty] === undefined) this.leadingEmpty++;
    if (this.leadingEmpty > 1024 && this.leadingEmpty * 2 > slots.length) {
      slots.splice(0, this.leadingEmpty);
      this.firstMember += this.leadingEmpty;
      this.leadingEmpty = 0;
    }
  }

  /** Adds an article; returns its member number and the story it joined or started. */
  add(
    features: TextFeatures,
    time: number | null,
    source: string | null = null,
  ): { member: number; story: number; similarity: number; vectors: MemberVectors } {
    if (this.commonStale) this.recomputeCommon();
    this.documents++;
    const termIds = this.countTerms(features.terms);
    const entityIds = this.countNames(features.entities);
    // an id both a term and a name have (a hash collision) was counted again with the names
    countedAgain(termIds, entityIds);
    this.updateCommon(termIds);
    this.updateCommon(entityIds);
    const bag = new Uint32Array(termIds.size + entityIds.size);
    bag.set(termIds.ids.subarray(0, termIds.size));
    bag.set(entityIds.ids.subarray(0, entityIds.size), termIds.size);
    bag.sort();
    const member: Member = {
      terms: this.vectorize(termIds, MAX_TERMS),
      entities: this.vectorize(entityIds, MAX_ENTITIES),
      days: features.days,
      ...(features.latestYear === null ? {} : { latestYear: features.latestYear }),
      anchors: features.anchors,
      months: features.months,
      ...(features.counts.length > 0 ? { counts: features.counts } : {}),
      ...(features.language === null ? {} : { language: features.language }),
      bag,
      time,
      story: -1,
      ...this.outletOf(source),
    };
    const best = this.bestStory(member);
    const story = best !== null && best.similarity >= this.options.threshold ? best.story : this.nextStory++;
    const index = this.place(member, story);
    return { member: index, story, similarity: best?.similarity ?? 0, vectors: featuresOf(member) };
  }

  /**
   * Puts back an article grouped earlier (at start-up), with the vectors computed when it arrived, into story
   * `story` (a number the caller keeps for it). Call refresh() after the last one.
   */
  restore(vectors: MemberVectors, time: number | null, story: number, source: string | null = null): number {
    this.documents++;
    for (const id of vectors.bag) this.df.add(id, 1);
    if (story >= this.nextStory) this.nextStory = story + 1;
    return this.place({ ...vectors, time, story, ...this.outletOf(source) }, story);
  }

  /** The member's outlet key, kept only while a rule reads it (ownDayConflict): otherwise nothing to compute. */
  private outletOf(source: string | null): { source?: number } {
    return this.options.ownDayConflict > 0 ? sourceKey(source) : {};
  }

  /** Marks the stream-wide state that restore() leaves alone for recomputing (once, before the next add). */
  refresh(): void {
    this.commonStale = true;
  }

  private recomputeCommon(): void {
    this.commonStale = false;
    this.common.clear();
    if (this.documents < MIN_SPREAD_DOCUMENTS) return;
    this.df.forEach((id, n) => {
      if (n * 2 > this.documents) this.common.add(id);
    });
  }

  /** Takes an article out (it left the time window): it is no candidate any more and no longer counts in IDF. */
  evict(member: number): void {
    const m = this.memberOf(member);
    if (!m) return;
    this.memberSlots[member - this.firstMember] = undefined;
    this.memberCount--;
    this.dropLeadingEmptySlots();
    this.documents--;
    for (const id of m.bag) this.df.add(id, -1);
    const list = this.storyMembers.get(m.story);
    if (list) {
      const rest = list.filter((x) => x !== member);
      if (rest.length > 0) this.storyMembers.set(m.story, rest);
      else {
        this.storyMembers.delete(m.story);
        this.storyEra.delete(m.story);
      }
      const era = eraOf(m);
      const had = this.storyEra.get(m.story);
      if (rest.length > 0 && era !== undefined && had !== undefined && era === had.year) {
        if (had.count > 1) had.count--;
        else {
          this.storyEra.delete(m.story);
          for (const other of rest) {
            const o = this.memberOf(other);
            if (o) this.addEra(m.story, o);
          }
        }
      }
    }
    for (const id of [...topIds(m.terms, INDEX_TERMS), ...topIds(m.entities, INDEX_ENTITIES)]) {
      const postings = this.postings.get(postingKey(id));
      if (!postings) continue;
      // members arrive in order, so the evicted are at the front
      let drop = 0;
      while (drop < postings.length && this.memberOf(postings[drop] ?? -1) === undefined) drop++;
      if (drop === postings.length) this.postings.delete(postingKey(id));
      else if (drop > 0) postings.splice(0, drop);
    }
  }

  private place(member: Member, story: number): number {
    const index = this.nextMember++;
    member.story = story;
    const list = this.storyMembers.get(story);
    if (list) list.push(index);
    else this.storyMembers.set(story, [index]);
    this.memberSlots.push(member);
    this.memberCount++;
    this.addEra(story, member);
    this.file(index, member.terms, INDEX_TERMS);
    this.file(index, member.entities, INDEX_ENTITIES);
    return index;
  }

  private addEra(story: number, member: Member): void {
    const era = eraOf(member);
    if (era === undefined) return;
    const had = this.storyEra.get(story);
    if (had === undefined || era > had.year) this.storyEra.set(story, { year: era, count: 1 });
    else if (era === had.year) had.count++;
  }

  /**
   * Similarity factor of joining `story`: (1 - eraWeight) when the article and the story state eras (eraOf) two or
   * more years apart, unless both the article and every member are dated (the time decay has said it then).
   */
  private storyEraFactor(member: Member, story: number, linked: Member): number {
    const era = eraOf(member);
    const had = this.storyEra.get(story);
    if (era === undefined || had === undefined) return 1;
    if (member.time !== null && linked.time !== null) return 1;
    return Math.abs(era - had.year) >= ERA_GAP_YEARS ? 1 - this.options.eraWeight : 1;
  }

  /** Similarity of two members, with time damping. */
  similarity(a: number, b: number): number {
    const x = this.memberOf(a);
    const y = this.memberOf(b);
    return x && y ? this.memberSimilarity(x, y) : 0;
  }

  private memberSimilarity(x: Member, y: Member, streamLosses: CommonLosses = this.commonLosses()): number {
    // two leads that each tell the day they were published, different days: two days' happenings, however close
    // the days (the tolerance is for a report of a day written after its midnight, which names that day)
    const ownDays = this.options.ownDayConflict > 0 && tellsOwnDay(x) && tellsOwnDay(y) && x.days?.[0] !== y.days?.[0];
    const oneOutlet = ownDays && x.source !== undefined && x.source === y.source;
    const dayAgreement = ownDays ? -1 : daysAgreement(x.days ?? NO_DAYS, y.days ?? NO_DAYS, this.options.dayTolerance);
    const losses = dayAgreement > 0 ? scaled(streamLosses, this.options.sameDaySpread) : streamLosses;
    const plainWords = cosine(x.terms, y.terms);
    const words = this.spreadCosine(x.terms, y.terms, losses, plainWords);
    let sim = words;
    if ((x.language ?? 'en') !== (y.language ?? 'en')) {
      // two languages share no words, but they name the same people and places: the names alone speak (nothing
      // to gate them by), discounted for being the only evidence, with the day, counts and time as for any pair
      sim = CROSS_LANGUAGE_NAMES * this.spreadCosine(x.entities, y.entities, losses);
    } else if (x.entities.ids.length > 0 && y.entities.ids.length > 0) {
      const share = this.options.entityShare;
      // names say who and where, words what happened: the same names over different happenings (a strike and a
      // prisoner exchange in one capital) count only as far as the words agree too
      // (the words as written, before the stream's common words are damped: in a stream about one event every
      // telling shares its words, which is agreement, not a lack of it)
      const gate = this.options.wordsFloor > 0 ? Math.min(1, plainWords / this.options.wordsFloor) : 1;
      // and the same words over other protagonists (one template, two companies) count only as far as names agree
      const plainNames = cosine(x.entities, y.entities);
      const namesGate = this.options.namesFloor > 0 ? Math.min(1, plainNames / this.options.namesFloor) : 1;
      const names = this.spreadCosine(x.entities, y.entities, losses, plainNames);
      sim = (1 - share) * namesGate * words + share * gate * names;
    }
    let sameDay = false;
    if (this.options.anchorWeight > 0) {
      let agree = dayAgreement;
      if (agree === 0 && x.anchors.length > 0 && y.anchors.length > 0) {
        agree = x.anchors.some((a) => y.anchors.includes(a)) ? 1 : -1;
      }
      if (oneOutlet) sim *= 1 - this.options.ownDayConflict;
      else if (agree !== 0) sim *= 1 + agree * this.options.anchorWeight;
      sameDay = agree > 0;
    }
    if (x.months.length > 0 && y.months.length > 0 && !x.months.some((m) => y.months.includes(m))) {
      sim *= 1 - this.options.monthWeight;
    }
    // a toll revised during the day ("3 dead", later "12 dead") is one event: counts speak only without a common day
    if (this.options.countWeight > 0 && !sameDay) {
      const conflicts = countConflicts(x.counts ?? NO_COUNTS, y.counts ?? NO_COUNTS);
      if (conflicts > 0) sim *= (1 - this.options.countWeight) ** Math.min(conflicts, MAX_COUNT_CONFLICTS);
    }
    if (x.time !== null && y.time !== null) {
      const days = Math.abs(x.time - y.time) / DAY_MS / this.options.timeScaleDays;
      sim /= 1 + days * days;
    } else if (this.options.eraWeight > 0) {
      const a = x.time === null ? x.latestYear : new Date(x.time).getUTCFullYear();
      const b = y.time === null ? y.latestYear : new Date(y.time).getUTCFullYear();
      if (a !== undefined && b !== undefined && Math.abs(a - b) >= ERA_GAP_YEARS) sim *= 1 - this.options.eraWeight;
    }
    return sim;
  }

  private bestStory(member: Member): { story: number; similarity: number } | null {
    // hits counted by member slot, in an array kept for every scan and zeroed after it (members hit, in `hit`)
    if (this.hitCounts.length < this.memberSlots.length) this.hitCounts = new Uint32Array(2 * this.memberSlots.length);
    const counts = this.hitCounts;
    const first = this.firstMember;
    const hit: number[] = [];
    const window = this.options.windowDays * DAY_MS;
    const common = this.documents >= 50 ? this.documents * 0.2 : Number.POSITIVE_INFINITY;
    const scan = (vector: SparseVector, limit: number) => {
      for (const id of topIds(vector, limit)) {
        if (this.df.get(id) > common) continue;
        const list = this.postings.get(postingKey(id));
        if (!list) continue;
        for (let i = list.length - 1, seen = 0; i >= 0 && seen < MAX_POSTINGS; i--, seen++) {
          const other = list[i] ?? 0;
          const m = this.memberOf(other);
          if (!m) continue;
          const t = m.time;
          if (member.time !== null && t !== null && Math.abs(member.time - t) > window) continue;
          const had = counts[other - first] ?? 0;
          counts[other - first] = had + 1;
          if (had === 0) hit.push(other);
        }
      }
    };
    scan(member.terms, QUERY_TERMS);
    scan(member.entities, QUERY_ENTITIES);
    if (hit.length === 0) return null;
    const candidates = mostHit(hit, (other) => counts[other - first] ?? 0, MAX_COMPARED);
    for (const other of hit) counts[other - first] = 0;
    let best: { story: number; similarity: number } | null = null;
    // the spread factors stay as they are while the candidates are compared: computed once for all of them
    const losses = this.commonLosses();
    for (const other of candidates) {
      const m = this.memberOf(other);
      if (!m) continue;
      let similarity = this.memberSimilarity(member, m, losses);
      // a pair that both state an era was judged by the pair rule (memberSimilarity); doubling it splits stories
      if (eraOf(member) === undefined || eraOf(m) === undefined) similarity *= this.storyEraFactor(member, m.story, m);
      if (best === null || similarity > best.similarity) best = { story: m.story, similarity };
    }
    return best;
  }

  /**
   * Cosine with every entry damped by how much of the stream uses it now, (n - df + k) / (n + k): a word most
   * articles of the stream use names the stream's subject, not an event (the probabilistic-IDF idea). In a broad
   * stream the factor is ~1; in a focused batch (five articles on one envoy's meetings) it leaves what differs.
   */
  private spreadCosine(
    a: SparseVector,
    b: SparseVector,
    losses: CommonLosses = this.commonLosses(),
    plain: number = cosine(a, b),
  ): number {
    // Vectors are unit length; only the few "common" entries (df > n/2) change. Correct for those alone.
    let dot = plain;
    if (losses.ids.length === 0) return dot;
    let na = 1;
    let nb = 1;
    for (let c = 0; c < losses.ids.length; c++) {
      const id = losses.ids[c] ?? 0;
      const loss = losses.loss[c] ?? 0;
      const wa = weightOf(a, id);
      const wb = weightOf(b, id);
      na -= wa * wa * loss;
      nb -= wb * wb * loss;
      dot -= wa * wb * loss;
    }
    return na > 1e-9 && nb > 1e-9 ? dot / Math.sqrt(na * nb) : 0;
  }

  /** Each common entry (in `common`'s order) with its loss 1 - f^2 of the spread factor f, as of now. */
  private commonLosses(): CommonLosses {
    const ids: number[] = [];
    const loss: number[] = [];
    const k = this.options.spreadSmoothing;
    const n = this.documents;
    for (const id of this.common) {
      const f = (n - this.df.get(id) + k) / (n + k);
      ids.push(id);
      loss.push(1 - f * f);
    }
    return { ids, loss };
  }

  /** Keeps `common` = entries more than half the stream uses (once the stream is big enough to say). */
  private updateCommon(counted: CountedIds): void {
    const n = this.documents;
    if (n < MIN_SPREAD_DOCUMENTS) return;
    const { ids, df, size } = counted;
    for (let i = 0; i < size; i++) if ((df[i] ?? 0) * 2 > n) this.common.add(ids[i] ?? 0);
    for (const id of this.common) if (this.df.get(id) * 2 <= n) this.common.delete(id);
  }

  /** The names' frequencies by id (into nameCounts); counts the article into the document frequencies. */
  private countNames(bag: IdBag): CountedIds {
    return this.countScratch(this.scratchOf(bag), 'e', this.nameCounts);
  }

  /** countNames() of the terms (into termCounts). */
  private countTerms(bag: IdBag): CountedIds {
    return this.countScratch(this.scratchOf(bag), 't', this.termCounts);
  }

  /** Puts a bag's keys, frequencies and ids into the counting scratch, in the order it holds them; returns how many. */
  private scratchOf(bag: IdBag): number {
    const n = bag.ids.length;
    const { keys, given, idOf } = countScratchFor(n);
    for (let k = 0; k < n; k++) {
      keys[k] = bag.keys[k] ?? '';
      given[k] = bag.weights[k] ?? 0;
      idOf[k] = bag.ids[k] ?? 0;
    }
    return n;
  }

  /**
   * Counting of the `n` entries its scratch holds, in bag order (keys, given frequencies and ids), into `out`: each
   * distinct id's background probability is read (or looked up by the first key that gave it) in the probe that
   * counts it.
   */
  private countScratch(n: number, namespace: 't' | 'e', out: CountedIds): CountedIds {
    const { keys, given, idOf, order } = countScratch;
    byIdThenPlace(idOf, n, order);
    out.reserve(n);
    const { ids, tfs, df, background } = out;
    let distinct = 0;
    let last = -1;
    for (let o = 0; o < n; o++) {
      const place = order[o] ?? 0;
      const id = idOf[place] ?? 0;
      if (id === last) {
        tfs[distinct - 1] = (tfs[distinct - 1] ?? 0) + (given[place] ?? 0);
        continue;
      }
      last = id;
      const slot = this.df.slotAfterAdding(id, 1);
      df[distinct] = this.df.countAt(slot);
      background[distinct] = this.backgroundOf(slot, id, keys[place] ?? '', namespace);
      ids[distinct] = id;
      tfs[distinct++] = given[place] ?? 0;
    }
    out.size = distinct;
    return out;
  }

  /** Sublinear TF x IDF (IDF as of now: fixed at arrival), strongest `limit` kept, L2-normalised, sorted by id. */
  private vectorize(counts: CountedIds, limit: number): SparseVector {
    const backgroundDocs = this.background
      ? Math.min(this.options.backgroundDocuments, this.options.backgroundRatio * this.documents)
      : 0;
    const documents = this.documents + backgroundDocs;
    const n = counts.size;
    if (this.weightScratch.length < n) this.weightScratch = new Float64Array(n * 2);
    const weight = this.weightScratch;
    for (let i = 0; i < n; i++) {
      const df = counts.df[i] || 1;
      const bg = backgroundDocs > 0 ? backgroundDocs * (counts.background[i] ?? 0) : 0;
      const idf = Math.log(1 + documents / (df + bg));
      weight[i] = (1 + Math.log(counts.tfs[i] ?? 0)) * idf;
    }
    // the `limit` heaviest, ties to the lower id: the weight they must reach (orderStatistic), then every heavier
    // entry and the first equal ones in id order (ids are ascending), so the kept entries stay sorted by id
    let cut = Number.NEGATIVE_INFINITY;
    let equal = n;
    if (n > limit) {
      cut = orderStatistic(weight, n, n - limit);
      let heavier = 0;
      for (let i = 0; i < n; i++) if ((weight[i] ?? 0) > cut) heavier++;
      equal = limit - heavier;
    }
    // the kept entries' squared norm (in id order), then the entries (the same ones: the equal ones counted again)
    let kept = 0;
    let norm = 0;
    for (let i = 0, equalLeft = equal; i < n; i++) {
      const w = weight[i] ?? 0;
      if (w > cut || (w === cut && equalLeft-- > 0)) {
        kept++;
        norm += w * w;
      }
    }
    norm = Math.sqrt(norm) || 1;
    const ids = new Uint32Array(kept);
    const weights = new Float32Array(kept);
    for (let i = 0, j = 0, equalLeft = equal; i < n; i++) {
      const w = weight[i] ?? 0;
      if (w > cut || (w === cut && equalLeft-- > 0)) {
        ids[j] = counts.ids[i] ?? 0;
        weights[j++] = w / norm;
      }
    }
    return { ids, weights };
  }

  /**
   * General-English probability of `id`, counted in `slot` (0 without a background vocabulary), looked up by `key`
   * the first time and remembered with the id's count: an id a term and a name share (a hash collision) keeps the
   * probability of the first of them met.
   */
  private backgroundOf(slot: number, id: number, key: string, namespace: 't' | 'e'): number {
    const background = this.background;
    if (!background) return 0;
    let p = this.df.rememberedAt(slot);
    if (Number.isNaN(p)) {
      p = namespace === 't' ? background.termProbability(key, id) : background.nameProbability(key);
      this.df.remember(slot, p);
    }
    return p;
  }

  private file(member: number, vector: SparseVector, limit: number): void {
    for (const id of topIds(vector, limit)) {
      let list = this.postings.get(postingKey(id));
      if (!list) {
        list = [];
        this.postings.set(postingKey(id), list);
      }
      list.push(member);
    }
  }
}

/** The postings key of an id: its 32 bits as a signed integer (one key per id, as the id is). */
function postingKey(id: number): number {
  return id | 0;
}

/** Weight of an entry of a vector sorted by id (binary search), 0 when absent. */
function weightOf(v: SparseVector, id: number): number {
  let lo = 0;
  let hi = v.ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = v.ids[mid] ?? 0;
    if (x === id) return v.weights[mid] ?? 0;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Ids of the `limit` heaviest entries of a vector. */
function topIds(v: SparseVector, limit: number): number[] {
  const n = v.ids.length;
  if (n <= limit) return Array.from(v.ids);
  // the limit-th heaviest weight (orderStatistic), then every heavier entry and equal ones in order: the set a stable
  // sort by weight gives, without sorting (it runs for every article)
  const cut = orderStatistic(v.weights, n, n - limit);
  let heavier = 0;
  for (let i = 0; i < n; i++) if ((v.weights[i] ?? 0) > cut) heavier++;
  let equal = limit - heavier;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = v.weights[i] ?? 0;
    if (w > cut || (w === cut && equal-- > 0)) out.push(v.ids[i] ?? 0);
  }
  return out;
}

/**
 * The `limit` members (each listed once) with most hits, most first and ties to the higher member number: what
 * sorting every hit by (hits, member) descending and keeping the first `limit` gives, from hits grouped by their
 * count (small integers) so that only the groups that are reached are sorted.
 */
function mostHit(members: readonly number[], hitsOf: (member: number) => number, limit: number): number[] {
  const byCount: number[][] = [];
  for (const member of members) {
    const count = hitsOf(member);
    const group = byCount[count];
    if (group) group.push(member);
    else byCount[count] = [member];
  }
  const out: number[] = [];
  for (let count = byCount.length - 1; count > 0 && out.length < limit; count--) {
    const group = byCount[count];
    if (!group) continue;
    group.sort((a, b) => b - a);
    for (let i = 0; i < group.length && out.length < limit; i++) out.push(group[i] ?? 0);
  }
  return out;
}

/** Adds 1 to the document frequency `counted` holds for each of its ids that `later` has too. */
function countedAgain(counted: CountedIds, later: CountedIds): void {
  const { ids, df, size } = counted;
  const laterIds = later.ids;
  let j = 0;
  for (let i = 0; i < size && j < later.size; i++) {
    const id = ids[i] ?? 0;
    while (j < later.size && (laterIds[j] ?? 0) < id) j++;
    if (j < later.size && laterIds[j] === id) df[i] = (df[i] ?? 0) + 1;
  }
}

/** Scratch for orderStatistic, grown as needed. */
let selectScratch = new Float64Array(256);

/**
 * The k-th smallest value (from 0) of the first `n` of `values`, as a sorted copy would have it at k: found by
 * selection (Hoare's quickselect) in a scratch copy, which is cheaper than sorting the copy. Values holding NaN are
 * sorted instead.
 */
function orderStatistic(values: Float64Array | Float32Array, n: number, k: number): number {
  if (selectScratch.length < n) selectScratch = new Float64Array(n * 2);
  const a = selectScratch;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? 0;
    if (Number.isNaN(v)) return Float64Array.from(values.subarray(0, n)).sort()[k] ?? 0;
    a[i] = v;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] ?? 0;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] ?? 0) < pivot) i++;
      while ((a[j] ?? 0) > pivot) j--;
      if (i <= j) {
        const t = a[i] ?? 0;
        a[i] = a[j] ?? 0;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] ?? 0;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const aIds = a.ids;
  const bIds = b.ids;
  const aWeights = a.weights;
  const bWeights = b.weights;
  const na = aIds.length;
  const nb = bIds.length;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < na && j < nb) {
    const x = aIds[i] ?? 0;
    const y = bIds[j] ?? 0;
    if (x === y) {
      dot += (aWeights[i] ?? 0) * (bWeights[j] ?? 0);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return dot;
}

/**
 * How many things ("dead", "magnitud") two leads count with different numbers, 0 when they share any count (one
 * agreeing number says the same event, and tolls are revised as a story goes on). Counts are sorted "stem=value".
 */
export function countConflicts(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const nounsOf = (list: readonly string[]) => new Set(list.map((c) => c.slice(0, c.indexOf('='))));
  for (const c of a) if (b.includes(c)) return 0;
  const other = nounsOf(b);
  let conflicts = 0;
  for (const noun of nounsOf(a)) if (other.has(noun)) conflicts++;
  return conflicts;
}

/** Whether a member's lead names one day, the (UTC) day it was published on. */
function tellsOwnDay(m: Member): boolean {
  const days = m.days;
  return days !== undefined && days.length === 1 && m.time !== null && days[0] === Math.floor(m.time / DAY_MS);
}

/** What the stored record keeps of a member: the outlet is not a feature (a restore is told it from the record). */
function featuresOf(member: Member): MemberVectors {
  if (member.source === undefined) return member;
  const { source: _outlet, ...vectors } = member;
  return vectors;
}

/** A member's outlet key, when it has a name. */
function sourceKey(source: string | null): { source?: number } {
  const name = source?.trim().toLowerCase() ?? '';
  return name === '' ? {} : { source: fnv1a(name) };
}
