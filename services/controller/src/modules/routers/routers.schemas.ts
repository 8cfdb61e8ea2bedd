import Joi from 'joi';
import {
  hostKeySha256Schema,
  hostSchema,
  jumpHostSchema,
  PLATFORMS,
  portSchema,
  safeAbsolutePathSchema,
  sshUsernameSchema,
} from '@netpilot/contracts';
import { isoDate, nullableDate, pageResponse, uuid } from '../../http/common.schemas';
import { canonicalTimeZone } from '../schedules/schedule-windows';

export { routerIdParams } from '../../http/common.schemas';

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const name = Joi.string().trim().min(1).max(100);
const password = Joi.string().min(1).max(1024);
const privateKey = Joi.string().max(16 * 1024).pattern(PRIVATE_KEY, 'PEM private key');
const passphrase = Joi.string().min(1).max(1024);

const options = Joi.object({ leasesPath: safeAbsolutePathSchema });

/** An IANA time zone name (`Europe/Berlin`, `UTC`), stored in its canonical spelling. */
export const timeZoneSchema = Joi.string()
  .max(64)
  .custom((value: string, helpers) => canonicalTimeZone(value) ?? helpers.error('any.invalid'))
  .messages({ 'any.invalid': '{{#label}} must be an IANA time zone name such as Europe/Berlin or UTC' })
  .description("The router's time zone (IANA name): schedules are read in it");

export const assignmentParams = Joi.object({ id: uuid.required(), userId: uuid.required() });

export const createRouterBody = Joi.object({
  name: name.required(),
  host: hostSchema.required(),
  port: portSchema.default(22),
  username: sshUsernameSchema.required(),
  password,
  privateKey,
  passphrase,
  platform: Joi.string()
    .valid(...PLATFORMS)
    .required(),
  options: options.default({}),
  jumpHost: jumpHostSchema,
  tunnelPort: portSchema,
  hostKeySha256: hostKeySha256Schema,
  timeZone: timeZoneSchema.default('UTC'),
})
  .xor('password', 'privateKey')
  .with('passphrase', 'privateKey')
  .oxor('jumpHost', 'tunnelPort');

export const updateRouterBody = Joi.object({
  name,
  host: hostSchema,
  port: portSchema,
  username: sshUsernameSchema,
  password,
  privateKey,
  passphrase,
  platform: Joi.string().valid(...PLATFORMS),
  options,
  jumpHost: jumpHostSchema.allow(null),
  tunnelPort: portSchema.allow(null),
  // null forgets the pinned key, so the next contact pins the router's new one (audited).
  hostKeySha256: hostKeySha256Schema.allow(null),
  timeZone: timeZoneSchema,
  // Admins only: the router's new owner (e.g. before its old owner's account is deleted).
  ownerId: uuid,
})
  .oxor('password', 'privateKey')
  .min(1);

export const assignmentBody = Joi.object({ userId: uuid.required() });

// --- responses (documented in OpenAPI; the API tests check answers against them) ---

export const jumpHostResponse = Joi.object({
  host: Joi.string().required(),
  port: Joi.number().integer().required(),
  username: Joi.string().required(),
  authMethod: Joi.string().valid('password', 'privateKey').required(),
  hostKeySha256: Joi.string(),
});

export const routerResponse = Joi.object({
  id: uuid.required(),
  name: Joi.string().required(),
  host: Joi.string().required(),
  port: Joi.number().integer().required(),
  username: Joi.string().required(),
  platform: Joi.string()
    .valid(...PLATFORMS)
    .required(),
  authMethod: Joi.string().valid('password', 'privateKey').required(),
  options: Joi.object({ leasesPath: Joi.string() }).required(),
  jumpHost: jumpHostResponse.allow(null).required(),
  tunnelPort: Joi.number().integer().allow(null).required(),
  hostKeySha256: Joi.string().allow(null).required(),
  status: Joi.string().valid('unknown', 'online', 'offline').required(),
  lastSeenAt: nullableDate.required(),
  registeredAt: nullableDate.required(),
  ownerId: uuid.required(),
  access: Joi.string().valid('owner', 'assigned', 'admin').required(),
  timeZone: Joi.string().required().description("IANA time zone the router's schedules are read in"),
  convergence: Joi.object({
    state: Joi.string().valid('in-sync', 'drifting', 'pending', 'unreachable', null).required()
      .description('What the last reconcile saw: in-sync (the router enforces exactly the stored blocks), drifting (it differs and a repair failed), pending (a change waits for the router), unreachable (it could not be read); null before the first one'),
    lastReconciledAt: nullableDate.required().description('When a reconcile last read the router'),
    lastError: Joi.string().allow(null).required().description('Why the last reconcile did not end in sync'),
  }).required(),
  createdAt: isoDate.required(),
  updatedAt: isoDate.required(),
}).label('Router');

export const routerListResponse = Joi.object({
  items: Joi.array().items(routerResponse).required(),
  nextCursor: Joi.string().allow(null).required(),
});

export const assignmentResponse = Joi.object({
  routerId: uuid.required(),
  userId: uuid.required(),
  assignedBy: uuid.allow(null).required(),
  createdAt: isoDate.required(),
});

export const assignmentListResponse = pageResponse(assignmentResponse);
