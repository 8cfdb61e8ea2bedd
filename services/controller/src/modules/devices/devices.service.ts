import type { Transactor } from '../../db/sql';
import type { Actor } from '../../http/actor';
import type { AuditService } from '../audit/audit.service';
import type { BlockKind } from '../blocks/block.entity';
import type { BlocksRepository } from '../blocks/blocks.repository';
import type { CommandsService } from '../commands/commands.service';
import type { EventsService } from '../events/events.service';
import { desiredState } from '../reconcile/desired-state';
import type { RouterEntity } from '../routers/router.entity';
import type { RoutersService } from '../routers/routers.service';
import type { SchedulesRepository } from '../schedules/schedules.repository';
import { publishNowhere, type Publish } from '../stream/stream.events';
import { holdsOf, toDeviceView } from './device.presenter';
import { DeviceErrors } from './devices.errors';
import type { DevicesRepository } from './devices.repository';

export interface DevicesServiceDeps {
  repo: DevicesRepository;
  routers: RoutersService;
  commands: CommandsService;
  blocks: Pick<BlocksRepository, 'list'>;
  schedules: Pick<SchedulesRepository, 'list'>;
  events: Pick<EventsService, 'record'>;
  audit: AuditService;
  transaction: Transactor;
  clock: () => Date;
  publish?: Publish;
}

/** The LAN inventory: scans (neighbour table and DHCP leases, through the executor) merged into stored devices, and their names. */
export class DevicesService {
  private readonly publish: Publish;

  constructor(private readonly deps: DevicesServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  /** The address a block or schedule targets: a device of the inventory, by id, is blocked by its MAC. */
  async addressOf(routerId: string, target: { ip?: string; mac?: string; deviceId?: string }): Promise<{ kind: BlockKind; value: string }> {
    if (target.deviceId) {
      const device = await this.deps.repo.find(routerId, target.deviceId);
      if (!device) throw DeviceErrors.notFound();
      return { kind: 'mac', value: device.mac };
    }
    return target.ip ? { kind: 'ip', value: target.ip } : { kind: 'mac', value: target.mac! };
  }

  /** Scans the router now; each MAC seen for the first time is one `device.new` event. */
  async scan(actor: Actor, routerId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const outcome = await this.deps.commands.runOrFail(actor, router, 'scan', {});
    const devices = outcome.data.devices;
    const added = await this.deps.repo.upsert(routerId, devices, new Date());
    for (const d of added) {
      const called = d.hostname ?? d.vendor;
      const where = d.ip ? `${d.mac}, ${d.ip}` : d.mac;
      await this.deps.events.record(routerId, {
        type: 'device.new',
        level: 'info',
        message: called ? `New device on the LAN: ${called} (${where})` : `New device on the LAN: ${where}`,
        data: { deviceId: d.id, mac: d.mac, ip: d.ip, hostname: d.hostname, vendor: d.vendor },
      });
    }
    return { devices, commandId: outcome.commandId };
  }

  /** The inventory, each device with what holds it blocked now. */
  async list(actor: Actor, routerId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const [devices, wanted] = await Promise.all([this.deps.repo.list(routerId), this.wantedNow(router)]);
    return { items: devices.map((d) => toDeviceView(d, holdsOf(d, wanted))) };
  }

  /** What the router should block now, by address. */
  private async wantedNow(router: RouterEntity) {
    const [blocks, schedules] = await Promise.all([this.deps.blocks.list(router.id), this.deps.schedules.list(router.id)]);
    return desiredState(blocks, schedules, router.timeZone, this.deps.clock()).wanted;
  }

  /** Names a device (null forgets the name): blocks and schedules for it show the name too. */
  async rename(actor: Actor, routerId: string, deviceId: string, name: string | null) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const device = await this.deps.transaction(async (tx) => {
      const renamed = await this.deps.repo.rename(routerId, deviceId, name, tx);
      if (!renamed) throw DeviceErrors.notFound();
      await this.deps.audit.record({ action: 'device.rename', actor, target: { type: 'router', id: routerId }, details: { deviceId, mac: renamed.mac, name } }, tx);
      return renamed;
    });
    await this.publish({ kind: 'device.changed', routerId, ids: [deviceId] });
    return toDeviceView(device, holdsOf(device, await this.wantedNow(router)));
  }
}
