import { isIPv4, isIPv6 } from 'node:net';
import type { BlockedSet, DeviceTarget } from '@netpilot/contracts';
import { safeIp, safeMac } from './command-safety';
import { PRESENT_MARKER, sortedBlockedSet, type FirewallDialect } from './firewall';
import { unexpectedOutput } from './output';

/**
 * nftables (OpenWrt fw4 and plain Linux): everything lives in our own `table inet netpilot`,
 * so fw4 reloads and the user's tables are never touched. Sets hold the blocked addresses;
 * the rules only reference the sets, so block/unblock change set elements, never rules.
 */
export const NFT_TABLE = 'netpilot';
export const NFT_SETS = { ipv4: 'blocked4', ipv6: 'blocked6', mac: 'blockedmac' } as const;

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

// priority -10: before fw4's filter chains (priority 0). A drop is final in any base
// chain, so the order only saves work; an accept elsewhere can never undo our drop.
const PREPARE_SCRIPT = [
  `add table inet ${NFT_TABLE}`,
  `add set inet ${NFT_TABLE} ${NFT_SETS.ipv4} { type ipv4_addr; }`,
  `add set inet ${NFT_TABLE} ${NFT_SETS.ipv6} { type ipv6_addr; }`,
  `add set inet ${NFT_TABLE} ${NFT_SETS.mac} { type ether_addr; }`,
  `add chain inet ${NFT_TABLE} input { type filter hook input priority -10; policy accept; }`,
  `add chain inet ${NFT_TABLE} forward { type filter hook forward priority -10; policy accept; }`,
  // Flush and re-add in the same transaction: the rules are always exactly ours (no
  // duplicates after many prepares), there is no moment without them, and the sets
  // (the blocked devices) survive.
  `flush chain inet ${NFT_TABLE} input`,
  `flush chain inet ${NFT_TABLE} forward`,
  `add rule inet ${NFT_TABLE} input ip saddr @${NFT_SETS.ipv4} drop`,
  `add rule inet ${NFT_TABLE} input ip6 saddr @${NFT_SETS.ipv6} drop`,
  `add rule inet ${NFT_TABLE} input ether saddr @${NFT_SETS.mac} drop`,
  `add rule inet ${NFT_TABLE} forward ip saddr @${NFT_SETS.ipv4} drop`,
  `add rule inet ${NFT_TABLE} forward ip daddr @${NFT_SETS.ipv4} drop`,
  `add rule inet ${NFT_TABLE} forward ip6 saddr @${NFT_SETS.ipv6} drop`,
  `add rule inet ${NFT_TABLE} forward ip6 daddr @${NFT_SETS.ipv6} drop`,
  `add rule inet ${NFT_TABLE} forward ether saddr @${NFT_SETS.mac} drop`,
].join('; ');

/** The set and printed element of a block target, checked by the command-safety guards. */
function element(target: DeviceTarget): { set: string; value: string } {
  if (target.mac !== undefined) return { set: NFT_SETS.mac, value: safeMac(target.mac) };
  const ip = safeIp(target.ip);
  return { set: ip.family === 4 ? NFT_SETS.ipv4 : NFT_SETS.ipv6, value: ip.text };
}

function elementArgs(target: DeviceTarget): string {
  const { set, value } = element(target);
  return `element inet ${NFT_TABLE} ${set} { ${value} }`;
}

/** The nftables commands and parsers; the same for OpenWrt fw4 and plain Linux. */
export const nftablesFirewall: FirewallDialect = {
  prepareCommand: `nft '${PREPARE_SCRIPT}'`,

  // One nft process in the usual case (each costs ~2.5 ms on a router): `create element`
  // fails when the element exists, and only then does the idempotent `add element` run.
  // Any other failure (our table gone) makes that `add` fail too, with its stderr.
  blockCommand(target) {
    const el = elementArgs(target);
    return `nft 'create ${el}' 2>/dev/null || { echo ${PRESENT_MARKER}; nft 'add ${el}'; }`;
  },

  // `delete element` fails when absent (nft 1.0.6 has no `destroy element`); only then does
  // the fallback add-and-delete in one transaction run, which succeeds either way and
  // surfaces any other failure with its stderr.
  unblockCommand(target) {
    const el = elementArgs(target);
    return `nft 'delete ${el}' 2>/dev/null && echo ${PRESENT_MARKER} || nft 'add ${el}; delete ${el}'`;
  },

  // JSON is exact to parse; builds without JSON support (some OpenWrt images) fall back to text.
  listBlockedCommand: `nft -j list table inet ${NFT_TABLE} 2>/dev/null || nft list table inet ${NFT_TABLE}`,

  parseBlocked(command, stdout) {
    const text = stdout.trim();
    const parsed = text.startsWith('{') ? parseNftJsonSets(text) : parseNftTextSets(text);
    if (!parsed) throw unexpectedOutput(command, `no table inet ${NFT_TABLE} in nft output`);
    return toBlockedSet(parsed);
  },
};

type SetElements = Record<string, string[]>;

function toBlockedSet(sets: SetElements): BlockedSet {
  const ips = [
    ...(sets[NFT_SETS.ipv4] ?? []).filter((v) => isIPv4(v)),
    ...(sets[NFT_SETS.ipv6] ?? []).filter((v) => isIPv6(v)),
  ];
  const macs = (sets[NFT_SETS.mac] ?? []).map((m) => m.toLowerCase()).filter((m) => MAC_RE.test(m));
  return sortedBlockedSet(ips, macs);
}

/** Elements of the sets of our table in `nft -j list table` output, or null if the table is absent. */
export function parseNftJsonSets(text: string): SetElements | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const items = (doc as { nftables?: unknown }).nftables;
  if (!Array.isArray(items)) return null;
  let sawTable = false;
  const out: SetElements = {};
  for (const item of items as Record<string, any>[]) {
    if (item.table?.name === NFT_TABLE && item.table.family === 'inet') sawTable = true;
    const set = item.set;
    if (!set || set.table !== NFT_TABLE || set.family !== 'inet') continue;
    const elems: unknown[] = Array.isArray(set.elem) ? set.elem : set.elem === undefined ? [] : [set.elem];
    // Plain elements are strings; elements with timeouts/comments are {elem:{val,...}}.
    out[set.name] = elems
      .map((e: any) => (typeof e === 'string' ? e : typeof e?.elem?.val === 'string' ? e.elem.val : null))
      .filter((e): e is string => e !== null);
  }
  return sawTable ? out : null;
}

/** Elements of the sets of our table in `nft list table` text output, or null if the table is absent. */
export function parseNftTextSets(text: string): SetElements | null {
  if (!new RegExp(`^table inet ${NFT_TABLE} \\{`, 'm').test(text)) return null;
  const out: SetElements = {};
  const setRe = /^\s*set (\S+) \{\n([\s\S]*?)\n\s*\}/gm;
  for (let m = setRe.exec(text); m; m = setRe.exec(text)) {
    const body = /elements = \{([\s\S]*?)\}/.exec(m[2]);
    out[m[1]] = body
      ? body[1]
          .split(',')
          .map((e) => e.trim().split(/\s+/)[0])
          .filter(Boolean)
      : [];
  }
  return out;
}
