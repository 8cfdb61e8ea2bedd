import { isIP } from 'node:net';
import path from 'node:path';
import Joi from 'joi';
import { allowancesOf, cidrListSetting, destinationSettingKeys, type DestinationAllowances } from '@netpilot/contracts';
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
  /**
   * Where routers may be although the address is normally refused (loopback, link-local,
   * metadata...): addresses named by ROUTER_ALLOWED_SPECIAL_ADDRESSES, exact endpoints
   * (ROUTER_ALLOWED_ENDPOINTS: the demo router), and reverse-tunnel ports (ROUTER_TUNNEL_PORTS).
   */
  routerDestinations: DestinationAllowances;
  /** The simulated router `npm start` runs, offered by the console in one click; null when off. */
  demoRouter: DemoRouterSettings | null;
  /** The web console's built files (served at /). */
  consoleDir: string;
  /** How often an open live stream gets a keep-alive comment. */
  streamHeartbeatMs: number;
  provisionKeyTtlMs: number;
  /** How often the liveness job looks for silent routers. */
  routerLivenessIntervalMs: number;
  /** Every router is read by a reconcile at least this often (the drift check). */
  reconcileIntervalMs: number;
  /** The first retry after a failed reconcile or change; doubled per failure up to the max. */
  reconcileRetryBaseMs: number;
  reconcileRetryMaxMs: number;
  /** Reconciles running at once in this process. */
  reconcileConcurrency: number;
  /** Routers one bulk operation applies at once. */
  bulkConcurrency: number;
  /** How long the controller waits for one executor call: above the executor's worst case (jump host + router handshakes, prepare, action). */
  executorTimeoutMs: number;
  /** How often idle job workers look for due jobs. */
  jobPollSeconds: number;
  /** How often every schedule boundary and temporary block end is planned again (the safety net of the per-change planning). */
  schedulePlanIntervalMs: number;
  /** How long a router's previous token keeps working after a rotation. */
  routerTokenGraceMs: number;
  /** Events one router may post per minute. */
  routerEventsPerMinute: number;
  /** Events older than this are deleted. */
  eventRetentionDays: number;
  /**
   * Which reverse proxies may say who the client is (X-Forwarded-For, -Proto): false (none), a
   * hop count, or their addresses/CIDRs. Never "every hop": that lets any client pick its own address.
   */
  trustProxy: false | number | string[];
  /** How long a replica trusts a cached "session is active" answer; bounded so a revoked session dies within 10 s. */
  sessionCacheTtlMs: number;
  /** How often the background job ends expired sessions (here and in the executor). */
  sessionSweepIntervalMs: number;
  /** Active sessions one user may have; a new login ends the least recently used beyond it. */
  maxSessionsPerUser: number;
  /** How long what is not evidence is kept: ended sessions, finished commands (the audit log is kept). */
  retention: { sessionsDays: number; commandsDays: number };
  /** Failed-login limits, counted in PostgreSQL so every replica shares them. */
  loginLimits: {
    perUsername: number;
    perUsernameIp: number;
    perIp: number;
    mfaPerUser: number;
    /** Failed router registrations (invalid or spent provision keys) per address. */
    registerPerIp: number;
    windowSeconds: number;
  };
  /** Limits on routes anyone may call (see http/anonymous-limits.ts). */
  anonymousLimits: { perIpPerMinute: number; inFlight: number; waiting: number };
}

export interface DemoRouterSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  platform: 'openwrt' | 'linux-nft' | 'linux-iptables';
  hostKeySha256: string | null;
  /**
   * Where the demo router picks up its one-time provision key (the launcher registers it and
   * sends its heartbeats, as a real router's install script and cron do); null: no heartbeats.
   */
  provisionKeyDir: string | null;
}

/** The console's build, where the repository keeps it (services/controller/src → packages/web-console/dist). */
const DEFAULT_CONSOLE_DIR = path.resolve(__dirname, '../../../packages/web-console/dist');

/**
 * `ssh://USER:PASSWORD@HOST:PORT?platform=openwrt&hostKeySha256=SHA256%3A...&provisionKeyDir=%2F...`
 * (URL-encoded), as `npm start` writes it for its simulated router.
 */
