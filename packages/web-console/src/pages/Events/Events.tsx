import { useState, type FormEvent } from 'react';
import { api, toApiError, type ApiError } from '../../api/client';
import type { RouterEvent } from '../../api/types';
import { useLive } from '../../app/live';
import { Link } from '../../app/router';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, Field, Page, Select, When } from '../../components/ui';

/** The level filter: everything, warnings and errors, or errors only. */
const LEVELS: Record<string, ('info' | 'warn' | 'error')[] | undefined> = { all: undefined, warn: ['warn', 'error'], error: ['error'] };

function LevelBadge({ level }: { level: RouterEvent['level'] }) {
  return level === 'error' ? <Badge tone="bad">Error</Badge> : level === 'warn' ? <Badge tone="warn">Warning</Badge> : <Badge tone="neutral">Info</Badge>;
}

/**
 * Router events, newest first, updating live: what routers report about themselves and what
 * NetPilot saw of them. One router's (`routerId`), or every router the user may see.
 */
export function EventList({ routerId }: { routerId?: string }) {
  const [level, setLevel] = useState('all');
  const [type, setType] = useState('');
  const [applied, setApplied] = useState({ level: 'all', type: '' });
  const query = { level: LEVELS[applied.level], type: applied.type || undefined, limit: 50 };
  const fetchPage = (cursor?: string) =>
    routerId
      ? api.get('/api/v1/routers/{id}/events', { path: { id: routerId }, query: { ...query, cursor } })
      : api.get('/api/v1/events', { query: { ...query, cursor } });
  const first = useLoad(() => fetchPage(), [routerId, applied.level, applied.type]);
  useLive((e) => e.kind === 'event.created' && (!routerId || e.routerId === routerId), first.reload);
  const [older, setOlder] = useState<{ items: RouterEvent[]; next: string | null; of: object } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const more = async () => {
    const current = older?.of === applied ? older : null;
    const cursor = current?.next ?? first.data?.nextCursor;
    if (!cursor) return;
    try {
      const page = await fetchPage(cursor);
      setOlder({ items: [...(current?.items ?? []), ...page.items], next: page.nextCursor, of: applied });
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ level, type: type.trim() });
  };
  const extra = older?.of === applied ? older : null;
  const rows = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const hasMore = extra ? extra.next !== null : !!first.data?.nextCursor;

  return (
    <>
      <form className="filters card" onSubmit={submit} aria-label="Filter events">
        <Select label="Level" value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="all">All levels</option>
          <option value="warn">Warnings and errors</option>
          <option value="error">Errors only</option>
        </Select>
        <Field label="Type" value={type} onChange={(e) => setType(e.target.value)} placeholder="device.new" autoComplete="off" />
        <div className="form-actions">
          <button type="submit" className="secondary">
            Filter
          </button>
        </div>
      </form>
      <ErrorBox error={first.error ?? error} />
      <DataTable
        caption={routerId ? 'Events of this router' : 'Events of your routers'}
        rows={rows}
        rowKey={(e) => e.id}
        empty={first.loading ? 'Loading events…' : 'No events match.'}
        columns={[
          { label: 'When', cell: (e) => <When at={e.createdAt} /> },
          { label: 'Level', cell: (e) => <LevelBadge level={e.level} /> },
          ...(routerId ? [] : [{ label: 'Router', cell: (e: RouterEvent) => <Link to={`/routers/${e.routerId}/events`}>{e.routerName ?? e.routerId}</Link> }]),
          { label: 'Type', cell: (e) => <code>{e.type}</code> },
          { label: 'Message', cell: (e) => e.message },
          { label: 'From', cell: (e) => (e.source === 'router' ? 'the router' : 'NetPilot') },
        ]}
      />
      {hasMore && (
        <button type="button" className="secondary" onClick={() => void more()}>
          Show older events
        </button>
      )}
    </>
  );
}

/** Every router's events the user may see. */
export function EventsPage() {
  return (
    <Page title="Events">
      <p className="muted">What your routers reported about themselves, and what NetPilot saw of them: coming online, reboots, repairs, new devices, schedules.</p>
      <EventList />
    </Page>
  );
}
