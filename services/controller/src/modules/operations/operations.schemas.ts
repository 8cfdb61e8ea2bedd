import Joi from 'joi';
import { deviceIpSchema, macSchema } from '@netpilot/contracts';
import { nullableDate, uuid } from '../../http/common.schemas';

/** The most routers one operation may name. */
export const MAX_BULK_ROUTERS = 1000;

const which = {
  routerIds: Joi.array().items(uuid).min(1).max(MAX_BULK_ROUTERS).unique().description('The routers, at most 1,000; or all: true'),
  all: Joi.boolean().valid(true).description('Every router you may operate'),
  ip: deviceIpSchema,
  mac: macSchema,
};

export const bulkBlockBody = Joi.object({
  ...which,
  reason: Joi.string().trim().max(500),
  until: Joi.date().iso().description('Temporary: the blocks end by themselves at this time (future, at most a year away)'),
})
  .xor('routerIds', 'all')
  .xor('ip', 'mac')
  .messages({ 'object.missing': 'Give routerIds or all: true, and ip or mac' });

export const bulkUnblockBody = Joi.object(which)
  .xor('routerIds', 'all')
  .xor('ip', 'mac')
  .messages({ 'object.missing': 'Give routerIds or all: true, and ip or mac' });

export const operationParams = Joi.object({ id: uuid.required() });

const result = Joi.object({
  routerId: uuid.required(),
  status: Joi.string().valid('queued', 'applied', 'removed', 'pending', 'failed').required(),
  error: Joi.object({ code: Joi.string().required(), message: Joi.string().required() }),
}).label('OperationResult');

export const operationResponse = Joi.object({
  id: uuid.required(),
  kind: Joi.string().valid('block', 'unblock').required(),
  status: Joi.string().valid('running', 'done').required().description('done: every router was tried; pending ones are the reconciler\'s now'),
  ip: Joi.string(),
  mac: Joi.string(),
  reason: Joi.string().allow(null).required(),
  until: nullableDate.required(),
  total: Joi.number().integer().required(),
  succeeded: Joi.number().integer().required(),
  failed: Joi.number().integer().required(),
  pending: Joi.number().integer().required().description('Routers that could not be reached: the reconciler applies the change when they are back'),
  queued: Joi.number().integer().required().description('Routers not tried yet'),
  createdAt: Joi.string().isoDate().required(),
  finishedAt: nullableDate.required(),
  results: Joi.array().items(result).required(),
}).label('Operation');