function parseDemoRouter(text: string): DemoRouterSettings {
  const url = new URL(text);
  const platform = url.searchParams.get('platform') ?? 'openwrt';
  const hostKeySha256 = url.searchParams.get('hostKeySha256');
  const provisionKeyDir = url.searchParams.get('provisionKeyDir');
  if (url.protocol !== 'ssh:' || !url.hostname || !url.port || !url.username || !url.password) {
    throw new Error('must look like ssh://USER:PASSWORD@HOST:PORT?platform=openwrt');
  }
  if (!['openwrt', 'linux-nft', 'linux-iptables'].includes(platform)) throw new Error('platform must be openwrt, linux-nft or linux-iptables');
  if (hostKeySha256 !== null && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(hostKeySha256)) throw new Error('hostKeySha256 must be SHA256:<43 base64 characters>');
  if (provisionKeyDir !== null && !path.isAbsolute(provisionKeyDir)) throw new Error('provisionKeyDir must be an absolute path');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    platform: platform as DemoRouterSettings['platform'],
    hostKeySha256,
    provisionKeyDir,
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
  ROUTER_ALLOWED_CIDRS: cidrListSetting('ROUTER_ALLOWED_CIDRS', 'a CIDR like 192.168.0.0/16'),
  ...destinationSettingKeys,
  NETPILOT_DEMO_ROUTER: Joi.string()
    .allow('')
    .default('')
    .custom((value: string, helpers) => {
      if (!value) return value;
      try {
        parseDemoRouter(value);
      } catch (err) {
        return helpers.message({ custom: `NETPILOT_DEMO_ROUTER ${(err as Error).message.replace(/^Invalid URL.*/, 'must be a URL like ssh://USER:PASSWORD@HOST:PORT?platform=openwrt')}` });
      }
      return value;
    }),
  CONSOLE_DIR: Joi.string().default(DEFAULT_CONSOLE_DIR),
  STREAM_HEARTBEAT_SECONDS: Joi.number().integer().min(1).max(300).default(15),
  PROVISION_KEY_TTL_SECONDS: Joi.number().integer().min(60).max(30 * 86_400).default(86_400),
  ROUTER_LIVENESS_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  RECONCILE_INTERVAL_SECONDS: Joi.number().integer().min(5).max(86_400).default(300),
  RECONCILE_RETRY_BASE_SECONDS: Joi.number().min(0.5).max(3600).default(2),
  RECONCILE_RETRY_MAX_SECONDS: Joi.number().min(1).max(86_400).default(120),
  RECONCILE_CONCURRENCY: Joi.number().integer().min(1).max(64).default(8),
  // At most the executor client's sockets (64): more would only queue in the HTTP agent.
  BULK_CONCURRENCY: Joi.number().integer().min(1).max(64).default(48),
  // Default above the executor's defaults' worst case: 2 × SSH_CONNECT_TIMEOUT_MS + 2 × ACTION_TIMEOUT_MS = 50 s.
  EXECUTOR_TIMEOUT_MS: Joi.number().integer().min(1000).max(600_000).default(60_000),
  JOB_POLL_SECONDS: Joi.number().min(0.5).max(60).default(1),
  SCHEDULE_PLAN_INTERVAL_SECONDS: Joi.number().integer().min(1).max(86_400).default(300),
  ROUTER_TOKEN_GRACE_SECONDS: Joi.number().integer().min(1).max(7 * 86_400).default(600),
  ROUTER_EVENTS_PER_MINUTE: Joi.number().integer().min(1).max(10_000).default(60),
  EVENT_RETENTION_DAYS: Joi.number().integer().min(1).max(3650).default(30),
  TRUST_PROXY: Joi.string()
    .allow('')
    .default('false')
    .custom((value: string, helpers) => {
      const v = value.trim().toLowerCase();
      if (v === '' || v === 'false' || v === '0') return value;
      if (/^\d+$/.test(v)) return Number(v) <= 10 ? value : helpers.message({ custom: 'TRUST_PROXY: at most 10 proxies' });
      if (v === 'true') {
        return helpers.message({
          custom: 'TRUST_PROXY=true would trust every hop, so any client could choose its own address; give the number of proxies in front of the controller (1 for one reverse proxy) or their addresses/CIDRs',
        });
      }
      for (const entry of v.split(',').map((x) => x.trim()).filter(Boolean)) {
        const [net, bits] = entry.split('/');
        if (!isIP(net) || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
          return helpers.message({ custom: `TRUST_PROXY: "${entry}" is not a number of proxies, an address or a CIDR` });
        }
      }
      return value;
    }),
  // At most 10 s: SPEC section 3 promises a terminated session's token stops working within 10 s.
  SESSION_CACHE_TTL_MS: Joi.number().integer().min(0).max(10_000).default(5000),
  SESSION_SWEEP_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
  MAX_SESSIONS_PER_USER: Joi.number().integer().min(1).max(1000).default(20),
  SESSION_RETENTION_DAYS: Joi.number().integer().min(1).max(3650).default(30),
  COMMAND_RETENTION_DAYS: Joi.number().integer().min(1).max(3650).default(90),
  LOGIN_MAX_FAILURES_PER_USERNAME: Joi.number().integer().min(1).default(10),
  LOGIN_MAX_FAILURES_PER_USERNAME_IP: Joi.number().integer().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: Joi.number().integer().min(1).default(100),
  MFA_MAX_FAILURES: Joi.number().integer().min(1).default(5),
  REGISTER_MAX_FAILURES_PER_IP: Joi.number().integer().min(1).default(10),
  ANONYMOUS_REQUESTS_PER_MINUTE: Joi.number().integer().min(1).default(120),
  ANONYMOUS_CONCURRENCY: Joi.number().integer().min(1).max(100).default(2),
  LOGIN_FAILURE_WINDOW_SECONDS: Joi.number().integer().min(1).max(86_400).default(900),
};

