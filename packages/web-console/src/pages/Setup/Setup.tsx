import { useState, type FormEvent } from 'react';
import { api, ApiError, signIn, toApiError } from '../../api/client';
import { Link, navigate } from '../../app/router';
import { ErrorBox, Field, Page } from '../../components/ui';

/** First run: the first account becomes the admin. Later, self-registration when it is open. */
export function SetupPage({ firstRun, onDone }: { firstRun: boolean; onDone(): void }) {
  const [form, setForm] = useState({ username: '', password: '', confirm: '', email: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const username = form.username.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/.test(username)) problems.username = 'Use 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.';
    if (form.password.length < 10) problems.password = 'Use at least 10 characters.';
    else if (username && form.password.toLowerCase().includes(username.toLowerCase())) problems.password = 'The password must not contain the username.';
    if (form.confirm !== form.password) problems.confirm = 'The two passwords differ. Type the same password twice.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/register', { anonymous: true, body: { username, password: form.password, ...(form.email.trim() ? { email: form.email.trim() } : {}) } });
      await signIn({ username, password: form.password });
      onDone();
      navigate('/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        setFields(err.fieldErrors());
        setError(Object.keys(err.fieldErrors()).length ? null : err);
      } else if (err instanceof ApiError && err.code === 'USERNAME_TAKEN') {
        setFields({ username: 'That username is taken. Choose another.' });
      } else {
        setError(toApiError(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <Page title={firstRun ? 'Welcome to NetPilot' : 'Create an account'}>
        {firstRun && <p>Create the first account. It becomes the administrator of this NetPilot.</p>}
        <ErrorBox error={error} />
        <form onSubmit={(e) => void submit(e)} noValidate className="card">
          <Field label="Username" autoComplete="username" value={form.username} onChange={set('username')} error={fields.username} hint="3 to 32 letters, digits, dots, dashes or underscores." autoFocus />
          <Field label="Email (optional)" type="email" autoComplete="email" value={form.email} onChange={set('email')} error={fields.email} />
          <Field label="Password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} error={fields.password} hint="At least 10 characters, not containing the username." />
          <Field label="Repeat the password" type="password" autoComplete="new-password" value={form.confirm} onChange={set('confirm')} error={fields.confirm} />
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : firstRun ? 'Create the admin account' : 'Create account'}
            </button>
          </div>
        </form>
        {!firstRun && (
          <p>
            Have an account? <Link to="/signin">Sign in</Link>.
          </p>
        )}
      </Page>
    </div>
  );
}
