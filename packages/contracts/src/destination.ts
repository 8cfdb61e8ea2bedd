import { BlockList, isIP } from 'node:net';
import Joi from 'joi';

/**
 * Addresses no router has, and that an executor must not be pointed at: its own host
 * (loopback, unspecified), the link-local network with the cloud metadata services
 * (169.254.169.254 and friends), multicast and broadcast. Private networks (10/8,
 * 192.168/16, fd00::/8, ...) are where routers live and stay allowed.
 */
const RESTRICTED: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['100.100.100.200', 32, 'ipv4', 'cloud metadata'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['255.255.255.255', 32, 'ipv4', 'broadcast'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fd00:ec2::254', 128, 'ipv6', 'cloud metadata'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

/** IPv4 written inside IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) as the IPv4 address it is. */
function unmapped(address: string): string {
  const m = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return address;
}

/** What kind of restricted address `address` (an IP) is, or null for an address a router may have. */
export function restrictedKind(address: string): string | null {
  const ip = unmapped(address);
  const family = isIP(ip) === 6 ? 'ipv6' : isIP(ip) === 4 ? 'ipv4' : null;
  if (!family) return 'not an IP address';
  return RESTRICTED_LISTS.find(([list, fam]) => fam === family && list.check(ip, family))?.[2] ?? null;
}

/** Each restricted range as a BlockList, made once. */
const RESTRICTED_LISTS = RESTRICTED.map(([net, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return [list, family, kind] as const;
});

/** An address or a CIDR (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`): its network, prefix and family; null when it is neither. */
export function parseCidr(entry: string): { net: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [net, bits, extra] = entry.split('/');
  const v = isIP(net);
  const max = v === 6 ? 128 : 32;
  const prefix = bits === undefined ? max : Number(bits);
  if (extra !== undefined || !v || !Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { net, prefix, family: v === 6 ? 'ipv6' : 'ipv4' };
}

/** The addresses and CIDRs of a setting (checked by `cidrListSetting`) as one BlockList. */
export function blockListOf(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr) list.addSubnet(cidr.net, cidr.prefix, cidr.family);
  }
  return list;
}

/** Exceptions an operator grants by name (ROUTER_ALLOWED_SPECIAL_ADDRESSES, ROUTER_ALLOWED_ENDPOINTS, ROUTER_TUNNEL_PORTS). */
export interface DestinationAllowances {
  /** CIDRs or addresses inside the restricted ranges that routers may nevertheless have. */
  specialAddresses: string[];
  /** Exact `host:port` endpoints allowed whatever their address (the demo router). */
  endpoints: string[];
  /** Loopback ports where reverse tunnels from routers listen. */
  tunnelPorts: { min: number; max: number };
}

/**
 * Why `address:port` (an IP, after resolving) may not be dialled, or null when it may. A
 * loopback address is allowed on a reverse-tunnel port; anything restricted is allowed when an
 * operator named it (`specialAddresses`, or `endpoints` with the host as the user gave it).
 */
export function destinationRefusal(host: string, address: string, port: number, allow: DestinationAllowances): string | null {
  const kind = restrictedKind(address);
  if (!kind) return null;
  if (allow.endpoints.includes(`${host}:${port}`) || allow.endpoints.includes(`${address}:${port}`)) return null;
  if (kind === 'loopback' && port >= allow.tunnelPorts.min && port <= allow.tunnelPorts.max) return null;
  const ip = unmapped(address);
  if (blockListOf(allow.specialAddresses).check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')) return null;
  return kind;
}

/** A comma-separated list of CIDRs or addresses (a setting); each entry checked, the bad one named as not `expected`. */
export const cidrListSetting = (name: string, expected = 'an address or a CIDR like 192.168.0.0/16') =>
  Joi.string()
    .allow('')
    .default('')
    .custom((value: string, helpers) => {
      for (const cidr of value.split(',').map((c) => c.trim()).filter(Boolean)) {
        if (!parseCidr(cidr)) return helpers.message({ custom: `${name}: "${cidr}" is not ${expected}` });
      }
      return value;
    });

/** ROUTER_ALLOWED_ENDPOINTS: comma-separated `host:port` entries. */
export const endpointListSetting = Joi.string()
  .allow('')
  .default('')
  .custom((value: string, helpers) => {
    for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
      const m = /^(.+):(\d{1,5})$/.exec(entry);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
        return helpers.message({ custom: `ROUTER_ALLOWED_ENDPOINTS: "${entry}" is not host:port like 127.0.0.1:2222` });
      }
    }
    return value;
  });

/** ROUTER_TUNNEL_PORTS: a port range like 20000-29999. */
export const portRangeSetting = Joi.string()
  .pattern(/^\d{1,5}-\d{1,5}$/)
  .default('20000-29999')
  .custom((value: string, helpers) => {
    const [min, max] = value.split('-').map(Number);
    return min >= 1 && max <= 65535 && min <= max ? value : helpers.message({ custom: 'ROUTER_TUNNEL_PORTS must be a port range like 20000-29999' });
  });

/** The settings' values as allowances (`[::1]:22` kept as `::1:22`, the form compared). */
export function allowancesOf(value: { ROUTER_ALLOWED_SPECIAL_ADDRESSES: string; ROUTER_ALLOWED_ENDPOINTS: string; ROUTER_TUNNEL_PORTS: string }): DestinationAllowances {
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const [min, max] = value.ROUTER_TUNNEL_PORTS.split('-').map(Number);
  return {
    specialAddresses: list(value.ROUTER_ALLOWED_SPECIAL_ADDRESSES),
    endpoints: list(value.ROUTER_ALLOWED_ENDPOINTS).map((s) => s.replace(/^\[(.+)\](:\d+)$/, '$1$2')),
    tunnelPorts: { min, max },
  };
}

/** The joi keys of the destination settings, shared by both services (they must agree). */
export const destinationSettingKeys = {
  ROUTER_ALLOWED_SPECIAL_ADDRESSES: cidrListSetting('ROUTER_ALLOWED_SPECIAL_ADDRESSES'),
  ROUTER_ALLOWED_ENDPOINTS: endpointListSetting,
  ROUTER_TUNNEL_PORTS: portRangeSetting,
};
