import type { BlockedSet, DeviceTarget, RouterTarget } from '@netpilot/contracts';
import { connectSshRunner, type SshRunner } from '@netpilot/router-sim';
import { getDriver } from '../services/executor/src/platforms';
import type { PlatformDriver } from '../services/executor/src/platforms/types';
import { firewallState } from './firewall-state';
import { startLab, type Lab, type LabRouter } from './harness';

// The platform drivers straight over one ssh2 connection (the minimal runner of
// @netpilot/router-sim, not the executor's pool) against real OpenSSH routers: every
// claim is checked on real traffic from the LAN client and on the router's own listing.

jest.setTimeout(120_000);

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.teardown();
});

/** `ping -c 2 -W 1` from the client, with a short interval: same verdict, less waiting. */
const pingOk = (r: LabRouter, opts: Parameters<Lab['pingFromClient']>[1] = {}) =>
  lab.pingFromClient(r, { count: 2, timeoutS: 1, intervalS: 0.2, ...opts });

/** What the router's firewall holds, read with its own tools (lab/firewall-state.ts). */
const enforced = (r: LabRouter): Promise<BlockedSet> => firewallState(lab, r);

const sorted = (b: BlockedSet): BlockedSet => ({ ips: [...b.ips].sort(), macs: [...b.macs].sort() });

