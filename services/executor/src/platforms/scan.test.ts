import { buildScanCommand, mergeScan, parseDnsmasqLeases, parseIpNeigh, parseProcNetArp, parseScanOutput } from './scan';
import { CommandFailedError } from './types';

// Real /proc/net/arp layout (kernel 6.x): fixed-width columns, incomplete entries with flags 0x0.
const ARP = `IP address       HW type     Flags       HW address            Mask     Device
192.168.1.23     0x1         0x2         b8:27:eb:12:34:56     *        br-lan
192.168.1.50     0x1         0x0         00:00:00:00:00:00     *        br-lan
192.168.1.61     0x1         0x2         3C:22:FB:AA:BB:CC     *        br-lan
203.0.113.1      0x1         0x2         02:fc:00:00:00:05     *        wan`;

const NEIGH6 = `fe80::ba27:ebff:fe12:3456 dev br-lan lladdr b8:27:eb:12:34:56 STALE
fd00:1::23 dev br-lan lladdr b8:27:eb:12:34:56 REACHABLE
fe80::1 dev wan lladdr 02:fc:00:00:00:05 router REACHABLE
fd00::9 dev br-lan FAILED
fe80::aa dev br-lan INCOMPLETE
fe80::7a:11ff:fe00:99 dev br-lan lladdr 7a:11:00:00:00:99 DELAY`;

// dnsmasq leases: IPv4 lines, then the DUID and DHCPv6 lines whose 2nd field is an IAID.
const LEASES = `1732312345 b8:27:eb:12:34:56 192.168.1.23 raspberrypi 01:b8:27:eb:12:34:56
1732312400 dc:a6:32:01:02:03 192.168.1.77 * 01:dc:a6:32:01:02:03
0 00:11:32:aa:bb:cc 192.168.1.5 nas *
duid 00:01:00:01:2c:5a:1b:2e:b8:27:eb:00:00:01
1732312999 1234567 fd00:1::77 laptop 00:01:00:01:2a:bb:cc:dd:ee:ff:00:11`;

describe('scan command', () => {
  it('when built, then reads neighbours and the leases file in one round trip with markers', () => {
    expect(buildScanCommand('/tmp/dhcp.leases')).toBe(
      'echo NP:ARP; cat /proc/net/arp; echo NP:NEIGH6; ip -6 neigh show 2>/dev/null; ' +
        'echo NP:LEASES; cat /tmp/dhcp.leases 2>/dev/null; echo NP:END',
    );
  });

  it('when the leases path is unsafe, then nothing is built', () => {
    expect(() => buildScanCommand('/tmp/x; reboot')).toThrow(/refusing/);
  });
});

describe('scan parsers', () => {
  it('when /proc/net/arp has incomplete entries, then they are skipped and MACs are lower-cased', () => {
    expect(parseProcNetArp(ARP.split('\n'))).toEqual([
      { ip: '192.168.1.23', mac: 'b8:27:eb:12:34:56', interface: 'br-lan' },
      { ip: '192.168.1.61', mac: '3c:22:fb:aa:bb:cc', interface: 'br-lan' },
      { ip: '203.0.113.1', mac: '02:fc:00:00:00:05', interface: 'wan' },
    ]);
  });

  it('when ip -6 neigh has FAILED/INCOMPLETE entries, then only entries with a lladdr remain', () => {
    expect(parseIpNeigh(NEIGH6.split('\n')).map((e) => e.ip)).toEqual([
      'fe80::ba27:ebff:fe12:3456',
      'fd00:1::23',
      'fe80::1',
      'fe80::7a:11ff:fe00:99',
    ]);
  });

  it('when the leases file has DHCPv6 lines, then only MAC-keyed leases are read and * means no hostname', () => {
    expect(parseDnsmasqLeases(LEASES.split('\n'))).toEqual([
      { ip: '192.168.1.23', mac: 'b8:27:eb:12:34:56', hostname: 'raspberrypi', expiresAt: 1732312345 },
      { ip: '192.168.1.77', mac: 'dc:a6:32:01:02:03', hostname: null, expiresAt: 1732312400 },
      { ip: '192.168.1.5', mac: '00:11:32:aa:bb:cc', hostname: 'nas', expiresAt: 0 },
    ]);
  });
});

describe('scan merge', () => {
  const stdout = `NP:ARP\n${ARP}\nNP:NEIGH6\n${NEIGH6}\nNP:LEASES\n${LEASES}\nNP:END\n`;
  const devices = parseScanOutput('cmd', stdout).devices;
  const byMac = (mac: string) => devices.find((d) => d.mac === mac);

  it('when a MAC is both a neighbour and leased, then source is both with the lease hostname and OUI vendor', () => {
    expect(byMac('b8:27:eb:12:34:56')).toEqual({
      ip: '192.168.1.23',
      mac: 'b8:27:eb:12:34:56',
      hostname: 'raspberrypi',
      vendor: 'Raspberry Pi Foundation',
      interface: 'br-lan',
      source: 'both',
    });
  });

  it('when a MAC is only leased, then source is dhcp with no interface', () => {
    expect(byMac('dc:a6:32:01:02:03')).toMatchObject({ ip: '192.168.1.77', hostname: null, source: 'dhcp', interface: null });
  });

  it('when a MAC is only a neighbour, then source is arp and the hostname is null', () => {
    expect(byMac('3c:22:fb:aa:bb:cc')).toMatchObject({ ip: '192.168.1.61', hostname: null, source: 'arp' });
  });

  it('when a MAC is only an IPv6 neighbour with a private (locally administered) MAC, then it has its address and no vendor', () => {
    expect(byMac('7a:11:00:00:00:99')).toMatchObject({ ip: 'fe80::7a:11ff:fe00:99', vendor: null, source: 'arp' });
  });

  it('when listed, then devices are one per MAC, ordered by address', () => {
    expect(devices.map((d) => d.ip)).toEqual([
      '192.168.1.5',
      '192.168.1.23',
      '192.168.1.61',
      '192.168.1.77',
      '203.0.113.1',
      'fe80::7a:11ff:fe00:99',
    ]);
  });

  it('when the leases file is missing, then the scan still lists neighbours', () => {
    const result = parseScanOutput('cmd', `NP:ARP\n${ARP}\nNP:NEIGH6\nNP:LEASES\nNP:END\n`);
    expect(result.devices.map((d) => d.source)).toEqual(['arp', 'arp', 'arp']);
  });

  it('when the output is cut short, then the scan fails instead of returning a partial list', () => {
    expect(() => parseScanOutput('cmd', `NP:ARP\n${ARP}\n`)).toThrow(CommandFailedError);
  });

  it('when a neighbour has a different live address than its lease, then the live address wins', () => {
    const merged = mergeScan(
      [{ ip: '10.0.0.9', mac: 'b8:27:eb:00:00:01', interface: 'lan' }],
      [],
      [{ ip: '10.0.0.7', mac: 'b8:27:eb:00:00:01', hostname: 'pi', expiresAt: 0 }],
    );
    expect(merged).toEqual([expect.objectContaining({ ip: '10.0.0.9', hostname: 'pi', source: 'both' })]);
  });
});
