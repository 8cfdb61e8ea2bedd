import type { Sql } from '../../db/sql';
import type { DeviceEntity, ScannedDevice } from './device.entity';

/** The devices table: each router's LAN inventory, one row per MAC. */
export class DevicesRepository {
  constructor(private readonly db: Sql) {}

  /** Upserts scanned devices by MAC in one statement: first seen stays, the rest is refreshed. */
  async upsert(routerId: string, devices: ScannedDevice[], seenAt: Date): Promise<void> {
    if (!devices.length) return;
    const column = <K extends keyof ScannedDevice>(k: K) => devices.map((d) => d[k]);
    await this.db.query(
      `INSERT INTO devices (router_id, mac, ip, hostname, vendor, interface, source, first_seen_at, last_seen_at)
       SELECT $1, d.mac, d.ip, d.hostname, d.vendor, d.interface, d.source, $8, $8
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS d(mac, ip, hostname, vendor, interface, source)
       ON CONFLICT (router_id, mac) DO UPDATE SET
         ip = EXCLUDED.ip,
         hostname = COALESCE(EXCLUDED.hostname, devices.hostname),
         vendor = COALESCE(EXCLUDED.vendor, devices.vendor),
         interface = COALESCE(EXCLUDED.interface, devices.interface),
         source = EXCLUDED.source,
         last_seen_at = EXCLUDED.last_seen_at`,
      [routerId, column('mac'), column('ip'), column('hostname'), column('vendor'), column('interface'), column('source'), seenAt],
    );
  }

  async list(routerId: string): Promise<DeviceEntity[]> {
    return this.db.query<DeviceEntity>(
      `SELECT router_id AS "routerId", mac, ip, hostname, vendor, interface, source,
              first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
         FROM devices WHERE router_id = $1 ORDER BY last_seen_at DESC, mac`,
      [routerId],
    );
  }
}
