// Pages a news feed lists that are not reports: paid content (an advertiser's text in the outlet's pages), a
// podcast episode's show notes, a photo gallery, a list of ratings, a corrections column, an "on this day" list, a
// puzzle or horoscope page, a recipe, an advice column, the day's forecast, traffic round or lottery draw. Each has
// an article's shape (a title, a few sentences) and, kept, would be a story of its own in the digest or, worse, be
// quoted as a story's news: "This content is paid for by an advertiser" was a summary's opening line, and a
// corrections column became the title of the obituary it corrected. They are rejected by what they are, read from
// the outlet's own marks: the label it must put on paid content, the episode's title and chapters, the gallery's
// credits on most lines, the column's title with its "misstated" lines, the recipe's "Ingredients". A report ABOUT
// an advertiser, a podcast or a photograph carries none of these marks as page furniture.
import { clipped } from './text.js';

export type NotAReportKind =
  | 'paid content'
  | 'podcast episode'
  | 'photo gallery'
  | 'ratings list'
  | 'corrections'
  | 'on this day'
  | 'puzzle'
  | 'recipe'
  | 'advice column'
  | 'service bulletin';

export interface NotAReportVerdict {
  kind: NotAReportKind;
  /** One sentence for the rejection log: what the page is and the mark that says so. */
  reason: string;
}

/** "Sponsored: ...", "[Sponsored] ...", "Advertorial | ...", "Paid post: ...", "Partner content - ...". */
const PAID_TITLE =
  /^\s*[[(]?(sponsored(?: content| post| story)?|paid (?:content|post|partnership)|partner content|advertorial|advertisement feature|promoted(?: content)?|brand ?voice)[\])]?\s*[:|–—-]?\s*\S/i;
/** A line that is only the outlet's label for paid content, or a "Sponsored by X" / "Presented by X" line. */
const PAID_LABEL =
  /^\s*(?:sponsored(?: content| post| story| feature)?|paid (?:content|post|partnership|promotion)|partner content|sponsored by\s.{2,40}|presented by\s.{2,40}|paid for by\s.{2,40}|advertorial|advertisement feature|promoted(?: content)?|brand ?voice|brand studio|from our (?:sponsors?|partners?))\s*$/i;
/**
 * The disclosure sentence that comes with it: who paid, who wrote it, that the newsroom did not. Not "produced in
 * partnership with" or "by our partners at": newsrooms credit each other's journalism so.
 */
const PAID_DISCLOSURE =
  /\b(?:(?:this|the following) (?:content|article|story|post|feature) (?:is|was) (?:paid for|sponsored|produced|created|brought to you) by (?:an? |our )?(?:advertiser|sponsor|brand studio|commercial team)|produced by (?:our|the) (?:brand studio|commercial (?:team|department)|advertising department)|(?:newsroom|editorial (?:staff|team|department)|journalists?) (?:was|were) not involved in (?:its|the) (?:creation|production|writing))/i;

/** "Episode 214: ...", "Ep. 12 - ...", "#214: ...", "Podcast: ...", "... | Podcast". */
const EPISODE_TITLE =
  /^\s*(?:(?:episode|ep\.?)\s*\d+\b|#\d+\s*[:|–—-]|podcast\s*[:|–—-])|[|–—-]\s*(?:the )?[\w' ]{0,30}podcast\s*$/i;
/** The show talking: "In this episode", "On today's show", "This week on the podcast". */
const EPISODE_VOICE =
  /\b(?:in (?:this|today's|this week's) (?:episode|show)|on (?:this|today's|this week's) (?:episode|show)|this week on the (?:pod(?:cast)?|show)|(?:listen|subscribe) (?:to (?:the|this|our) (?:podcast|show|episode)|on (?:apple podcasts|spotify|your (?:favou?rite )?podcast app|your podcast player))|leave us a (?:review|rating)|(?:rate|review) (?:and|&) (?:review|subscribe)|show notes)\b/i;
/** A chapter line: "00:00 Intro", "(14:40) Harbor Freightways", "1:02:15 - Listener questions". */
const CHAPTER_LINE = /^\s*\(?(?:\d{1,2}:)?\d{1,2}:\d{2}\)?\s*[-–—:]?\s*\S.{0,80}$/;
/** Lines from the top and from the foot where a show's voice is read. */
const VOICE_LINES = 6;
/** Chapters that make show notes: fewer could be clock times in a report. */
const MIN_CHAPTERS = 3;

/** "In pictures: ...", "Photos: ...", "Gallery: ...", "In photos", "Pictured: ...". */
const GALLERY_TITLE =
  /^\s*(?:in (?:pictures|photos|images)|photos?|gallery|photo ?gallery|pictured|slideshow)\b\s*[:|–—-]?/i;
/** A gallery's own label or counter line: "GALLERY", "1 of 12", "Photo 3/12", "View gallery". */
const GALLERY_LABEL =
  /^\s*(?:(?:photo )?gallery|slideshow|view (?:the )?(?:gallery|slideshow)|(?:photo|image|slide) \d+ ?(?:of|\/) ?\d+|\d+ (?:of|\/) \d+)\s*$/i;
/** A caption's credit at its end: "... outside Phoenix. Photo: Capital Post", "(AP Photo/Jane Doe)", "Credit: X". */
const CAPTION_CREDIT =
  /(?:\b(?:photo(?:graph)?|image|picture|credit|courtesy)s?\s*(?::|by\b)\s*[^.!?]{2,60}|\((?:[\w.]+ )?photo\s*[/:][^)]{2,60}\)|\bphoto\s*\/\s*[^.!?]{2,60})\s*$/i;
