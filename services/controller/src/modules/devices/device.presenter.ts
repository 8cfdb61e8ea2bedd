import type { DeviceEntity } from './device.entity';

/** A device of the inventory as the API shows it. */
export function toDeviceView(d: DeviceEntity) {
  return {
    mac: d.mac,
    ip: d.ip,
    hostname: d.hostname,
    vendor: d.vendor,
    interface: d.interface,
    source: d.source,
    firstSeenAt: d.firstSeenAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
  };
}
