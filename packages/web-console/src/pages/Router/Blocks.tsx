import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import { Badge, DataTable, ErrorBox, Field, When } from '../../components/ui';
import type { RouterContext } from './context';

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

export function BlocksTab({ ctx }: { ctx: RouterContext }) {
  const { router, blocks } = ctx;
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const value = target.trim();
    if (!value) return setFieldError('Enter an IP address (192.168.1.23) or a MAC address (aa:bb:cc:dd:ee:ff).');
    setFieldError(undefined);
    setBusy('new');
    setError(null);
    try {
      await api.post('/api/v1/routers/{id}/blocks', { path: { id: router.id }, body: { ...(MAC.test(value) ? { mac: value } : { ip: value }), ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      setTarget('');
      setReason('');
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
          { label: 'Address', cell: (b) => <code>{b.mac ?? b.ip}</code> },
          {
            label: 'State',
            cell: (b) => (
              <>
                <Badge tone={b.status === 'applied' ? 'bad' : 'warn'}>{b.status === 'applied' ? 'Enforced' : b.status === 'pending' ? 'Pending' : 'Being removed'}</Badge>
                {b.error && <span className="muted"> {b.error.message}</span>}
              </>
            ),
          },
          { label: 'Reason', cell: (b) => b.reason ?? <span className="muted">—</span> },
          { label: 'Since', cell: (b) => <When at={b.createdAt} /> },
          {
            label: 'Action',
            cell: (b) => (
              <button type="button" className="secondary" disabled={busy === b.id} onClick={() => void remove(b.id)} aria-label={`Unblock ${b.mac ?? b.ip}`}>
                {busy === b.id ? 'Unblocking…' : 'Unblock'}
              </button>
            ),
          },
        ]}
      />
      <form className="card" onSubmit={(e) => void add(e)} noValidate>
        <h3>Block an address</h3>
        <Field label="IP or MAC address" value={target} onChange={(e) => setTarget(e.target.value)} error={fieldError} placeholder="192.168.1.23 or aa:bb:cc:dd:ee:ff" autoComplete="off" />
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
