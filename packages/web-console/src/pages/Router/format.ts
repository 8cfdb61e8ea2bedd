/** How the router pages write devices, times and weekly windows. */
import type { Device, WeeklyWindow } from '../../api/types';

/** A device as people know it: its name, else its DHCP hostname, else its MAC. */
export function deviceName(d: Pick<Device, 'name' | 'hostname' | 'mac'>): string {
  return d.name || d.hostname || d.mac;
}

export type Day = WeeklyWindow['days'][number];
/** The week as people read it, Monday first. */
export const WEEK: [Day, string, string][] = [
  ['mon', 'Mon', 'Monday'],
  ['tue', 'Tue', 'Tuesday'],
  ['wed', 'Wed', 'Wednesday'],
  ['thu', 'Thu', 'Thursday'],
  ['fri', 'Fri', 'Friday'],
  ['sat', 'Sat', 'Saturday'],
  ['sun', 'Sun', 'Sunday'],
];

/** A time as the router's clock shows it: "Mon 21:00". */
export function timeIn(timeZone: string, iso: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "Mon–Thu, Sun 21:00–07:00": runs of days joined, then the times. */
export function windowText(w: WeeklyWindow): string {
  const on = WEEK.map(([day]) => w.days.includes(day));
  const runs: string[] = [];
  for (let i = 0; i < 7; i++) {
    if (!on[i]) continue;
    let j = i;
    while (j + 1 < 7 && on[j + 1]) j++;
    runs.push(j - i >= 2 ? `${WEEK[i][1]}–${WEEK[j][1]}` : WEEK.slice(i, j + 1).map((d) => d[1]).join(', '));
    i = j;
  }
  return `${on.every(Boolean) ? 'Every day' : runs.join(', ')} ${w.start}–${w.end}`;
}
