import type { DeviceTarget } from '@netpilot/contracts';
import { targetView } from '../devices/device.presenter';
import type { BlockEntity, NamedBlock } from './block.entity';

/** The executor's target of a block: its address, by kind. */
export const targetOfBlock = (b: Pick<BlockEntity, 'kind' | 'value'>): DeviceTarget => (b.kind === 'ip' ? { ip: b.value } : { mac: b.value });

/** A block as the API shows it, with the device it is for. */
export function toBlockView(b: NamedBlock) {
  return {
    id: b.id,
    routerId: b.routerId,
    ...targetView(b),
    reason: b.reason,
    until: b.expiresAt?.toISOString() ?? null,
    status: b.status,
    error: b.lastErrorCode ? { code: b.lastErrorCode, message: b.lastError ?? '' } : null,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    appliedAt: b.appliedAt?.toISOString() ?? null,
    verifiedAt: b.verifiedAt?.toISOString() ?? null,
  };
}
