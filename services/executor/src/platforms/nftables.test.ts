import { nftablesFirewall, parseNftJsonSets, parseNftTextSets } from './nftables';
import { CommandFailedError } from './types';

// Captured from nftables 1.0.6 (Debian 12) after prepare and three blocks.
const REAL_JSON =
  '{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, ' +
  '{"table": {"family": "inet", "name": "netpilot", "handle": 1}}, ' +
  '{"set": {"family": "inet", "name": "blocked4", "table": "netpilot", "type": "ipv4_addr", "handle": 1, "elem": ["10.1.2.3", "10.1.2.5"]}}, ' +
  '{"set": {"family": "inet", "name": "blocked6", "table": "netpilot", "type": "ipv6_addr", "handle": 2, "elem": ["fd42::5"]}}, ' +
  '{"set": {"family": "inet", "name": "blockedmac", "table": "netpilot", "type": "ether_addr", "handle": 3, "elem": ["b8:27:eb:00:00:01"]}}, ' +
  '{"chain": {"family": "inet", "table": "netpilot", "name": "input", "handle": 4, "type": "filter", "hook": "input", "prio": -10, "policy": "accept"}}, ' +
  '{"rule": {"family": "inet", "table": "netpilot", "chain": "input", "handle": 6, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@blocked4"}}, {"drop": null}]}}]}\n';

const REAL_JSON_EMPTY =
  '{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, ' +
  '{"table": {"family": "inet", "name": "netpilot", "handle": 1}}, ' +
  '{"set": {"family": "inet", "name": "blocked4", "table": "netpilot", "type": "ipv4_addr", "handle": 1}}, ' +
  '{"set": {"family": "inet", "name": "blocked6", "table": "netpilot", "type": "ipv6_addr", "handle": 2}}, ' +
  '{"set": {"family": "inet", "name": "blockedmac", "table": "netpilot", "type": "ether_addr", "handle": 3}}]}\n';

// Captured from `nft list table inet netpilot` (1.0.6); long sets wrap across lines.
const REAL_TEXT = `table inet netpilot {
\tset blocked4 {
\t\ttype ipv4_addr
\t\telements = { 10.1.2.3, 10.1.2.5,
\t\t\t     192.168.1.40 }
\t}

\tset blocked6 {
\t\ttype ipv6_addr
\t\telements = { fd42::5 }
\t}

\tset blockedmac {
\t\ttype ether_addr
\t}

\tchain input {
\t\ttype filter hook input priority filter - 10; policy accept;
\t\tip saddr @blocked4 drop
\t\tip6 saddr @blocked6 drop
\t\tether saddr @blockedmac drop
\t}
}
`;

