import { iptablesFirewall, parseIptablesRules } from './iptables';
import { FirewallNotPreparedError } from './types';

const C4 = (spec: string) => `iptables -w -C NETPILOT ${spec} 2>/dev/null`;
const C6 = (spec: string) => `ip6tables -w -C NETPILOT ${spec} 2>/dev/null`;
/** The jumps a block makes sure of first, for each family it touches. */
const HOOKS = (bin: string) =>
  ['INPUT', 'FORWARD']
    .map((c) => `{ ${bin} -w -C ${c} -j NETPILOT 2>/dev/null || { ${bin} -w -I ${c} 1 -j NETPILOT && echo np:hook-restored; }; }`)
    .join(' && ');

describe('iptables command builders', () => {
  it('when preparing, then creates NETPILOT in both families and jumps to it first from INPUT and FORWARD', () => {
    const fam = (bin: string) =>
      `{ ${bin} -w -S NETPILOT >/dev/null 2>&1 || ${bin} -w -N NETPILOT || ${bin} -w -S NETPILOT >/dev/null 2>&1; } && ` +
      `{ ${bin} -w -C INPUT -j NETPILOT 2>/dev/null || ${bin} -w -I INPUT 1 -j NETPILOT; } && ` +
      `{ ${bin} -w -C FORWARD -j NETPILOT 2>/dev/null || ${bin} -w -I FORWARD 1 -j NETPILOT; }`;
    expect(iptablesFirewall.prepareCommand).toBe(`${fam('iptables')} && ${fam('ip6tables')}`);
  });

  it('when blocking an IPv4, then hooks the chain in if needed, checks both rules and adds the missing ones', () => {
    const s = '-s 10.213.11.100 -j DROP';
    const d = '-d 10.213.11.100 -j DROP';
    expect(iptablesFirewall.blockCommand({ ip: '10.213.11.100' })).toBe(
      `${HOOKS('iptables')} && { ${C4(s)} && ${C4(d)} && echo np:present; ` +
        `{ ${C4(s)} || iptables -w -A NETPILOT ${s}; } && { ${C4(d)} || iptables -w -A NETPILOT ${d}; }; }`,
    );
  });

  it('when blocking an IPv6, then uses ip6tables only', () => {
    const cmd = iptablesFirewall.blockCommand({ ip: 'fd42:213:11::100' });
    expect(cmd).toContain('ip6tables -w -A NETPILOT -s fd42:213:11::100 -j DROP');
    expect(cmd).not.toMatch(/(^|\s)iptables /);
  });

  it('when blocking a MAC, then adds a mac-source rule for both families', () => {
    const spec = '-m mac --mac-source b8:27:eb:12:34:56 -j DROP';
    expect(iptablesFirewall.blockCommand({ mac: 'b8:27:eb:12:34:56' })).toBe(
      `${HOOKS('iptables')} && ${HOOKS('ip6tables')} && { ${C4(spec)} && ${C6(spec)} && echo np:present; ` +
        `{ ${C4(spec)} || iptables -w -A NETPILOT ${spec}; } && { ${C6(spec)} || ip6tables -w -A NETPILOT ${spec}; }; }`,
    );
  });

  it('when unblocking, then reports presence of any rule and deletes every copy', () => {
    const s = '-s 10.0.0.5 -j DROP';
    const d = '-d 10.0.0.5 -j DROP';
    expect(iptablesFirewall.unblockCommand({ ip: '10.0.0.5' })).toBe(
      `${C4(s)} || ${C4(d)} && echo np:present; ` +
        `while ${C4(s)}; do iptables -w -D NETPILOT ${s} || break; done; ` +
        `while ${C4(d)}; do iptables -w -D NETPILOT ${d} || break; done`,
    );
  });

  it('when listing, then both families are listed in one round trip, whole table first, our chain and its jumps if that is refused', () => {
    const family = (bin: string) =>
      `{ ${bin} -w -S 2>/dev/null || { ${bin} -w -S NETPILOT && ` +
      `{ ${bin} -w -C INPUT -j NETPILOT 2>/dev/null && ${bin} -w -C FORWARD -j NETPILOT 2>/dev/null && echo np:hooked || echo np:unhooked; }; }; }`;
    expect(iptablesFirewall.listBlockedCommand).toBe(`echo np:family:4 && ${family('iptables')} && echo np:family:6 && ${family('ip6tables')}`);
  });

  it('when a value is not canonical, then no command is built', () => {
    expect(() => iptablesFirewall.blockCommand({ ip: '10.0.0.5 -j ACCEPT' })).toThrow(/refusing/);
  });
});

