import { useState } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import type { RouterView } from '../../api/types';
import { ErrorBox } from '../../components/ui';

export interface Mismatch {
  hop?: 'router' | 'jumpHost';
  expected?: string;
  seen?: string;
}

/**
 * The router showed another SSH host key than the one pinned. That is what an attacker in
 * the middle looks like, and also what a reinstalled router looks like: the user checks the
 * new fingerprint on the router itself before accepting it.
 */
export function HostKeyMismatch({ router, mismatch, onResolved }: { router: RouterView; mismatch: Mismatch; onResolved(): void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState(false);
  const jump = mismatch.hop === 'jumpHost';
  const accept = async () => {
    if (!mismatch.seen) return;
    setBusy(true);
    try {
      await api.patch('/api/v1/routers/{id}', { path: { id: router.id }, body: { hostKeySha256: mismatch.seen } });
      onResolved();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="notice warn" role="alert">
      <h2>The {jump ? 'jump host' : 'router'} presented a different SSH host key</h2>
      <p>NetPilot refused to connect. This happens after a router is reset or replaced, but it is also what an attacker between you and the router would cause.</p>
      <dl className="keys">
        <dt>Pinned</dt>
        <dd>
          <code>{mismatch.expected ?? router.hostKeySha256 ?? 'unknown'}</code>
        </dd>
        <dt>Presented now</dt>
        <dd>
          <code>{mismatch.seen ?? 'unknown'}</code>
        </dd>
      </dl>
      {jump ? (
        <p>Check the jump host's key on the jump host, then update the router's jump host settings through the API.</p>
      ) : (
        <>
          <p>
            On the router, run <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> (OpenWrt with Dropbear:{' '}
            <code>dropbearkey -y -f /etc/dropbear/dropbear_ed25519_host_key</code>) and compare the SHA256 fingerprint with the one presented now.
          </p>
          <ErrorBox error={error} />
          <div className="check">
            <input id="hostkey-checked" type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
            <label htmlFor="hostkey-checked">I checked on the router: the presented fingerprint is the router's</label>
          </div>
          <div className="form-actions">
            <button type="button" disabled={!checked || busy || !mismatch.seen} onClick={() => void accept()}>
              Accept the new host key
            </button>
          </div>
        </>
      )}
    </div>
  );
}
