// Times as a reader in a channel sees them: the one place that formats a time in a time zone, for every renderer,
// publisher and command, so a Slack parent, its stories, the console and check-config all say "EDT" alike.

export interface ZonedTime {
  /** "1 Mar 2024, 09:00 CET"; null for a missing or unreadable time. */
  dateTime(iso: string | null): string | null;
  /** "1 Mar, 09:00 – 2 Mar, 09:00 CET": a digest's window, the zone named once. */
  window(fromIso: string, toIso: string): string;
  /** "2 Mar 2024". */
  day(iso: string): string;
  /** "Mon 2025-03-24 07:00": when a schedule runs next. */
  schedule(date: Date): string;
  /** The zone's short name at `t`: CET, BST, EDT, PDT; "GMT+5:30" where English has no name for it. */
  zoneName(t: number): string;
}

const cache = new Map<string, ZonedTime>();

/** The formatter for `timeZone` (an IANA name). Throws RangeError naming the zone when it is unknown. */
export function zonedTime(timeZone: string): ZonedTime {
  let zoned = cache.get(timeZone);
  if (zoned === undefined) {
    zoned = build(timeZone);
    cache.set(timeZone, zoned);
  }
  return zoned;
}

function build(timeZone: string): ZonedTime {
  const clock = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  let full: Intl.DateTimeFormat;
  let short: Intl.DateTimeFormat;
  let day: Intl.DateTimeFormat;
  let names: Intl.DateTimeFormat[];
  let schedule: Intl.DateTimeFormat;
  try {
    full = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', ...clock });
    short = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', ...clock });
    day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
    // British English names European zones (CET, BST) and American English American ones (EST, PDT); each
    // falls back to "GMT-5" style for the other side, so ask both and keep a name when there is one
    names = ['en-GB', 'en-US'].map((locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }));
    schedule = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...clock,
    });
  } catch (error) {
    throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin`, { cause: error });
  }
  const zoneName = (t: number): string => {
    const found = names.map((f) => f.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '');
    return found.find((n) => n && !/^(?:GMT|UTC)[+-]/.test(n)) ?? found[0] ?? timeZone;
  };
  const parse = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));
  return {
    zoneName,
    dateTime(iso) {
      const t = parse(iso);
      return Number.isNaN(t) ? null : `${full.format(t)} ${zoneName(t)}`;
    },
    window(fromIso, toIso) {
      const from = parse(fromIso);
      const to = parse(toIso);
      if (Number.isNaN(from) || Number.isNaN(to)) return `${fromIso} – ${toIso}`;
      return `${short.format(from)} – ${short.format(to)} ${zoneName(to)}`;
    },
    day(iso) {
      const t = parse(iso);
      return Number.isNaN(t) ? iso : day.format(t);
    },
    schedule(date) {
      const parts = schedule.formatToParts(date);
      const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
      return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
    },
  };
}
