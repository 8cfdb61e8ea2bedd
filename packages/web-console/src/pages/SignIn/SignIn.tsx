import { useState, type FormEvent } from 'react';
import { ApiError, signIn, toApiError } from '../../api/client';
import { Link, navigate } from '../../app/router';
import { ErrorBox, Field, Notice, Page } from '../../components/ui';

/** Password first; when the account has two-factor on, a second step asks for the code. */
export function SignInPage({ notice, registrationOpen }: { notice: string | null; registrationOpen: boolean }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!username.trim()) problems.username = 'Enter your username.';
    if (!password) problems.password = 'Enter your password.';
    if (step === 'code' && !code.trim()) problems.code = useRecovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code from your authenticator app.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(null);
    try {
      await signIn({ username: username.trim(), password, ...(step === 'code' ? { totp: code.replace(/\s+/g, '') } : {}) });
      navigate(location.pathname === '/signin' || location.pathname === '/setup' ? '/' : location.pathname, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MFA_REQUIRED') {
        setStep('code');
      } else if (err instanceof ApiError && err.code === 'MFA_INVALID') {
        setFields({ code: useRecovery ? 'That recovery code is not valid or was already used.' : 'That code is not right. Check that your phone shows the current code and its clock is correct, then try again.' });
      } else if (err instanceof ApiError && err.code === 'RATE_LIMITED') {
        setError(`Too many failed attempts. Wait ${err.retryAfterSeconds ? `${Math.ceil(err.retryAfterSeconds / 60)} minute(s)` : 'a while'} and try again.`);
      } else if (err instanceof ApiError && err.code === 'INVALID_CREDENTIALS') {
        setError('The username or password is wrong. Check both and try again.');
      } else {
        setError(toApiError(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <Page title={step === 'code' ? 'Two-factor code' : 'Sign in'}>
        {notice && <Notice>{notice}</Notice>}
        <ErrorBox error={error} />
        <form onSubmit={(e) => void submit(e)} noValidate className="card">
          {step === 'password' ? (
            <>
              <Field label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} error={fields.username} autoFocus />
              <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fields.password} />
            </>
          ) : (
            <>
              <p>
                Signed in as <strong>{username}</strong> so far. {useRecovery ? 'Enter one of the recovery codes you saved when you turned on two-factor.' : 'Open your authenticator app and enter the code it shows for NetPilot.'}
              </p>
              <Field
                key={useRecovery ? 'recovery' : 'totp'}
                label={useRecovery ? 'Recovery code' : 'Authentication code'}
                name="code"
                inputMode={useRecovery ? 'text' : 'numeric'}
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                error={fields.code}
                autoFocus
              />
              <button
                type="button"
                className="link"
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setCode('');
                  setFields({});
                }}
              >
                {useRecovery ? 'Use the code from my app instead' : 'Use a recovery code instead'}
              </button>
            </>
          )}
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Signing in…' : step === 'code' ? 'Verify and sign in' : 'Sign in'}
            </button>
            {step === 'code' && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setStep('password');
                  setCode('');
                }}
              >
                Back
              </button>
            )}
          </div>
        </form>
        {registrationOpen && (
          <p>
            No account yet? <Link to="/register">Create one</Link>.
          </p>
        )}
      </Page>
    </div>
  );
}
