import Joi from 'joi';
import { pageResponse } from '../../http/common.schemas';
import { publicUserResponse } from '../users/users.responses';

/**
 * Secrets are checked only for type and a generous size here (policy messages come from the
 * service): joi rules such as `pattern` would echo the value in their messages.
 */
const secret = Joi.string().min(1).max(1024);

export const usernameSchema = Joi.string()
  .trim()
  .pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/)
  .messages({
    'string.pattern.base': 'Username must be 3-32 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  });

export const emailSchema = Joi.string().trim().email({ tlds: false }).max(254);

export const registerBody = Joi.object({
  username: usernameSchema.required(),
  password: secret.required(),
  email: emailSchema.allow(null),
});

export const loginBody = Joi.object({
  // Any string: the lookup decides, and the answer never reveals whether the name exists.
  username: Joi.string().trim().min(1).max(64).required(),
  password: secret.required(),
  totp: Joi.string().trim().max(32).allow(''),
});

/** Required unless the console sends its refresh cookie instead (see auth.routes.ts). */
export const refreshBody = Joi.object({
  refreshToken: Joi.string().min(1).max(512),
});

export const passwordBody = Joi.object({
  currentPassword: secret.required(),
  newPassword: secret.required(),
});

export const codeBody = Joi.object({
  code: Joi.string().trim().min(1).max(32).required(),
});

export const disableBody = Joi.object({
  password: secret.required(),
  code: Joi.string().trim().min(1).max(32).required(),
});

export const sessionIdParams = Joi.object({
  id: Joi.string().guid().required(),
});

// --- responses ----------------------------------------------------------------------

export const tokenPairResponse = Joi.object({
  accessToken: Joi.string().required(),
  // Absent for the console, which receives it as an HttpOnly cookie.
  refreshToken: Joi.string(),
  tokenType: Joi.string().valid('Bearer').required(),
  expiresIn: Joi.number().integer().required(),
  user: publicUserResponse.required(),
});

export const sessionResponse = Joi.object({
  id: Joi.string().guid().required(),
  userId: Joi.string().guid().required(),
  username: Joi.string(),
  createdAt: Joi.string().isoDate().required(),
  lastUsedAt: Joi.string().isoDate().required(),
  expiresAt: Joi.string().isoDate().required(),
  ip: Joi.string().allow(null).required(),
  userAgent: Joi.string().allow(null).required(),
  current: Joi.boolean(),
}).label('Session');

export const sessionListResponse = pageResponse(sessionResponse);

export const twoFactorSetupResponse = Joi.object({
  secret: Joi.string().required(),
  otpauthUrl: Joi.string().required(),
  qrCodeDataUrl: Joi.string().required(),
});

export const recoveryCodesResponse = Joi.object({ recoveryCodes: Joi.array().items(Joi.string()).length(10).required() });
