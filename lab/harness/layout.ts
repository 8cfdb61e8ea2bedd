import type { LabPlatform } from './types';

/** Every namespace and host link of the lab starts with this, so a stale lab can be found by name. */
export const LAB_PREFIX = 'nplab-';
/** The host route that makes a packet for any other 10.213.x address fail at once (see index.ts). */
export const GUARD_ROUTE = '10.213.0.0/16';
export const HOST_VETHS = ['nplab-b', 'nplab-r1', 'nplab-r2'];

export const BASTION_NS = `${LAB_PREFIX}bastion`;
export const BASTION_IP = '10.213.0.2';

/** Where one router, its client and their links live. */
export interface RouterPlan {
  name: 'r1' | 'r2';
  ns: string;
  clientNs: string;
  platform: LabPlatform;
  hostVeth: string;
  hostIp: string;
  wanIp: string;
  mgmtIp: string;
  bastionMgmtIp: string;
  lanIp: string;
  lanIp6: string;
  lanNet: string;
  dhcpRange: string;
  clientMac: string;
  clientIp6: string;
  clientHostname: string;
}

export const PLANS: RouterPlan[] = [1, 2].map((n) => ({
  name: `r${n}` as 'r1' | 'r2',
  ns: `${LAB_PREFIX}r${n}`,
  clientNs: `${LAB_PREFIX}c${n}`,
  platform: n === 1 ? 'linux-nft' : 'linux-iptables',
  hostVeth: `${LAB_PREFIX}r${n}`,
  hostIp: `10.213.${n}.1`,
  wanIp: `10.213.${n}.2`,
  mgmtIp: `10.213.10${n}.2`,
  bastionMgmtIp: `10.213.10${n}.1`,
  lanIp: `10.213.1${n}.1`,
  lanIp6: `fd42:213:1${n}::1`,
  lanNet: `10.213.1${n}.0/24`,
  dhcpRange: `10.213.1${n}.100,10.213.1${n}.199,255.255.255.0,12h`,
  // A Raspberry Pi OUI, so scans can show a vendor from the offline table.
  clientMac: `b8:27:eb:13:1${n}:64`,
  clientIp6: `fd42:213:1${n}::100`,
  clientHostname: `lab-client-${n}`,
}));

export const ALL_NS = [BASTION_NS, ...PLANS.flatMap((p) => [p.ns, p.clientNs])];

/** Each sshd's directory in the lab's temp dir (host key, config, pid file). */
export const SSHD_DIRS = ['bastion', ...PLANS.map((p) => p.name)];
