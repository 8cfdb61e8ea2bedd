import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { blockListOf, destinationRefusal, parseCidr, type DestinationAllowances } from '@netpilot/contracts';
import { RouterErrors } from './routers.errors';

export interface Destination {
  host: string;
  port?: number;
  tunnelPort?: number | null;
  jumpHost?: { host: string; port?: number } | null;
}

export interface DestinationRules {
  /** Router and jump hosts must resolve inside these (empty: anywhere). */
  allowedCidrs: string[];
  /** The named exceptions to the refused addresses, and the reverse-tunnel ports. */
  allow: DestinationAllowances;
}

/** `10.0.0.0/8`, `fd00::/8`, ... as one BlockList; throws on a malformed entry. */
export function buildBlockList(cidrs: string[]): BlockList {
  const bad = cidrs.find((cidr) => !parseCidr(cidr));
  if (bad !== undefined) throw new Error(`ROUTER_ALLOWED_CIDRS: "${bad}" is not a CIDR like 192.168.0.0/16`);
  return blockListOf(cidrs);
}

async function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/**
 * Where routers may be. Never at an address of the executor's own host or its cloud
 * (loopback, unspecified, link-local with the metadata services, multicast) unless an
 * operator named that exception; inside ROUTER_ALLOWED_CIDRS when it is set; a reverse
 * tunnel only on a port in ROUTER_TUNNEL_PORTS. Names are resolved and every address they
 * resolve to is checked (the executor checks again when it connects, against DNS rebinding).
 */
export class DestinationPolicy {
  private readonly allowed: BlockList | null;

  constructor(private readonly rules: DestinationRules) {
    this.allowed = rules.allowedCidrs.length ? buildBlockList(rules.allowedCidrs) : null;
  }

  /** Refuses (400) a destination a router may not have. */
  async check(d: Destination): Promise<void> {
    if (d.tunnelPort != null) {
      const { min, max } = this.rules.allow.tunnelPorts;
      if (d.tunnelPort < min || d.tunnelPort > max) throw RouterErrors.tunnelPortOutOfRange(min, max);
      return;
    }
    const hops = [{ host: d.host, port: d.port ?? 22, behindJump: !!d.jumpHost }, ...(d.jumpHost ? [{ host: d.jumpHost.host, port: d.jumpHost.port ?? 22, behindJump: false }] : [])];
    for (const hop of hops) {
      // An endpoint an operator named (the demo router) is allowed whatever its address.
      if (!hop.behindJump && this.rules.allow.endpoints.includes(`${hop.host}:${hop.port}`)) continue;
      const addresses = await resolveAll(hop.host);
      // A router behind a jump host is dialled by the bastion, inside the bastion's own network.
      for (const address of hop.behindJump ? [] : addresses) {
        const refusal = destinationRefusal(hop.host, address, hop.port, this.rules.allow);
        if (refusal) throw RouterErrors.hostRestricted(hop.host, refusal);
      }
      if (this.allowed) {
        const outside = addresses.filter((a) => !this.allowed!.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
        if (!addresses.length || outside.length) throw RouterErrors.hostNotAllowed(hop.host);
      }
    }
  }
}
