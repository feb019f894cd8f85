// Synthetic syndicated copies of real articles: what a wire story looks like after another outlet re-publishes it.
import type { ArticleInput } from '../../src/domain/types.js';
import type { Rng } from './prng.js';

export type CopyKind = 'headline' | 'trailer' | 'boilerplate';
export const COPY_KINDS: readonly CopyKind[] = ['headline', 'trailer', 'boilerplate'];

export const OUTLETS: readonly string[] = [
  'Daily Ledger',
  'Morning Courier',
  'The Evening Post',
  'Harbor Times',
  'Capital Dispatch',
  'Valley Herald',
  'Northern Star',
  'Metro Chronicle',
  'Coastal Observer',
  'The Tribune Wire',
  'Lakeside Gazette',
  'Union Record',
  'Pioneer Press Online',
  'Summit News',
  'River City Journal',
  'The Daily Beacon',
  'National Monitor',
  'Frontier Sentinel',
  'Bay Area Bulletin',
  'The Weekly Standard Bearer',
  'Citizen Report',
  'Global Newsline',
  'Prairie Examiner',
  'Atlantic Review',
  'Highland Echo',
  'The Mercury',
  'Plains Reporter',
  'Southern Register',
  'Empire Telegraph',
  'Westside Times',
  'The Inquirer Daily',
  'Central Advocate',
  'Mountain Post',
  'Newswire Today',
  'The Commonwealth',
  'Islander News',
  'Delta Democrat',
  'Courier Express',
  'World Briefing',
  'The Independent Voice',
];

const REWORDS: readonly (readonly [RegExp, string])[] = [
  [/\bsays\b/i, 'said'],
  [/\bsaid\b/i, 'says'],
  [/\bafter\b/i, 'following'],
  [/\bkilled\b/i, 'dead'],
  [/\bannounces\b/i, 'unveils'],
  [/\bover\b/i, 'about'],
  [/\bamid\b/i, 'as'],
  [/\bPresident\b/, 'Pres.'],
  [/\band\b/i, '&'],
  [/\bwill\b/i, 'to'],
];

const TRAILERS: readonly string[] = [
  'This story was reported with help from our wire partners. Subscribe for more.',
  'Additional reporting by our correspondents. This article has been updated with further details.',
  'The original version of this story appeared on our partner site and is republished with permission.',
  'Have a news tip? Contact our newsroom. Follow us for the latest updates.',
  'Officials said further details would be released later in the week, and an inquiry is expected to follow.',
  'Analysts expect the matter to return to the headlines in the coming days as more information becomes available.',
];

const TOP_JUNK: readonly string[] = [
  'World News',
  'Politics',
  'U.S.',
  'Top Stories',
  '3 min read',
  '5 min read',
  'Share this article',
  'Listen to this article',
  'Advertisement',
];

const BOTTOM_JUNK: readonly string[] = [
  'Share this article',
  'Sign up for our daily newsletter to get the top stories in your inbox.',
  'Related: More from our newsroom',
  'Read more: Top headlines of the day',
  'Comments are closed.',
  'Follow us on social media.',
];

const copyright = (outlet: string, rng: Rng): string => `© ${rng.int(2015, 2025)} ${outlet}. All rights reserved.`;

function titleCase(s: string): string {
  return s.replace(/(^|[\s"“(-])(\p{Ll})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** Reword, shorten, change the case, add a prefix or an outlet suffix: at least one, often two. */
export function tweakHeadline(title: string, outlet: string, rng: Rng): string {
  let t = title;
  const ops = rng.shuffle([0, 1, 2, 3]).slice(0, rng.int(1, 2));
  for (const op of ops) {
    if (op === 0) {
      const rule = REWORDS.find(([re]) => re.test(t));
      if (rule) t = t.replace(rule[0], rule[1]);
      else t = t.replace(/[.!]+$/, '');
    } else if (op === 1) {
      const cut = t.split(/:\s|\s[-–—|]\s|;\s|,\s/)[0] ?? t;
      const words = t.split(/\s+/);
      t = cut.length >= 20 && cut.length < t.length ? cut : words.slice(0, Math.max(4, words.length - 3)).join(' ');
    } else if (op === 2) {
      t = rng.chance(0.5) ? t.toUpperCase() : titleCase(t);
    } else {
      t = rng.chance(0.5) ? `${rng.pick(['UPDATE: ', 'UPDATED: ', 'BREAKING: ', 'WATCH: '])}${t}` : `${t} | ${outlet}`;
    }
  }
  return t === title ? `${title} - ${outlet}` : t;
}

/** A trailer paragraph or an extra sentence of new text; sometimes the last paragraph is dropped. */
export function addTrailer(text: string, rng: Rng): string {
  const paragraphs = text.split('\n').filter((p) => p.trim() !== '');
  if (paragraphs.length >= 4 && rng.chance(0.5)) paragraphs.pop();
  const trailer = rng.pick(TRAILERS);
  if (rng.chance(0.5)) paragraphs.push(trailer);
  else {
    const last = paragraphs.pop() ?? '';
    paragraphs.push(last ? `${last} ${trailer}` : trailer);
  }
  return paragraphs.join('\n');
}

/** Different junk lines on top and at the bottom: section label, reading time, share, copyright, newsletter. */
export function swapBoilerplate(text: string, outlet: string, rng: Rng): string {
  const top = rng.shuffle(TOP_JUNK).slice(0, rng.int(1, 3));
  const bottom = rng.shuffle(BOTTOM_JUNK).slice(0, rng.int(1, 2));
  if (rng.chance(0.7)) bottom.push(copyright(outlet, rng));
  return [...top, text, ...bottom].join('\n');
}

export interface CopyOptions {
  kind: CopyKind;
  id: string;
  source: string;
  publishedAt: string;
}

/** A copy of `original` of the given kind, published by `source` at `publishedAt`. */
export function makeCopy(original: ArticleInput, options: CopyOptions, rng: Rng): ArticleInput {
  const title = original.title ?? '';
  const text = original.text ?? '';
  const base = { id: options.id, url: `https://example.com/${encodeURIComponent(options.id)}`, source: options.source };
  switch (options.kind) {
    case 'headline':
      return { ...base, title: tweakHeadline(title, options.source, rng), text, publishedAt: options.publishedAt };
    case 'trailer':
      return { ...base, title, text: addTrailer(text, rng), publishedAt: options.publishedAt };
    case 'boilerplate':
      return { ...base, title, text: swapBoilerplate(text, options.source, rng), publishedAt: options.publishedAt };
  }
}

/** An ISO time `hours` after `iso` (a date or a date-time). */
export function later(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}