describe('iptables parsers', () => {
  // iptables-nft 1.8.9 prints MACs in lower case, iptables-legacy in upper case.
  const V4 = [
    '-P INPUT ACCEPT',
    '-P FORWARD ACCEPT',
    '-P OUTPUT ACCEPT',
    '-N NETPILOT',
    '-A INPUT -j NETPILOT',
    '-A INPUT -s 10.9.9.9/32 -j DROP',
    '-A FORWARD -j NETPILOT',
    '-A NETPILOT -s 10.213.11.100/32 -j DROP',
    '-A NETPILOT -d 10.213.11.100/32 -j DROP',
    '-A NETPILOT -s 10.0.0.0/8 -j DROP',
    '-A NETPILOT -m mac --mac-source B8:27:EB:12:34:56 -j DROP',
    '-A NETPILOT -s 10.1.1.1/32 -j ACCEPT',
  ];
  const V6 = [
    '-P INPUT ACCEPT',
    '-N NETPILOT',
    '-A INPUT -j NETPILOT',
    '-A FORWARD -j NETPILOT',
    '-A NETPILOT -s fd42:213:11::100/128 -j DROP',
    '-A NETPILOT -d fd42:213:11::100/128 -j DROP',
    '-A NETPILOT -m mac --mac-source b8:27:eb:12:34:56 -j DROP',
  ];
  const output = (v4: string[], v6: string[]) => ['np:family:4', ...v4, 'np:family:6', ...v6, ''].join('\n');

  it('when both families are hooked in, then host addresses and MACs of our chain are returned once each', () => {
    expect(iptablesFirewall.parseBlocked('cmd', output(V4, V6))).toEqual({
      ips: ['10.213.11.100', 'fd42:213:11::100'],
      macs: ['b8:27:eb:12:34:56'],
    });
  });

  it('when INPUT or FORWARD no longer jumps to our chain in a family, then the firewall needs preparing again (nothing is reported as enforced)', () => {
    const unhooked = V4.filter((l) => l !== '-A FORWARD -j NETPILOT');
    expect(() => iptablesFirewall.parseBlocked('cmd', output(unhooked, V6))).toThrow(FirewallNotPreparedError);
    const v6Flushed = V6.filter((l) => l !== '-A INPUT -j NETPILOT');
    expect(() => iptablesFirewall.parseBlocked('cmd', output(V4, v6Flushed))).toThrow(FirewallNotPreparedError);
  });

  it('when the whole table cannot be printed (iptables-nft with native rules), then our chain and the checked jumps are read instead', () => {
    const chainOnly = (lines: string[], hook: string) => [...lines.filter((l) => l.startsWith('-N NETPILOT') || l.startsWith('-A NETPILOT')), hook];
    expect(iptablesFirewall.parseBlocked('cmd', output(chainOnly(V4, 'np:hooked'), V6))).toEqual({
      ips: ['10.213.11.100', 'fd42:213:11::100'],
      macs: ['b8:27:eb:12:34:56'],
    });
    expect(() => iptablesFirewall.parseBlocked('cmd', output(chainOnly(V4, 'np:unhooked'), V6))).toThrow(FirewallNotPreparedError);
  });

  it('when our chain is missing in a family, then the firewall needs preparing again', () => {
    const noChain = V6.filter((l) => !l.includes('NETPILOT'));
    expect(() => iptablesFirewall.parseBlocked('cmd', output(V4, noChain))).toThrow(FirewallNotPreparedError);
  });

  it('when a family section is missing, then the output is refused', () => {
    expect(() => iptablesFirewall.parseBlocked('cmd', ['np:family:4', ...V4].join('\n'))).toThrow(expect.objectContaining({ stderr: expect.stringMatching(/family section/) }));
  });

  it('when rules of other chains appear, then they are ignored', () => {
    const out = '-P INPUT ACCEPT\n-A INPUT -j NETPILOT\n-A INPUT -s 10.9.9.9/32 -j DROP\n';
    expect(parseIptablesRules(out, 'NETPILOT')).toEqual([]);
  });
});
