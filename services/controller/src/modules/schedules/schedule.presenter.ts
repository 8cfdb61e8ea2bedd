import { targetView } from '../devices/device.presenter';
import type { NamedSchedule } from './schedule.entity';
import { windowStateAt } from './schedule-windows';

/** A schedule as the API shows it: its windows, the device it is for, and whether it blocks now (at `now`, in the router's time zone). */
export function toScheduleView(s: NamedSchedule, timeZone: string, now: Date) {
  const state = s.enabled ? windowStateAt(s.windows, timeZone, now) : { open: false, changesAt: null };
  return {
    id: s.id,
    routerId: s.routerId,
    ...targetView(s),
    label: s.label,
    windows: s.windows,
    enabled: s.enabled,
    timeZone,
    active: state.open,
    nextChangeAt: state.changesAt?.toISOString() ?? null,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
