import { useCallback, useState } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { RouterView } from '../../api/types';
import { useEvery, useLive } from '../../app/live';
import { Link } from '../../app/router';
import { useLoad } from '../../app/use-load';
import { ErrorBox, Page, When } from '../../components/ui';
import { ConvergenceBadge, StatusBadge } from '../Routers/Routers';
import { BlocksTab } from './Blocks';
import { DevicesTab } from './Devices';
import { EventList } from '../Events/Events';
import { HistoryTab } from './History';
import { HostKeyMismatch, type Mismatch } from './HostKeyMismatch';
import { InfoTab } from './Info';
import type { RouterContext } from './context';
import { SchedulesTab } from './Schedules';
import { SettingsTab } from './Settings';

const TABS = [
  ['devices', 'Devices'],
  ['blocks', 'Blocks'],
  ['schedules', 'Schedules'],
  ['events', 'Events'],
  ['history', 'History'],
  ['info', 'Info'],
  ['settings', 'Settings'],
] as const;

/** One router: devices with one-click block/unblock, blocks, schedules, events, history, info, settings. */
export function RouterPage({ id, tab }: { id: string; tab: string }) {
  const router = useLoad(() => api.get('/api/v1/routers/{id}', { path: { id } }) as Promise<RouterView>, [id]);
  const blocks = useLoad(() => api.get('/api/v1/routers/{id}/blocks', { path: { id } }), [id]);
  const [mismatch, setMismatch] = useState<Mismatch | null>(null);
  useLive((e) => e.routerId === id && ['block.changed', 'command.finished', 'device.changed'].includes(e.kind), blocks.reload);
  useLive((e) => e.routerId === id && e.kind === 'router.status', router.reload);
  useEvery(60_000, router.reload);

  const reportError = useCallback((err: unknown): ApiError | null => {
    if (err instanceof ApiError && err.code === 'HOST_KEY_MISMATCH') {
      setMismatch((err.details ?? {}) as Mismatch);
      return null;
    }
    return toApiError(err);
  }, []);

  if (!router.data) {
    return (
      <Page title={router.error ? 'Router not found' : 'Router'}>
        {router.error ? (
          <ErrorBox error={router.error.status === 404 ? 'This router does not exist or is not yours.' : router.error}>
            <p>
              <Link to="/">Back to your routers</Link>
            </p>
          </ErrorBox>
        ) : (
          <p>Loading…</p>
        )}
      </Page>
    );
  }
  const r = router.data;
  const ctx: RouterContext = { router: r, blocks: blocks.data?.items ?? [], reloadBlocks: blocks.reload, reloadRouter: router.reload, reportError };
  const current = TABS.some(([key]) => key === tab) ? tab : 'devices';
  return (
    <Page title={r.name}>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={r.status} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <When at={r.lastSeenAt} />
          </dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd>
            <code>{r.tunnelPort ? `tunnel port ${r.tunnelPort}` : `${r.host}:${r.port}`}</code>
          </dd>
        </div>
        <div>
          <dt>Platform</dt>
          <dd>{r.platform}</dd>
        </div>
        <div>
          <dt>Time zone</dt>
          <dd>{r.timeZone}</dd>
        </div>
        {r.convergence.state && (
          <div>
            <dt>Convergence</dt>
            <dd>
              <ConvergenceBadge convergence={r.convergence} />
            </dd>
          </div>
        )}
      </dl>
      {mismatch && (
        <HostKeyMismatch
          router={r}
          mismatch={mismatch}
          onResolved={() => {
            setMismatch(null);
            router.reload();
          }}
        />
      )}
      <nav className="tabs" aria-label="Router sections">
        <ul>
          {TABS.map(([key, label]) => (
            <li key={key}>
              <Link to={`/routers/${r.id}/${key}`} aria-current={key === current ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-label={TABS.find(([key]) => key === current)![1]}>
        {current === 'devices' && <DevicesTab ctx={ctx} />}
        {current === 'blocks' && <BlocksTab ctx={ctx} />}
        {current === 'schedules' && <SchedulesTab ctx={ctx} />}
        {current === 'events' && (
          <>
            <h2>Events</h2>
            <EventList routerId={r.id} />
          </>
        )}
        {current === 'history' && <HistoryTab ctx={ctx} />}
        {current === 'info' && <InfoTab ctx={ctx} />}
        {current === 'settings' && <SettingsTab ctx={ctx} />}
      </section>
    </Page>
  );
}
