/** The console's few building blocks: page frame, fields, errors, tables, badges. */
import { useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { ApiError } from '../api/client';

/** A page: its title (focused on arrival, so keyboard and screen-reader users start there) and body. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · NetPilot`;
    // A field that asked for focus (autoFocus) keeps it; otherwise the new page's title takes it.
    const active = document.activeElement;
    if (!active || active === document.body || !document.getElementById('main')?.contains(active)) heading.current?.focus();
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions && <div className="actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** A label, one control and its error or hint, wired together for assistive technology. */
function Labelled({ label, error, hint, control }: FieldProps & { control(a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }): ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error || hint ? `${id}-note` : undefined })}
      <FieldNote id={`${id}-note`} error={error} hint={hint} />
    </div>
  );
}

export function Field({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return <Labelled label={label} error={error} hint={hint} control={(a11y) => <input {...a11y} {...input} />} />;
}

export function TextArea({ label, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Labelled label={label} error={error} hint={hint} control={(a11y) => <textarea {...a11y} {...input} />} />;
}

export function Select({ label, error, hint, children, ...input }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      control={(a11y) => (
        <select {...a11y} {...input}>
          {children}
        </select>
      )}
    />
  );
}

function FieldNote({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (error) {
    return (
      <p id={id} className="field-error">
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={id} className="hint">
      {hint}
    </p>
  ) : null;
}

/** An API error as a person reads it: what happened, and the request id for the logs. */
export function ErrorBox({ error, children }: { error: ApiError | string | null | undefined; children?: ReactNode }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  const requestCode = typeof error === 'string' ? null : error.code;
  return (
    <div className="notice error" role="alert">
      <p>
        {message}
        {requestCode && requestCode !== 'NETWORK' && <span className="code"> ({requestCode})</span>}
      </p>
      {children}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'ok' | 'warn'; children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role="status">
      {children}
    </div>
  );
}

export interface Column<T> {
  label: string;
  cell(row: T): ReactNode;
  /** Hidden from the small-screen card view when true. */
  wide?: boolean;
}

/** A table on wide screens, a list of cards on phones (labels come from data-label). */
export function DataTable<T>({ caption, columns, rows, rowKey, empty }: { caption: string; columns: Column<T>[]; rows: T[]; rowKey(row: T): string; empty: ReactNode }) {
  if (!rows.length) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.label} data-label={c.label} className={c.wide ? 'wide' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const rtf = typeof Intl !== 'undefined' ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;

/** "3 minutes ago", with the exact time on hover and for assistive technology. */
export function When({ at, never = 'never' }: { at: string | null | undefined; never?: string }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!at) return <span className="muted">{never}</span>;
  const date = new Date(at);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const text = !rtf
    ? date.toLocaleString()
    : abs < 45
      ? rtf.format(seconds, 'second')
      : abs < 2700
        ? rtf.format(Math.round(seconds / 60), 'minute')
        : abs < 64_800
          ? rtf.format(Math.round(seconds / 3600), 'hour')
          : rtf.format(Math.round(seconds / 86_400), 'day');
  return (
    <time dateTime={at} title={date.toLocaleString()}>
      {text}
    </time>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'bad' | 'warn' | 'neutral'; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

/** Text to copy (commands, codes), with a button that copies it. */
export function CopyBlock({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="copy-block">
      <pre tabIndex={0} aria-label={label}>
        {text}
      </pre>
      <button type="button" className="secondary" onClick={() => void copy()}>
        {copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
      </button>
    </div>
  );
}
