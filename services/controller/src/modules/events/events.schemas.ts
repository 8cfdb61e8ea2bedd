import Joi from 'joi';
import { isoDate, pageQuery, uuid } from '../../http/common.schemas';

export const EVENT_LEVELS = ['info', 'warn', 'error'] as const;
/** How much `data` a router may attach to one event, as JSON. */
export const MAX_EVENT_DATA_BYTES = 4096;

const level = Joi.string().valid(...EVENT_LEVELS);
const type = Joi.string().pattern(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, 'dotted lower-case name').max(64);

export const postEventBody = Joi.object({
  level: level.required(),
  type: type.required().description('Dotted and lower case, e.g. wan.down or dhcp.lease_pool_full'),
  message: Joi.string().trim().min(1).max(1000).required(),
  data: Joi.object()
    .max(50)
    .custom((value: object, helpers) => (Buffer.byteLength(JSON.stringify(value)) > MAX_EVENT_DATA_BYTES ? helpers.error('object.tooLarge') : value))
    .messages({ 'object.tooLarge': `{{#label}} must be at most ${MAX_EVENT_DATA_BYTES} bytes of JSON` })
    .description(`Any JSON object of at most ${MAX_EVENT_DATA_BYTES} bytes`),
});

const eventFilters = {
  level: Joi.array().items(level).single().description('One or more levels (repeat the parameter)'),
  type: Joi.array().items(type).single().max(20).description('One or more event types (repeat the parameter)'),
  from: Joi.date().iso().description('Events at or after this time'),
  to: Joi.date().iso().description('Events before this time'),
};

export const routerEventsQuery = pageQuery.keys(eventFilters);
export const eventsQuery = pageQuery.keys({ ...eventFilters, router: uuid.description("One of the caller's routers") });

// --- responses ---

export const eventResponse = Joi.object({
  id: uuid.required(),
  routerId: uuid.required(),
  routerName: Joi.string().description('In listings'),
  source: Joi.string().valid('router', 'controller').required().description('Posted by the router itself, or observed by the controller'),
  level: level.required(),
  type: Joi.string().required(),
  message: Joi.string().required(),
  data: Joi.object().unknown(true).allow(null).required(),
  createdAt: isoDate.required(),
}).label('Event');

export const eventListResponse = Joi.object({
  items: Joi.array().items(eventResponse).required(),
  nextCursor: Joi.string().allow(null).required(),
});
