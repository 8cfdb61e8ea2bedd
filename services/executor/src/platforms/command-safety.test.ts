import { safeIp, safeIpv4, safeIpv6, safeMac, safePath, UnsafeCommandValueError } from './command-safety';

describe('command-safety guards', () => {
  it('when given canonical values, then returns them unchanged', () => {
    expect(safeIpv4('192.168.1.23')).toBe('192.168.1.23');
    expect(safeIpv6('fd42:213:11::100')).toBe('fd42:213:11::100');
    expect(safeIp('10.0.0.5')).toEqual({ family: 4, text: '10.0.0.5' });
    expect(safeIp('2001:db8::1')).toEqual({ family: 6, text: '2001:db8::1' });
    expect(safeMac('b8:27:eb:12:34:56')).toBe('b8:27:eb:12:34:56');
    expect(safePath('/var/lib/misc/dnsmasq.leases')).toBe('/var/lib/misc/dnsmasq.leases');
  });

  it.each([
    ['shell metacharacters', () => safeIp('10.0.0.5; reboot')],
    ['command substitution', () => safeIp('$(reboot)')],
    ['a non-canonical IPv6 (upper case)', () => safeIpv6('FD42::1')],
    ['a non-canonical IPv6 (zero run not compressed)', () => safeIpv6('fd42:0:0:0:0:0:0:1')],
    ['an IPv4 with leading zeros', () => safeIpv4('010.0.0.1')],
    ['an IPv6 passed as IPv4', () => safeIpv4('fd42::1')],
    ['loopback', () => safeIp('127.0.0.1')],
    ['an upper-case MAC', () => safeMac('B8:27:EB:12:34:56')],
    ['a dashed MAC', () => safeMac('b8-27-eb-12-34-56')],
    ['a broadcast MAC', () => safeMac('ff:ff:ff:ff:ff:ff')],
    ['a relative path', () => safePath('tmp/dhcp.leases')],
    ['a path with ..', () => safePath('/tmp/../etc/shadow')],
    ['a path with a space', () => safePath('/tmp/a b')],
    ['a path with a quote', () => safePath("/tmp/a'b")],
    ['a non-string', () => safeMac(42)],
  ])('when given %s, then refuses it', (_name, call) => {
    expect(call).toThrow(UnsafeCommandValueError);
  });
});
