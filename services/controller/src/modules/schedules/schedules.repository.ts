import type { Queryable, Sql, Tx } from '../../db/sql';
import { joinDeviceOf } from '../devices/devices.repository';
import type { NamedSchedule, ScheduleEntity } from './schedule.entity';

const columns = (t: string) => `${t}.id, ${t}.router_id AS "routerId", ${t}.kind, ${t}.value, ${t}.label, ${t}.windows, ${t}.enabled,
  ${t}.created_by AS "createdBy", ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt"`;
const NAMED = `SELECT ${columns('s')}, dev."deviceId", dev."deviceName" FROM schedules s ${joinDeviceOf('s')}`;

export type NewSchedule = Pick<ScheduleEntity, 'routerId' | 'kind' | 'value' | 'label' | 'windows' | 'enabled' | 'createdBy'>;
/** What an edit may change: each field maps to one column. */
export type ScheduleChanges = Partial<Pick<ScheduleEntity, 'kind' | 'value' | 'label' | 'windows' | 'enabled'>>;

const COLUMN_OF: Record<keyof ScheduleChanges, string> = { kind: 'kind', value: 'value', label: 'label', windows: 'windows', enabled: 'enabled' };

/** The schedules table: weekly block windows per router, and the device each is for. */
export class SchedulesRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  /** A router's schedules (the reconciler reads them after the router, like the blocks). */
  async list(routerId: string): Promise<ScheduleEntity[]> {
    return this.db.query<ScheduleEntity>(`SELECT ${columns('schedules')} FROM schedules WHERE router_id = $1 ORDER BY created_at, id`, [routerId], 'schedules_list');
  }

  async listNamed(routerId: string): Promise<NamedSchedule[]> {
    return this.db.query<NamedSchedule>(`${NAMED} WHERE s.router_id = $1 ORDER BY s.created_at, s.id`, [routerId], 'schedules_list_named');
  }

  async findNamed(routerId: string, id: string): Promise<NamedSchedule | null> {
    return this.db.one<NamedSchedule>(`${NAMED} WHERE s.router_id = $1 AND s.id = $2`, [routerId, id], 'schedules_find_named');
  }

  /** One schedule with its router's time zone (to plan its next boundary); null when gone. */
  async findForPlanning(id: string): Promise<(ScheduleEntity & { timeZone: string }) | null> {
    return this.db.one(
      `SELECT ${columns('s')}, r.time_zone AS "timeZone" FROM schedules s JOIN routers r ON r.id = s.router_id WHERE s.id = $1`,
      [id],
      'schedules_find_for_planning',
    );
  }

  /** Every enabled schedule with its router's time zone, optionally of one router (to plan boundaries). */
  async listEnabledForPlanning(routerId: string | null): Promise<(ScheduleEntity & { timeZone: string })[]> {
    return this.db.query(
      `SELECT ${columns('s')}, r.time_zone AS "timeZone" FROM schedules s JOIN routers r ON r.id = s.router_id
        WHERE s.enabled AND ($1::uuid IS NULL OR s.router_id = $1)`,
      [routerId],
    );
  }

  /** The routers among these with an enabled schedule for this address (a bulk unblock leaves them to the reconciler). */
  async routersScheduling(routerIds: string[], kind: string, value: string, tx: Tx): Promise<string[]> {
    if (!routerIds.length) return [];
    const rows = await tx.query<{ routerId: string }>(
      `SELECT DISTINCT router_id AS "routerId" FROM schedules WHERE router_id = ANY($1::uuid[]) AND kind = $2 AND value = $3 AND enabled`,
      [routerIds, kind, value],
    );
    return rows.map((r) => r.routerId);
  }

  async count(routerId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schedules WHERE router_id = $1', [routerId]);
    return rows[0].n;
  }

  async insert(values: NewSchedule, tx?: Tx): Promise<ScheduleEntity> {
    const rows = await this.q(tx).query<ScheduleEntity>(
      `INSERT INTO schedules AS s (router_id, kind, value, label, windows, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) RETURNING ${columns('s')}`,
      [values.routerId, values.kind, values.value, values.label, JSON.stringify(values.windows), values.enabled, values.createdBy],
    );
    return rows[0];
  }

  /** Writes exactly the columns in `changes`; null when the router has no such schedule. */
  async update(routerId: string, id: string, changes: ScheduleChanges, tx?: Tx): Promise<ScheduleEntity | null> {
    const keys = (Object.keys(changes) as (keyof ScheduleChanges)[]).filter((k) => changes[k] !== undefined);
    const value = (k: keyof ScheduleChanges) => (k === 'windows' ? JSON.stringify(changes.windows) : changes[k]);
    const rows = await this.q(tx).query<ScheduleEntity>(
      `UPDATE schedules s SET ${[...keys.map((k, i) => `${COLUMN_OF[k]} = $${i + 3}`), 'updated_at = now()'].join(', ')}
        WHERE s.router_id = $1 AND s.id = $2 RETURNING ${columns('s')}`,
      [routerId, id, ...keys.map(value)],
    );
    return rows[0] ?? null;
  }

  async delete(routerId: string, id: string, tx?: Tx): Promise<ScheduleEntity | null> {
    const rows = await this.q(tx).query<ScheduleEntity>(`DELETE FROM schedules s WHERE s.router_id = $1 AND s.id = $2 RETURNING ${columns('s')}`, [routerId, id]);
    return rows[0] ?? null;
  }
}
