import { ACTION_CATALOG, routerTargetSchema } from './actions';
import { canonicalDeviceIp, canonicalMac, formatIPv6, parseIPv6 } from './validators';

const block = ACTION_CATALOG.block.params;

describe('device address validation', () => {
  test.each([
    ['192.168.1.20', '192.168.1.20'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:0', '2001:db8:0:1::'],
    ['fe80::1', 'fe80::1'],
    ['2001:db8::1:0:0:1', '2001:db8::1:0:0:1'],
  ])('when %s is given, then it is accepted as %s', (input, canonical) => {
    expect(block.validate({ ip: input })).toEqual({ value: { ip: canonical } });
  });

  test.each([
    '1.2.3.4; touch /tmp/x',
    '1.2.3.4 && reboot',
    '$(reboot)',
    '`reboot`',
    '1.2.3.4\nreboot',
    '1.2.3.4|nc',
    '1.2.3.256',
    '01.2.3.4',
    '1.2.3',
    '',
    ' 1.2.3.4',
    '127.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'ff02::1',
    'fe80::1%eth0',
    '10.0.0.0/8',
  ])('when the ip is %j, then it is refused', (input) => {
    expect(block.validate({ ip: input }).error).toBeDefined();
  });

  test.each(['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF'])('when the MAC is %s, then it becomes lower-case colon form', (mac) => {
    expect(block.validate({ mac })).toEqual({ value: { mac: 'aa:bb:cc:dd:ee:ff' } });
  });

  test.each(['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '00:00:00:00:00:00', 'aa:bb:cc:dd:ee:ff;id', ''])(
    'when the MAC is %j, then it is refused',
    (mac) => {
      expect(() => canonicalMac(mac)).toThrow();
      expect(block.validate({ mac }).error).toBeDefined();
    },
  );

  test('when both ip and mac or neither are given, or an unknown param, then it is refused', () => {
    expect(block.validate({ ip: '10.0.0.2', mac: 'aa:bb:cc:dd:ee:ff' }).error?.message).toMatch(/conflict|exclusive/);
    expect(block.validate({}).error).toBeDefined();
    expect(block.validate({ ip: '10.0.0.2', chain: 'input' }).error?.message).toMatch(/not allowed/);
    expect(ACTION_CATALOG['list-blocked'].params.validate({ all: true }).error).toBeDefined();
  });

  test('when an IPv6 address is formatted, then the longest zero run is compressed (RFC 5952)', () => {
    expect(formatIPv6(parseIPv6('1:0:0:2:0:0:0:3')!)).toBe('1:0:0:2::3');
    expect(formatIPv6(parseIPv6('1:0:2:3:4:5:6:7')!)).toBe('1:0:2:3:4:5:6:7');
    expect(canonicalDeviceIp('::ffff:192.0.2.1').family).toBe(6);
  });
});

describe('router target validation', () => {
  const base = { id: 'r1', host: 'router.example', port: 22, username: 'netpilot', password: 'pw', platform: 'linux-nft' };

  test('when a target is well formed, then defaults are filled in', () => {
    const { value, error } = routerTargetSchema.validate({ ...base, port: undefined });
    expect(error).toBeUndefined();
    expect(value.port).toBe(22);
  });

  test.each([
    [{ host: 'r; reboot' }, /host/],
    [{ host: '$(id)' }, /host/],
    [{ username: 'root;id' }, /login name/],
    [{ port: 70000 }, /port/],
    [{ platform: 'cisco' }, /platform/],
    [{ options: { leasesPath: '/tmp/$(id)' } }, /leasesPath/],
    [{ options: { leasesPath: '/tmp/../etc/shadow' } }, /leasesPath/],
    [{ options: { leasesPath: 'relative/path' } }, /leasesPath/],
    [{ hostKeySha256: 'SHA256:short' }, /hostKeySha256/],
    [{ privateKey: 'not a key' }, /password|privateKey/],
  ])('when a router field is %j, then it is refused', (patch, message) => {
    expect(routerTargetSchema.validate({ ...base, ...patch }).error?.message).toMatch(message);
  });

  test('when both a password and a private key are given, then it is refused', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----';
    expect(routerTargetSchema.validate({ ...base, privateKey: key }).error).toBeDefined();
  });
});
