import type { Transactor } from '../../db/sql';
import type { Actor } from '../../http/actor';
import type { AuditService } from '../audit/audit.service';
import type { DevicesService } from '../devices/devices.service';
import type { RouterEntity } from '../routers/router.entity';
import type { RoutersService } from '../routers/routers.service';
import { publishNowhere, type Publish } from '../stream/stream.events';
import type { ScheduleEntity } from './schedule.entity';
import { toScheduleView } from './schedule.presenter';
import type { WeeklyWindow } from './schedule-windows';
import { ScheduleErrors } from './schedules.errors';
import type { ScheduleChanges, SchedulesRepository } from './schedules.repository';

/** How many schedules one router may have. */
export const MAX_SCHEDULES_PER_ROUTER = 100;

export interface ScheduleTarget {
  deviceId?: string;
  mac?: string;
  ip?: string;
}

export interface CreateScheduleInput extends ScheduleTarget {
  windows: WeeklyWindow[];
  label?: string;
  enabled: boolean;
}

export type UpdateScheduleInput = ScheduleTarget & { windows?: WeeklyWindow[]; label?: string | null; enabled?: boolean };

export interface SchedulesServiceDeps {
  repo: SchedulesRepository;
  routers: Pick<RoutersService, 'getVisible'>;
  devices: Pick<DevicesService, 'addressOf'>;
  audit: AuditService;
  transaction: Transactor;
  clock: () => Date;
  publish?: Publish;
  /** A schedule was created or changed: its next boundary is planned and the router reconciled (a window may be open now). */
  onChange?: (schedule: ScheduleEntity, router: RouterEntity) => Promise<void>;
  /** A schedule was deleted: its planned boundary goes and the router is reconciled (it may have been blocking). */
  onRemoved?: (schedule: ScheduleEntity) => Promise<void>;
}

/**
 * Schedules: a device blocked during weekly windows in its router's time zone. The rows are
 * desired state like blocks; the reconciler makes the router follow them, and the boundary
 * jobs ask it to at each window's start and end.
 */
export class SchedulesService {
  private readonly publish: Publish;

  constructor(private readonly deps: SchedulesServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  async create(actor: Actor, routerId: string, input: CreateScheduleInput) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const { kind, value } = await this.deps.devices.addressOf(routerId, input);
    if ((await this.deps.repo.count(routerId)) >= MAX_SCHEDULES_PER_ROUTER) throw ScheduleErrors.tooMany(MAX_SCHEDULES_PER_ROUTER);
    const schedule = await this.deps.transaction(async (tx) => {
      const created = await this.deps.repo.insert({ routerId, kind, value, label: input.label ?? null, windows: input.windows, enabled: input.enabled, createdBy: actor.userId }, tx);
      await this.deps.audit.record(
        { action: 'schedule.create', actor, target: { type: 'router', id: routerId }, details: { scheduleId: created.id, [kind]: value, label: created.label, windows: created.windows, enabled: created.enabled } },
        tx,
      );
      return created;
    });
    return this.changed(router, schedule);
  }

  async list(actor: Actor, routerId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const now = this.deps.clock();
    return { items: (await this.deps.repo.listNamed(routerId)).map((s) => toScheduleView(s, router.timeZone, now)) };
  }

  async get(actor: Actor, routerId: string, id: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    return this.view(router, id);
  }

  /** An edit: writes only the fields given (a new target, windows, label, paused or resumed). */
  async update(actor: Actor, routerId: string, id: string, patch: UpdateScheduleInput) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const changes: ScheduleChanges = {};
    if (patch.deviceId || patch.mac || patch.ip) Object.assign(changes, await this.deps.devices.addressOf(routerId, patch));
    if (patch.windows !== undefined) changes.windows = patch.windows;
    if (patch.label !== undefined) changes.label = patch.label;
    if (patch.enabled !== undefined) changes.enabled = patch.enabled;
    const schedule = await this.deps.transaction(async (tx) => {
      const updated = await this.deps.repo.update(routerId, id, changes, tx);
      if (!updated) throw ScheduleErrors.notFound();
      await this.deps.audit.record({ action: 'schedule.update', actor, target: { type: 'router', id: routerId }, details: { scheduleId: id, ...changes } }, tx);
      return updated;
    });
    return this.changed(router, schedule);
  }

  async remove(actor: Actor, routerId: string, id: string): Promise<void> {
    await this.deps.routers.getVisible(actor, routerId);
    const schedule = await this.deps.transaction(async (tx) => {
      const deleted = await this.deps.repo.delete(routerId, id, tx);
      if (!deleted) throw ScheduleErrors.notFound();
      await this.deps.audit.record({ action: 'schedule.delete', actor, target: { type: 'router', id: routerId }, details: { scheduleId: id, [deleted.kind]: deleted.value, label: deleted.label } }, tx);
      return deleted;
    });
    await this.publish({ kind: 'schedule.changed', routerId, ids: [id] });
    await this.deps.onRemoved?.(schedule);
  }

  private async changed(router: RouterEntity, schedule: ScheduleEntity) {
    await this.publish({ kind: 'schedule.changed', routerId: router.id, ids: [schedule.id] });
    await this.deps.onChange?.(schedule, router);
    return this.view(router, schedule.id);
  }

  private async view(router: RouterEntity, id: string) {
    const schedule = await this.deps.repo.findNamed(router.id, id);
    if (!schedule) throw ScheduleErrors.notFound();
    return toScheduleView(schedule, router.timeZone, this.deps.clock());
  }
}
