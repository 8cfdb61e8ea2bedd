import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { AuditEntry, AuditVerdict } from '../../api/types';
import { useLoad } from '../../app/use-load';
import { DataTable, ErrorBox, Field, Notice, Page, Select, When } from '../../components/ui';

interface Filters {
  actor: string;
  router: string;
  action: string;
  from: string;
  to: string;
}

const none: Filters = { actor: '', router: '', action: '', from: '', to: '' };

function toQuery(f: Filters) {
  return {
    actor: f.actor.trim() || undefined,
    router: f.router.trim() || undefined,
    action: f.action.trim() || undefined,
    from: f.from ? new Date(f.from).toISOString() : undefined,
    to: f.to ? new Date(f.to).toISOString() : undefined,
  };
}

/** Admin: the append-only audit log, filtered, and a check of its hash chain. */
export function AuditPage() {
  const [filters, setFilters] = useState<Filters>(none);
  const [page, setPage] = useState<{ items: AuditEntry[]; next: string | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldError, setFieldError] = useState<Record<string, string>>({});
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const [verifying, setVerifying] = useState(false);
  const routers = useLoad(() => api.all('/api/v1/routers'));

  const latest = useRef(0);
  const load = async (f: Filters, cursor?: string) => {
    if (f.from && f.to && new Date(f.from) > new Date(f.to)) {
      setFieldError({ to: 'The end must be after the start.' });
      return;
    }
    setFieldError({});
    setError(null);
    const mine = ++latest.current;
    try {
      const res = await api.get('/api/v1/audit', { query: { ...toQuery(f), limit: 50, cursor } });
      // An answer to an older request (the first load, a previous filter) must not replace a newer one.
      if (mine !== latest.current) return;
      setPage({ items: cursor ? [...(page?.items ?? []), ...res.items] : res.items, next: res.nextCursor });
    } catch (err) {
      setError(toApiError(err));
    }
  };
  useEffect(() => {
    void load(none);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load(filters);
  };
  const verify = async () => {
    setVerifying(true);
    try {
      setVerdict(await api.get('/api/v1/audit/verify'));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setVerifying(false);
    }
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value });

  return (
    <Page
      title="Audit log"
      actions={
        <button type="button" className="secondary" onClick={() => void verify()} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify the chain'}
        </button>
      }
    >
      {verdict &&
        (verdict.ok ? (
          <Notice kind="ok">The hash chain is whole: {verdict.entries} entries, none altered or removed in between.</Notice>
        ) : (
          <div className="notice error" role="alert">
            <p>
              The chain is broken at entry {verdict.firstBadId}: {verdict.message}
            </p>
          </div>
        ))}
      <form className="card filters" onSubmit={submit} noValidate aria-label="Filter the audit log">
        <Field label="Actor (username or id)" value={filters.actor} onChange={set('actor')} />
        <Select label="Router" value={filters.router} onChange={set('router')}>
          <option value="">Any router</option>
          {(routers.data?.items ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </Select>
        <Field label="Action" value={filters.action} onChange={set('action')} placeholder="router.block" />
        <Field label="From" type="datetime-local" value={filters.from} onChange={set('from')} />
        <Field label="To" type="datetime-local" value={filters.to} onChange={set('to')} error={fieldError.to} />
        <div className="form-actions">
          <button type="submit">Filter</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setFilters(none);
              void load(none);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      <DataTable
        caption="Audit entries, newest first"
        rows={page?.items ?? []}
        rowKey={(e) => e.id}
        empty={page ? 'No entries match.' : 'Loading…'}
        columns={[
          { label: 'When', cell: (e) => <When at={e.at} /> },
          { label: 'Action', cell: (e) => <code>{e.action}</code> },
          { label: 'Outcome', cell: (e) => (e.outcome === 'success' ? 'success' : <strong>{e.outcome}</strong>) },
          { label: 'Actor', cell: (e) => e.actorUsername ?? (e.actorUserId ? e.actorUserId.slice(0, 8) : 'system') },
          { label: 'From', cell: (e) => e.actorIp ?? '—' },
          { label: 'Target', cell: (e) => (e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 8) ?? ''}` : '—') },
          { label: 'Details', cell: (e) => <code className="details">{JSON.stringify(e.details)}</code>, wide: true },
        ]}
      />
      {page?.next && (
        <button type="button" className="secondary" onClick={() => void load(filters, page.next!)}>
          Show older entries
        </button>
      )}
    </Page>
  );
}
