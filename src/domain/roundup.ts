// Newsletter and briefing roundups ("Morning Briefing: envoy in Moscow, ferry strike, rates decision"): a page that
// tells several unrelated stories a few lines each. Put into one of them, it makes that story look bigger than it is
// and its lines are quoted as that story's news; alone, it is a "story" made of other stories. A digest is itself
// the roundup, so a roundup in a feed is rejected, by what it is: it speaks as a newsletter (its title, or a line
// greeting or addressing its subscribers), and it is cut into three or more headed sections about different things.
// An explainer of one event ("Nepal plane crash: what you need to know", sections headed "What happened", "Who was
// on board") is kept: its title and opening are no newsletter's, and its headings ask about one event.
import { clipped, contentTerms, wordCount } from './text.js';

export interface RoundupVerdict {
  /** One sentence for the rejection log. */
  reason: string;
}

/**
 * Titles newsletters give themselves. Not "what you need to know" or "five things to know": explainers of one event
 * are titled so too.
 */
const TITLE_CUE =
  /\b(?:(?:morning|evening|afternoon|midday|daily|weekly|weekend|news|world|business|politics) (?:briefing|brief|digest|round-?up|newsletter|wrap)|newsletter|briefing|round-?up|week in review|the day in (?:brief|review)|catch up on|(?:transfer|football|celebrity) (?:gossip|rumou?rs|latest)|gossip column|rumou?r mill|what['’]?s on\b|things to do (?:this|in)|events? (?:guide|listings?))\b/i;

/**
 * Lines in which a newsletter speaks to its subscribers: a greeting, its own name, a sign-off. Not "here is what you
 * need to know": explainers open with it too.
 */
const VOICE_CUE =
  /^(?:good (?:morning|afternoon|evening)\b|(?:hello|hi) (?:and welcome|everyone|there)\b|welcome (?:back )?to (?:the |our |your |today's )?(?:[\w'’-]+ ){0,3}(?:briefing|newsletter|round-?up|digest|edition)|in (?:today's|this week's|this) (?:newsletter|briefing|edition)|and finally\b|you(?:['’]re| are) (?:receiving|reading) this|(?:to )?unsubscribe\b|(?:were you |was this )?forwarded this|sign up (?:here )?(?:to|for) (?:get |receive )?(?:this|our|the) (?:newsletter|briefing|email))/i;

/**
 * Headings that ask about one event ("What happened", "Who was on board", "Why it matters") or name a side of it
 * ("Background", "Key facts"): an explainer's, never a roundup's, whose headings name its stories.
 */
const ASPECT_HEADING =
  /^(?:what|who|why|how|when|where|which|is|are|will|can|does|did)\b|^(?:background|context|key (?:facts|points)|timeline|the (?:background|context|reaction|response)|reaction|analysis)$/i;

/** A greeting or sign-off is a sentence or two; longer lines are the stories themselves. */
const MAX_VOICE_WORDS = 30;
/** A section heading: a short line that does not end like a sentence ("Envoy in Moscow", "And finally"). */
const MAX_HEADING_WORDS = 7;
/** Words a section's text needs to tell a story at all. */
const MIN_SECTION_WORDS = 8;
const MIN_SECTIONS = 3;
/** Two sections share less than this of their content words (Jaccard): they are about different things. */
const UNRELATED_BELOW = 0.1;
/** Share of neighbouring sections that must be unrelated. */
const MIN_UNRELATED_SHARE = 0.6;

const CLOCK_ONLY = /^\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|[A-Z]{2,4}))?$/i;

interface Section {
  readonly heading: string;
  readonly terms: ReadonlySet<string>;
}

/** Null unless the page is a newsletter roundup of several stories. */
export function judgeRoundup(title: string | null, lines: readonly string[]): RoundupVerdict | null {
  const cue = title !== null && TITLE_CUE.test(title) ? title : voiceLine(lines);
  if (cue === null) return null;
  const sections = sectionsOf(lines);
  if (sections.length < MIN_SECTIONS) return null;
  if (sections.filter((s) => ASPECT_HEADING.test(s.heading)).length * 2 >= sections.length) return null;
  // headings that repeat are speakers taking turns (a transcript), not stories
  if (new Set(sections.map((s) => s.heading.toLowerCase())).size < sections.length) return null;
  let unrelated = 0;
  for (let i = 1; i < sections.length; i++) {
    if (jaccard(sections[i - 1]?.terms, sections[i]?.terms) < UNRELATED_BELOW) unrelated++;
  }
  if (unrelated < MIN_UNRELATED_SHARE * (sections.length - 1)) return null;
  const headings = sections.slice(0, 4).map((s) => s.heading);
  return {
    reason:
      `not an article: a newsletter roundup of several stories ("${clipped(cue)}"; ${sections.length} sections on ` +
      `different subjects: ${headings.join(', ')}${sections.length > 4 ? ', …' : ''})`,
  };
}

function voiceLine(lines: readonly string[]): string | null {
  for (const line of lines) {
    if (VOICE_CUE.test(line.trim()) && wordCount(line) <= MAX_VOICE_WORDS) return line.trim();
  }
  return null;
}

function isHeading(line: string): boolean {
  const text = line.trim();
  if (text === '' || wordCount(text) > MAX_HEADING_WORDS || CLOCK_ONLY.test(text)) return false;
  // a heading may ask ("Costa on the move?"); one that asks about one event is an explainer's (ASPECT_HEADING)
  if (/[.!:;,"”’)]$/.test(text)) return false;
  return /^[\p{Lu}\p{N}]/u.test(text);
}

/** The headed sections whose text tells something (MIN_SECTION_WORDS), with the content words of that text. */
function sectionsOf(lines: readonly string[]): Section[] {
  const sections: Section[] = [];
  let heading: string | null = null;
  let body: string[] = [];
  const close = () => {
    if (heading !== null && wordCount(body.join(' ')) >= MIN_SECTION_WORDS) {
      sections.push({ heading, terms: new Set(contentTerms(body.join(' '))) });
    }
  };
  for (const line of lines) {
    if (isHeading(line)) {
      close();
      heading = line.trim();
      body = [];
      continue;
    }
    // "Geneva: delegations meet for a second day...": a section headed on its own line's start
    const inline = INLINE_SECTION.exec(line.trim());
    if (inline && wordCount(inline[2] ?? '') >= MIN_SECTION_WORDS) {
      close();
      sections.push({ heading: inline[1] ?? '', terms: new Set(contentTerms(inline[2] ?? '')) });
      heading = null;
      body = [];
    } else if (heading !== null) {
      body.push(line);
    }
  }
  close();
  return sections;
}

/**
 * A line that starts with its own short heading and a colon: "Izmir: the death toll ...", "Energy: ...". Not "Q:" or
 * "A:" (an interview's marks); a speaker's name before each answer repeats, which a roundup's headings never do.
 */
const INLINE_SECTION = /^(\p{Lu}[\p{L}'’.&-]+(?: [\p{L}'’.&-]+){0,2}):\s+(\S.*)$/u;

function jaccard(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): number {
  if (a === undefined || b === undefined || a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}
