import { useState, type FormEvent } from 'react';
import { api, ApiError, currentSession, toApiError } from '../../api/client';
import type { User } from '../../api/types';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, Field, Notice, Page, Select, When } from '../../components/ui';

/** Admin: every account, role and state changes, new accounts. */
export function AdminUsersPage() {
  const users = useLoad(() => api.all('/api/v1/users'));
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const me = currentSession()?.user.id;

  const change = async (user: User, body: { role?: 'admin' | 'user'; disabled?: boolean; resetTwoFactor?: true }, what: string) => {
    setError(null);
    setDone(null);
    try {
      await api.patch('/api/v1/users/{id}', { path: { id: user.id }, body });
      setDone(`${user.username}: ${what}.`);
      users.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const remove = async (user: User) => {
    if (!window.confirm(`Delete ${user.username}? Their sessions end and their routers are removed.`)) return;
    try {
      await api.delete('/api/v1/users/{id}', { path: { id: user.id } });
      setDone(`${user.username} deleted.`);
      users.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <Page title="Users">
      <ErrorBox error={users.error ?? error} />
      {done && <Notice kind="ok">{done}</Notice>}
      <DataTable
        caption="Accounts"
        rows={users.data?.items ?? []}
        rowKey={(u) => u.id}
        empty="No accounts."
        columns={[
          { label: 'Username', cell: (u) => <strong>{u.username}</strong> },
          { label: 'Role', cell: (u) => u.role },
          { label: 'State', cell: (u) => (u.disabled ? <Badge tone="bad">Disabled</Badge> : <Badge tone="ok">Active</Badge>) },
          { label: 'Two-factor', cell: (u) => (u.totpEnabled ? 'On' : 'Off') },
          { label: 'Created', cell: (u) => <When at={u.createdAt} /> },
          {
            label: 'Actions',
            cell: (u) =>
              u.id === me ? (
                <span className="muted">you</span>
              ) : (
                <div className="button-row">
                  <button type="button" className="secondary" onClick={() => void change(u, { role: u.role === 'admin' ? 'user' : 'admin' }, u.role === 'admin' ? 'now a user' : 'now an admin')}>
                    {u.role === 'admin' ? 'Make user' : 'Make admin'}
                  </button>
                  <button type="button" className="secondary" onClick={() => void change(u, { disabled: !u.disabled }, u.disabled ? 'enabled' : 'disabled, sessions ended')}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                  {u.totpEnabled && (
                    <button type="button" className="secondary" onClick={() => void change(u, { resetTwoFactor: true }, 'two-factor reset')}>
                      Reset 2FA
                    </button>
                  )}
                  <button type="button" className="danger" onClick={() => void remove(u)}>
                    Delete
                  </button>
                </div>
              ),
          },
        ]}
      />
      <NewUser onCreated={(name) => (setDone(`${name} created.`), users.reload())} />
    </Page>
  );
}

function NewUser({ onCreated }: { onCreated(name: string): void }) {
  const [form, setForm] = useState({ username: '', password: '', role: 'user' as 'user' | 'admin' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/.test(form.username.trim())) problems.username = 'Use 3 to 32 letters, digits, dots, dashes or underscores.';
    if (form.password.length < 10) problems.password = 'Use at least 10 characters.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    try {
      await api.post('/api/v1/users', { body: { username: form.username.trim(), password: form.password, role: form.role } });
      onCreated(form.username.trim());
      setForm({ username: '', password: '', role: 'user' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'USERNAME_TAKEN') setFields({ username: 'That username is taken.' });
      else if (err instanceof ApiError && err.code === 'WEAK_PASSWORD') setFields({ password: err.message });
      else setError(toApiError(err));
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-user">
      <h2 id="new-user">New account</h2>
      <ErrorBox error={error} />
      <Field label="Username" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} error={fields.username} autoComplete="off" />
      <Field label="Initial password" type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} error={fields.password} autoComplete="new-password" />
      <Select label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as 'user' | 'admin' })}>
        <option value="user">User</option>
        <option value="admin">Admin</option>
      </Select>
      <div className="form-actions">
        <button type="submit">Create account</button>
      </div>
    </form>
  );
}
