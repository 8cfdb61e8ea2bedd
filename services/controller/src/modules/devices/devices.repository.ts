import type { Queryable, Sql, Tx } from '../../db/sql';
import type { DeviceEntity, ScannedDevice } from './device.entity';

const DEVICE_COLUMNS = `id, router_id AS "routerId", mac, ip, hostname, name, vendor, interface, source,
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"`;

/**
 * The device an address row (a block or a schedule, alias `t` with `router_id`, `kind`,
 * `value`) is for, as `dev."deviceId"` and `dev."deviceName"` (its name, or else its DHCP
 * hostname): by MAC, or by the IP it was last seen with.
 */
export const joinDeviceOf = (t: string) => `LEFT JOIN LATERAL (
    SELECT d.id AS "deviceId", COALESCE(d.name, d.hostname) AS "deviceName" FROM devices d
     WHERE d.router_id = ${t}.router_id AND CASE WHEN ${t}.kind = 'mac' THEN d.mac = ${t}.value ELSE d.ip = ${t}.value END
     ORDER BY d.last_seen_at DESC LIMIT 1) dev ON true`;

/** The devices table: each router's LAN inventory, one row per MAC, with a stable id and the owner's name for it. */
export class DevicesRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  /**
   * Upserts scanned devices by MAC in one statement: first seen, id and name stay, the rest
   * is refreshed. Returns the devices seen for the first time.
   */
  async upsert(routerId: string, devices: ScannedDevice[], seenAt: Date): Promise<Pick<DeviceEntity, 'id' | 'mac' | 'ip' | 'hostname' | 'vendor'>[]> {
    if (!devices.length) return [];
    const column = <K extends keyof ScannedDevice>(k: K) => devices.map((d) => d[k]);
    // xmax = 0 only on a row this statement inserted (an updated row carries our transaction id).
    const rows = await this.db.query<Pick<DeviceEntity, 'id' | 'mac' | 'ip' | 'hostname' | 'vendor'> & { inserted: boolean }>(
      `INSERT INTO devices AS dv (router_id, mac, ip, hostname, vendor, interface, source, first_seen_at, last_seen_at)
       SELECT $1, d.mac, d.ip, d.hostname, d.vendor, d.interface, d.source, $8, $8
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS d(mac, ip, hostname, vendor, interface, source)
       ON CONFLICT (router_id, mac) DO UPDATE SET
         ip = EXCLUDED.ip,
         hostname = COALESCE(EXCLUDED.hostname, dv.hostname),
         vendor = COALESCE(EXCLUDED.vendor, dv.vendor),
         interface = COALESCE(EXCLUDED.interface, dv.interface),
         source = EXCLUDED.source,
         last_seen_at = EXCLUDED.last_seen_at
       RETURNING dv.id, dv.mac, dv.ip, dv.hostname, dv.vendor, (dv.xmax = 0) AS inserted`,
      [routerId, column('mac'), column('ip'), column('hostname'), column('vendor'), column('interface'), column('source'), seenAt],
    );
    return rows.filter((r) => r.inserted).map(({ inserted: _inserted, ...device }) => device);
  }

  async list(routerId: string): Promise<DeviceEntity[]> {
    return this.db.query<DeviceEntity>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE router_id = $1 ORDER BY last_seen_at DESC, mac`, [routerId]);
  }

  async find(routerId: string, id: string): Promise<DeviceEntity | null> {
    return this.db.one<DeviceEntity>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE router_id = $1 AND id = $2`, [routerId, id], 'devices_find');
  }

  /** Names a device (null forgets the name); the row as it is now, or null when the router has no such device. */
  async rename(routerId: string, id: string, name: string | null, tx?: Tx): Promise<DeviceEntity | null> {
    const rows = await this.q(tx).query<DeviceEntity>(`UPDATE devices SET name = $3 WHERE router_id = $1 AND id = $2 RETURNING ${DEVICE_COLUMNS}`, [routerId, id, name]);
    return rows[0] ?? null;
  }
}
