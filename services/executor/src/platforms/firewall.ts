import { isIPv4 } from 'node:net';
import type { BlockedSet, DeviceTarget } from '@netpilot/contracts';

/** How one firewall family (nftables, iptables) is driven: command text out, parsed state in. */
export interface FirewallDialect {
  /** Creates our table/chain idempotently, in one command. */
  readonly prepareCommand: string;
  /**
   * Adds the target; prints the line PRESENT_MARKER first when it was already fully blocked,
   * and HOOK_RESTORED_MARKER when our chain had to be hooked in again (then it was not).
   */
  blockCommand(target: DeviceTarget): string;
  /** Removes the target; prints PRESENT_MARKER first when any of it was there. */
  unblockCommand(target: DeviceTarget): string;
  /** Lists what is enforced now, in one command (rules that nothing jumps to do not count). */
  readonly listBlockedCommand: string;
  parseBlocked(command: string, stdout: string): BlockedSet;
}

/** Printed by block/unblock commands when the target was present before the change. */
export const PRESENT_MARKER = 'np:present';

/**
 * Printed by a block command that had to hook our chain in again (someone flushed INPUT or
 * FORWARD): the rules may have been there, but they were not enforced, so it is a change.
 */
export const HOOK_RESTORED_MARKER = 'np:hook-restored';

/** True when the command printed `marker` on a line of its own. */
export function sawMarker(stdout: string, marker: string): boolean {
  return stdout.split('\n').some((line) => line.trim() === marker);
}

/** True when the command printed PRESENT_MARKER on a line of its own. */
export function sawPresentMarker(stdout: string): boolean {
  return sawMarker(stdout, PRESENT_MARKER);
}

/** Blocked addresses in a stable order: IPv4 numerically, then IPv6, each list without duplicates. */
export function sortedBlockedSet(ips: Iterable<string>, macs: Iterable<string>): BlockedSet {
  const v4 = [...new Set(ips)].filter((ip) => isIPv4(ip));
  const v6 = [...new Set(ips)].filter((ip) => !isIPv4(ip));
  const key4 = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  v4.sort((a, b) => key4(a) - key4(b));
  v6.sort();
  return { ips: [...v4, ...v6], macs: [...new Set(macs)].sort() };
}