/** A line that ends with a photo credit: its last characters are enough to read. */
function isCaption(line: string): boolean {
  if (line.length > 400) return false;
  return CAPTION_CREDIT.test(line.length > CREDIT_TAIL ? line.slice(-CREDIT_TAIL) : line);
}

/** Characters at a caption's end that hold its credit ("Photo: " and up to 60 characters of names). */
const CREDIT_TAIL = 90;
/** Share of the text's lines that must be captions with credits. */
const MIN_CAPTION_SHARE = 0.5;
const MIN_CAPTIONS = 3;

/** Null unless the page is one of the kinds above (the first that fits), with the mark that says so. */
export function judgeNotAReport(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  return (
    paidContent(title, lines) ??
    podcastEpisode(title, lines) ??
    photoGallery(title, lines) ??
    ratingsList(lines) ??
    corrections(title, lines) ??
    onThisDay(title, lines) ??
    puzzle(title) ??
    recipe(title, lines) ??
    adviceColumn(lines) ??
    serviceBulletin(title, lines)
  );
}

const INGREDIENTS_HEADING = /^\s*ingredients\s*:?\s*$/i;
const METHOD_HEADING = /^\s*(?:method|directions|instructions|preparation|to serve)\s*:?\s*$/i;
const SERVES_LINE = /^\s*(?:serves|makes|yield:?)\s+\d|\bprep(?:aration)? time\b|\bcook(?:ing)? time\b/i;

/** A recipe: its "Ingredients" heading and its method (or servings and times). */
function recipe(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  if (!lines.some((line) => INGREDIENTS_HEADING.test(line))) return null;
  if (!lines.some((line) => METHOD_HEADING.test(line) || SERVES_LINE.test(line))) return null;
  return {
    kind: 'recipe',
    reason: `a recipe, not a report${title === null ? '' : `: "${clipped(title, 60)}"`} (ingredients and method)`,
  };
}

/** "Dear Ana, my sister ...", "Dear Heartbroken, six months ...": a reader's letter and the columnist's answer. */
const DEAR_LINE = /^\s*dear\s+\p{Lu}[\p{L}'’.-]*(?:\s\p{Lu}[\p{L}'’.-]*){0,2}\s*[,:]/iu;

function adviceColumn(lines: readonly string[]): NotAReportVerdict | null {
  if (!DEAR_LINE.test(lines[0] ?? '')) return null;
  const letters = lines.filter((line) => DEAR_LINE.test(line)).length;
  if (letters < 2) return null;
  return { kind: 'advice column', reason: "an advice column (a reader's letter and its answer), not a report" };
}

