import { isIP } from 'node:net';
import Joi from 'joi';
import { defineSettings, type ServiceSettings } from '@netpilot/service-kit';

export { ConfigError } from '@netpilot/service-kit';

export interface ControllerConfig extends ServiceSettings {
  databaseUrl: string;
  executorUrl: string;
  executorToken: string;
  jwtSecret: string;
  /** 32-byte key for AES-256-GCM of secrets at rest. */
  secretKey: Buffer;
  allowRegistration: boolean;
  bcryptCost: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  routerOfflineAfterMs: number;
  routerAllowedCidrs: string[];
  /** Reverse-tunnel ports routers may use on the executor's host. */
  routerTunnelPorts: { min: number; max: number };
  provisionKeyTtlMs: number;
  /** How often the liveness job looks for silent routers. */
  routerLivenessIntervalMs: number;
  trustProxy: boolean;
  /** How long a replica trusts a cached "session is active" answer; bounded so a revoked session dies within 10 s. */
  sessionCacheTtlMs: number;
  /** How often the background job ends expired sessions (here and in the executor). */
  sessionSweepIntervalMs: number;
  /** Failed-login limits, counted in PostgreSQL so every replica shares them. */
  loginLimits: {
    perUsername: number;
    perUsernameIp: number;
    perIp: number;
    mfaPerUser: number;
    windowSeconds: number;
  };
}

const secretKeySchema = Joi.string()
  .pattern(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/)
  .messages({ 'string.pattern.base': 'NETPILOT_SECRET_KEY must be 32 bytes as 64 hex digits or base64' });

const keys = {
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .required()
    .messages({ 'any.required': 'DATABASE_URL is required (npm start provides an embedded one)' }),
  EXECUTOR_URL: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://127.0.0.1:4001'),
  EXECUTOR_TOKEN: Joi.string().min(32).required(),
  JWT_SECRET: Joi.string().min(32).required(),
  NETPILOT_SECRET_KEY: secretKeySchema.required(),
  ALLOW_REGISTRATION: Joi.boolean().truthy('1').falsy('0').default(false),
  BCRYPT_COST: Joi.number().integer().min(4).max(15).default(12),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_SECONDS: Joi.number().integer().min(300).default(30 * 24 * 3600),
  ROUTER_OFFLINE_AFTER: Joi.number().integer().min(1000).default(5 * 60_000),
  ROUTER_ALLOWED_CIDRS: Joi.string()
    .allow('')
    .default('')
    .custom((value: string, helpers) => {
      for (const cidr of value.split(',').map((c) => c.trim()).filter(Boolean)) {
        const [net, bits, extra] = cidr.split('/');
        const family = isIP(net);
        const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
        if (extra !== undefined || !family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
          return helpers.message({ custom: `ROUTER_ALLOWED_CIDRS: "${cidr}" is not a CIDR like 192.168.0.0/16` });
        }
      }
      return value;
    }),
  ROUTER_TUNNEL_PORTS: Joi.string()
    .pattern(/^\d{1,5}-\d{1,5}$/)
    .default('20000-29999')
    .custom((value: string, helpers) => {
      const [min, max] = value.split('-').map(Number);
      return min >= 1 && max <= 65535 && min <= max ? value : helpers.message({ custom: 'ROUTER_TUNNEL_PORTS must be a port range like 20000-29999' });
    }),
  PROVISION_KEY_TTL_SECONDS: Joi.number().integer().min(60).max(30 * 86_400).default(86_400),
  ROUTER_LIVENESS_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  TRUST_PROXY: Joi.boolean().truthy('1').falsy('0').default(false),
  // At most 10 s: SPEC section 3 promises a terminated session's token stops working within 10 s.
  SESSION_CACHE_TTL_MS: Joi.number().integer().min(0).max(10_000).default(5000),
  SESSION_SWEEP_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
  LOGIN_MAX_FAILURES_PER_USERNAME: Joi.number().integer().min(1).default(10),
  LOGIN_MAX_FAILURES_PER_USERNAME_IP: Joi.number().integer().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: Joi.number().integer().min(1).default(100),
  MFA_MAX_FAILURES: Joi.number().integer().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: Joi.number().integer().min(1).max(86_400).default(900),
};

function parseSecretKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

/**
 * The controller's settings: `loadConfig(env)` parses them once (ConfigError naming every bad
 * variable); `CONTROLLER_SETTINGS` lists every variable read (documented in .env.example and the README).
 */
export const { load: loadConfig, names: CONTROLLER_SETTINGS } = defineSettings<ControllerConfig>({ name: 'controller', prefix: 'CONTROLLER', defaultPort: 8080 }, keys, (value) => ({
  databaseUrl: value.DATABASE_URL,
  executorUrl: value.EXECUTOR_URL,
  executorToken: value.EXECUTOR_TOKEN,
  jwtSecret: value.JWT_SECRET,
  secretKey: parseSecretKey(value.NETPILOT_SECRET_KEY),
  allowRegistration: value.ALLOW_REGISTRATION,
  bcryptCost: value.BCRYPT_COST,
  accessTokenTtlSeconds: value.ACCESS_TOKEN_TTL_SECONDS,
  refreshTokenTtlSeconds: value.REFRESH_TOKEN_TTL_SECONDS,
  routerOfflineAfterMs: value.ROUTER_OFFLINE_AFTER,
  routerAllowedCidrs: value.ROUTER_ALLOWED_CIDRS.split(',').map((s: string) => s.trim()).filter(Boolean),
  routerTunnelPorts: (([min, max]: number[]) => ({ min, max }))(value.ROUTER_TUNNEL_PORTS.split('-').map(Number)),
  provisionKeyTtlMs: value.PROVISION_KEY_TTL_SECONDS * 1000,
  routerLivenessIntervalMs: value.ROUTER_LIVENESS_INTERVAL_SECONDS * 1000,
  trustProxy: value.TRUST_PROXY,
  sessionCacheTtlMs: value.SESSION_CACHE_TTL_MS,
  sessionSweepIntervalMs: value.SESSION_SWEEP_INTERVAL_SECONDS * 1000,
  loginLimits: Object.freeze({
    perUsername: value.LOGIN_MAX_FAILURES_PER_USERNAME,
    perUsernameIp: value.LOGIN_MAX_FAILURES_PER_USERNAME_IP,
    perIp: value.LOGIN_MAX_FAILURES_PER_IP,
    mfaPerUser: value.MFA_MAX_FAILURES,
    windowSeconds: value.LOGIN_FAILURE_WINDOW_SECONDS,
  }),
}));
