import Joi from 'joi';
import { isoDate, nullableDate, uuid } from '../../http/common.schemas';

export const infoResponse = Joi.object({
  hostname: Joi.string().required(),
  os: Joi.string().required(),
  firmware: Joi.string().allow(null).required(),
  kernel: Joi.string().allow(null).required(),
  uptimeSeconds: Joi.number().required(),
  load: Joi.array().items(Joi.number()).length(3).required(),
  memory: Joi.object({
    totalBytes: Joi.number().required(),
    freeBytes: Joi.number().required(),
    availableBytes: Joi.number().required(),
  }).required(),
  commandId: uuid.required(),
});

export const commandResponse = Joi.object({
  id: uuid.required(),
  action: Joi.string().required(),
  params: Joi.object().unknown(true).required(),
  status: Joi.string().valid('pending', 'sent', 'succeeded', 'failed').required(),
  errorCode: Joi.string().allow(null).required(),
  errorMessage: Joi.string().allow(null).required(),
  durationMs: Joi.number().integer().allow(null).required(),
  requestedBy: uuid.allow(null).required(),
  actor: Joi.string().valid('user', 'system').required(),
  sessionId: uuid.allow(null).required(),
  requestId: Joi.string().allow(null).required(),
  createdAt: isoDate.required(),
  sentAt: nullableDate.required(),
  finishedAt: nullableDate.required(),
});

export const commandListResponse = Joi.object({
  items: Joi.array().items(commandResponse).required(),
  nextCursor: Joi.string().allow(null).required(),
});
