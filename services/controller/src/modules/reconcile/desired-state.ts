import type { BlockEntity } from '../blocks/block.entity';
import type { ScheduleEntity } from '../schedules/schedule.entity';
import { windowStateAt } from '../schedules/schedule-windows';

/** The key of an address on a router: `ip:<address>` or `mac:<address>`, as the reconciler compares them. */
export const addressKey = (t: { kind: string; value: string }) => `${t.kind}:${t.value}`;

/** Why an address is wanted blocked: its manual block, and the schedules whose window is open. */
export interface Holders {
  block: BlockEntity | null;
  schedules: ScheduleEntity[];
}

/** What a router should enforce at one moment, and the rows and schedules on their way out. */
export interface DesiredState {
  /** Every address the router must block now, by key. */
  wanted: Map<string, Holders>;
  /** Block rows no longer wanted for themselves (being removed, or temporary and past their end), by key. */
  leaving: Map<string, BlockEntity>;
  /** Schedules that do not hold their address now (window closed, or paused), by key: what lifting it is for. */
  idle: Map<string, ScheduleEntity[]>;
}

/** Whether a stored block wants its address blocked at `now`: not being removed, and not past its `until`. */
export function isLive(block: Pick<BlockEntity, 'status' | 'expiresAt'>, now: Date): boolean {
  return block.status !== 'removing' && !(block.expiresAt && block.expiresAt.getTime() <= now.getTime());
}

/**
 * The rule for manual blocks and schedules: a router enforces the union of its live manual
 * blocks and the targets of its enabled schedules whose window is open now (in the router's
 * time zone). Neither undoes the other: a window that closes lifts only what no manual block
 * holds, and a manual block removed during an open window leaves the address blocked until
 * the window closes.
 */
export function desiredState(blocks: readonly BlockEntity[], schedules: readonly ScheduleEntity[], timeZone: string, now: Date): DesiredState {
  const wanted = new Map<string, Holders>();
  const leaving = new Map<string, BlockEntity>();
  const idle = new Map<string, ScheduleEntity[]>();
  for (const b of blocks) {
    if (isLive(b, now)) wanted.set(addressKey(b), { block: b, schedules: [] });
    else leaving.set(addressKey(b), b);
  }
  for (const s of schedules) {
    const key = addressKey(s);
    if (s.enabled && windowStateAt(s.windows, timeZone, now).open) {
      const holders = wanted.get(key) ?? { block: null, schedules: [] };
      holders.schedules.push(s);
      wanted.set(key, holders);
    } else {
      idle.set(key, [...(idle.get(key) ?? []), s]);
    }
  }
  return { wanted, leaving, idle };
}
