import { ConfigError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/netpilot',
  EXECUTOR_TOKEN: 'x'.repeat(32),
  JWT_SECRET: 'y'.repeat(32),
  NETPILOT_SECRET_KEY: 'ab'.repeat(32),
};

describe('controller settings', () => {
  test('when only the required settings are given, then the SPEC defaults apply', () => {
    const c = loadConfig(valid);
    expect(c.port).toBe(8080);
    expect(c.executorUrl).toBe('http://127.0.0.1:4001');
    expect(c.allowRegistration).toBe(false);
    expect(c.bcryptCost).toBe(12);
    expect(c.secretKey).toHaveLength(32);
    expect(Object.isFrozen(c)).toBe(true);
  });

  test.each([
    ['CONTROLLER_PORT', 'not-a-port'],
    ['CONTROLLER_PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['JWT_SECRET', 'short'],
    ['NETPILOT_SECRET_KEY', 'not-32-bytes'],
    ['ALLOW_REGISTRATION', 'maybe'],
    ['BCRYPT_COST', '3'],
    ['ROUTER_ALLOWED_ENDPOINTS', '127.0.0.1'],
    ['NETPILOT_DEMO_ROUTER', 'http://root:pw@127.0.0.1:2222'],
    ['NETPILOT_DEMO_ROUTER', 'ssh://root:pw@127.0.0.1:2222?platform=cisco'],
    ['STREAM_HEARTBEAT_SECONDS', '0'],
  ])('when %s is %j, then loading fails naming the variable', (name, value) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(name);
  });

  test('when a required setting is missing, then the message names it', () => {
    const { JWT_SECRET: _omit, ...rest } = valid;
    expect(() => loadConfig(rest)).toThrow(/JWT_SECRET/);
  });

  test('when npm start describes its demo router, then its address, credentials and pinned key are parsed; the password never shows in an error', () => {
    const key = `SHA256:${'a'.repeat(43)}`;
    const c = loadConfig({ ...valid, NETPILOT_DEMO_ROUTER: `ssh://root:p%40ss@127.0.0.1:2222?platform=openwrt&hostKeySha256=${encodeURIComponent(key)}` });
    expect(c.demoRouter).toEqual({ host: '127.0.0.1', port: 2222, username: 'root', password: 'p@ss', platform: 'openwrt', hostKeySha256: key, provisionKeyDir: null });
    expect(loadConfig({ ...valid, NETPILOT_DEMO_ROUTER: 'ssh://root:pw@127.0.0.1:2222?provisionKeyDir=%2Fvar%2Fdemo' }).demoRouter?.provisionKeyDir).toBe('/var/demo');
    expect(() => loadConfig({ ...valid, NETPILOT_DEMO_ROUTER: 'ssh://root:pw@127.0.0.1:2222?provisionKeyDir=relative' })).toThrow(/provisionKeyDir/);
    expect(loadConfig(valid).demoRouter).toBeNull();
    expect(() => loadConfig({ ...valid, NETPILOT_DEMO_ROUTER: 'ssh://root:secret-pw@127.0.0.1' })).toThrow(/^(?!.*secret-pw).*NETPILOT_DEMO_ROUTER/);
  });

  test('when exact router endpoints are allowed, then they are listed as given', () => {
    expect(loadConfig({ ...valid, ROUTER_ALLOWED_ENDPOINTS: '127.0.0.1:2222, [::1]:22' }).routerDestinations.endpoints).toEqual(['127.0.0.1:2222', '::1:22']);
  });
});
