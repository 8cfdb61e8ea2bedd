import { useState } from 'react';
import { api, currentSession } from '../../api/client';
import type { Command } from '../../api/types';
import { useLive } from '../../app/live';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, When } from '../../components/ui';
import type { RouterContext } from './context';

function who(c: Command): string {
  if (!c.requestedBy) return 'system';
  return c.requestedBy === currentSession()?.user.id ? 'you' : `user ${c.requestedBy.slice(0, 8)}`;
}

function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** Every command sent to the router, newest first, updating live. */
export function HistoryTab({ ctx }: { ctx: RouterContext }) {
  const { router } = ctx;
  const first = useLoad(() => api.get('/api/v1/routers/{id}/commands', { path: { id: router.id }, query: { limit: 50 } }), [router.id]);
  useLive((e) => e.routerId === router.id && e.kind === 'command.finished', first.reload);
  const [older, setOlder] = useState<{ items: Command[]; next: string | null } | null>(null);

  const more = async () => {
    const cursor = older?.next ?? first.data?.nextCursor;
    if (!cursor) return;
    const page = await api.get('/api/v1/routers/{id}/commands', { path: { id: router.id }, query: { limit: 50, cursor } });
    setOlder({ items: [...(older?.items ?? []), ...page.items], next: page.nextCursor });
  };
  const rows = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  const hasMore = older ? older.next !== null : !!first.data?.nextCursor;
  return (
    <>
      <h2>Command history</h2>
      <ErrorBox error={first.error} />
      <DataTable
        caption={`Commands sent to ${router.name}`}
        rows={rows}
        rowKey={(c) => c.id}
        empty="No commands yet."
        columns={[
          { label: 'When', cell: (c) => <When at={c.createdAt} /> },
          { label: 'Action', cell: (c) => <strong>{c.action}</strong> },
          { label: 'Target', cell: (c) => (Object.keys(c.params).length ? <code>{paramsText(c.params)}</code> : <span className="muted">—</span>) },
          {
            label: 'Result',
            cell: (c) =>
              c.status === 'succeeded' ? (
                <Badge tone="ok">Succeeded</Badge>
              ) : c.status === 'failed' ? (
                <>
                  <Badge tone="bad">Failed</Badge> <span className="muted">{c.errorCode}</span>
                </>
              ) : (
                <Badge tone="warn">{c.status === 'sent' ? 'Sent' : 'Pending'}</Badge>
              ),
          },
          { label: 'Took', cell: (c) => (c.durationMs === null ? '—' : `${c.durationMs} ms`) },
          { label: 'By', cell: who },
        ]}
      />
      {hasMore && (
        <button type="button" className="secondary" onClick={() => void more()}>
          Show older commands
        </button>
      )}
    </>
  );
}
