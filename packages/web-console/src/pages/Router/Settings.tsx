import { useState, type FormEvent } from 'react';
import { api, ApiError, toApiError } from '../../api/client';
import { navigate } from '../../app/router';
import { CopyBlock, ErrorBox, Field, Notice, Select } from '../../components/ui';
import type { RouterContext } from './context';

/** The commands a router runs to register itself and send heartbeats (docs/router-setup.md). */
export function provisionCommands(origin: string, routerId: string, provisionKey: string): { register: string; heartbeat: string } {
  return {
    register:
      `curl -s -X POST ${origin}/api/v1/routers/register \\\n` +
      `     -H 'content-type: application/json' \\\n` +
      `     -d "{\\"provisionKey\\":\\"${provisionKey}\\",\\"hostname\\":\\"$(cat /proc/sys/kernel/hostname)\\"}"\n` +
      `# answers {"routerId":"…","routerToken":"nrt_…"}: keep the token\n` +
      `umask 077; echo 'nrt_…' > /etc/netpilot.token`,
    heartbeat:
      `* * * * * curl -s -m 10 -X POST ${origin}/api/v1/routers/${routerId}/heartbeat -H "Authorization: Bearer $(cat /etc/netpilot.token)" ` +
      `-H 'content-type: application/json' -d "{\"bootId\":\"$(cat /proc/sys/kernel/random/boot_id)\",\"uptimeSeconds\":$(cut -d. -f1 /proc/uptime)}" >/dev/null`,
  };
}

/** Every time zone this browser knows, UTC first (the API checks the name again). */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...known])];
}

/** A new router token for the router, shown once; the previous one keeps working for a grace period. */
function RotateToken({ routerId }: { routerId: string }) {
  const [rotated, setRotated] = useState<{ routerToken: string; previousTokenExpiresAt: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const rotate = async () => {
    try {
      setRotated(await api.post('/api/v1/routers/{id}/token/rotate', { path: { id: routerId } }));
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <div className="card">
      <h3>Router token</h3>
      <p>The router proves itself with its token (heartbeats, events, network reports). A new one replaces it; the old one keeps working for a while, so the router can switch without a gap.</p>
      <ErrorBox error={error} />
      {rotated ? (
        <>
          <Notice kind="ok">New token issued. It is shown only now; the previous one works until {new Date(rotated.previousTokenExpiresAt).toLocaleTimeString()}.</Notice>
          <p>On the router, before then:</p>
          <CopyBlock label="Token command" text={`umask 077; echo '${rotated.routerToken}' > /etc/netpilot.token`} />
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => void rotate()}>
          Rotate the router token
        </button>
      )}
    </div>
  );
}

export function ProvisionKey({ routerId }: { routerId: string }) {
  const [key, setKey] = useState<{ provisionKey: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const issue = async () => {
    try {
      setKey(await api.post('/api/v1/routers/{id}/provision-key', { path: { id: routerId } }));
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const commands = key ? provisionCommands(location.origin, routerId, key.provisionKey) : null;
  return (
    <div className="card">
      <h3>Heartbeats from the router</h3>
      <p>A router that sends heartbeats shows as online or offline. It registers once with a one-time provision key, then posts a heartbeat every minute.</p>
      <ErrorBox error={error} />
      {commands && key ? (
        <>
          <Notice kind="ok">
            Provision key issued; it works once, until {new Date(key.expiresAt).toLocaleString()}. It is shown only now.
          </Notice>
          <p>1. On the router, register (BusyBox curl or wget):</p>
          <CopyBlock label="Register command" text={commands.register} />
          <p>2. Then add this line to the router's crontab (OpenWrt: /etc/crontabs/root), with the token from step 1 in /etc/netpilot.token:</p>
          <CopyBlock label="Heartbeat line" text={commands.heartbeat} />
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => void issue()}>
          Issue a provision key
        </button>
      )}
    </div>
  );
}

export function SettingsTab({ ctx }: { ctx: RouterContext }) {
  const { router } = ctx;
  const [name, setName] = useState(router.name);
  const [timeZone, setTimeZone] = useState(router.timeZone);
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const canManage = router.access !== 'assigned';

  const rename = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setNameError('Enter a name, for example "Home router".');
    setNameError(undefined);
    try {
      await api.patch('/api/v1/routers/{id}', { path: { id: router.id }, body: { name: name.trim(), timeZone } });
      setSaved(true);
      ctx.reloadRouter();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const remove = async () => {
    try {
      await api.delete('/api/v1/routers/{id}', { path: { id: router.id } });
      navigate('/');
    } catch (err) {
      setError(toApiError(err));
    }
  };
  if (!canManage) return <p>This router is assigned to you; its owner or an admin manages its settings.</p>;
  return (
    <>
      <h2>Settings</h2>
      <ErrorBox error={error} />
      <form className="card" onSubmit={(e) => void rename(e)} noValidate>
        <Field label="Router name" value={name} onChange={(e) => (setName(e.target.value), setSaved(false))} error={nameError} maxLength={100} />
        <Select label="Time zone" value={timeZone} onChange={(e) => (setTimeZone(e.target.value), setSaved(false))} hint="Schedules are read in the router's time zone">
          {timeZones(router.timeZone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </Select>
        <div className="form-actions">
          <button type="submit">Save</button>
          {saved && <span role="status">Saved.</span>}
        </div>
      </form>
      <ProvisionKey routerId={router.id} />
      {router.registeredAt && <RotateToken routerId={router.id} />}
      <div className="card">
        <h3>Remove this router</h3>
        <p>NetPilot forgets the router, its blocks and its history. The router keeps enforcing what it enforces now until it reboots.</p>
        {confirming ? (
          <div className="form-actions">
            <button type="button" className="danger" onClick={() => void remove()}>
              Yes, remove {router.name}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Remove router…
          </button>
        )}
      </div>
    </>
  );
}
