import type { ItemRow, ItemStatus, OperationRow } from './operations.repository';

/**
 * A line's status as observed: what the operation recorded, except that a line left pending
 * (its router could not be reached) shows what the reconciler observed afterwards: `applied`
 * once the router was seen enforcing the block after the line was written, `removed` once a
 * reconcile after it found the router in sync with the manual block gone. Nothing is shown
 * that no one saw.
 */
export function observedStatus(kind: OperationRow['kind'], item: ItemRow): ItemStatus {
  if (item.status !== 'pending') return item.status;
  const after = (t: Date | null) => t !== null && t.getTime() > item.updatedAt.getTime();
  if (kind === 'block') return item.blockStatus === 'applied' && after(item.blockVerifiedAt) ? 'applied' : 'pending';
  return item.blockStatus === null && item.inSync && after(item.lastReconciledAt) ? 'removed' : 'pending';
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
