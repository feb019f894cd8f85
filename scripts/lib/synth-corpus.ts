// Large synthetic article streams for the benchmark, built from the eval sets' real text.
// Every generated story copies a real story (gold cluster) with its names replaced, so stories stay distinct while
// the wording, paragraph structure and length distribution stay those of real news.
import type { ArticleInput } from '../../src/domain/types.js';
import { COPY_KINDS, later, makeCopy, OUTLETS } from './copies.js';
import type { EvalRecord } from './eval-data.js';
import { mulberry32, type Rng } from './prng.js';

interface SourceArticle {
  title: string;
  paragraphs: string[];
}

export interface SourceStory {
  cluster: string;
  articles: SourceArticle[];
  /** Capitalised words used as names in this story (seen in a body other than first in a sentence). */
  names: ReadonlySet<string>;
}

// Capitalised words that are not names, kept as they are.
const KEEP = new Set(
  (
    'The A An He She It They We You I In On At By To Of For From With Without About After Before During Since Until ' +
    'When While Where Why How What Who Which This That These Those His Her Their Its Our My There Here But And Or ' +
    'Nor So Yet If As Also Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February ' +
    'March April May June July August September October November December One Two Three Four Five Six Seven Eight ' +
    'Nine Ten Some Many Most More All Both Each Other Such No Not Now Then Still Even Only Just However Meanwhile ' +
    'According Last Next First Second Third New Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec'
  ).split(' '),
);

const NAME_WORD = /\p{Lu}\p{Ll}{2,}/gu;

function collectNames(texts: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(NAME_WORD)) {
      const before = text.slice(Math.max(0, (m.index ?? 0) - 3), m.index ?? 0);
      const startsSentence = before.trim() === '' || /[.!?:"“]\s*$/.test(before);
      if (!startsSentence && !KEEP.has(m[0])) names.add(m[0]);
    }
  }
  return names;
}

/** Real stories with at least one article that has a body. */
export function sourceStories(records: readonly EvalRecord[]): SourceStory[] {
  const byCluster = new Map<string, EvalRecord[]>();
  for (const r of records) {
    const list = byCluster.get(r.cluster) ?? [];
    list.push(r);
    byCluster.set(r.cluster, list);
  }
  const out: SourceStory[] = [];
  for (const [cluster, list] of byCluster) {
    const articles = list
      .map((r) => ({ title: r.title, paragraphs: r.text.split('\n').filter((p) => p.trim() !== '') }))
      .filter((a) => a.paragraphs.length > 0);
    if (articles.length === 0) continue;
    // Headlines are often in title case, so only bodies tell names from ordinary words.
    out.push({ cluster, articles, names: collectNames(list.map((r) => r.text)) });
  }
  return out;
}

const SYLLABLES: readonly string[] = (
  'ka lo mi ren tor vas el dan bri co fen gar hol is jun kel mar nor os pel quin ros sal tev ul var wen yor zan ab ' +
  'ber cal dor eth fil gor hal ith jor kar lem mon nar ost'
).split(' ');

