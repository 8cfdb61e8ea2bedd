import { isIPv4, isIPv6 } from 'node:net';
import type { ScannedDevice, ScanResult } from '@netpilot/contracts';
import { safePath } from './command-safety';
import { vendorForMac } from './oui';
import { splitSections, unexpectedOutput } from './output';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const MARKERS = ['NP:ARP', 'NP:NEIGH6', 'NP:LEASES', 'NP:END'] as const;

/**
 * One round trip: the IPv4 neighbour table, the IPv6 one (absent `ip` is not an error),
 * and the leases file (absent file is not an error), separated by marker lines.
 * NP:END proves the output is complete.
 */
export function buildScanCommand(leasesPath: string): string {
  const path = safePath(leasesPath);
  return (
    'echo NP:ARP; cat /proc/net/arp; ' +
    'echo NP:NEIGH6; ip -6 neigh show 2>/dev/null; ' +
    `echo NP:LEASES; cat ${path} 2>/dev/null; ` +
    'echo NP:END'
  );
}

export interface NeighbourEntry {
  ip: string;
  mac: string;
  interface: string | null;
}

export interface LeaseEntry {
  ip: string;
  mac: string;
  hostname: string | null;
  expiresAt: number;
}

/** Complete entries of /proc/net/arp; incomplete ones (flags 0x0, all-zero MAC) are skipped. */
export function parseProcNetArp(lines: string[]): NeighbourEntry[] {
  const out: NeighbourEntry[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || !isIPv4(f[0])) continue; // header or garbage
    const [ip, , flags, hw, , device] = f;
    const mac = hw.toLowerCase();
    if (flags === '0x0' || mac === '00:00:00:00:00:00' || !MAC_RE.test(mac)) continue;
    out.push({ ip, mac, interface: device || null });
  }
  return out;
}

/** Usable entries of `ip -6 neigh show`; FAILED/INCOMPLETE ones and ones without lladdr are skipped. */
export function parseIpNeigh(lines: string[]): NeighbourEntry[] {
  const out: NeighbourEntry[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (!isIPv6(f[0])) continue;
    const state = f[f.length - 1];
    if (state === 'FAILED' || state === 'INCOMPLETE') continue;
    const at = (word: string) => {
      const i = f.indexOf(word);
      return i > 0 && i + 1 < f.length ? f[i + 1] : null;
    };
    const mac = at('lladdr')?.toLowerCase();
    if (!mac || !MAC_RE.test(mac) || mac === '00:00:00:00:00:00') continue;
    out.push({ ip: f[0], mac, interface: at('dev') });
  }
  return out;
}

/**
 * IPv4 leases of a dnsmasq leases file: `<expiry> <mac> <ip> <hostname|*> <client-id|*>`.
 * DHCPv6 lines (after `duid ...`) carry an IAID instead of a MAC and are skipped.
 */
export function parseDnsmasqLeases(lines: string[]): LeaseEntry[] {
  const out: LeaseEntry[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    const mac = f[1].toLowerCase();
    if (!MAC_RE.test(mac) || !(isIPv4(f[2]) || isIPv6(f[2]))) continue;
    out.push({ ip: f[2], mac, hostname: f[3] === '*' ? null : f[3], expiresAt: Number(f[0]) || 0 });
  }
  return out;
}

function isLinkLocal6(ip: string): boolean {
  return /^fe[89ab]/i.test(ip);
}

/** Neighbours and leases merged by MAC: one device per MAC, the live neighbour address preferred. */
export function mergeScan(arp: NeighbourEntry[], neigh6: NeighbourEntry[], leases: LeaseEntry[]): ScannedDevice[] {
  const macs: string[] = [];
  const seen = (mac: string) => {
    if (!macs.includes(mac)) macs.push(mac);
  };
  [...arp, ...neigh6, ...leases].forEach((e) => seen(e.mac));

  const devices = macs.map((mac): ScannedDevice => {
    const v4 = arp.find((e) => e.mac === mac);
    const v6 = neigh6.filter((e) => e.mac === mac);
    const v6best = v6.find((e) => !isLinkLocal6(e.ip)) ?? v6[0];
    const lease = leases.find((e) => e.mac === mac);
    const neighbour = v4 ?? v6best;
    return {
      ip: v4?.ip ?? lease?.ip ?? v6best?.ip ?? null,
      mac,
      hostname: lease?.hostname ?? null,
      vendor: vendorForMac(mac),
      interface: neighbour?.interface ?? null,
      source: neighbour && lease ? 'both' : neighbour ? 'arp' : 'dhcp',
    };
  });
  return devices.sort(compareDevices);
}

function ipSortKey(ip: string | null): string {
  if (ip === null) return '2';
  if (isIPv4(ip)) return '0' + ip.split('.').map((o) => o.padStart(3, '0')).join('.');
  return '1' + ip;
}

function compareDevices(a: ScannedDevice, b: ScannedDevice): number {
  const ka = ipSortKey(a.ip);
  const kb = ipSortKey(b.ip);
  return ka < kb ? -1 : ka > kb ? 1 : a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0;
}

/** Reads the output of buildScanCommand. */
export function parseScanOutput(command: string, stdout: string): ScanResult {
  const sections = splitSections(stdout, MARKERS);
  if (!sections) throw unexpectedOutput(command, 'scan sections missing');
  return {
    devices: mergeScan(
      parseProcNetArp(sections.get('NP:ARP')!),
      parseIpNeigh(sections.get('NP:NEIGH6')!),
      parseDnsmasqLeases(sections.get('NP:LEASES')!),
    ),
  };
}