/** Titles of routine bulletins: the day's forecast, traffic and travel, lottery numbers. */
const BULLETIN_TITLE =
  /^\s*(?:(?:the |today's |your )?(?:weather )?forecast|weather(?: forecast| outlook)?\s*[:|–—-]|traffic(?: and| &)? travel|travel (?:news|updates?)|(?:road|rail) (?:closures|update)|lottery (?:results|numbers|draw)|(?:lotto|powerball|euromillions|mega millions)\b|winning (?:lottery )?numbers)/i;
/** A bulletin's own lines: "Today: ...", "Tonight: ...", "A1 northbound: ...", "Rail: ...". */
const BULLETIN_LINE = /^\s*(?:\p{L}[\p{L}\d'’-]*)(?:\s[\p{L}\d'’-]+){0,3}\s*:\s*\S/u;
/** Numbers drawn: "4, 11, 19, 27, 38 and 45". */
const DRAWN_NUMBERS = /\b\d{1,2}(?:,\s*\d{1,2}){3,}(?:,?\s*and\s*\d{1,2})?\b/;

/**
 * The day's forecast, a traffic and travel round, a lottery draw: service listings that come with the news. Told by
 * the bulletin's title and its shape (labelled lines, or the numbers drawn); a storm warning or a crash report under
 * a "Weather:" or "Travel:" title is prose and is kept.
 */
function serviceBulletin(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  if (title === null || !BULLETIN_TITLE.test(title)) return null;
  const labelled = lines.filter((line) => BULLETIN_LINE.test(line)).length;
  const drawn = lines.some((line) => DRAWN_NUMBERS.test(line));
  if (!drawn && (labelled < 2 || labelled * 2 < lines.length)) return null;
  return {
    kind: 'service bulletin',
    reason: `a routine bulletin (forecast, traffic, lottery), not a report: titled "${clipped(title, 60)}"`,
  };
}

/** "Correction", "Corrections and clarifications", "Clarification:": the outlet's corrections column. */
const CORRECTIONS_TITLE =
  /^\s*(?:corrections?|clarifications?)(?:\s*(?:and|&)\s*(?:corrections?|clarifications?))?\s*(?:[:|–—-]\s*\S.*)?$/i;
/** A correction's own sentence: what an earlier article got wrong. */
const CORRECTION_LINE =
  /\b(?:misstated|misspelled|misidentified|misnamed|misquoted|misattributed|gave the wrong|(?:incorrectly|wrongly) (?:said|stated|reported|described|named|identified|gave)|should have said|(?:has|have) (?:since )?been (?:corrected|amended))\b/i;

/**
 * A corrections notice (what earlier articles got wrong, one line each): the story it corrects is told elsewhere, and
 * the notice, kept, joins whatever story its lines name (an obituary's, under the title "Corrections and
 * clarifications"). An article re-issued with a correction at its foot ("Correction: ..." titles on wires) is a
 * report: most of its lines report, so it is kept.
 */
function corrections(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  if (title === null || !CORRECTIONS_TITLE.test(title)) return null;
  const correcting = lines.filter((line) => CORRECTION_LINE.test(line)).length;
  if (correcting === 0 || correcting * 2 < lines.length) return null;
  return {
    kind: 'corrections',
    reason: `a corrections notice, not a report: titled "${clipped(title, 60)}", ${correcting} of ${lines.length} lines correct earlier articles`,
  };
}

/** "On this day: December 5", "Today in history", "This day in history". */
const ON_THIS_DAY_TITLE = /^\s*(?:on this (?:day|date)|today in history|this (?:day|week) in history)\b/i;
/** "1933: Prohibition ends...", "1945 - Flight 19 disappears...". */
const YEAR_LINE = /^\s*(?:1[0-9]|20)\d\d\s*[:–—-]\s*\S/;

function onThisDay(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  if (title === null || !ON_THIS_DAY_TITLE.test(title)) return null;
  const years = lines.filter((line) => YEAR_LINE.test(line)).length;
  if (years < 2) return null;
  return {
    kind: 'on this day',
    reason: `an "on this day" list, not a report: titled "${clipped(title, 60)}", ${years} lines begin with a year`,
  };
}

/** A puzzle or horoscope page by its title: "Today's crossword: No. 18,402", "Daily sudoku", "Horoscopes". */
const PUZZLE_TITLE =
  /^\s*(?:(?:today's|daily|the|our|sunday|saturday|weekend|this week's)\s+)?(?:(?:cryptic|quick|mini|prize|concise|general knowledge)\s+)?(?:crossword|sudoku|word ?search|wordle|horoscopes?|your stars|news quiz|quiz of the (?:day|week))\b/i;

function puzzle(title: string | null): NotAReportVerdict | null {
  if (title === null || !PUZZLE_TITLE.test(title)) return null;
  return { kind: 'puzzle', reason: `a puzzle or horoscope page, not a report: titled "${clipped(title, 60)}"` };
}

/** "Tiago Neves 9 - Two goals and a constant threat.", "Costa 6/10: beaten by the penalty": a name, a score, a note. */
const RATING_LINE =
  /^(?:\p{Lu}[\p{L}'’.-]*\s){0,4}\p{Lu}[\p{L}'’.-]*\s+\d{1,2}(?:[.,]5)?(?:\s?\/\s?10)?\s*[-–—:]\s*\S/u;
function isRatingLine(line: string): boolean {
  return line.length <= 300 && RATING_LINE.test(line.trim());
}

/** Rated lines that make a ratings page: three at least, and most of its lines. */
const MIN_RATINGS = 3;
const MIN_RATING_SHARE = 0.6;

/**
 * A page of ratings (players after a match, products, films): one line per name with its score and a note. Its lines
 * read like sentences, and quoted in a summary ("Tiago Neves 9 - Two goals and a constant threat.") they are no
 * report of the match.
 */
function ratingsList(lines: readonly string[]): NotAReportVerdict | null {
  // most of a ratings page's lines rate: its first three lines say whether reading the rest is worth it
  if (lines.length < MIN_RATINGS || lines.slice(0, 3).filter(isRatingLine).length < 2) return null;
  const rated = lines.filter(isRatingLine).length;
  if (rated < MIN_RATINGS || rated < lines.length * MIN_RATING_SHARE) return null;
  return {
    kind: 'ratings list',
    reason: `a list of ratings, not a report: ${rated} of ${lines.length} lines rate a name with a score`,
  };
}

/** Lines from the top (and from the bottom) where the outlet's paid-content label and disclosure stand. */
const LABEL_LINES = 4;
/** A disclosure is a sentence or two. */
const MAX_DISCLOSURE_CHARS = 300;

function paidContent(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  const titled = title === null ? null : PAID_TITLE.exec(title);
  if (titled) return paid(`titled "${titled[1]}"`);
  // the label and the disclosure stand above the text or below it
  const n = lines.length;
  for (let i = 0; i < n; i++) {
    if (i === LABEL_LINES && n - LABEL_LINES > i) i = n - LABEL_LINES;
    const line = lines[i] ?? '';
    if (line.length <= 60 && PAID_LABEL.test(line)) return paid(`labelled "${clipped(line.trim(), 60)}"`);
    if (line.length <= MAX_DISCLOSURE_CHARS && PAID_DISCLOSURE.test(line)) return paid(`"${clipped(line.trim())}"`);
  }
  return null;
}

function paid(mark: string): NotAReportVerdict {
  return { kind: 'paid content', reason: `paid content, not a report: ${mark}` };
}

function podcastEpisode(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  const titled = title !== null && EPISODE_TITLE.test(title);
  let voice: string | null = null;
  let chapters = 0;
  const n = lines.length;
  for (let i = 0; i < n; i++) {
    const line = lines[i] ?? '';
    // a show speaks at the top and the foot of its notes ("In this episode...", "Subscribe on...")
    const edge = i < VOICE_LINES || i >= n - VOICE_LINES;
    if (voice === null && edge && EPISODE_VOICE.test(line)) voice = line;
    if (line.length <= 90 && line.includes(':') && CHAPTER_LINE.test(line)) chapters++;
  }
  // two marks of a show: its episode title or its voice, and chapters or the voice again
  const marks = (titled ? 1 : 0) + (voice !== null ? 1 : 0) + (chapters >= MIN_CHAPTERS ? 1 : 0);
  if (marks < 2) return null;
  const said = [
    titled ? `titled "${clipped(title ?? '', 60)}"` : null,
    voice !== null ? `"${clipped(voice.trim(), 60)}"` : null,
    chapters >= MIN_CHAPTERS ? `${chapters} chapter times` : null,
  ].filter((s) => s !== null);
  return { kind: 'podcast episode', reason: `a podcast episode's show notes, not a report: ${said.join(', ')}` };
}

function photoGallery(title: string | null, lines: readonly string[]): NotAReportVerdict | null {
  // most of a gallery's lines are captions: one among its first four lines says whether to read the rest
  if (!lines.slice(0, 4).some(isCaption)) return null;
  let labels = 0;
  let captions = 0;
  let text = 0;
  for (const line of lines) {
    if (line.length <= 30 && GALLERY_LABEL.test(line)) {
      labels++;
      continue;
    }
    text++;
    if (isCaption(line)) captions++;
  }
  if (captions < MIN_CAPTIONS || captions < text * MIN_CAPTION_SHARE) return null;
  const titled = title !== null && GALLERY_TITLE.test(title);
  // credits on most lines say "captions"; the outlet's title or label says "a gallery" (a report quoting three
  // photographers' credits is neither)
  if (!titled && labels === 0 && captions < text * 0.8) return null;
  const mark = titled ? `titled "${clipped(title ?? '', 60)}"` : labels > 0 ? 'labelled a gallery' : 'captions only';
  return {
    kind: 'photo gallery',
    reason: `a photo gallery, not a report: ${mark}, ${captions} of ${text} lines are captions with photo credits`,
  };
}