function inventName(rng: Rng): string {
  let s = '';
  const n = rng.int(2, 3);
  for (let i = 0; i < n; i++) s += rng.pick(SYLLABLES);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const NAME_OR_NUMBER = /\p{Lu}\p{Ll}{2,}|(?<![\d.,])\d{2,}(?![\d.,]\d)/gu;

/** A different number with as many digits, so "23 pirates" in one story is "58 pirates" in another. */
function inventNumber(n: string, rng: Rng): string {
  const low = 10 ** (n.length - 1);
  return String(rng.int(low, low * 10 - 1));
}

/** Replaces the story's names and numbers by invented ones, the same replacement every time within one story. */
function renamer(names: ReadonlySet<string>, rng: Rng): (text: string) => string {
  const map = new Map<string, string>();
  return (text) =>
    text.replace(NAME_OR_NUMBER, (w) => {
      const isNumber = w.charCodeAt(0) <= 57;
      if (!isNumber && !names.has(w)) return w;
      let r = map.get(w);
      if (r === undefined) {
        r = isNumber ? inventNumber(w, rng) : inventName(rng);
        map.set(w, r);
      }
      return r;
    });
}

const SENTENCE_BREAK = /(?<=[.!?]["”’]?)\s+(?=["“]?\p{Lu})/u;

/** Swaps one adjacent pair of sentences now and then. */
function jiggle(paragraph: string, rng: Rng): string {
  if (!rng.chance(0.25)) return paragraph;
  const sentences = paragraph.split(SENTENCE_BREAK);
  if (sentences.length < 2) return paragraph;
  const i = rng.int(0, sentences.length - 2);
  const a = sentences[i] ?? '';
  sentences[i] = sentences[i + 1] ?? '';
  sentences[i + 1] = a;
  return sentences.join(' ');
}

/** Story sizes: many single articles, a long tail of big stories. */
function storySize(rng: Rng): number {
  const x = rng.next();
  if (x < 0.35) return 1;
  if (x < 0.65) return rng.int(2, 3);
  if (x < 0.9) return rng.int(4, 8);
  return rng.int(9, 20);
}

export interface GeneratedCorpus {
  inputs: ArticleInput[];
  stories: number;
  /** Generated copy id -> the id of the article it copies. */
  copyOf: Map<string, string>;
  /** `now` just after the last article. */
  now: string;
}

export const BENCH_START = Date.parse('2024-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const SPREAD_DAYS = 60;

/** `size` articles in date order: ~90% story articles, ~10% syndicated copies (exact or near). */
export function generateCorpus(stories: readonly SourceStory[], size: number, seed: number): GeneratedCorpus {
  if (stories.length === 0) throw new Error('no source stories');
  const rng = mulberry32(seed);
  // A story is drawn with the weight of its article count, so the mix of sets (and lengths) follows the real one.
  const weighted = stories.flatMap((story) => story.articles.map(() => story));
  const originals: ArticleInput[] = [];
  const target = Math.round(size * 0.9);
  let storyCount = 0;
  while (originals.length < target) {
    const story = rng.pick(weighted);
    const members = rng.shuffle(story.articles).slice(0, Math.min(storySize(rng), target - originals.length));
    const rename = renamer(story.names, rng);
    const span = rng.int(1, 5);
    const start = BENCH_START + rng.next() * (SPREAD_DAYS - span) * DAY;
    for (const base of members) {
      const paragraphs = base.paragraphs.map((p) => {
        const other = story.articles.length > 1 && rng.chance(0.3) ? rng.pick(story.articles) : null;
        const chosen = other ? (other.paragraphs[rng.int(0, other.paragraphs.length - 1)] ?? p) : p;
        return rename(jiggle(chosen, rng));
      });
      originals.push({
        id: `g${storyCount}-${originals.length}`,
        title: rename(base.title),
        text: paragraphs.join('\n'),
        url: `https://news.example/${storyCount}/${originals.length}`,
        source: rng.pick(OUTLETS),
        publishedAt: new Date(start + rng.next() * span * DAY).toISOString(),
      });
    }
    storyCount += 1;
  }
  const copies: ArticleInput[] = [];
  const copyOf = new Map<string, string>();
  for (let k = 0; originals.length + copies.length < size; k++) {
    const original = rng.pick(originals);
    const publishedAt = later(original.publishedAt ?? new Date(BENCH_START).toISOString(), rng.int(1, 24));
    const source = rng.pick(OUTLETS.filter((o) => o !== original.source));
    const id = `${original.id}-copy${k}`;
    copyOf.set(id, original.id);
    if (rng.chance(0.4)) copies.push({ ...original, id, source, publishedAt, url: `https://wire.example/${id}` });
    else copies.push(makeCopy(original, { kind: rng.pick(COPY_KINDS), id, source, publishedAt }, rng));
  }
  const inputs = [...originals, ...copies].sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''));
  const last = inputs.at(-1)?.publishedAt;
  return {
    inputs,
    stories: storyCount,
    copyOf,
    now: new Date((last ? Date.parse(last) : BENCH_START) + DAY).toISOString(),
  };
}
