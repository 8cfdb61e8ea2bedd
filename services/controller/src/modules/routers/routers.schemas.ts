import Joi from 'joi';
import {
  deviceIpSchema,
  hostKeySha256Schema,
  hostSchema,
  jumpHostSchema,
  macSchema,
  PLATFORMS,
  portSchema,
  safeAbsolutePathSchema,
  sshUsernameSchema,
} from '@netpilot/contracts';

const uuid = Joi.string().guid({ version: ['uuidv4', 'uuidv5', 'uuidv7'] });
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const name = Joi.string().trim().min(1).max(100);
const password = Joi.string().min(1).max(1024);
const privateKey = Joi.string().max(16 * 1024).pattern(PRIVATE_KEY, 'PEM private key');
const passphrase = Joi.string().min(1).max(1024);

const options = Joi.object({ leasesPath: safeAbsolutePathSchema });

export const routerIdParams = Joi.object({ id: uuid.required() });
export const blockParams = Joi.object({ id: uuid.required(), blockId: uuid.required() });
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
})
  .oxor('password', 'privateKey')
  .min(1);

export const pageQuery = Joi.object({
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200),
});

export const assignmentBody = Joi.object({ userId: uuid.required() });

export const blockBody = Joi.object({
  ip: deviceIpSchema,
  mac: macSchema,
  reason: Joi.string().trim().max(500),
}).xor('ip', 'mac');

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

// --- responses (documented in OpenAPI; the API tests check answers against them) ---

const isoDate = Joi.string().isoDate();
const nullableDate = isoDate.allow(null);

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

export const assignmentListResponse = Joi.object({ items: Joi.array().items(assignmentResponse).required() });

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

export const blockResponse = Joi.object({
  id: uuid.required(),
  routerId: uuid.required(),
  ip: Joi.string(),
  mac: Joi.string(),
  reason: Joi.string().allow(null).required(),
  status: Joi.string().valid('pending', 'applied', 'removing').required(),
  error: Joi.object({ code: Joi.string().required(), message: Joi.string().required() }).allow(null).required(),
  createdBy: uuid.allow(null).required(),
  createdAt: isoDate.required(),
  appliedAt: nullableDate.required(),
}).label('Block');

export const blockListResponse = Joi.object({ items: Joi.array().items(blockResponse).required() });

/** A device as a scan sees it. */
const scannedDevice = Joi.object({
  mac: Joi.string().required(),
  ip: Joi.string().allow(null).required(),
  hostname: Joi.string().allow(null).required(),
  vendor: Joi.string().allow(null).required(),
  interface: Joi.string().allow(null).required(),
  source: Joi.string().valid('arp', 'dhcp', 'both').required(),
});

/** A device of the stored inventory: as scanned, with when it was first and last seen. */
export const deviceResponse = scannedDevice.keys({
  firstSeenAt: isoDate.required(),
  lastSeenAt: isoDate.required(),
});

export const deviceListResponse = Joi.object({ items: Joi.array().items(deviceResponse).required() });

export const scanResponse = Joi.object({
  devices: Joi.array().items(scannedDevice).required(),
  commandId: uuid.required(),
});

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

export const syncResponse = Joi.object({
  applied: Joi.array().items(Joi.string()).required(),
  removed: Joi.array().items(Joi.string()).required(),
  unchanged: Joi.array().items(Joi.string()).required(),
  blocks: Joi.array().items(blockResponse).required(),
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
