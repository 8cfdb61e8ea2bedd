import Joi from 'joi';
import { macSchema } from '@netpilot/contracts';
import { isoDate, nullableDate, uuid } from '../../http/common.schemas';

const networkInfoValue = Joi.alternatives().try(Joi.string().max(255), Joi.number(), Joi.boolean());

export const registerBody = Joi.object({
  provisionKey: Joi.string().min(20).max(200).required(),
  hostname: Joi.string().max(255),
  os: Joi.string().max(255),
  firmware: Joi.string().max(255),
  lanAddress: Joi.string().ip({ cidr: 'optional' }),
  wanAddress: Joi.string().ip({ cidr: 'optional' }),
  mac: macSchema,
  extra: Joi.object().pattern(/^[A-Za-z0-9_.-]{1,64}$/, networkInfoValue).max(20),
});
// --- responses ---

export const provisionKeyResponse = Joi.object({
  provisionKey: Joi.string().required(),
  expiresAt: isoDate.required(),
});

export const registerResponse = Joi.object({
  routerId: uuid.required(),
  routerToken: Joi.string().required(),
});

export const statusResponse = Joi.object({
  id: uuid.required(),
  status: Joi.string().valid('unknown', 'online', 'offline').required(),
  lastSeenAt: nullableDate.required(),
  registeredAt: nullableDate.required(),
  offlineAfterMs: Joi.number().integer().required(),
});
