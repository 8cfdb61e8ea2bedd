import { isIPv4, isIPv6 } from 'node:net';
import type { DeviceTarget } from '@netpilot/contracts';
import { safeIp, safeMac } from './command-safety';
import { HOOK_RESTORED_MARKER, PRESENT_MARKER, sortedBlockedSet, type FirewallDialect } from './firewall';
import { splitSections, unexpectedOutput } from './output';
import { FirewallNotPreparedError } from './types';

/**
 * iptables/ip6tables (no nft binary needed): our own NETPILOT chain in the filter table,
 * jumped to from the top of INPUT and FORWARD, holding only DROP rules. The user's rules
 * are never edited; only our two jump rules are inserted.
 *
 * `-w` waits for the xtables lock instead of failing when another iptables runs (legacy
 * backend), which matters because the executor runs actions concurrently.
 */
export const IPT_CHAIN = 'NETPILOT';

type Binary = 'iptables' | 'ip6tables';
interface RuleSpec {
  bin: Binary;
  spec: string;
}

/** The rules one target needs: an IP drops both as source and as destination, a MAC in both families. */
function rulesFor(target: DeviceTarget): RuleSpec[] {
  if (target.mac !== undefined) {
    const mac = safeMac(target.mac);
    const spec = `-m mac --mac-source ${mac} -j DROP`;
    return [
      { bin: 'iptables', spec },
      { bin: 'ip6tables', spec },
    ];
  }
  const ip = safeIp(target.ip);
  const bin: Binary = ip.family === 4 ? 'iptables' : 'ip6tables';
  return [
    { bin, spec: `-s ${ip.text} -j DROP` },
    { bin, spec: `-d ${ip.text} -j DROP` },
  ];
}

const check = (r: RuleSpec) => `${r.bin} -w -C ${IPT_CHAIN} ${r.spec} 2>/dev/null`;

const HOOK_CHAINS = ['INPUT', 'FORWARD'] as const;
const FAMILY_MARKERS: Record<Binary, string> = { iptables: 'np:family:4', ip6tables: 'np:family:6' };
const HOOKED_MARKER = 'np:hooked';
const UNHOOKED_MARKER = 'np:unhooked';

/**
 * One family's part of the listing. Usually the whole filter table in one process, which
 * shows our rules and the jumps to our chain. iptables-nft refuses to print a table that
 * also holds native nft rules ("table `filter' is incompatible"); then our chain alone,
 * and the two jumps checked one by one.
 */
function listFamily(bin: Binary): string {
  const jumps = HOOK_CHAINS.map((chain) => `${bin} -w -C ${chain} -j ${IPT_CHAIN} 2>/dev/null`).join(' && ');
  return `{ ${bin} -w -S 2>/dev/null || { ${bin} -w -S ${IPT_CHAIN} && { ${jumps} && echo ${HOOKED_MARKER} || echo ${UNHOOKED_MARKER}; }; }; }`;
}

/** Makes `chain` jump to NETPILOT first, unless it already does; prints `announce` when it had to insert the jump. */
function ensureJump(bin: Binary, chain: 'INPUT' | 'FORWARD', announce?: string): string {
  const insert = `${bin} -w -I ${chain} 1 -j ${IPT_CHAIN}`;
  return `{ ${bin} -w -C ${chain} -j ${IPT_CHAIN} 2>/dev/null || ${announce ? `{ ${insert} && echo ${announce}; }` : insert}; }`;
}

/** Creates our chain unless it exists; another prepare creating it at the same moment is fine too. */
function ensureChain(bin: Binary): string {
  return `{ ${bin} -w -S ${IPT_CHAIN} >/dev/null 2>&1 || ${bin} -w -N ${IPT_CHAIN} || ${bin} -w -S ${IPT_CHAIN} >/dev/null 2>&1; }`;
}

