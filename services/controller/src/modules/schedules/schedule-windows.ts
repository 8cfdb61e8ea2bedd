/**
 * Weekly time windows in a router's time zone, turned into real instants. Pure: the caller
 * passes the time, so tests can stand anywhere in the calendar (DST switches included).
 *
 * A window `{days, start, end}` opens on each listed day at `start` (local wall-clock time)
 * and closes at `end` the same day, or the next day when `end` is not after `start` (a
 * window across midnight belongs to the day it starts on). `end` may be `24:00`.
 * Wall-clock times that a DST switch skips open or close at the same distance after the
 * switch (02:30 on a spring-forward night is 03:30); times that happen twice count at their
 * first occurrence.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeeklyWindow {
  days: Weekday[];
  /** `HH:MM`, 00:00 to 23:59. */
  start: string;
  /** `HH:MM`, 00:01 to 24:00; at or before `start` means the next day. */
  end: string;
}

export interface WindowState {
  /** Whether a window is open at the given time. */
  open: boolean;
  /** When that changes next (the open window closes, or the next one opens); null if never. */
  changesAt: Date | null;
}

const DAY_MS = 86_400_000;
/** Days before and after the given time whose windows are laid out (a window lasts at most a day). */
const DAYS_BEFORE = 2;
const DAYS_AFTER = 8;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of `instant` in the zone, as if it were UTC (milliseconds dropped). */
function wallClockMs(instant: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** The zone's offset from UTC at `instant`, in milliseconds (Berlin in winter: +3_600_000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
}

/**
 * The instant at which the zone's clocks show `wall` (a wall-clock time written as a UTC
 * timestamp). Of two such instants (clocks turned back) the first; for a time the clocks
 * skip, the instant as far after the switch as the time is after the skipped hour's start.
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  // Offsets change at most a couple of times a year, never twice within 14 hours.
  const before = zoneOffsetMs(wall - 14 * 3_600_000, timeZone);
  const after = zoneOffsetMs(wall + 14 * 3_600_000, timeZone);
  const fits = [before, after].map((offset) => wall - offset).filter((t) => zoneOffsetMs(t, timeZone) === wall - t);
  return fits.length ? Math.min(...fits) : wall - before;
}

/** Minutes since midnight of `HH:MM` (24:00 is 1440). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Whether a name is a time zone this process knows (IANA names and UTC); the canonical spelling, or null. */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

interface Interval {
  from: number;
  to: number;
}

/** The windows' real intervals from two days before `at` to eight days after, sorted and merged. */
function intervalsAround(windows: readonly WeeklyWindow[], timeZone: string, at: number): Interval[] {
  const today = wallClockMs(at, timeZone);
  const midnight = today - (today % DAY_MS);
  const out: Interval[] = [];
  for (let k = -DAYS_BEFORE; k <= DAYS_AFTER; k++) {
    const day = midnight + k * DAY_MS;
    const weekday = WEEKDAYS[new Date(day).getUTCDay()];
    for (const w of windows) {
      if (!w.days.includes(weekday)) continue;
      const start = minutesOf(w.start);
      const end = minutesOf(w.end);
      const endDay = end <= start ? day + DAY_MS : day;
      out.push({ from: instantOfWallClock(day + start * 60_000, timeZone), to: instantOfWallClock(endDay + end * 60_000, timeZone) });
    }
  }
  out.sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const i of out) {
    const last = merged[merged.length - 1];
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else if (i.to > i.from) merged.push({ ...i });
  }
  return merged;
}

/** Whether the windows are open at `at` in the zone, and when that changes next. */
export function windowStateAt(windows: readonly WeeklyWindow[], timeZone: string, at: Date): WindowState {
  const t = at.getTime();
  const intervals = intervalsAround(windows, timeZone, t);
  const horizon = t + (DAYS_AFTER - 1) * DAY_MS;
  const current = intervals.find((i) => i.from <= t && t < i.to);
  if (current) return { open: true, changesAt: current.to >= horizon ? null : new Date(current.to) };
  const next = intervals.find((i) => i.from > t);
  return { open: false, changesAt: next && next.from < horizon ? new Date(next.from) : null };
}
