import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import type { Schedule } from '../../api/types';
import { useEvery, useLive } from '../../app/live';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, Field } from '../../components/ui';
import type { RouterContext } from './context';
import { timeIn, WEEK, windowText, type Day } from './format';
import { emptyTarget, targetBody, TargetFields, type TargetChoice } from './Target';

function StateBadge({ schedule }: { schedule: Schedule }) {
  if (!schedule.enabled) return <Badge tone="neutral">Paused</Badge>;
  const next = schedule.nextChangeAt ? timeIn(schedule.timeZone, schedule.nextChangeAt) : null;
  if (schedule.active) {
    return (
      <>
        <Badge tone="bad">Blocking now</Badge>
        {next && <span className="muted"> until {next}</span>}
      </>
    );
  }
  return (
    <>
      <Badge tone="ok">Not now</Badge>
      {next && <span className="muted"> next {next}</span>}
    </>
  );
}

/** A router's schedules: each device's weekly block windows, paused or running; and a form for a new one. */
export function SchedulesTab({ ctx }: { ctx: RouterContext }) {
  const { router } = ctx;
  const schedules = useLoad(() => api.get('/api/v1/routers/{id}/schedules', { path: { id: router.id } }), [router.id]);
  useLive((e) => e.routerId === router.id && (e.kind === 'schedule.changed' || e.kind === 'command.finished'), schedules.reload);
  // "Blocking now" turns into "not now" at the window's end, with or without a change to announce.
  useEvery(30_000, schedules.reload);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const change = async (s: Schedule, what: 'pause' | 'resume' | 'delete') => {
    setBusy(s.id);
    setError(null);
    try {
      if (what === 'delete') await api.delete('/api/v1/routers/{id}/schedules/{scheduleId}', { path: { id: router.id, scheduleId: s.id } });
      else await api.patch('/api/v1/routers/{id}/schedules/{scheduleId}', { path: { id: router.id, scheduleId: s.id }, body: { enabled: what === 'resume' } });
    } catch (err) {
      setError(ctx.reportError(err));
    } finally {
      setBusy(null);
      schedules.reload();
    }
  };
  const nameOf = (s: Schedule) => s.label ?? s.deviceName ?? s.mac ?? s.ip ?? 'schedule';

  return (
    <>
      <h2>Schedules</h2>
      <p className="muted">
        A schedule blocks a device during weekly windows, in the router’s time zone ({router.timeZone}). A device you block by hand stays blocked when a window ends.
      </p>
      <ErrorBox error={schedules.error ?? error} />
      <DataTable
        caption={`Schedules on ${router.name}`}
        rows={schedules.data?.items ?? []}
        rowKey={(s) => s.id}
        empty="No schedules yet. Add one below, for example school nights from 21:00 to 07:00."
        columns={[
          { label: 'Name', cell: (s) => s.label ?? <span className="muted">—</span> },
          { label: 'Device', cell: (s) => s.deviceName ?? <code>{s.mac ?? s.ip}</code> },
          {
            label: 'When',
            cell: (s) => (
              <ul className="plain">
                {s.windows.map((w, i) => (
                  <li key={i}>{windowText(w)}</li>
                ))}
              </ul>
            ),
          },
          { label: 'State', cell: (s) => <StateBadge schedule={s} /> },
          {
            label: 'Action',
            cell: (s) => (
              <div className="button-row">
                <button type="button" className="secondary" disabled={busy === s.id} onClick={() => void change(s, s.enabled ? 'pause' : 'resume')} aria-label={`${s.enabled ? 'Pause' : 'Resume'} ${nameOf(s)}`}>
                  {s.enabled ? 'Pause' : 'Resume'}
                </button>
                <button type="button" className="secondary" disabled={busy === s.id} onClick={() => void change(s, 'delete')} aria-label={`Delete ${nameOf(s)}`}>
                  Delete
                </button>
              </div>
            ),
          },
        ]}
      />
      <NewSchedule ctx={ctx} onAdded={schedules.reload} />
    </>
  );
}

function NewSchedule({ ctx, onAdded }: { ctx: RouterContext; onAdded(): void }) {
  const { router } = ctx;
  const devices = useLoad(() => api.get('/api/v1/routers/{id}/devices', { path: { id: router.id } }), [router.id]);
  const [target, setTarget] = useState<TargetChoice>(emptyTarget);
  const [label, setLabel] = useState('');
  const [days, setDays] = useState<Day[]>(['sun', 'mon', 'tue', 'wed', 'thu']);
  const [start, setStart] = useState('21:00');
  const [end, setEnd] = useState('07:00');
  const [errors, setErrors] = useState<{ target?: string; days?: string; times?: string }>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = targetBody(target);
    const problems = {
      target: 'error' in chosen ? chosen.error : undefined,
      days: days.length ? undefined : 'Choose at least one day.',
      times: start && end && start !== end ? undefined : start === '00:00' && end === '00:00' ? undefined : 'Give a start and a different end.',
    };
    setErrors(problems);
    if (problems.target || problems.days || problems.times || 'error' in chosen) return;
    setBusy(true);
    setError(null);
    try {
      // 00:00 to 00:00 is the whole day.
      const window = { days, start, end: start === '00:00' && end === '00:00' ? '24:00' : end };
      await api.post('/api/v1/routers/{id}/schedules', { path: { id: router.id }, body: { ...chosen.body, windows: [window], ...(label.trim() ? { label: label.trim() } : {}) } });
      setLabel('');
      setTarget(emptyTarget);
      onAdded();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setErrors({ target: Object.values(err.fieldErrors())[0] ?? err.message });
      else setError(ctx.reportError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void add(e)} noValidate>
      <h3>Add a schedule</h3>
      <ErrorBox error={error} />
      <TargetFields devices={devices.data?.items ?? []} value={target} onChange={setTarget} error={errors.target} />
      <Field label="Name (optional)" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} placeholder="Bedtime" />
      <fieldset aria-describedby={errors.days ? 'schedule-days-error' : undefined}>
        <legend>Days it starts on</legend>
        <div className="days">
          {WEEK.map(([day, short, long]) => (
            <label key={day} className="check">
              <input type="checkbox" checked={days.includes(day)} onChange={(e) => setDays(e.target.checked ? [...days, day] : days.filter((d) => d !== day))} aria-label={long} />
              {short}
            </label>
          ))}
        </div>
        {errors.days && (
          <p id="schedule-days-error" className="field-error">
            {errors.days}
          </p>
        )}
      </fieldset>
      <div className="row two">
        <Field label="From" type="time" value={start} onChange={(e) => setStart(e.target.value)} error={errors.times} />
        <Field label="To" type="time" value={end} onChange={(e) => setEnd(e.target.value)} hint="Before the start: the next morning" />
      </div>
      <div className="form-actions">
        <button type="submit" className="danger" disabled={busy}>
          {busy ? 'Adding…' : 'Add schedule'}
        </button>
      </div>
    </form>
  );
}
