import { isIPv4, isIPv6 } from 'node:net';

/** Address helpers of the simulator (kept local: the simulator depends on nothing of ours). */

export const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** RFC 5952 text of an IPv6 address (what nft and iptables print), or null. */
export function canonicalIpv6(text: string): string | null {
  if (!isIPv6(text) || text.includes('%')) return null;
  const [head, tail] = text.toLowerCase().split('::') as [string, string | undefined];
  const expand = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((g) => {
      if (g.includes('.')) {
        const o = g.split('.').map(Number);
        return [(o[0] << 8) | o[1], (o[2] << 8) | o[3]];
      }
      return [parseInt(g, 16)];
    });
  };
  const h = expand(head);
  const t = expand(tail);
  const groups = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Canonical text of an IPv4 or IPv6 address with its family, or null. */
export function canonicalIp(text: string): { family: 4 | 6; text: string } | null {
  if (isIPv4(text)) return { family: 4, text };
  const v6 = canonicalIpv6(text);
  return v6 ? { family: 6, text: v6 } : null;
}

/** Lower-case colon MAC, or null. */
export function canonicalMac(text: string): string | null {
  return MAC_RE.test(text) ? text.toLowerCase() : null;
}
