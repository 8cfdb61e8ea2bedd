import type { Platform, RouterTarget } from '@netpilot/contracts';
import { connectSshRunner, startRouterSim, type RouterSim, type SshRunner } from '@netpilot/router-sim';
import { getDriver } from './index';
import { CommandFailedError, type PlatformDriver } from './types';

/** Every driver end to end over SSH against the router simulator of its platform. */

const PI = { mac: 'b8:27:eb:12:34:56', ip: '192.168.1.23', ipv6: 'fd00::23', hostname: 'raspberrypi' };
const PHONE = { mac: '7a:11:00:00:00:99', ip: '192.168.1.77', hostname: null };
const NAS = { mac: '00:11:32:aa:bb:cc', ip: '192.168.1.5', hostname: 'nas', inArp: false };
const STALE = { mac: '3c:22:fb:aa:bb:cc', ip: '192.168.1.50', incomplete: true };

describe.each<Platform>(['openwrt', 'linux-nft', 'linux-iptables'])('%s driver against the simulator', (platform) => {
  let sim: RouterSim;
  let runner: SshRunner;
  let driver: PlatformDriver;
  let router: RouterTarget;

  /** Runs an action and checks it cost exactly one command round trip. */
  async function oneRoundTrip<T>(call: () => Promise<T>): Promise<T> {
    const before = sim.commands.length;
    const result = await call();
    expect(sim.commands.length - before).toBe(1);
    return result;
  }

  beforeEach(async () => {
    sim = await startRouterSim({ platform, devices: [PI, PHONE, NAS, STALE] });
    runner = await connectSshRunner({
      host: sim.host,
      port: sim.port,
      username: 'root',
      password: 'netpilot',
      hostKeySha256: sim.hostKeySha256,
    });
    driver = getDriver(platform);
    router = { id: 'r1', host: sim.host, port: sim.port, username: 'root', password: 'netpilot', platform };
    await oneRoundTrip(() => driver.prepare(runner, router));
  });

  afterEach(async () => {
    runner.close();
    await sim.close();
  });

  it('when prepared, then our table/chain is hooked in, and preparing again changes nothing', async () => {
    expect(sim.state.firewallReady).toBe(true);
    await driver.run('block', { ip: '192.168.1.23' }, runner, router);
    await driver.prepare(runner, router);
    await driver.prepare(runner, router);
    expect(sim.state.blocked.ips).toEqual(['192.168.1.23']);
    expect(await driver.run('list-blocked', {}, runner, router)).toEqual({ ips: ['192.168.1.23'], macs: [] });
  });

  it.each([
    ['an IPv4', { ip: '192.168.1.23' }],
    ['an IPv6', { ip: 'fd00::23' }],
    ['a MAC', { mac: 'b8:27:eb:12:34:56' }],
  ])('when %s is blocked, listed, blocked again and unblocked, then each step is one round trip and idempotent', async (_what, target) => {
    const expectListed = (present: boolean) =>
      'ip' in target
        ? { ips: present ? [target.ip] : [], macs: [] }
        : { ips: [], macs: present ? [target.mac] : [] };

    expect(await oneRoundTrip(() => driver.run('block', target, runner, router))).toEqual({ target, changed: true });
    expect(await oneRoundTrip(() => driver.run('list-blocked', {}, runner, router))).toEqual(expectListed(true));
    expect(await oneRoundTrip(() => driver.run('block', target, runner, router))).toEqual({ target, changed: false });
    expect(sim.state.blocked.ips.length + sim.state.blocked.macs.length).toBe(1);
    expect(await oneRoundTrip(() => driver.run('unblock', target, runner, router))).toEqual({ target, changed: true });
    expect(await driver.run('list-blocked', {}, runner, router)).toEqual(expectListed(false));
    expect(await oneRoundTrip(() => driver.run('unblock', target, runner, router))).toEqual({ target, changed: false });
    expect(sim.state.blocked).toMatchObject({ ips: [], macs: [] });
  });

  it('when several devices are blocked, then list-blocked reads back exactly the router state', async () => {
    for (const t of [{ ip: '192.168.1.77' }, { ip: '192.168.1.5' }, { mac: '7a:11:00:00:00:99' }, { ip: 'fd00::23' }]) {
      await driver.run('block', t, runner, router);
    }
    const listed = await driver.run('list-blocked', {}, runner, router);
    expect(listed).toEqual({ ips: ['192.168.1.5', '192.168.1.77', 'fd00::23'], macs: ['7a:11:00:00:00:99'] });
    expect([...sim.state.blocked.ips].sort()).toEqual([...listed.ips].sort());
  });

  it('when scanning, then neighbours and leases are merged by MAC with hostnames and vendors', async () => {
    const { devices } = await oneRoundTrip(() => driver.run('scan', {}, runner, router));
    expect(devices).toEqual([
      { ip: '192.168.1.5', mac: '00:11:32:aa:bb:cc', hostname: 'nas', vendor: 'Synology Incorporated', interface: null, source: 'dhcp' },
      {
        ip: '192.168.1.23',
        mac: 'b8:27:eb:12:34:56',
        hostname: 'raspberrypi',
        vendor: 'Raspberry Pi Foundation',
        interface: expect.any(String),
        source: 'both',
      },
      { ip: '192.168.1.77', mac: '7a:11:00:00:00:99', hostname: null, vendor: null, interface: expect.any(String), source: 'both' },
    ]);
  });

  it('when the leases file is missing, then the scan still lists the neighbours', async () => {
    sim.setLeasesFilePresent(false);
    const { devices } = await driver.run('scan', {}, runner, router);
    expect(devices.map((d) => [d.mac, d.source])).toEqual([
      ['b8:27:eb:12:34:56', 'arp'],
      ['7a:11:00:00:00:99', 'arp'],
    ]);
  });

  it('when the router has a custom leases path, then that file is read', async () => {
    const custom = await startRouterSim({ platform, devices: [PI], leasesPath: '/srv/dhcp/leases' });
    const r = await connectSshRunner({ host: custom.host, port: custom.port, username: 'root', password: 'netpilot' });
    const target = { ...router, port: custom.port, options: { leasesPath: '/srv/dhcp/leases' } };
    const { devices } = await driver.run('scan', {}, r, target);
    expect(devices[0]).toMatchObject({ hostname: 'raspberrypi', source: 'both' });
    r.close();
    await custom.close();
  });

  it('when asked for info, then hostname, OS, kernel, uptime, load and memory come back in one round trip', async () => {
    const info = await oneRoundTrip(() => driver.run('info', {}, runner, router));
    expect(info).toMatchObject({
      hostname: sim.state.hostname,
      kernel: expect.any(String),
      load: [0.08, 0.12, 0.1],
      memory: { totalBytes: 245_760 * 1024, freeBytes: 118_412 * 1024, availableBytes: 150_200 * 1024 },
    });
    expect(info.uptimeSeconds).toBeGreaterThan(0);
    if (platform === 'openwrt') {
      expect(info).toMatchObject({ os: 'OpenWrt 23.05.3', firmware: 'OpenWrt 23.05.3 r23809-234f1a2efa' });
    } else {
      expect(info).toMatchObject({ os: 'Debian GNU/Linux 12 (bookworm)', firmware: null });
    }
  });

  it('when pinged, then it answers ok', async () => {
    expect(await oneRoundTrip(() => driver.run('ping', {}, runner, router))).toEqual({ ok: true });
  });

  it('when a firewall command fails on the router, then CommandFailedError carries exit code and stderr', async () => {
    sim.failNext(/.*/, { exitCode: 1, stderr: 'Error: Could not process rule: Operation not permitted\n' });
    const err = await driver.run('block', { ip: '192.168.1.23' }, runner, router).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect(err).toMatchObject({ exitCode: 1, stderr: 'Error: Could not process rule: Operation not permitted' });
    expect(sim.state.blocked.ips).toEqual([]);
  });
});

