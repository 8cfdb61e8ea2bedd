import Joi from 'joi';
import { macSchema, portSchema } from '@netpilot/contracts';
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
/** What a router says in a heartbeat; all optional, so an old `curl -X POST` without a body still counts. */
export const heartbeatBody = Joi.object({
  /** /proc/sys/kernel/random/boot_id: a new value means the router rebooted (and may have lost its firewall). */
  bootId: Joi.string().trim().pattern(/^[0-9A-Za-z-]{8,64}$/, 'boot id'),
  /** Seconds since boot (/proc/uptime); going backwards also means a reboot. */
  uptimeSeconds: Joi.number().min(0).max(10 * 365 * 86_400),
});

/** What a router reports after a DHCP change (router token only). */
export const networkBody = Joi.object({
  wanAddress: Joi.string().ip({ version: ['ipv4', 'ipv6'], cidr: 'forbidden' }).description('The WAN address now; the router\'s SSH address follows it when the router is reached at its last reported WAN address'),
  lanAddress: Joi.string().ip({ cidr: 'optional' }),
  tunnelPort: portSchema.description('The reverse-tunnel port now (routers reached through a tunnel only; within ROUTER_TUNNEL_PORTS)'),
  hostname: Joi.string().max(255),
}).min(1);

export const networkResponse = Joi.object({
  host: Joi.string().required().description('The address the executor reaches the router at now'),
  port: Joi.number().integer().required(),
  tunnelPort: Joi.number().integer().allow(null).required(),
  networkInfo: Joi.object().unknown(true).required(),
  changed: Joi.array().items(Joi.string()).required().description('What this report changed'),
});

export const tokenRotateResponse = Joi.object({
  routerToken: Joi.string().required().description('The new router token, shown once'),
  previousTokenExpiresAt: isoDate.required().description('Until then the previous token still works'),
});

export const heartbeatResponse = Joi.object({
  status: Joi.string().valid('online').required(),
  lastSeenAt: isoDate.required(),
  rebooted: Joi.boolean().required(),
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