describe.each(['r1', 'r2'] as const)('driver on lab router %s', (name) => {
  let router: LabRouter;
  let target: RouterTarget;
  let driver: PlatformDriver;
  let runner: SshRunner;

  beforeAll(async () => {
    router = lab[name];
    target = lab.routerTarget(router);
    driver = getDriver(router.platform);
    runner = await connectSshRunner({ ...router.target, hostKeySha256: router.hostKeySha256 });
    await driver.prepare(runner, target);
  });

  afterAll(() => runner?.close());

  afterEach(async () => {
    // Each test starts from an empty block set, whatever the previous one left.
    const c = router.client;
    for (const t of [{ ip: c.ip }, { ip: c.ip6 }, { mac: c.mac }]) await driver.run('unblock', t, runner, target);
  });

  const blockCycle = (what: string, device: () => DeviceTarget, family: 4 | 6 = 4) =>
    it(`when the client's ${what} is blocked, then its ping to the router fails; after unblock it works again`, async () => {
      const t = device();
      expect(await pingOk(router, { family })).toBe(true);

      expect(await driver.run('block', t, runner, target)).toEqual({ target: t, changed: true });
      expect(await pingOk(router, { family })).toBe(false);
      expect(await driver.run('block', t, runner, target)).toEqual({ target: t, changed: false });
      const listed = await driver.run('list-blocked', {}, runner, target);
      expect(sorted(listed)).toEqual(await enforced(router));
      expect([...listed.ips, ...listed.macs]).toEqual(['ip' in t ? t.ip : t.mac]);

      expect(await driver.run('unblock', t, runner, target)).toEqual({ target: t, changed: true });
      expect(await pingOk(router, { family })).toBe(true);
      expect(await driver.run('unblock', t, runner, target)).toEqual({ target: t, changed: false });
      expect(await driver.run('list-blocked', {}, runner, target)).toEqual({ ips: [], macs: [] });
      expect(await enforced(router)).toEqual({ ips: [], macs: [] });
    });

  blockCycle('IPv4 address', () => ({ ip: router.client.ip }));
  blockCycle('MAC address', () => ({ mac: router.client.mac }));
  blockCycle('IPv6 address', () => ({ ip: router.client.ip6 }), 6);

  it('when the client is blocked, then its traffic through the router (forward hook) is dropped too', async () => {
    const through = { to: router.forwardProbeIp };
    expect(await pingOk(router, through)).toBe(true);
    await driver.run('block', { ip: router.client.ip }, runner, target);
    expect(await pingOk(router, through)).toBe(false);
    await driver.run('unblock', { ip: router.client.ip }, runner, target);
    await driver.run('block', { mac: router.client.mac }, runner, target);
    expect(await pingOk(router, through)).toBe(false);
    await driver.run('unblock', { mac: router.client.mac }, runner, target);
    expect(await pingOk(router, through)).toBe(true);
  });

  it('when several targets are blocked, then list-blocked equals what the firewall enforces', async () => {
    const targets: DeviceTarget[] = [
      { ip: router.client.ip },
      { ip: router.client.ip6 },
      { mac: router.client.mac },
      { ip: '10.213.250.7' },
      { ip: 'fd42:213:ff::7' },
      { mac: '02:13:00:00:00:07' },
    ];
    for (const t of targets) expect((await driver.run('block', t, runner, target)).changed).toBe(true);
    const listed = await driver.run('list-blocked', {}, runner, target);
    expect(sorted(listed)).toEqual(await enforced(router));
    expect(listed.ips).toHaveLength(4);
    expect(listed.macs).toHaveLength(2);
    for (const t of targets.slice(3)) await driver.run('unblock', t, runner, target);
    expect(await enforced(router)).toEqual({
      ips: [router.client.ip, router.client.ip6].sort(),
      macs: [router.client.mac],
    });
  });

  it("when scanning, then the client is found by its MAC with the leased IP and hostname", async () => {
    const { devices } = await driver.run('scan', {}, runner, target);
    expect(devices).toContainEqual({
      ip: router.client.ip,
      mac: router.client.mac,
      hostname: router.client.hostname,
      vendor: 'Raspberry Pi Foundation',
      interface: 'lan',
      source: 'both',
    });
    // Incomplete or failed neighbours never show up as devices.
    expect(devices.every((d) => d.mac !== '00:00:00:00:00:00')).toBe(true);
  });

  it('when asked for info, then uptime, load, memory, kernel, OS and hostname are the router’s', async () => {
    const info = await driver.run('info', {}, runner, target);
    const uname = (await lab.routerExec(router, 'uname -r')).stdout.trim();
    expect(info).toMatchObject({ hostname: router.ns, kernel: uname, firmware: null });
    expect(info.os).toMatch(/\S/);
    expect(info.uptimeSeconds).toBeGreaterThan(0);
    expect(info.load).toHaveLength(3);
    info.load.forEach((l) => expect(l).toBeGreaterThanOrEqual(0));
    expect(info.memory.totalBytes).toBeGreaterThan(0);
    expect(info.memory.availableBytes).toBeLessThanOrEqual(info.memory.totalBytes);
    expect(info.memory.freeBytes).toBeLessThanOrEqual(info.memory.totalBytes);
  });

  it("when the router has the user's own rules, then prepare and block leave them intact and still win", async () => {
    const userRules =
      router.platform === 'linux-nft'
        ? // A user table that accepts pings: our drop in another base chain still wins.
          "nft 'add table inet userfw; add chain inet userfw input { type filter hook input priority 0; policy accept; }; " +
          "add rule inet userfw input icmp type echo-request accept; add rule inet userfw input tcp dport 2222 accept'"
        : // A firewall reload wiped our jump and put the user's ACCEPT first: prepare must go back on top.
          'iptables -D INPUT -j NETPILOT && iptables -I INPUT 1 -p icmp -j ACCEPT && iptables -A INPUT -p tcp --dport 2222 -j ACCEPT';
    const listUser =
      router.platform === 'linux-nft' ? 'nft list table inet userfw' : 'iptables -S INPUT | grep -v NETPILOT';
    expect((await lab.routerExec(router, userRules)).code).toBe(0);
    const before = await lab.routerExec(router, listUser);

    // A new connection prepares again, then blocks.
    const fresh = await connectSshRunner({ ...router.target, hostKeySha256: router.hostKeySha256 });
    try {
      await driver.prepare(fresh, target);
      await driver.run('block', { ip: router.client.ip }, fresh, target);
      expect(await pingOk(router)).toBe(false);
      await driver.run('unblock', { ip: router.client.ip }, fresh, target);
      expect(await pingOk(router)).toBe(true);
    } finally {
      fresh.close();
    }

    const after = await lab.routerExec(router, listUser);
    expect(after.stdout).toBe(before.stdout);
    if (router.platform === 'linux-iptables') {
      expect((await lab.routerExec(router, 'iptables -S INPUT')).stdout.split('\n')[1]).toBe('-A INPUT -j NETPILOT');
    }
  });

  it('when logging in with the key, or through the bastion, then the driver works the same', async () => {
    const keyed = await connectSshRunner({
      host: router.target.host,
      port: router.target.port,
      username: router.target.username,
      privateKey: router.target.privateKey,
      hostKeySha256: router.hostKeySha256,
    });
    const jumped = await connectSshRunner({
      host: router.mgmtHost,
      port: 22,
      username: router.target.username,
      password: router.target.password,
      hostKeySha256: router.hostKeySha256,
      jumpHost: lab.bastion,
    });
    try {
      expect(await driver.run('ping', {}, keyed, target)).toEqual({ ok: true });
      expect(await driver.run('block', { mac: router.client.mac }, jumped, target)).toMatchObject({ changed: true });
      expect(await driver.run('list-blocked', {}, keyed, target)).toEqual({ ips: [], macs: [router.client.mac] });
    } finally {
      keyed.close();
      jumped.close();
    }
  });

  it('when list-blocked runs repeatedly over one connection, then each answer is one round trip (latency printed)', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = process.hrtime.bigint();
      await driver.run('list-blocked', {}, runner, target);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(2);
    process.stderr.write(`[lab] ${name} (${router.platform}) list-blocked over a pooled connection: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms\n`);
    expect(samples).toHaveLength(100);
  });
});

describe('lab harness', () => {
  it('when the lab is up, then the management address is reachable only through the bastion', async () => {
    const direct = await connectSshRunner({ ...lab.r1.target, host: lab.r1.mgmtHost, readyTimeoutMs: 2000 }).then(
      (r) => {
        r.close();
        return 'connected';
      },
      (err: Error) => err.message,
    );
    expect(direct).not.toBe('connected');
  });

  it('when setup is timed, then the figure is reported', () => {
    process.stderr.write(`[lab] setup took ${lab.setupMs} ms\n`);
    expect(lab.setupMs).toBeGreaterThan(0);
  });
});
