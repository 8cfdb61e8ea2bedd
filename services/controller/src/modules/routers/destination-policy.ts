import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { RouterErrors } from './routers.errors';

export interface Destination {
  host: string;
  port?: number;
  tunnelPort?: number | null;
  jumpHost?: { host: string } | null;
}

export interface DestinationRules {
  /** Router and jump hosts must resolve inside these (empty: anywhere). */
  allowedCidrs: string[];
  /** Exact `host:port` router addresses allowed whatever the address rules say (ROUTER_ALLOWED_ENDPOINTS: the demo router). */
  allowedEndpoints?: string[];
  /** Reverse-tunnel ports allowed on the executor's host. */
  tunnelPorts: { min: number; max: number };
}

/** Parses `10.0.0.0/8,fd00::/8` into a BlockList; throws on a malformed entry. */
export function buildBlockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    const family = isIP(net);
    const prefix = Number(bits ?? (family === 6 ? 128 : 32));
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`ROUTER_ALLOWED_CIDRS: "${cidr}" is not a CIDR like 192.168.0.0/16`);
    }
    list.addSubnet(net, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/** Where routers may be: inside ROUTER_ALLOWED_CIDRS, or behind a reverse-tunnel port in ROUTER_TUNNEL_PORTS. */
export class DestinationPolicy {
  private readonly allowed: BlockList | null;

  constructor(private readonly rules: DestinationRules) {
    this.allowed = rules.allowedCidrs.length ? buildBlockList(rules.allowedCidrs) : null;
  }

  /** Refuses destinations outside the allowed networks and tunnel ports outside the allowed range (400). */
  async check(d: Destination): Promise<void> {
    if (d.tunnelPort != null) {
      const { min, max } = this.rules.tunnelPorts;
      if (d.tunnelPort < min || d.tunnelPort > max) throw RouterErrors.tunnelPortOutOfRange(min, max);
      return;
    }
    if (!this.allowed) return;
    const endpointAllowed = !d.jumpHost && this.rules.allowedEndpoints?.includes(`${d.host}:${d.port ?? 22}`);
    for (const host of [endpointAllowed ? null : d.host, d.jumpHost?.host].filter((h): h is string => !!h)) {
      const addresses = isIP(host) ? [host] : await resolveAll(host);
      const outside = addresses.filter((a) => !this.allowed!.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
      if (!addresses.length || outside.length) throw RouterErrors.hostNotAllowed(host);
    }
  }
}
