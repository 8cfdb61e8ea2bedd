import { useState } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import { useLive } from '../../app/live';
import { useLoad } from '../../app/use-load';
import { DataTable, ErrorBox, Notice, Page, When } from '../../components/ui';

/** Admin: every active session; terminating one signs that browser out within seconds. */
export function AdminSessionsPage() {
  const sessions = useLoad(() => api.all('/api/v1/sessions'));
  useLive((e) => e.kind === 'session.revoked', sessions.reload);
  const mine = useLoad(() => api.all('/api/v1/auth/sessions'));
  const currentId = mine.data?.items.find((s) => s.current)?.id;
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const terminate = async (id: string, username?: string) => {
    setError(null);
    try {
      await api.delete('/api/v1/sessions/{id}', { path: { id } });
      setDone(`Session of ${username ?? 'that user'} terminated.`);
      sessions.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <Page title="Sessions">
      <p>Everyone signed in now. Terminating a session signs that browser or client out within 10 seconds.</p>
      <ErrorBox error={sessions.error ?? error} />
      {done && <Notice kind="ok">{done}</Notice>}
      <DataTable
        caption="Active sessions"
        rows={sessions.data?.items ?? []}
        rowKey={(s) => s.id}
        empty="Nobody is signed in."
        columns={[
          { label: 'User', cell: (s) => <strong>{s.username ?? s.userId}</strong> },
          { label: 'Client', cell: (s) => (s.id === currentId ? 'This browser' : (s.userAgent ?? 'unknown').slice(0, 60)) },
          { label: 'Address', cell: (s) => s.ip ?? '—' },
          { label: 'Signed in', cell: (s) => <When at={s.createdAt} /> },
          { label: 'Last used', cell: (s) => <When at={s.lastUsedAt} /> },
          {
            label: 'Action',
            cell: (s) =>
              s.id === currentId ? (
                <span className="muted">yours</span>
              ) : (
                <button type="button" className="danger" onClick={() => void terminate(s.id, s.username)} aria-label={`Terminate the session of ${s.username ?? s.userId} from ${s.ip ?? 'unknown address'}`}>
                  Terminate
                </button>
              ),
          },
        ]}
      />
    </Page>
  );
}