describe('OpenWrt without JSON support in nft', () => {
  it('when nft -j is not compiled in, then list-blocked falls back to the text listing in the same round trip', async () => {
    const sim = await startRouterSim({ platform: 'openwrt', nftJson: false });
    const runner = await connectSshRunner({ host: sim.host, port: sim.port, username: 'root', password: 'netpilot' });
    const router = { id: 'r', host: sim.host, port: sim.port, username: 'root', platform: 'openwrt' } as RouterTarget;
    const driver = getDriver('openwrt');
    await driver.prepare(runner, router);
    for (const t of [{ ip: '192.168.1.23' }, { ip: '192.168.1.40' }, { ip: 'fd00::23' }, { mac: 'b8:27:eb:12:34:56' }]) {
      await driver.run('block', t, runner, router);
    }
    const before = sim.commands.length;
    expect(await driver.run('list-blocked', {}, runner, router)).toEqual({
      ips: ['192.168.1.23', '192.168.1.40', 'fd00::23'],
      macs: ['b8:27:eb:12:34:56'],
    });
    expect(sim.commands.length - before).toBe(1);
    runner.close();
    await sim.close();
  });
});

describe('platform mismatch', () => {
  it('when an nftables driver talks to an iptables-only router, then prepare fails with "not found"', async () => {
    const sim = await startRouterSim({ platform: 'linux-iptables' });
    const runner = await connectSshRunner({ host: sim.host, port: sim.port, username: 'root', password: 'netpilot' });
    const router = { id: 'r', host: sim.host, port: sim.port, username: 'root', platform: 'linux-nft' } as RouterTarget;
    await expect(getDriver('linux-nft').prepare(runner, router)).rejects.toMatchObject({
      exitCode: 127,
      stderr: 'sh: nft: not found',
    });
    runner.close();
    await sim.close();
  });
});
