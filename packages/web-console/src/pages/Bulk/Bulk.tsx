import { useState, type FormEvent } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { Operation, RouterView } from '../../api/types';
import { useEvery, useLive } from '../../app/live';
import { Link } from '../../app/router';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, Field, Notice, Page } from '../../components/ui';

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
/** The longest a temporary block may last (the API's limit: a year). */
const MAX_MINUTES = 366 * 24 * 60;

type Result = Operation['results'][number];

function ResultBadge({ status }: { status: Result['status'] }) {
  if (status === 'applied') return <Badge tone="bad">Blocked</Badge>;
  if (status === 'removed') return <Badge tone="ok">Unblocked</Badge>;
  if (status === 'failed') return <Badge tone="bad">Failed</Badge>;
  if (status === 'pending') return <Badge tone="warn">Waiting for the router</Badge>;
  return <Badge tone="neutral">Queued</Badge>;
}

/**
 * Block or unblock one address on many routers at once (a family with several homes, an
 * office per site): the routers are chosen here, the work runs in the background, and the
 * results follow live. Routers that cannot be reached now get it when they are back.
 */
export function BulkPage() {
  const routers = useLoad(() => api.all('/api/v1/routers'));
  const [chosen, setChosen] = useState<string[]>([]);
  const [all, setAll] = useState(false);
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('');
  const [errors, setErrors] = useState<{ routers?: string; address?: string; minutes?: string }>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [operationId, setOperationId] = useState<string | null>(null);
  const operation = useLoad(() => (operationId ? api.get('/api/v1/operations/{id}', { path: { id: operationId } }) : Promise.resolve(null)), [operationId]);
  useLive((e) => e.kind === 'operation.progress' && e.ids?.includes(operationId ?? '') === true, operation.reload);
  // Routers that were unreachable are finished by the reconciler, which says so per router.
  useLive((e) => e.kind === 'block.changed' && operation.data?.results.some((r) => r.routerId === e.routerId && r.status === 'pending') === true, operation.reload);
  useEvery(5_000, () => {
    if (operation.data && (operation.data.status === 'running' || operation.data.pending > 0)) operation.reload();
  });

  const items = (routers.data?.items ?? []) as RouterView[];
  const nameOf = new Map(items.map((r) => [r.id, r.name]));

  const start = async (e: FormEvent, kind: 'block' | 'unblock') => {
    e.preventDefault();
    const value = address.trim();
    const n = minutes.trim() ? Number(minutes) : null;
    const next = {
      routers: !all && chosen.length === 0 ? 'Choose at least one router, or all of them.' : undefined,
      address: value ? undefined : 'Enter an IP address (192.168.1.23) or a MAC address (aa:bb:cc:dd:ee:ff).',
      minutes: kind === 'block' && n !== null && !(Number.isInteger(n) && n >= 1 && n <= MAX_MINUTES) ? 'Enter whole minutes, at least 1 (or leave it empty).' : undefined,
    };
    setErrors(next);
    if (next.routers || next.address || next.minutes) return;
    setBusy(true);
    setError(null);
    const which = all ? { all: true as const } : { routerIds: chosen };
    const target = MAC.test(value) ? { mac: value } : { ip: value };
    try {
      const op =
        kind === 'block'
          ? await api.post('/api/v1/bulk/blocks', {
              body: { ...which, ...target, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(n !== null ? { until: new Date(Date.now() + n * 60_000).toISOString() } : {}) },
            })
          : await api.post('/api/v1/bulk/unblocks', { body: { ...which, ...target } });
      setOperationId(op.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.code === 'VALIDATION_FAILED') setErrors({ address: `${Object.values(err.fieldErrors())[0] ?? err.message}. Enter an IP address or a MAC address.` });
      else setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  const op = operation.data;
  return (
    <Page title="Block on many routers">
      <ErrorBox error={routers.error ?? error} />
      <form className="card" onSubmit={(e) => void start(e, 'block')} noValidate>
        <fieldset aria-describedby={errors.routers ? 'bulk-routers-error' : undefined}>
          <legend>Routers</legend>
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            All my routers{items.length ? ` (${items.length})` : ''}
          </label>
          {!all &&
            items.map((r) => (
              <label key={r.id} className="check">
                <input type="checkbox" checked={chosen.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
                {r.name}
              </label>
            ))}
          {routers.loading && !routers.data && <p>Loading routers…</p>}
          {errors.routers && (
            <p id="bulk-routers-error" className="field-error">
              {errors.routers}
            </p>
          )}
        </fieldset>
        <Field label="IP or MAC address" value={address} onChange={(e) => setAddress(e.target.value)} error={errors.address} placeholder="192.168.1.23 or aa:bb:cc:dd:ee:ff" autoComplete="off" />
        <Field label="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <Field
          label="Block for how many minutes (optional)"
          type="number"
          inputMode="numeric"
          min={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          error={errors.minutes}
          hint="Empty: until you unblock it."
        />
        <div className="form-actions">
          <button type="submit" className="danger" disabled={busy}>
            {busy ? 'Starting…' : 'Block everywhere'}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={(e) => void start(e, 'unblock')}>
            Unblock everywhere
          </button>
        </div>
      </form>
      <ErrorBox error={operation.error} />
      {op && (
        <section aria-labelledby="bulk-progress">
          <h2 id="bulk-progress">
            {op.kind === 'block' ? 'Blocking' : 'Unblocking'} <code>{op.ip ?? op.mac}</code>
          </h2>
          <Notice kind={op.status === 'done' && op.pending === 0 && op.failed === 0 ? 'ok' : op.failed > 0 ? 'warn' : 'info'}>
            <p role="status">
              {op.succeeded} of {op.total} done
              {op.pending > 0 && `, ${op.pending} waiting for their router to be reachable (applied by themselves when it is back)`}
              {op.failed > 0 && `, ${op.failed} failed`}
              {op.queued > 0 && `, ${op.queued} still to go`}.
            </p>
          </Notice>
          <DataTable
            caption="Result per router"
            rows={op.results}
            rowKey={(r) => r.routerId}
            empty="No routers."
            columns={[
              { label: 'Router', cell: (r) => (nameOf.has(r.routerId) ? <Link to={`/routers/${r.routerId}/blocks`}>{nameOf.get(r.routerId)}</Link> : <span className="muted">not found</span>) },
              { label: 'Result', cell: (r) => <ResultBadge status={r.status} /> },
              { label: 'Detail', cell: (r) => r.error?.message ?? <span className="muted">—</span> },
            ]}
          />
        </section>
      )}
    </Page>
  );
}
