import Joi from 'joi';
import { allowancesOf, destinationSettingKeys, type DestinationAllowances } from '@netpilot/contracts';
import { defineSettings, type ServiceSettings } from '@netpilot/service-kit';

export interface ExecutorConfig extends ServiceSettings {
  token: string;
  connectionIdleMs: number;
  sessionIdleMs: number;
  connectTimeoutMs: number;
  actionTimeoutMs: number;
  maxChannelsPerConnection: number;
  maxHandshakesPerHost: number;
  /** Named exceptions to the addresses a router may not have, and the reverse-tunnel ports (shared with the controller). */
  destinations: DestinationAllowances;
}

const keys = {
  EXECUTOR_TOKEN: Joi.string().min(32).required().messages({
    'string.min': 'EXECUTOR_TOKEN must be at least 32 characters (a random service token)',
    'any.required': 'EXECUTOR_TOKEN is required (the bearer token the controller presents)',
  }),
  CONNECTION_IDLE_MS: Joi.number().integer().min(1000).default(60_000),
  SESSION_IDLE_MS: Joi.number().integer().min(1000).default(30 * 60_000),
  SSH_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
  ACTION_TIMEOUT_MS: Joi.number().integer().min(100).default(15_000),
  SSH_MAX_CHANNELS: Joi.number().integer().min(1).max(9).default(8),
  SSH_MAX_HANDSHAKES_PER_HOST: Joi.number().integer().min(1).default(4),
  ...destinationSettingKeys,
};

/**
 * The executor's settings: `loadConfig(env)` parses them once (ConfigError naming every bad
 * variable); `EXECUTOR_SETTINGS` lists every variable read (documented in .env.example and the README).
 */
export const { load: loadConfig, names: EXECUTOR_SETTINGS } = defineSettings<ExecutorConfig>({ name: 'executor', prefix: 'EXECUTOR', defaultPort: 4001 }, keys, (value) => ({
  token: value.EXECUTOR_TOKEN,
  connectionIdleMs: value.CONNECTION_IDLE_MS,
  sessionIdleMs: value.SESSION_IDLE_MS,
  connectTimeoutMs: value.SSH_CONNECT_TIMEOUT_MS,
  actionTimeoutMs: value.ACTION_TIMEOUT_MS,
  maxChannelsPerConnection: value.SSH_MAX_CHANNELS,
  maxHandshakesPerHost: value.SSH_MAX_HANDSHAKES_PER_HOST,
  destinations: allowancesOf(value as { ROUTER_ALLOWED_SPECIAL_ADDRESSES: string; ROUTER_ALLOWED_ENDPOINTS: string; ROUTER_TUNNEL_PORTS: string }),
}));

/**
 * The longest one action can take in this executor: a jump host's and the router's
 * handshakes, then preparing our firewall table and the action itself, each under its own
 * limit. A caller's timeout must be above it, or it gives up on actions that succeed.
 */
export function worstCaseActionMs(config: Pick<ExecutorConfig, 'connectTimeoutMs' | 'actionTimeoutMs'>): number {
  return 2 * config.connectTimeoutMs + 2 * config.actionTimeoutMs;
}
