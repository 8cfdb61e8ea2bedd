import { useState, type FormEvent } from 'react';
import { api, ApiError, currentSession, refreshSession, toApiError } from '../../api/client';
import { useLive } from '../../app/live';
import { useLoad } from '../../app/use-load';
import { CopyBlock, DataTable, ErrorBox, Field, Notice, Page, When } from '../../components/ui';

type Enrolment = { stage: 'idle' } | { stage: 'scan'; secret: string; qr: string } | { stage: 'codes'; codes: string[] };

/** Two-factor enrolment (QR code, then recovery codes), your sessions, your password. */
export function AccountPage() {
  const me = useLoad(() => api.get('/api/v1/auth/me'));
  const user = me.data?.user ?? currentSession()?.user;
  return (
    <Page title="Account">
      {user && (
        <p>
          Signed in as <strong>{user.username}</strong> ({user.role}).
        </p>
      )}
      {user && <TwoFactor enabled={user.totpEnabled} onChange={me.reload} />}
      <MySessions />
      <ChangePassword />
    </Page>
  );
}

function TwoFactor({ enabled, onChange }: { enabled: boolean; onChange(): void }) {
  const [enrol, setEnrol] = useState<Enrolment>({ stage: 'idle' });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);

  const start = async () => {
    setError(null);
    try {
      const setup = await api.post('/api/v1/auth/2fa/setup');
      setEnrol({ stage: 'scan', secret: setup.secret, qr: setup.qrCodeDataUrl });
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code.replace(/\s+/g, ''))) return setFieldError({ code: 'Enter the 6-digit code your app shows now.' });
    setFieldError({});
    try {
      const { recoveryCodes } = await api.post('/api/v1/auth/2fa/enable', { body: { code: code.replace(/\s+/g, '') } });
      setCode('');
      setEnrol({ stage: 'codes', codes: recoveryCodes });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MFA_INVALID') setFieldError({ code: 'That code is not right. Enter the code your app shows now (check the phone’s clock).' });
      else setError(toApiError(err));
    }
  };
  const disable = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!password) problems.password = 'Enter your password.';
    if (!code.trim()) problems.code = 'Enter the code from your app or a recovery code.';
    setFieldError(problems);
    if (Object.keys(problems).length) return;
    try {
      await api.post('/api/v1/auth/2fa/disable', { body: { password, code: code.replace(/\s+/g, '') } });
      setPassword('');
      setCode('');
      onChange();
      void refreshSession();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'INVALID_PASSWORD') setFieldError({ password: 'The password is wrong.' });
      else if (err instanceof ApiError && err.code === 'MFA_INVALID') setFieldError({ code: 'That code is not right.' });
      else setError(toApiError(err));
    }
  };

  return (
    <section className="card" aria-labelledby="tfa-title">
      <h2 id="tfa-title">Two-factor sign-in</h2>
      <ErrorBox error={error} />
      {enrol.stage === 'codes' ? (
        <>
          <Notice kind="ok">Two-factor sign-in is on.</Notice>
          <p>Save these recovery codes somewhere safe. Each signs you in once if you lose your phone. They are shown only now.</p>
          <ul className="codes" aria-label="Recovery codes">
            {enrol.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <CopyBlock label="Recovery codes" text={enrol.codes.join('\n')} />
          <div className="form-actions">
            <button
              type="button"
              onClick={() => {
                setEnrol({ stage: 'idle' });
                onChange();
              }}
            >
              I saved them
            </button>
          </div>
        </>
      ) : enrol.stage === 'scan' ? (
        <form onSubmit={(e) => void confirm(e)} noValidate>
          <p>Scan this code with an authenticator app (for example Aegis, Google Authenticator or 1Password), then enter the code it shows.</p>
          <img className="qr" src={enrol.qr} alt="QR code to add NetPilot to your authenticator app" width={200} height={200} />
          <p>
            Cannot scan? Enter this key by hand: <code className="break" data-testid="totp-secret">{enrol.secret}</code>
          </p>
          <Field label="Code from the app" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} error={fieldError.code} />
          <div className="form-actions">
            <button type="submit">Turn on two-factor</button>
            <button type="button" className="secondary" onClick={() => setEnrol({ stage: 'idle' })}>
              Cancel
            </button>
          </div>
        </form>
      ) : enabled ? (
        <form onSubmit={(e) => void disable(e)} noValidate>
          <Notice kind="ok">Two-factor sign-in is on for your account.</Notice>
          <details>
            <summary>Turn it off</summary>
            <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError.password} />
            <Field label="Code from the app, or a recovery code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} error={fieldError.code} />
            <button type="submit" className="danger">
              Turn off two-factor
            </button>
          </details>
        </form>
      ) : (
        <>
          <p>Protect your account with a code from your phone at each sign-in.</p>
          <button type="button" onClick={() => void start()}>
            Set up two-factor
          </button>
        </>
      )}
    </section>
  );
}

function MySessions() {
  const sessions = useLoad(() => api.all('/api/v1/auth/sessions'));
  useLive((e) => e.kind === 'session.revoked', sessions.reload);
  const [error, setError] = useState<ApiError | null>(null);
  const end = async (id: string) => {
    try {
      await api.delete('/api/v1/auth/sessions/{id}', { path: { id } });
      sessions.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <section className="card" aria-labelledby="my-sessions">
      <h2 id="my-sessions">Where you are signed in</h2>
      <ErrorBox error={sessions.error ?? error} />
      <DataTable
        caption="Your sessions"
        rows={sessions.data?.items ?? []}
        rowKey={(s) => s.id}
        empty="No sessions."
        columns={[
          { label: 'Device', cell: (s) => (s.current ? <strong>This browser</strong> : (s.userAgent ?? 'unknown').slice(0, 60)) },
          { label: 'Address', cell: (s) => s.ip ?? '—' },
          { label: 'Signed in', cell: (s) => <When at={s.createdAt} /> },
          { label: 'Last used', cell: (s) => <When at={s.lastUsedAt} /> },
          {
            label: 'Action',
            cell: (s) =>
              s.current ? (
                <span className="muted">current</span>
              ) : (
                <button type="button" className="secondary" onClick={() => void end(s.id)}>
                  Sign out there
                </button>
              ),
          },
        ]}
      />
    </section>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!current) problems.currentPassword = 'Enter your current password.';
    if (next.length < 10) problems.newPassword = 'Use at least 10 characters.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    try {
      await api.post('/api/v1/auth/password', { body: { currentPassword: current, newPassword: next } });
      setDone(true);
      setCurrent('');
      setNext('');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'INVALID_PASSWORD') setFields({ currentPassword: 'The current password is wrong.' });
      else if (err instanceof ApiError && err.code === 'WEAK_PASSWORD') setFields({ newPassword: err.message });
      else setError(toApiError(err));
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pw-title">
      <h2 id="pw-title">Change password</h2>
      <ErrorBox error={error} />
      {done && <Notice kind="ok">Password changed. Your other sessions were signed out.</Notice>}
      <Field label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fields.currentPassword} />
      <Field label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} error={fields.newPassword} hint="At least 10 characters, not containing your username." />
      <div className="form-actions">
        <button type="submit">Change password</button>
      </div>
    </form>
  );
}
