import type { Holders } from '../reconcile/desired-state';
import type { DeviceEntity } from './device.entity';

/** What a block or schedule is for, as the API shows it: its address and the device it belongs to. */
export function targetView(t: { kind: 'ip' | 'mac'; value: string; deviceId: string | null; deviceName: string | null }) {
  return { ...(t.kind === 'ip' ? { ip: t.value } : { mac: t.value }), deviceId: t.deviceId, deviceName: t.deviceName };
}

/** What holds a device blocked now: its manual block, and schedules with an open window. */
export type Hold = { type: 'block'; id: string; until: string | null } | { type: 'schedule'; id: string; label: string | null };

/** The holds of the addresses a device has (its MAC and its current IP). */
export function holdsOf(d: Pick<DeviceEntity, 'mac' | 'ip'>, wanted: Map<string, Holders>): Hold[] {
  const holds: Hold[] = [];
  for (const key of [`mac:${d.mac}`, d.ip ? `ip:${d.ip}` : null]) {
    const h = key ? wanted.get(key) : undefined;
    if (!h) continue;
    if (h.block) holds.push({ type: 'block', id: h.block.id, until: h.block.expiresAt?.toISOString() ?? null });
    for (const s of h.schedules) holds.push({ type: 'schedule', id: s.id, label: s.label });
  }
  return holds;
}

/** A device of the inventory as the API shows it. */
export function toDeviceView(d: DeviceEntity, holds: Hold[] = []) {
  return {
    id: d.id,
    mac: d.mac,
    ip: d.ip,
    hostname: d.hostname,
    name: d.name,
    vendor: d.vendor,
    interface: d.interface,
    source: d.source,
    blocked: holds.length > 0,
    blockedBy: holds,
    firstSeenAt: d.firstSeenAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
  };
}