describe('nftables command builders', () => {
  it('when preparing, then one nft invocation adds the table, sets and chains and re-creates only our rules', () => {
    expect(nftablesFirewall.prepareCommand).toBe(
      "nft 'add table inet netpilot; " +
        'add set inet netpilot blocked4 { type ipv4_addr; }; ' +
        'add set inet netpilot blocked6 { type ipv6_addr; }; ' +
        'add set inet netpilot blockedmac { type ether_addr; }; ' +
        'add chain inet netpilot input { type filter hook input priority -10; policy accept; }; ' +
        'add chain inet netpilot forward { type filter hook forward priority -10; policy accept; }; ' +
        'flush chain inet netpilot input; flush chain inet netpilot forward; ' +
        'add rule inet netpilot input ip saddr @blocked4 drop; ' +
        'add rule inet netpilot input ip6 saddr @blocked6 drop; ' +
        'add rule inet netpilot input ether saddr @blockedmac drop; ' +
        'add rule inet netpilot forward ip saddr @blocked4 drop; ' +
        'add rule inet netpilot forward ip daddr @blocked4 drop; ' +
        'add rule inet netpilot forward ip6 saddr @blocked6 drop; ' +
        'add rule inet netpilot forward ip6 daddr @blocked6 drop; ' +
        "add rule inet netpilot forward ether saddr @blockedmac drop'",
    );
  });

  it('when blocking an IPv4, then one create in blocked4, falling back to an idempotent add only when present', () => {
    expect(nftablesFirewall.blockCommand({ ip: '192.168.1.23' })).toBe(
      "nft 'create element inet netpilot blocked4 { 192.168.1.23 }' 2>/dev/null || " +
        "{ echo np:present; nft 'add element inet netpilot blocked4 { 192.168.1.23 }'; }",
    );
  });

  it('when blocking an IPv6 or a MAC, then uses blocked6 or blockedmac', () => {
    expect(nftablesFirewall.blockCommand({ ip: 'fd42:213:11::100' })).toContain(
      "nft 'add element inet netpilot blocked6 { fd42:213:11::100 }'",
    );
    expect(nftablesFirewall.blockCommand({ mac: 'b8:27:eb:12:34:56' })).toContain(
      "nft 'add element inet netpilot blockedmac { b8:27:eb:12:34:56 }'",
    );
  });

  it('when unblocking, then one delete, falling back to add-and-delete in one transaction so an absent element is no error', () => {
    expect(nftablesFirewall.unblockCommand({ mac: 'b8:27:eb:12:34:56' })).toBe(
      "nft 'delete element inet netpilot blockedmac { b8:27:eb:12:34:56 }' 2>/dev/null && echo np:present || " +
        "nft 'add element inet netpilot blockedmac { b8:27:eb:12:34:56 }; delete element inet netpilot blockedmac { b8:27:eb:12:34:56 }'",
    );
  });

  it('when listing, then asks for JSON and falls back to text in the same round trip', () => {
    expect(nftablesFirewall.listBlockedCommand).toBe(
      'nft -j list table inet netpilot 2>/dev/null || nft list table inet netpilot',
    );
  });

  it('when a value is not canonical, then no command is built', () => {
    expect(() => nftablesFirewall.blockCommand({ ip: '10.0.0.1 }; flush ruleset; {' })).toThrow(/refusing/);
    expect(() => nftablesFirewall.unblockCommand({ mac: 'B8:27:EB:12:34:56' })).toThrow(/refusing/);
  });
});

describe('nftables parsers', () => {
  it('when nft -j lists our table, then returns every element of the three sets', () => {
    expect(nftablesFirewall.parseBlocked('cmd', REAL_JSON)).toEqual({
      ips: ['10.1.2.3', '10.1.2.5', 'fd42::5'],
      macs: ['b8:27:eb:00:00:01'],
    });
  });

  it('when the sets are empty, then the JSON has no elem and the result is empty', () => {
    expect(nftablesFirewall.parseBlocked('cmd', REAL_JSON_EMPTY)).toEqual({ ips: [], macs: [] });
  });

  it('when an element carries a timeout, then its value is still read', () => {
    const json = JSON.stringify({
      nftables: [
        { table: { family: 'inet', name: 'netpilot', handle: 1 } },
        {
          set: {
            family: 'inet',
            name: 'blocked4',
            table: 'netpilot',
            type: 'ipv4_addr',
            elem: [{ elem: { val: '10.0.0.9', timeout: 3600, expires: 3599 } }],
          },
        },
      ],
    });
    expect(parseNftJsonSets(json)).toEqual({ blocked4: ['10.0.0.9'] });
  });

  it('when nft has no JSON support, then the text listing (wrapped over lines) is read', () => {
    expect(parseNftTextSets(REAL_TEXT)).toEqual({
      blocked4: ['10.1.2.3', '10.1.2.5', '192.168.1.40'],
      blocked6: ['fd42::5'],
      blockedmac: [],
    });
    expect(nftablesFirewall.parseBlocked('cmd', REAL_TEXT).ips).toEqual([
      '10.1.2.3',
      '10.1.2.5',
      '192.168.1.40',
      'fd42::5',
    ]);
  });

  it('when the output is not our table, then parsing fails as a command failure', () => {
    expect(() => nftablesFirewall.parseBlocked('cmd', '{"nftables": [{"metainfo": {}}]}')).toThrow(
      CommandFailedError,
    );
    expect(() => nftablesFirewall.parseBlocked('cmd', 'table inet fw4 {\n}')).toThrow(CommandFailedError);
  });
});