function trustProxyOf(value: string): false | number | string[] {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

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
  routerDestinations: allowancesOf(value as { ROUTER_ALLOWED_SPECIAL_ADDRESSES: string; ROUTER_ALLOWED_ENDPOINTS: string; ROUTER_TUNNEL_PORTS: string }),
  demoRouter: value.NETPILOT_DEMO_ROUTER ? Object.freeze(parseDemoRouter(value.NETPILOT_DEMO_ROUTER)) : null,
  consoleDir: path.resolve(value.CONSOLE_DIR),
  streamHeartbeatMs: value.STREAM_HEARTBEAT_SECONDS * 1000,
  provisionKeyTtlMs: value.PROVISION_KEY_TTL_SECONDS * 1000,
  routerLivenessIntervalMs: value.ROUTER_LIVENESS_INTERVAL_SECONDS * 1000,
  reconcileIntervalMs: value.RECONCILE_INTERVAL_SECONDS * 1000,
  reconcileRetryBaseMs: value.RECONCILE_RETRY_BASE_SECONDS * 1000,
  reconcileRetryMaxMs: value.RECONCILE_RETRY_MAX_SECONDS * 1000,
  reconcileConcurrency: value.RECONCILE_CONCURRENCY,
  bulkConcurrency: value.BULK_CONCURRENCY,
  executorTimeoutMs: value.EXECUTOR_TIMEOUT_MS,
  jobPollSeconds: value.JOB_POLL_SECONDS,
  schedulePlanIntervalMs: value.SCHEDULE_PLAN_INTERVAL_SECONDS * 1000,
  routerTokenGraceMs: value.ROUTER_TOKEN_GRACE_SECONDS * 1000,
  routerEventsPerMinute: value.ROUTER_EVENTS_PER_MINUTE,
  eventRetentionDays: value.EVENT_RETENTION_DAYS,
  trustProxy: trustProxyOf(value.TRUST_PROXY),
  sessionCacheTtlMs: value.SESSION_CACHE_TTL_MS,
  sessionSweepIntervalMs: value.SESSION_SWEEP_INTERVAL_SECONDS * 1000,
  maxSessionsPerUser: value.MAX_SESSIONS_PER_USER,
  retention: Object.freeze({ sessionsDays: value.SESSION_RETENTION_DAYS, commandsDays: value.COMMAND_RETENTION_DAYS }),
  loginLimits: Object.freeze({
    perUsername: value.LOGIN_MAX_FAILURES_PER_USERNAME,
    perUsernameIp: value.LOGIN_MAX_FAILURES_PER_USERNAME_IP,
    perIp: value.LOGIN_MAX_FAILURES_PER_IP,
    mfaPerUser: value.MFA_MAX_FAILURES,
    registerPerIp: value.REGISTER_MAX_FAILURES_PER_IP,
    windowSeconds: value.LOGIN_FAILURE_WINDOW_SECONDS,
  }),
  anonymousLimits: Object.freeze({
    perIpPerMinute: value.ANONYMOUS_REQUESTS_PER_MINUTE,
    inFlight: value.ANONYMOUS_CONCURRENCY,
    // Enough for a household's or an office's burst (all its devices logging in at once).
    waiting: 64,
  }),
}));
