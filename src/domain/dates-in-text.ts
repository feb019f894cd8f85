// The days an article's own words put its event on: "on Friday", "yesterday", "March 3", "3 March 2019", "three
// days after", resolved against the article's publish date. Two reports of one event name the same day even when they were
// published a day apart ("on Thursday" in Thursday's report, "yesterday" in Friday's); two events of one kind and
// one protagonist a week apart name different days even when their words are alike. Without a publish date only
// full dates resolve; a weekday or a day without a year stays a word ("fri", "apr 11"), as two undated texts can
// still agree on it.

const DAY_MS = 86_400_000;
/** A month-and-day more than this far after the publish date refers to last year ("on Dec. 28" in January). */
const FUTURE_DAYS = 60;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
/** "March 3", "Mar. 3rd", "March 3, 2019". */
const MONTH_DAY = new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+((?:19|20)\\d\\d)\\b)?`, 'gi');
/** "3 March 2019", "3rd of March" is rare in news and left alone. */
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})\\s+${MONTH}\\.?,?\\s+((?:19|20)\\d\\d)\\b`, 'gi');
const WEEKDAY = /\b(last\s+|next\s+|this\s+|on\s+)?(mon|tues|wednes|thurs|fri|satur|sun)day\b/gi;
const RELATIVE = /\b(yesterday|today|tonight|this (?:morning|afternoon|evening))\b/gi;
/** "three days after", "a week after": the event a report follows up, counted back from the day it names. */
const DAYS_AFTER = /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(day|week)s?\s+after\b/gi;
/** A day named right after "after": the phrase then needs no counting. */
const NAMES_A_DAY = new RegExp(`\\b(?:${MONTH}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday)\\b`, 'i');
const SMALL_NUMBERS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
/** Weekday stems in Date.getUTCDay() order. */
const WEEKDAYS = ['sun', 'mon', 'tues', 'wednes', 'thurs', 'fri', 'satur'];

export interface DaysInText {
  /** Day numbers (UTC days since 1970-01-01), ascending. */
  days: number[];
  /** What could not be resolved without a publish date: weekdays ("fri") and days without a year ("apr 11"). */
  words: string[];
}

function dayNumber(year: number, month: number, day: number): number | null {
  if (day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month, day);
  // Date.UTC rolls Feb 30 into March: not a date
  return new Date(ms).getUTCDate() === day ? Math.floor(ms / DAY_MS) : null;
}

/** 0 for January .. 11 for December, by the first three letters of the name; -1 for none. */
export function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

/**
 * The days `texts` (a title and the first sentences: where a report says when its event happened) name, resolved
 * against `published` (ms) when there is one.
 */
export function daysInText(texts: readonly string[], published: number | null): DaysInText {
  const days = new Set<number>();
  const words = new Set<string>();
  const today = published === null ? null : Math.floor(published / DAY_MS);
  const year = published === null ? null : new Date(published).getUTCFullYear();
  for (const text of texts) {
    // days this text names, by where they are named: a follow-up's "three days after" counts back from them
    const placed: { at: number; day: number }[] = [];
    const name = (at: number, day: number) => {
      days.add(day);
      placed.push({ at, day });
    };
    // each pattern runs only on a text holding what it must match: digits, or its words in lower case (the patterns
    // match ASCII letters in either case and no other character for them, and lower-casing turns every ASCII letter
    // into its lower-case one); and by exec() from the text's start, as matchAll() would, without a clone per text
    const digits = hasDigit(text);
    const lower = text.toLowerCase();
    const day = lower.includes('day');
    for (let m = digits ? execFrom(MONTH_DAY, text) : null; m !== null; m = MONTH_DAY.exec(text)) {
      const month = monthIndex(m[1] ?? '');
      const day = Number(m[2]);
      if (m[3] !== undefined) {
        const n = dayNumber(Number(m[3]), month, day);
        if (n !== null) name(m.index, n);
      } else if (today !== null && year !== null) {
        let n = dayNumber(year, month, day);
        if (n !== null && n > today + FUTURE_DAYS) n = dayNumber(year - 1, month, day);
        if (n !== null) name(m.index, n);
      } else if (day >= 1 && day <= 31) {
        words.add(`${MONTHS[month]} ${day}`);
      }
    }
    for (let m = digits ? execFrom(DAY_MONTH_YEAR, text) : null; m !== null; m = DAY_MONTH_YEAR.exec(text)) {
      const n = dayNumber(Number(m[3]), monthIndex(m[2] ?? ''), Number(m[1]));
      if (n !== null) name(m.index, n);
    }
    for (let m = day ? execFrom(WEEKDAY, text) : null; m !== null; m = WEEKDAY.exec(text)) {
      const weekday = WEEKDAYS.indexOf((m[2] ?? '').toLowerCase());
      if (today === null) {
        words.add((m[2] ?? '').toLowerCase().slice(0, 3));
        continue;
      }
      const todayWeekday = (today + 4) % 7; // 1970-01-01 was a Thursday
      const modifier = (m[1] ?? '').trim().toLowerCase();
      const back = (todayWeekday - weekday + 7) % 7;
      if (modifier === 'next') name(m.index, today + ((weekday - todayWeekday + 7) % 7 || 7));
      else if (modifier === 'last' && back === 0) name(m.index, today - 7);
      else name(m.index, today - back); // news reports what happened: the latest such day, today included
    }
    if (today !== null && (day || lower.includes('tonight') || lower.includes('this '))) {
      for (let m = execFrom(RELATIVE, text); m !== null; m = RELATIVE.exec(text)) {
        name(m.index, (m[1] ?? '').toLowerCase() === 'yesterday' ? today - 1 : today);
      }
    }
    // "on Thursday, three days after the attack": the attack's day, counted back from the day the text names before
    // the phrase (else from the publish date); "two weeks after the April 11 tremor" names its day itself
    for (let m = lower.includes('after') ? execFrom(DAYS_AFTER, text) : null; m !== null; m = DAYS_AFTER.exec(text)) {
      const follows = text.slice(m.index + m[0].length, m.index + m[0].length + 30);
      if (NAMES_A_DAY.test(follows)) continue;
      const earlier = placed.filter((p) => p.at < m.index).map((p) => p.day);
      const from = earlier.length > 0 ? Math.max(...earlier) : today;
      if (from === null) continue;
      const count = (m[1] ?? '').toLowerCase();
      const n = /^\d/.test(count)
        ? Number(count)
        : count === 'a' || count === 'an'
          ? 1
          : SMALL_NUMBERS.indexOf(count) + 1;
      days.add(from - n * ((m[2] ?? '').toLowerCase() === 'week' ? 7 : 1));
    }
  }
  return { days: [...days].sort((a, b) => a - b), words: [...words] };
}

/** The first match of the global `pattern` in `text` from its start; pattern.exec(text) gives the next ones. */
function execFrom(pattern: RegExp, text: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  return pattern.exec(text);
}

/** Whether the text holds an ASCII digit (what \d matches). */
function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/**
 * How two texts' days compare: 1 when they name a common day (within `toleranceDays`, for time zones and reports
 * written around midnight), -1 when both name days and none agree, 0 when either names none.
 */
export function daysAgreement(a: readonly number[], b: readonly number[], toleranceDays: number): -1 | 0 | 1 {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (Math.abs(x - y) <= toleranceDays) return 1;
    if (x < y) i++;
    else j++;
  }
  return -1;
}
