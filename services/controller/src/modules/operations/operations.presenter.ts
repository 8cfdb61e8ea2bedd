import type { ItemRow, ItemStatus, OperationRow } from './operations.repository';

/**
 * A line's status as observed now: a router that was unreachable shows `applied` (or
 * `removed`) once the reconciler has done it; otherwise what the operation recorded.
 */
export function observedStatus(kind: OperationRow['kind'], item: ItemRow): ItemStatus {
  if (item.status !== 'pending' && item.status !== 'applied') return item.status;
  if (kind === 'block') return item.blockStatus === 'applied' ? 'applied' : item.blockStatus === 'pending' ? 'pending' : item.status;
  return item.blockStatus === null ? 'removed' : item.status;
}

/** An operation as the API shows it: counts and one result per router, in the order given. */
export function toOperationView(op: OperationRow, items: ItemRow[]) {
  const results = items.map((item) => {
    const status = observedStatus(op.kind, item);
    return {
      routerId: item.routerId,
      status,
      ...(item.errorCode && status !== 'applied' && status !== 'removed' ? { error: { code: item.errorCode, message: item.errorMessage ?? '' } } : {}),
    };
  });
  const count = (...statuses: ItemStatus[]) => results.filter((r) => statuses.includes(r.status)).length;
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    ...(op.targetKind === 'ip' ? { ip: op.targetValue } : { mac: op.targetValue }),
    reason: op.reason,
    until: op.expiresAt?.toISOString() ?? null,
    total: op.total,
    succeeded: count('applied', 'removed'),
    failed: count('failed'),
    pending: count('pending'),
    queued: count('queued'),
    createdAt: op.createdAt.toISOString(),
    finishedAt: op.finishedAt?.toISOString() ?? null,
    results,
  };
}
