import winston from 'winston';
import { requestContext } from './request-context';

/** Keys whose values never reach a log line: credentials, tokens, TOTP codes, cookies. */
const SECRET_KEY = /pass(word|phrase)?|privatekey|secret|token|authorization|cookie|totp|^code$/i;

/** True for a field name whose value must be redacted. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with every secret-looking field replaced, so no log line can carry a credential. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

const addContext = winston.format((info) => {
  const ctx = requestContext.getStore();
  if (ctx && info.requestId === undefined) info.requestId = ctx.requestId;
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    info[key] = isSecretKey(key) ? '[redacted]' : redact(info[key]);
  }
  return info;
});

export type Logger = winston.Logger;

export type LogFormat = 'json' | 'pretty';

/** winston logger: JSON in production, one readable line per event in a terminal; secrets redacted, request id added. */
export function createLogger(opts: { level: string; format: LogFormat; service: string }): Logger {
  const silent = opts.level === 'silent';
  const format =
    opts.format === 'json'
      ? winston.format.combine(addContext(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          addContext(),
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.colorize(),
          winston.format.printf(({ timestamp, level, message, service, requestId, ...rest }) => {
            const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
            const rid = requestId ? ` [${String(requestId).slice(0, 8)}]` : '';
            return `${timestamp} ${level} ${service}${rid} ${message}${extra}`;
          }),
        );
  return winston.createLogger({
    level: silent ? 'error' : opts.level,
    silent,
    defaultMeta: { service: opts.service },
    format,
    transports: [new winston.transports.Console()],
  });
}
