import Joi from 'joi';
import { isoDate, nullableDate, uuid } from '../../http/common.schemas';
import { targetKeys, targetViewKeys } from '../devices/devices.schemas';

export const blockParams = Joi.object({ id: uuid.required(), blockId: uuid.required() });

export const blockBody = Joi.object({
  ...targetKeys,
  reason: Joi.string().trim().max(500),
  until: Joi.date().iso().description('A temporary block: it ends by itself at this time (future, at most a year away)'),
})
  .xor('ip', 'mac', 'deviceId')
  .messages({ 'object.missing': 'Give ip, mac or deviceId: the device to block', 'object.xor': 'Give one of ip, mac or deviceId, not several' });

// --- responses ---

export const blockResponse = Joi.object({
  id: uuid.required(),
  routerId: uuid.required(),
  ...targetViewKeys,
  reason: Joi.string().allow(null).required(),
  until: nullableDate.required().description('When a temporary block ends by itself; null: until unblocked'),
  status: Joi.string()
    .valid('pending', 'applied', 'removing', 'removed')
    .required()
    .description('pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off'),
  error: Joi.object({ code: Joi.string().required(), message: Joi.string().required() }).allow(null).required(),
  createdBy: uuid.allow(null).required(),
  createdAt: isoDate.required(),
  appliedAt: nullableDate.required(),
  verifiedAt: nullableDate.required().description('The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)'),
}).label('Block');

export const blockListResponse = Joi.object({ items: Joi.array().items(blockResponse).required() });

export const syncResponse = Joi.object({
  applied: Joi.array().items(Joi.string()).required(),
  removed: Joi.array().items(Joi.string()).required(),
  unchanged: Joi.array().items(Joi.string()).required(),
  blocks: Joi.array().items(blockResponse).required(),
});
