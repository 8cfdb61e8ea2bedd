import Joi from 'joi';
import type { LogFormat } from './logger';

/** A setting is missing or malformed; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the environment against a joi schema of settings (unknown variables allowed) and
 * returns what `build` makes of the converted values, frozen. Throws ConfigError naming each
 * bad variable, so a typo stops the process before anything starts.
 */
export function loadSettings<T extends object>(
  service: string,
  schema: Joi.ObjectSchema,
  env: NodeJS.ProcessEnv,
  build: (value: Record<string, any>) => T,
): Readonly<T> {
  const { error, value } = schema.unknown(true).validate(env, { abortEarly: false, convert: true });
  if (error) throw new ConfigError(`Invalid ${service} settings: ${error.details.map((d) => d.message).join('; ')}`);
  return Object.freeze(build(value));
}

/** Every environment variable a settings schema reads (for .env.example and docs checks). */
export function settingNames(schema: Joi.ObjectSchema): readonly string[] {
  return Object.keys(schema.describe().keys ?? {});
}

/** What every service reads: its environment, where it listens, how it logs. */
export interface ServiceSettings {
  nodeEnv: string;
  port: number;
  host: string;
  logLevel: string;
  logFormat: LogFormat;
}

/** The settings of ServiceSettings for a service whose port and host variables start with `prefix` (`CONTROLLER`, `EXECUTOR`). */
export function serviceSettingsSchema(prefix: string, defaultPort: number): Record<string, Joi.Schema> {
  return {
    NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
    [`${prefix}_PORT`]: Joi.number().port().default(defaultPort),
    [`${prefix}_HOST`]: Joi.string().hostname().default('127.0.0.1'),
    LOG_LEVEL: Joi.string().valid('error', 'warn', 'info', 'http', 'debug', 'silent').default('info'),
    LOG_FORMAT: Joi.string().valid('json', 'pretty'),
  };
}

/** ServiceSettings from values validated by `serviceSettingsSchema(prefix)`: JSON logs in production, readable ones elsewhere. */
export function serviceSettingsOf(value: Record<string, any>, prefix: string): ServiceSettings {
  return {
    nodeEnv: value.NODE_ENV,
    port: value[`${prefix}_PORT`],
    host: value[`${prefix}_HOST`],
    logLevel: value.LOG_LEVEL,
    logFormat: value.LOG_FORMAT ?? (value.NODE_ENV === 'production' ? 'json' : 'pretty'),
  };
}

/**
 * A service's settings, declared once: the common ones (port and host variables named
 * `<prefix>_PORT`, `<prefix>_HOST`, defaulting to `defaultPort` and 127.0.0.1; logging;
 * NODE_ENV) plus its own `keys`, turned into its config by `build`. `load(env)` validates and
 * freezes them (ConfigError naming every bad variable); `names` lists every variable read.
 */
export function defineSettings<T extends ServiceSettings>(
  service: { name: string; prefix: string; defaultPort: number },
  keys: Record<string, Joi.Schema>,
  build: (value: Record<string, any>) => Omit<T, keyof ServiceSettings>,
): { load(env?: NodeJS.ProcessEnv): Readonly<T>; names: readonly string[] } {
  const schema = Joi.object({ ...serviceSettingsSchema(service.prefix, service.defaultPort), ...keys });
  return {
    load: (env = process.env) => loadSettings(service.name, schema, env, (value) => ({ ...serviceSettingsOf(value, service.prefix), ...build(value) }) as T),
    names: settingNames(schema),
  };
}
