import type Joi from 'joi';
import { isSecretKey } from './logger';

export interface ValidationDetail {
  path: string;
  message: string;
  type: string;
}

/**
 * joi's details without anything that could echo a secret: joi quotes the offending value in
 * some messages (pattern failures), so for credential fields only the path and the rule that
 * failed are kept. `prefix` names where the value was (`params`, `body`).
 */
export function validationDetails(error: Joi.ValidationError, prefix?: string): ValidationDetail[] {
  return error.details.map((d) => {
    const segments = [...(prefix ? [prefix] : []), ...d.path.map(String)];
    const path = segments.join('.');
    const secret = segments.some((s) => isSecretKey(s));
    const message = secret ? `"${path}" is not valid (${d.type})` : prefix ? d.message.replace(/^"/, `"${prefix}.`) : d.message;
    return { path, message, type: d.type };
  });
}
