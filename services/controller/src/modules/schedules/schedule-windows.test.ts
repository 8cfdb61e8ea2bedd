import { canonicalTimeZone, instantOfWallClock, windowStateAt, type WeeklyWindow } from './schedule-windows';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const schoolNights: WeeklyWindow[] = [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], start: '21:00', end: '07:00' }];

describe('weekly windows in a time zone', () => {
  test('when a school-night window is about to open, then it is closed and opens at 21:00 local time', () => {
    // Monday 2 March 2026, 20:59 in Berlin (CET, UTC+1).
    expect(windowStateAt(schoolNights, 'Europe/Berlin', at('2026-03-02T19:59:00Z'))).toEqual({ open: false, changesAt: at('2026-03-02T20:00:00Z') });
  });

  test('when a window crosses midnight, then it is open from its start day into the next morning', () => {
    const state = windowStateAt(schoolNights, 'Europe/Berlin', at('2026-03-02T20:00:00Z'));
    expect(state).toEqual({ open: true, changesAt: at('2026-03-03T06:00:00Z') });
    // Tuesday 03:00 local: still Monday night's window.
    expect(windowStateAt(schoolNights, 'Europe/Berlin', at('2026-03-03T02:00:00Z')).open).toBe(true);
    // Friday 06:30 local: Thursday night's window, closing at 07:00.
    expect(windowStateAt(schoolNights, 'Europe/Berlin', at('2026-03-06T05:30:00Z'))).toEqual({ open: true, changesAt: at('2026-03-06T06:00:00Z') });
  });

  test('when the day is not listed, then its evening stays open until the next listed day', () => {
    // Friday 21:30 local: no window on Friday or Saturday; Sunday 21:00 is next.
    expect(windowStateAt(schoolNights, 'Europe/Berlin', at('2026-03-06T20:30:00Z'))).toEqual({ open: false, changesAt: at('2026-03-08T20:00:00Z') });
  });

  test('when a window ends exactly now, then it is closed now', () => {
    expect(windowStateAt(schoolNights, 'Europe/Berlin', at('2026-03-03T06:00:00Z')).open).toBe(false);
  });

  test('when a night window spans the spring-forward switch, then it closes at 07:00 summer time, an hour shorter', () => {
    // Europe/Berlin moves from CET (UTC+1) to CEST (UTC+2) at 02:00 on Sunday 29 March 2026.
    const weekend: WeeklyWindow[] = [{ days: ['sat'], start: '22:00', end: '07:00' }];
    expect(windowStateAt(weekend, 'Europe/Berlin', at('2026-03-28T20:59:00Z'))).toEqual({ open: false, changesAt: at('2026-03-28T21:00:00Z') });
    expect(windowStateAt(weekend, 'Europe/Berlin', at('2026-03-28T21:00:00Z'))).toEqual({ open: true, changesAt: at('2026-03-29T05:00:00Z') });
    expect(windowStateAt(weekend, 'Europe/Berlin', at('2026-03-29T04:59:59Z')).open).toBe(true);
    // 06:00 UTC would be 07:00 had the clocks not changed: by then the window is closed.
    expect(windowStateAt(weekend, 'Europe/Berlin', at('2026-03-29T05:00:00Z')).open).toBe(false);
  });

  test('when a night window spans the fall-back switch, then it closes at 07:00 winter time, an hour longer', () => {
    // Europe/Berlin moves from CEST back to CET at 03:00 on Sunday 25 October 2026.
    const weekend: WeeklyWindow[] = [{ days: ['sat'], start: '22:00', end: '07:00' }];
    expect(windowStateAt(weekend, 'Europe/Berlin', at('2026-10-24T20:00:00Z'))).toEqual({ open: true, changesAt: at('2026-10-25T06:00:00Z') });
    expect(windowStateAt(weekend, 'Europe/Berlin', at('2026-10-25T05:59:00Z')).open).toBe(true);
  });

  test('when a window starts at a time the clocks skip, then it starts as far after the switch', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: it opens at 03:30 CEST (01:30 UTC).
    const early: WeeklyWindow[] = [{ days: ['sun'], start: '02:30', end: '05:00' }];
    expect(windowStateAt(early, 'Europe/Berlin', at('2026-03-29T00:00:00Z')).changesAt).toEqual(at('2026-03-29T01:30:00Z'));
    expect(instantOfWallClock(Date.UTC(2026, 2, 29, 2, 30), 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
  });

  test('when a window starts at a time the clocks show twice, then it starts at the first', () => {
    // 02:30 happens twice in Berlin on 25 October 2026: first in CEST (00:30 UTC).
    const early: WeeklyWindow[] = [{ days: ['sun'], start: '02:30', end: '05:00' }];
    expect(windowStateAt(early, 'Europe/Berlin', at('2026-10-24T23:00:00Z')).changesAt).toEqual(at('2026-10-25T00:30:00Z'));
  });

  test('when a zone changes its clocks on another date, then its own switch counts', () => {
    // New York springs forward on 8 March 2026; a Saturday-night window ends at 07:00 EDT (11:00 UTC).
    const weekend: WeeklyWindow[] = [{ days: ['sat'], start: '22:00', end: '07:00' }];
    expect(iso(windowStateAt(weekend, 'America/New_York', at('2026-03-08T04:00:00Z')).changesAt)).toBe('2026-03-08T11:00:00.000Z');
  });

  test('when windows touch or overlap, then they count as one: no change between them', () => {
    const evening: WeeklyWindow[] = [
      { days: ['mon'], start: '20:00', end: '22:00' },
      { days: ['mon'], start: '21:30', end: '23:00' },
      { days: ['mon'], start: '23:00', end: '23:30' },
    ];
    expect(windowStateAt(evening, 'UTC', at('2026-03-02T21:00:00Z'))).toEqual({ open: true, changesAt: at('2026-03-02T23:30:00Z') });
  });

  test('when a window lasts all day every day, then it is open and never changes; with no windows, closed and never changes', () => {
    const always: WeeklyWindow[] = [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }];
    expect(windowStateAt(always, 'Europe/Berlin', at('2026-03-29T01:00:00Z'))).toEqual({ open: true, changesAt: null });
    expect(windowStateAt([], 'UTC', at('2026-03-29T01:00:00Z'))).toEqual({ open: false, changesAt: null });
  });

  test('when a whole day is given as 00:00 to 24:00, then it closes at the next midnight', () => {
    const sunday: WeeklyWindow[] = [{ days: ['sun'], start: '00:00', end: '24:00' }];
    // Sunday 29 March in Berlin is 23 hours long.
    expect(windowStateAt(sunday, 'Europe/Berlin', at('2026-03-29T12:00:00Z'))).toEqual({ open: true, changesAt: at('2026-03-29T22:00:00Z') });
  });

  test('when a time zone name is checked, then IANA names and UTC pass in their canonical spelling, others do not', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('../etc/passwd')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});
