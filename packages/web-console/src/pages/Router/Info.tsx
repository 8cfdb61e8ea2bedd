import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { useLoad } from '../../app/use-load';
import { ErrorBox } from '../../components/ui';
import type { RouterContext } from './context';

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [d && `${d} d`, (d || h) && `${h} h`, `${m} min`].filter(Boolean).join(' ');
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Asks the router itself: uptime, load, memory, OS. */
export function InfoTab({ ctx }: { ctx: RouterContext }) {
  const { router } = ctx;
  const [error, setError] = useState<ApiError | null>(null);
  const info = useLoad(
    () =>
      api.get('/api/v1/routers/{id}/info', { path: { id: router.id } }).catch((err: unknown) => {
        setError(ctx.reportError(err));
        return null;
      }),
    // A newly accepted host key (after a mismatch) asks again at once.
    [router.id, router.hostKeySha256],
  );
  const i = info.data;
  return (
    <>
      <div className="toolbar">
        <h2>Router info</h2>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setError(null);
            info.reload();
          }}
          disabled={info.loading}
        >
          {info.loading ? 'Asking the router…' : 'Refresh'}
        </button>
      </div>
      <ErrorBox error={error} />
      {i && (
        <dl className="facts">
          <div>
            <dt>Hostname</dt>
            <dd>{i.hostname}</dd>
          </div>
          <div>
            <dt>Operating system</dt>
            <dd>{i.os}</dd>
          </div>
          <div>
            <dt>Firmware</dt>
            <dd>{i.firmware ?? '—'}</dd>
          </div>
          <div>
            <dt>Kernel</dt>
            <dd>{i.kernel ?? '—'}</dd>
          </div>
          <div>
            <dt>Up for</dt>
            <dd>{duration(i.uptimeSeconds)}</dd>
          </div>
          <div>
            <dt>Load (1, 5, 15 min)</dt>
            <dd>{i.load.map((l) => l.toFixed(2)).join(' · ')}</dd>
          </div>
          <div>
            <dt>Memory available</dt>
            <dd>
              {mb(i.memory.availableBytes)} of {mb(i.memory.totalBytes)}
            </dd>
          </div>
          <div>
            <dt>Host key</dt>
            <dd>
              <code className="break">{router.hostKeySha256 ?? 'not pinned yet'}</code>
            </dd>
          </div>
        </dl>
      )}
    </>
  );
}
