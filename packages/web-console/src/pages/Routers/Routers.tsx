import { useState } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { Convergence, RouterView } from '../../api/types';
import { useEvery, useLive } from '../../app/live';
import { Link, navigate } from '../../app/router';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, Page, When } from '../../components/ui';

export function StatusBadge({ status }: { status: RouterView['status'] }) {
  if (status === 'online') return <Badge tone="ok">Online</Badge>;
  if (status === 'offline') return <Badge tone="bad">Offline</Badge>;
  return <Badge tone="neutral">No heartbeat</Badge>;
}

/** What the last reconcile saw of the router: in sync, drifting, pending, unreachable. */
export function ConvergenceBadge({ convergence }: { convergence?: Convergence | null }) {
  if (!convergence?.state) return <span className="muted">—</span>;
  const text = convergence.state;
  const tone = /^(converged|in[-_ ]?sync|ok)$/i.test(text) ? 'ok' : /fail|error|drift/i.test(text) ? 'bad' : 'warn';
  return <Badge tone={tone}>{text.replace(/[-_]/g, ' ')}</Badge>;
}

/** Every router the user may see, updating live; the empty state leads to a first router. */
export function RoutersPage({ demoRouter }: { demoRouter: boolean }) {
  const routers = useLoad(() => api.all('/api/v1/routers'));
  useLive((e) => e.kind === 'router.status', routers.reload);
  useEvery(60_000, routers.reload);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const addDemo = async () => {
    setAdding(true);
    setError(null);
    try {
      const router = await api.post('/api/v1/demo-router');
      navigate(`/routers/${router.id}/devices`);
    } catch (err) {
      setError(toApiError(err));
      setAdding(false);
    }
  };

  const items = (routers.data?.items ?? []) as RouterView[];
  return (
    <Page
      title="Routers"
      actions={
        items.length > 0 && (
          <Link to="/routers/new" className="button">
            Add a router
          </Link>
        )
      }
    >
      <ErrorBox error={routers.error ?? error} />
      {routers.loading && !routers.data ? (
        <p>Loading routers…</p>
      ) : items.length === 0 ? (
        <div className="card empty-state">
          <h2>No routers yet</h2>
          <p>Add a router to see the devices on its network and block or unblock them.</p>
          <div className="form-actions">
            {demoRouter && (
              <button type="button" onClick={() => void addDemo()} disabled={adding}>
                {adding ? 'Adding the demo router…' : 'Add the demo router'}
              </button>
            )}
            <Link to="/routers/new" className={demoRouter ? 'button secondary' : 'button'}>
              Add a router
            </Link>
          </div>
          {demoRouter && <p className="hint">The demo router is a simulated OpenWrt router that runs beside this NetPilot, with a few devices on its LAN.</p>}
        </div>
      ) : (
        <DataTable
          caption="Your routers"
          rows={items}
          rowKey={(r) => r.id}
          empty="No routers."
          columns={[
            { label: 'Name', cell: (r) => <Link to={`/routers/${r.id}/devices`}>{r.name}</Link> },
            { label: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
            { label: 'Convergence', cell: (r) => <ConvergenceBadge convergence={r.convergence} /> },
            { label: 'Last seen', cell: (r) => <When at={r.lastSeenAt} /> },
            { label: 'Address', cell: (r) => <code>{r.tunnelPort ? `tunnel :${r.tunnelPort}` : `${r.host}:${r.port}`}</code> },
            { label: 'Platform', cell: (r) => r.platform, wide: true },
          ]}
        />
      )}
    </Page>
  );
}