export const iptablesFirewall: FirewallDialect = {
  // Inserted at position 1 so a user's earlier ACCEPT cannot let a blocked device through.
  prepareCommand: (['iptables', 'ip6tables'] as const)
    .flatMap((bin) => [ensureChain(bin), ...HOOK_CHAINS.map((chain) => ensureJump(bin, chain))])
    .join(' && '),

  // First our chain is hooked into INPUT and FORWARD of the families the target needs:
  // someone flushing those chains (`iptables -F INPUT`) silently unhooks it, and rules
  // nothing jumps to block nothing. Then: present only when every rule is there; each
  // missing rule is added (a partial state left by an interrupted block is repaired and
  // reported as a change).
  blockCommand(target) {
    const rules = rulesFor(target);
    const hooks = [...new Set(rules.map((r) => r.bin))]
      .flatMap((bin) => HOOK_CHAINS.map((chain) => ensureJump(bin, chain, HOOK_RESTORED_MARKER)))
      .join(' && ');
    const present = `${rules.map(check).join(' && ')} && echo ${PRESENT_MARKER}`;
    const ensure = rules.map((r) => `{ ${check(r)} || ${r.bin} -w -A ${IPT_CHAIN} ${r.spec}; }`).join(' && ');
    return `${hooks} && { ${present}; ${ensure}; }`;
  },

  // Present when any rule is there. The loops remove every copy, should a concurrent
  // block have appended a rule twice.
  unblockCommand(target) {
    const rules = rulesFor(target);
    const present = `${rules.map(check).join(' || ')} && echo ${PRESENT_MARKER}`;
    const remove = rules
      .map((r) => `while ${check(r)}; do ${r.bin} -w -D ${IPT_CHAIN} ${r.spec} || break; done`)
      .join('; ');
    return `${present}; ${remove}`;
  },

  listBlockedCommand: (['iptables', 'ip6tables'] as const)
    .map((bin) => `echo ${FAMILY_MARKERS[bin]} && ${listFamily(bin)}`)
    .join(' && '),

  parseBlocked(command, stdout) {
    const sections = splitSections(stdout, [FAMILY_MARKERS.iptables, FAMILY_MARKERS.ip6tables]);
    if (!sections) throw unexpectedOutput(command, 'a family section is missing');
    const ips: string[] = [];
    const macs: string[] = [];
    for (const bin of ['iptables', 'ip6tables'] as const) {
      const lines = sections.get(FAMILY_MARKERS[bin])!.map((l) => l.trim());
      if (!lines.includes(`-N ${IPT_CHAIN}`)) throw new FirewallNotPreparedError(command, `${bin}: chain ${IPT_CHAIN} is missing`);
      // Our rules count only where INPUT and FORWARD still jump to our chain. If a jump is
      // gone (someone flushed INPUT), the firewall is prepared again, which hooks the chain
      // back in, and the listing is read once more: it then shows what is really dropped.
      const hooked = lines.includes(HOOKED_MARKER) || HOOK_CHAINS.every((chain) => lines.includes(`-A ${chain} -j ${IPT_CHAIN}`));
      if (!hooked) throw new FirewallNotPreparedError(command, `${bin}: INPUT or FORWARD no longer jumps to ${IPT_CHAIN}`);
      for (const rule of parseIptablesRules(lines.join('\n'), IPT_CHAIN)) {
        if (rule.target !== 'DROP') continue;
        for (const addr of [rule.source, rule.destination]) {
          if (addr) ips.push(addr);
        }
        if (rule.macSource) macs.push(rule.macSource);
      }
    }
    return sortedBlockedSet(ips, macs);
  },
};

export interface IptablesRule {
  source: string | null;
  destination: string | null;
  macSource: string | null;
  target: string | null;
}

/** Host address of `-s`/`-d` values: "10.0.0.5/32" → "10.0.0.5"; networks (shorter prefixes) → null. */
function hostAddress(value: string | undefined): string | null {
  if (!value) return null;
  const [addr, prefix] = value.split('/');
  if (isIPv4(addr) && (prefix === undefined || prefix === '32')) return addr;
  if (isIPv6(addr) && (prefix === undefined || prefix === '128')) return addr.toLowerCase();
  return null;
}

/** `-A <chain> ...` lines of `iptables -S` output, reduced to the matches we use. */
export function parseIptablesRules(stdout: string, chain: string): IptablesRule[] {
  const rules: IptablesRule[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== '-A' || f[1] !== chain) continue;
    const value = (flag: string) => {
      const i = f.indexOf(flag);
      return i >= 0 ? f[i + 1] : undefined;
    };
    const mac = value('--mac-source')?.toLowerCase();
    rules.push({
      source: hostAddress(value('-s')),
      destination: hostAddress(value('-d')),
      macSource: mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) ? mac : null,
      target: value('-j') ?? null,
    });
  }
  return rules;
}
