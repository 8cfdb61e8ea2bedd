import { useState, type FormEvent } from 'react';
import { api, ApiError, type BodyOf, toApiError } from '../../api/client';
import type { Platform, RouterInfo, RouterView } from '../../api/types';
import { Link, navigate } from '../../app/router';
import { ErrorBox, Field, Notice, Page, Select, TextArea } from '../../components/ui';
import { ProvisionKey } from '../Router/Settings';

type Stage = { kind: 'form' } | { kind: 'testing'; router: RouterView } | { kind: 'connected'; router: RouterView; info: RouterInfo } | { kind: 'failed'; router: RouterView; error: ApiError };

const empty = { name: '', host: '', port: '22', username: 'root', auth: 'password' as 'password' | 'privateKey', password: '', privateKey: '', platform: 'openwrt' as Platform, hostKeySha256: '', leasesPath: '' };

/** Add a router, then test the connection: the host key pinned on first contact is shown for the user to confirm. */
export function AddRouterPage() {
  const [form, setForm] = useState(empty);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'form' });
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const test = async (router: RouterView) => {
    setStage({ kind: 'testing', router });
    try {
      const info = await api.get('/api/v1/routers/{id}/info', { path: { id: router.id } });
      // The first contact pinned the key the router showed: read it back to show it.
      const pinned = (await api.get('/api/v1/routers/{id}', { path: { id: router.id } })) as RouterView;
      setStage({ kind: 'connected', router: pinned, info });
    } catch (err) {
      setStage({ kind: 'failed', router, error: toApiError(err) });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!form.name.trim()) problems.name = 'Give the router a name, for example "Home router".';
    if (!form.host.trim()) problems.host = 'Enter the router’s address as NetPilot’s executor reaches it: an IP address or host name.';
    const port = Number(form.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.port = 'Enter a port between 1 and 65535 (SSH is usually 22).';
    if (!form.username.trim()) problems.username = 'Enter the SSH user NetPilot logs in as (root on OpenWrt).';
    if (form.auth === 'password' && !form.password) problems.password = 'Enter the SSH password, or switch to a private key.';
    if (form.auth === 'privateKey' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(form.privateKey)) problems.privateKey = 'Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to the END line.';
    if (form.hostKeySha256.trim() && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(form.hostKeySha256.trim())) problems.hostKeySha256 = 'Use the form ssh-keygen -lf prints: SHA256: followed by 43 characters.';
    if (form.leasesPath.trim() && !form.leasesPath.trim().startsWith('/')) problems.leasesPath = 'Use an absolute path such as /tmp/dhcp.leases.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    setError(null);
    const body: BodyOf<'/api/v1/routers', 'post'> = {
      name: form.name.trim(),
      host: form.host.trim(),
      port,
      username: form.username.trim(),
      platform: form.platform,
      ...(form.auth === 'password' ? { password: form.password } : { privateKey: form.privateKey }),
      ...(form.hostKeySha256.trim() ? { hostKeySha256: form.hostKeySha256.trim() } : {}),
      ...(form.leasesPath.trim() ? { options: { leasesPath: form.leasesPath.trim() } } : {}),
    };
    try {
      const router = (await api.post('/api/v1/routers', { body })) as RouterView;
      await test(router);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && Object.keys(err.fieldErrors()).length) setFields(err.fieldErrors());
      else setError(toApiError(err));
    }
  };

  const discard = async (router: RouterView) => {
    await api.delete('/api/v1/routers/{id}', { path: { id: router.id } }).catch(() => undefined);
    setStage({ kind: 'form' });
  };

  if (stage.kind === 'testing') {
    return (
      <Page title="Testing the connection">
        <p role="status">Connecting to {stage.router.host} over SSH…</p>
      </Page>
    );
  }
  if (stage.kind === 'connected') {
    const { router, info } = stage;
    return (
      <Page title="Connected">
        <Notice kind="ok">
          NetPilot reached <strong>{info.hostname}</strong> ({info.os}).
        </Notice>
        <div className="card">
          <h2>Confirm the router’s host key</h2>
          <p>NetPilot pinned this SSH host key on first contact; from now on any other key is refused.</p>
          <p>
            <code className="break">{router.hostKeySha256}</code>
          </p>
          <p>
            Compare it with the router’s own: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> (OpenWrt with Dropbear:{' '}
            <code>dropbearkey -y -f /etc/dropbear/dropbear_ed25519_host_key</code>).
          </p>
          <div className="form-actions">
            <button type="button" onClick={() => navigate(`/routers/${router.id}/devices`)}>
              It matches: open the router
            </button>
            <button type="button" className="danger" onClick={() => void discard(router)}>
              It does not match: remove it
            </button>
          </div>
        </div>
        <ProvisionKey routerId={router.id} />
      </Page>
    );
  }
  if (stage.kind === 'failed') {
    const { router, error: failure } = stage;
    return (
      <Page title="Could not connect">
        <ErrorBox error={failure}>
          <p>{hintFor(failure.code)}</p>
        </ErrorBox>
        <div className="form-actions">
          <button type="button" onClick={() => void test(router)}>
            Try again
          </button>
          <button type="button" className="secondary" onClick={() => void discard(router)}>
            Change the settings
          </button>
          <Link className="button secondary" to={`/routers/${router.id}/settings`}>
            Keep it and set it up later
          </Link>
        </div>
      </Page>
    );
  }
  return (
    <Page title="Add a router">
      <p>NetPilot connects to the router over SSH. See docs/router-setup.md for a dedicated account and routers behind NAT.</p>
      <ErrorBox error={error} />
      <form className="card" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" value={form.name} onChange={set('name')} error={fields.name} maxLength={100} autoFocus />
        <div className="row">
          <Field label="Address" value={form.host} onChange={set('host')} error={fields.host} placeholder="192.168.1.1" autoComplete="off" />
          <Field label="SSH port" value={form.port} onChange={set('port')} error={fields.port} inputMode="numeric" />
        </div>
        <Select label="Platform" value={form.platform} onChange={(e) => setForm({ ...form, platform: e.target.value as Platform })} error={fields.platform}>
          <option value="openwrt">OpenWrt (fw4 / nftables)</option>
          <option value="linux-nft">Linux with nftables</option>
          <option value="linux-iptables">Linux with iptables</option>
        </Select>
        <Field label="SSH user" value={form.username} onChange={set('username')} error={fields.username} autoComplete="off" />
        <fieldset>
          <legend>Sign-in method</legend>
          <div className="check">
            <input type="radio" id="auth-password" name="auth" checked={form.auth === 'password'} onChange={() => setForm({ ...form, auth: 'password' })} />
            <label htmlFor="auth-password">Password</label>
          </div>
          <div className="check">
            <input type="radio" id="auth-key" name="auth" checked={form.auth === 'privateKey'} onChange={() => setForm({ ...form, auth: 'privateKey' })} />
            <label htmlFor="auth-key">Private key</label>
          </div>
        </fieldset>
        {form.auth === 'password' ? (
          <Field label="SSH password" type="password" value={form.password} onChange={set('password')} error={fields.password} autoComplete="new-password" />
        ) : (
          <TextArea label="Private key" value={form.privateKey} onChange={set('privateKey')} error={fields.privateKey} rows={6} spellCheck={false} />
        )}
        <Field
          label="Expected host key fingerprint (optional)"
          value={form.hostKeySha256}
          onChange={set('hostKeySha256')}
          error={fields.hostKeySha256}
          placeholder="SHA256:…"
          hint="From ssh-keygen -lf on the router. Without it, the key seen first is pinned and shown to you to confirm."
        />
        <Field label="DHCP leases file (optional)" value={form.leasesPath} onChange={set('leasesPath')} error={fields['options.leasesPath'] ?? fields.leasesPath} placeholder="/tmp/dhcp.leases" />
        <div className="form-actions">
          <button type="submit">Add and test the connection</button>
          <Link className="button secondary" to="/">
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}

function hintFor(code: string): string {
  switch (code) {
    case 'ROUTER_UNREACHABLE':
      return 'Check the address and port, that the router’s SSH server runs, and that the executor’s host can reach it.';
    case 'ROUTER_AUTH_FAILED':
      return 'The router refused the user or credentials. Check the SSH user and password or key.';
    case 'HOST_KEY_MISMATCH':
      return 'The router showed a different host key than the fingerprint you gave. Check the fingerprint on the router.';
    case 'TIMEOUT':
      return 'The router did not answer in time. Check that it is up and not overloaded.';
    case 'COMMAND_FAILED':
    case 'UNSUPPORTED_PLATFORM':
      return 'The router answered, but not as the chosen platform would. Check the platform.';
    default:
      return 'Check the settings and try again.';
  }
}
