import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import type { Block } from '../../api/types';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, Field, When } from '../../components/ui';
import type { RouterContext } from './context';
import { timeIn } from './format';
import { emptyTarget, targetBody, TargetFields, type TargetChoice } from './Target';

/** The longest a temporary block may last (the API's limit: a year). */
const MAX_MINUTES = 366 * 24 * 60;

export function BlocksTab({ ctx }: { ctx: RouterContext }) {
  const { router, blocks } = ctx;
  const devices = useLoad(() => api.get('/api/v1/routers/{id}/devices', { path: { id: router.id } }), [router.id]);
  const [target, setTarget] = useState<TargetChoice>(emptyTarget);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [minutesError, setMinutesError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = targetBody(target);
    const n = minutes.trim() ? Number(minutes) : null;
    const badMinutes = n !== null && !(Number.isInteger(n) && n >= 1 && n <= MAX_MINUTES);
    setFieldError('error' in chosen ? chosen.error : undefined);
    setMinutesError(badMinutes ? 'Enter whole minutes, at least 1 (or leave it empty to block until you unblock).' : undefined);
    if ('error' in chosen || badMinutes) return;
    setBusy('new');
    setError(null);
    try {
      const until = n !== null ? new Date(Date.now() + n * 60_000).toISOString() : undefined;
      await api.post('/api/v1/routers/{id}/blocks', { path: { id: router.id }, body: { ...chosen.body, ...(until ? { until } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      setTarget(emptyTarget);
      setReason('');
      setMinutes('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setFieldError(`${Object.values(err.fieldErrors())[0] ?? err.message}. Enter an IP address (192.168.1.23) or a MAC address (aa:bb:cc:dd:ee:ff).`);
      else setError(ctx.reportError(err));
    } finally {
      setBusy(null);
      ctx.reloadBlocks();
    }
  };

  const remove = async (blockId: string) => {
    setBusy(blockId);
    setError(null);
    try {
      await api.delete('/api/v1/routers/{id}/blocks/{blockId}', { path: { id: router.id, blockId } });
    } catch (err) {
      setError(ctx.reportError(err));
    } finally {
      setBusy(null);
      ctx.reloadBlocks();
    }
  };
  const addressOf = (b: Block) => b.mac ?? b.ip;

  return (
    <>
      <h2>Blocks</h2>
      <ErrorBox error={error} />
      <DataTable
        caption={`Blocks on ${router.name}`}
        rows={blocks}
        rowKey={(b) => b.id}
        empty="Nothing is blocked on this router."
        columns={[
          { label: 'Device', cell: (b) => b.deviceName ?? <span className="muted">unknown</span> },
          { label: 'Address', cell: (b) => <code>{addressOf(b)}</code> },
          {
            label: 'State',
            cell: (b) => (
              <>
                <Badge tone={b.status === 'applied' ? 'bad' : 'warn'}>{b.status === 'applied' ? 'Enforced' : b.status === 'pending' ? 'Pending' : 'Being removed'}</Badge>
                {b.error && <span className="muted"> {b.error.message}</span>}
              </>
            ),
          },
          { label: 'Until', cell: (b) => (b.until ? <time dateTime={b.until}>{timeIn(router.timeZone, b.until)}</time> : <span className="muted">you unblock</span>) },
          { label: 'Reason', cell: (b) => b.reason ?? <span className="muted">—</span> },
          { label: 'Since', cell: (b) => <When at={b.createdAt} /> },
          {
            label: 'Action',
            cell: (b) => (
              <button type="button" className="secondary" disabled={busy === b.id} onClick={() => void remove(b.id)} aria-label={`Unblock ${b.deviceName ?? addressOf(b)}`}>
                {busy === b.id ? 'Unblocking…' : 'Unblock'}
              </button>
            ),
          },
        ]}
      />
      <form className="card" onSubmit={(e) => void add(e)} noValidate>
        <h3>Block a device</h3>
        <TargetFields devices={devices.data?.items ?? []} value={target} onChange={setTarget} error={fieldError} />
        <Field
          label="For how many minutes (optional)"
          type="number"
          inputMode="numeric"
          min={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          error={minutesError}
          hint="Empty: until you unblock it. A temporary block ends by itself."
        />
        <Field label="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <div className="form-actions">
          <button type="submit" className="danger" disabled={busy === 'new'}>
            {busy === 'new' ? 'Blocking…' : 'Block'}
          </button>
        </div>
      </form>
    </>
  );
}
