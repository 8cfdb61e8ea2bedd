import type { Actor } from '../../http/actor';
import type { CommandsService } from '../commands/commands.service';
import type { RoutersService } from '../routers/routers.service';
import { toDeviceView } from './device.presenter';
import type { DevicesRepository } from './devices.repository';

/** The LAN inventory: scans (neighbour table and DHCP leases, through the executor) merged into stored devices. */
export class DevicesService {
  constructor(private readonly deps: { repo: DevicesRepository; routers: RoutersService; commands: CommandsService }) {}

  async scan(actor: Actor, routerId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const outcome = await this.deps.commands.runOrFail(actor, router, 'scan', {});
    const devices = outcome.data.devices;
    await this.deps.repo.upsert(routerId, devices, new Date());
    return { devices, commandId: outcome.commandId };
  }

  async list(actor: Actor, routerId: string) {
    await this.deps.routers.getVisible(actor, routerId);
    return { items: (await this.deps.repo.list(routerId)).map(toDeviceView) };
  }
}
