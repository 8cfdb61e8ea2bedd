import type Joi from 'joi';

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
