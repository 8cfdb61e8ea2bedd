import type { RouterTarget } from '@netpilot/contracts';

export type LabPlatform = 'linux-nft' | 'linux-iptables';

/** How to log in to one lab SSH server from the host. */
export interface LabLogin {
  host: string;
  port: number;
  username: string;
  password: string;
  /** OpenSSH-format ed25519 private key whose public half is authorized. */
  privateKey: string;
  hostKeySha256: string;
}

export interface LabClient {
  ns: string;
  iface: string;
  /** The address leased by dnsmasq. */
  ip: string;
  ip6: string;
  mac: string;
  /** The hostname the client sent in DHCP (and the lease shows). */
  hostname: string;
}

export interface LabRouter {
  name: 'r1' | 'r2';
  ns: string;
  platform: LabPlatform;
  /** Direct login from the host, on the router's WAN address. */
  target: LabLogin;
  /** The management address, reachable only through the bastion (port 22). */
  mgmtHost: string;
  hostKeySha256: string;
  leasesPath: string;
  lanIp: string;
  lanIp6: string;
  /** An address beyond the router (on the bastion): pinging it from the client crosses the forward hook. */
  forwardProbeIp: string;
  client: LabClient;
}

export interface PingOptions {
  /** Default 2. */
  count?: number;
  /** Per-reply timeout, default 1. */
  timeoutS?: number;
  /** Interval between echo requests (ping's default is 1 s). */
  intervalS?: number;
  /** Destination; default the router's LAN address of the given family. */
  to?: string;
  family?: 4 | 6;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RouterTargetOptions {
  /** Default 'password'. */
  auth?: 'password' | 'key';
  /** Reach the router's management address through the bastion. */
  viaBastion?: boolean;
  /** Default true: pass the known host key fingerprint. */
  pinHostKey?: boolean;
  id?: string;
}

export interface Lab {
  r1: LabRouter;
  r2: LabRouter;
  routers: LabRouter[];
  bastion: LabLogin & { ns: string };
  /** host:port that refuses connections (RST). */
  closedPort: { host: string; port: number };
  /** host:port that silently drops SYNs (connect times out). */
  blackholePort: { host: string; port: number };
  tmpDir: string;
  /** How long startLab took. */
  setupMs: number;
  /** A RouterTarget for the executor, built from the lab's credentials. */
  routerTarget(router: LabRouter, opts?: RouterTargetOptions): RouterTarget;
  /** `ping -c <count> -W <timeoutS> <router LAN ip>` inside the router's client namespace; true when it exits 0. */
  pingFromClient(router: LabRouter, opts?: PingOptions): Promise<boolean>;
  /** Runs `sh -c cmd` inside the router's namespace (as root, outside sshd). */
  routerExec(router: LabRouter, cmd: string): Promise<ExecResult>;
  /** Runs `sh -c cmd` inside the router's client namespace. */
  clientExec(router: LabRouter, cmd: string): Promise<ExecResult>;
  /** Stops everything and deletes the namespaces; safe to call twice. */
  teardown(): Promise<void>;
}

export interface LabOptions {
  /** Progress lines; default: written to stderr with a [lab] prefix. */
  log?: (line: string) => void;
  /** How long to wait for another running lab to finish, default 120 s. */
  lockWaitMs?: number;
}
