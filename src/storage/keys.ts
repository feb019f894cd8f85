// Key building blocks. Keys stay short (PostgreSQL's keyv column is VARCHAR(255)) and unambiguous: a part is kept
// as it is only when it is short and uses no separator, otherwise it becomes `#` and a 128-bit hash.
import { createHash } from 'node:crypto';

const READABLE = /^[A-Za-z0-9._~-]{1,80}$/;
const DAY_MS = 86_400_000;

/** 32 hex characters of SHA-256: a fixed-size stand-in for a URL or an item id. */
export function hashPart(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/** The value itself when short and separator-free (readable when debugging), else `#` + its hash. */
export function keyPart(value: string): string {
  return READABLE.test(value) ? value : `#${hashPart(value)}`;
}

/** `YYYY-MM-DD` of the instant in UTC. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC days the window [from, to) touches, oldest first; empty when the window is. */
export function utcDaysOf(from: Date, to: Date): string[] {
  const first = Math.floor(from.getTime() / DAY_MS);
  const last = Math.floor((to.getTime() - 1) / DAY_MS);
  const days: string[] = [];
  for (let day = first; day <= last && to.getTime() > from.getTime(); day += 1) {
    days.push(utcDay(new Date(day * DAY_MS)));
  }
  return days;
}

/** How many UTC days the window [from, to) touches, without listing them. */
export function utcDayCount(from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  return Math.floor((to.getTime() - 1) / DAY_MS) - Math.floor(from.getTime() / DAY_MS) + 1;
}
