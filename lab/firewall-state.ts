import type { BlockedSet } from '@netpilot/contracts';
import type { Lab, LabRouter } from './harness';

/**
 * What a lab router's firewall holds, read with the router's own tools and parsed here,
 * independent of the driver's parser: the lab tests' ground truth.
 */
export async function firewallState(lab: Lab, r: LabRouter): Promise<BlockedSet> {
  const run = async (cmd: string) => {
    const out = await lab.routerExec(r, cmd);
    if (out.code !== 0) throw new Error(`${cmd} exited ${out.code} on ${r.name}: ${out.stderr.trim()}`);
    return out.stdout;
  };
  if (r.platform === 'linux-nft') {
    const items = (JSON.parse(await run('nft -j list table inet netpilot')) as { nftables: Array<Record<string, any>> }).nftables;
    const elems = (name: string): string[] => {
      const set = items.find((i) => i.set?.name === name)?.set;
      if (!set?.elem) return [];
      return (Array.isArray(set.elem) ? set.elem : [set.elem]).map((e: unknown) => String(e).toLowerCase());
    };
    return { ips: [...elems('blocked4'), ...elems('blocked6')].sort(), macs: elems('blockedmac').sort() };
  }
  const rules = `${await run('iptables -S NETPILOT')}\n${await run('ip6tables -S NETPILOT')}`;
  const ips = new Set<string>();
  const macs = new Set<string>();
  for (const line of rules.split('\n')) {
    const ip = /^-A NETPILOT (?:-s|-d) (\S+?)(?:\/(?:32|128))? -j DROP$/.exec(line);
    if (ip) ips.add(ip[1]);
    const mac = /^-A NETPILOT -m mac --mac-source (\S+) -j DROP$/i.exec(line);
    if (mac) macs.add(mac[1].toLowerCase());
  }
  return { ips: [...ips].sort(), macs: [...macs].sort() };
}
