// The days an article's own words put its event on: "on Friday", "yesterday", "March 3", "3 March 2019",
// resolved against the article's publish date. Two reports of one event name the same day even when they were
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

function monthIndex(name: string): number {
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
    for (const m of text.matchAll(MONTH_DAY)) {
      const month = monthIndex(m[1] ?? '');
      const day = Number(m[2]);
      if (m[3] !== undefined) {
        const n = dayNumber(Number(m[3]), month, day);
        if (n !== null) days.add(n);
      } else if (today !== null && year !== null) {
        let n = dayNumber(year, month, day);
        if (n !== null && n > today + FUTURE_DAYS) n = dayNumber(year - 1, month, day);
        if (n !== null) days.add(n);
      } else if (day >= 1 && day <= 31) {
        words.add(`${MONTHS[month]} ${day}`);
      }
    }
    for (const m of text.matchAll(DAY_MONTH_YEAR)) {
      const n = dayNumber(Number(m[3]), monthIndex(m[2] ?? ''), Number(m[1]));
      if (n !== null) days.add(n);
    }
    for (const m of text.matchAll(WEEKDAY)) {
      const weekday = WEEKDAYS.indexOf((m[2] ?? '').toLowerCase());
      if (today === null) {
        words.add((m[2] ?? '').toLowerCase().slice(0, 3));
        continue;
      }
      const todayWeekday = (today + 4) % 7; // 1970-01-01 was a Thursday
      const modifier = (m[1] ?? '').trim().toLowerCase();
      const back = (todayWeekday - weekday + 7) % 7;
      if (modifier === 'next') days.add(today + ((weekday - todayWeekday + 7) % 7 || 7));
      else if (modifier === 'last' && back === 0) days.add(today - 7);
      else days.add(today - back); // news reports what happened: the latest such day, today included
    }
    if (today !== null) {
      for (const m of text.matchAll(RELATIVE)) days.add((m[1] ?? '').toLowerCase() === 'yesterday' ? today - 1 : today);
    }
  }
  return { days: [...days].sort((a, b) => a - b), words: [...words] };
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
