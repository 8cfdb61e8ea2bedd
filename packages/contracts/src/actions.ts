import Joi from 'joi';
import {
  deviceIpSchema,
  hostKeySha256Schema,
  hostSchema,
  idSchema,
  macSchema,
  portSchema,
  safeAbsolutePathSchema,
  sshUsernameSchema,
} from './validators';

export const PLATFORMS = ['openwrt', 'linux-nft', 'linux-iptables'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ACTION_NAMES = ['block', 'unblock', 'list-blocked', 'scan', 'info', 'ping'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export interface RouterOptions {
  /** Where the DHCP leases file is, overriding the platform's default. */
  leasesPath?: string;
}

/** Where and as whom to log in over SSH; credentials travel only controller → executor. */
export interface SshLogin {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  /** Pinned fingerprint (`SHA256:...`); any other key is refused. */
  hostKeySha256?: string;
}

export type JumpHost = SshLogin;

/** How the executor reaches one router; credentials travel only controller → executor. */
export interface RouterTarget {
  id: string;
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  platform: Platform;
  options?: RouterOptions;
  hostKeySha256?: string;
  jumpHost?: JumpHost;
}

const PRIVATE_KEY_MAX = 16 * 1024;
const secret = (max: number) => Joi.string().min(1).max(max);

const credentials = {
  username: sshUsernameSchema.required(),
  password: secret(1024),
  privateKey: secret(PRIVATE_KEY_MAX).pattern(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'PEM private key'),
  passphrase: secret(1024),
  hostKeySha256: hostKeySha256Schema,
};

export const jumpHostSchema = Joi.object<JumpHost>({
  host: hostSchema.required(),
  port: portSchema.default(22),
  ...credentials,
})
  .xor('password', 'privateKey')
  .with('passphrase', 'privateKey');

export const routerOptionsSchema = Joi.object<RouterOptions>({
  leasesPath: safeAbsolutePathSchema,
});

export const routerTargetSchema = Joi.object<RouterTarget>({
  id: idSchema.required(),
  host: hostSchema.required(),
  port: portSchema.default(22),
  platform: Joi.string()
    .valid(...PLATFORMS)
    .required(),
  options: routerOptionsSchema.default({}),
  jumpHost: jumpHostSchema,
  ...credentials,
})
  .xor('password', 'privateKey')
  .with('passphrase', 'privateKey');

/** `{ip}` or `{mac}`: exactly one, in canonical form after validation. */
export type DeviceTarget = { ip: string; mac?: never } | { mac: string; ip?: never };

const deviceTargetSchema = Joi.object({ ip: deviceIpSchema, mac: macSchema }).xor('ip', 'mac');
const noParams = Joi.object({});

export interface BlockResult {
  target: DeviceTarget;
  /** false when the router already enforced it (idempotent repeat). */
  changed: boolean;
}

export interface BlockedSet {
  ips: string[];
  macs: string[];
}

export type DeviceSource = 'arp' | 'dhcp' | 'both';

export interface ScannedDevice {
  ip: string | null;
  mac: string;
  hostname: string | null;
  vendor: string | null;
  interface: string | null;
  source: DeviceSource;
}

export interface ScanResult {
  devices: ScannedDevice[];
}

export interface InfoResult {
  hostname: string;
  os: string;
  firmware: string | null;
  kernel: string | null;
  uptimeSeconds: number;
  load: [number, number, number];
  memory: { totalBytes: number; freeBytes: number; availableBytes: number };
}

export interface PingResult {
  ok: true;
}

/** Params and result of every action, by name. */
export interface ActionTypes {
  block: { params: DeviceTarget; result: BlockResult };
  unblock: { params: DeviceTarget; result: BlockResult };
  'list-blocked': { params: Record<string, never>; result: BlockedSet };
  scan: { params: Record<string, never>; result: ScanResult };
  info: { params: Record<string, never>; result: InfoResult };
  ping: { params: Record<string, never>; result: PingResult };
}

export type ActionParams<A extends ActionName> = ActionTypes[A]['params'];
export type ActionResult<A extends ActionName> = ActionTypes[A]['result'];

export interface ActionSpec {
  name: ActionName;
  changesRouter: boolean;
  description: string;
  params: Joi.ObjectSchema;
}

/** The allowlist: nothing outside this table can run on a router. */
export const ACTION_CATALOG: Readonly<Record<ActionName, ActionSpec>> = Object.freeze({
  block: {
    name: 'block',
    changesRouter: true,
    description: "Drop a device's traffic through and to the router. Idempotent.",
    params: deviceTargetSchema,
  },
  unblock: {
    name: 'unblock',
    changesRouter: true,
    description: 'Undo block. Idempotent.',
    params: deviceTargetSchema,
  },
  'list-blocked': {
    name: 'list-blocked',
    changesRouter: false,
    description: 'What the router enforces now.',
    params: noParams,
  },
  scan: {
    name: 'scan',
    changesRouter: false,
    description: 'Neighbour table and DHCP leases merged by MAC, with vendors from an offline OUI table.',
    params: noParams,
  },
  info: {
    name: 'info',
    changesRouter: false,
    description: 'Uptime, load, memory, OS/firmware and hostname.',
    params: noParams,
  },
  ping: {
    name: 'ping',
    changesRouter: false,
    description: 'SSH reachable and authenticated.',
    params: noParams,
  },
});

/** True when `name` is an allowlisted action. */
export function isActionName(name: string): name is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(name);
}

/** Session ids: what the controller's session id looks like (UUID or slug). */
export const sessionIdSchema = idSchema.required();

export const sessionRequestSchema = Joi.object({ sessionId: sessionIdSchema });

export interface SessionRequest {
  sessionId: string;
}

export interface SessionState {
  sessionId: string;
  started?: boolean;
  ended?: boolean;
}

export interface ActionRequest<A extends ActionName = ActionName> {
  sessionId: string;
  router: RouterTarget;
  params: ActionParams<A>;
}

/** The outer shape of `POST /api/actions/:name`; params are validated against the catalog afterwards. */
export const actionRequestSchema = Joi.object({
  sessionId: sessionIdSchema,
  router: routerTargetSchema.required(),
  params: Joi.object().unknown(true).default({}),
});

export interface CatalogEntry {
  name: ActionName;
  changesRouter: boolean;
  description: string;
  paramsSchema: Record<string, unknown>;
}
