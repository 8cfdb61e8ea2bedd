import { connectSshRunner, generateEd25519, startRouterSim, type RouterSim, type SshRunner } from './index';

async function waitFor(condition: () => boolean, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

const PI = { mac: 'b8:27:eb:12:34:56', ip: '192.168.1.23', ipv6: 'fd00::23', hostname: 'pi' };

describe('router-sim over SSH', () => {
  let sim: RouterSim;
  let runner: SshRunner;
  const clientKey = generateEd25519('test-client');

  beforeEach(async () => {
    sim = await startRouterSim({ platform: 'openwrt', devices: [PI], password: 's3cret', authorizedKeys: [clientKey.publicKey] });
    runner = await connectSshRunner({ host: sim.host, port: sim.port, username: 'root', password: 's3cret' });
  });

  afterEach(async () => {
    runner.close();
    await sim.close();
  });

  describe('authentication and host key', () => {
    it('when a client pins the advertised fingerprint, then it connects and sees that key', async () => {
      const pinned = await connectSshRunner({
        host: sim.host,
        port: sim.port,
        username: 'root',
        password: 's3cret',
        hostKeySha256: sim.hostKeySha256,
      });
      expect(pinned.hostKeySha256).toBe(sim.hostKeySha256);
      expect(sim.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      pinned.close();
    });

    it('when a client pins another fingerprint, then the handshake is refused', async () => {
      await expect(
        connectSshRunner({
          host: sim.host,
          port: sim.port,
          username: 'root',
          password: 's3cret',
          hostKeySha256: `SHA256:${'A'.repeat(43)}`,
        }),
      ).rejects.toThrow(/host key|verification/i);
    });

    it('when the password is wrong or the user unknown, then authentication fails', async () => {
      await expect(connectSshRunner({ host: sim.host, port: sim.port, username: 'root', password: 'nope' })).rejects.toThrow(
        /authentication/i,
      );
      await expect(connectSshRunner({ host: sim.host, port: sim.port, username: 'admin', password: 's3cret' })).rejects.toThrow(
        /authentication/i,
      );
    });

    it('when an authorized key signs, then publickey login works; another key is refused', async () => {
      const keyed = await connectSshRunner({ host: sim.host, port: sim.port, username: 'root', privateKey: clientKey.privateKey });
      expect((await keyed.exec('echo ok')).stdout).toBe('ok\n');
      keyed.close();
      const stranger = generateEd25519('stranger');
      await expect(
        connectSshRunner({ host: sim.host, port: sim.port, username: 'root', privateKey: stranger.privateKey }),
      ).rejects.toThrow(/authentication/i);
    });

    it('when a host key is given, then the simulator presents it', async () => {
      const hostKey = generateEd25519('fixed-host');
      const fixed = await startRouterSim({ hostKey: hostKey.privateKey });
      const again = await startRouterSim({ hostKey: hostKey.privateKey });
      expect(fixed.hostKeySha256).toBe(again.hostKeySha256);
      await Promise.all([fixed.close(), again.close()]);
    });
  });

  describe('commands', () => {
    it('when a command is unknown, then it exits 127 with "sh: <cmd>: not found" and is recorded', async () => {
      expect(await runner.exec('reboot now')).toEqual({ stdout: '', stderr: 'sh: reboot: not found\n', code: 127 });
      expect(sim.commands).toContain('reboot now');
    });

    it('when files are read, then they look like the router platform', async () => {
      const { stdout } = await runner.exec('cat /proc/net/arp /etc/openwrt_release');
      expect(stdout).toMatch(/^IP address {7}HW type {5}Flags {7}HW address {12}Mask {5}Device\n192\.168\.1\.23 +0x1 +0x2 +b8:27:eb:12:34:56 +\* +br-lan\n/);
      expect(stdout).toContain("DISTRIB_DESCRIPTION='OpenWrt 23.05.3 r23809-234f1a2efa'");
      expect((await runner.exec('cat /tmp/dhcp.leases')).stdout).toMatch(/^\d+ b8:27:eb:12:34:56 192\.168\.1\.23 pi 01:b8:27:eb:12:34:56\n$/);
      expect((await runner.exec('ip -6 neigh show')).stdout).toBe('fd00::23 dev br-lan lladdr b8:27:eb:12:34:56 REACHABLE\n');
    });

    it('when a file is missing, then cat fails like cat', async () => {
      sim.setLeasesFilePresent(false);
      expect(await runner.exec('cat /tmp/dhcp.leases')).toEqual({
        stdout: '',
        stderr: 'cat: /tmp/dhcp.leases: No such file or directory\n',
        code: 1,
      });
    });

    it('when an nft invocation has a failing command, then none of it applies (one transaction)', async () => {
      await runner.exec("nft 'add table inet netpilot; add set inet netpilot blocked4 { type ipv4_addr; }'");
      const r = await runner.exec("nft 'add element inet netpilot blocked4 { 10.0.0.1 }; add element inet netpilot nope { 10.0.0.2 }'");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: Could not process rule: No such file or directory/);
      expect(sim.state.blocked.ipv4).toEqual([]);
    });

    it('when the platform is nftables, then iptables is not installed (and the reverse)', async () => {
      expect((await runner.exec('iptables -S')).code).toBe(127);
      const ipt = await startRouterSim({ platform: 'linux-iptables' });
      const r = await connectSshRunner({ host: ipt.host, port: ipt.port, username: 'root', password: 'netpilot' });
      expect((await r.exec('nft list ruleset')).code).toBe(127);
      expect(await r.exec('iptables -w -S')).toEqual({ stdout: '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n', stderr: '', code: 0 });
      expect(await r.exec('iptables -w -C INPUT -s 10.0.0.1 -j DROP')).toMatchObject({
        code: 1,
        stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).\n',
      });
      expect((await r.exec('iptables -w -A INPUT -s fd00::1 -j DROP')).code).toBe(2);
      r.close();
      await ipt.close();
    });
  });

  describe('fault injection', () => {
    it('when failNext matches, then that command alone fails with the given exit code and stderr', async () => {
      sim.failNext(/^cat \/proc\/uptime/, { exitCode: 5, stderr: 'boom' });
      expect(await runner.exec('echo unaffected')).toMatchObject({ code: 0 });
      expect(await runner.exec('cat /proc/uptime')).toEqual({ stdout: '', stderr: 'boom', code: 5 });
      expect((await runner.exec('cat /proc/uptime')).code).toBe(0);
    });

    it('when failNext drops the connection, then the exec ends without an exit code and the session is gone', async () => {
      sim.failNext(/echo/, { dropConnection: true });
      const r = await runner.exec('echo never').catch((err: Error) => err);
      expect(r instanceof Error || r.code === null).toBe(true);
      await expect(runner.exec('echo after')).rejects.toThrow();
    });

    it('when a command is delayed, then it has not answered before all connections drop', async () => {
      sim.failNext(/sleepy/, { delayMs: 60_000 });
      const pending = runner.exec('echo sleepy');
      await new Promise((r) => setTimeout(r, 50));
      sim.dropAllConnections();
      const outcome = await pending.catch((err: Error) => err);
      expect(outcome instanceof Error || outcome.code === null).toBe(true);
    });
  });

  describe('connections and channels', () => {
    it('when more than 10 channels open at once on one connection, then the extra ones are refused', async () => {
      sim.setLatency(300);
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => runner.exec('echo hi')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
      expect(sim.stats.maxConcurrentChannels).toBe(10);
    });

    it('when channels close, then stats count connections, handshakes and open channels', async () => {
      await runner.exec('echo a');
      await runner.exec('echo b');
      // The server sees the client's channel close a moment after the client does.
      await waitFor(() => sim.stats.channelsOpen === 0);
      expect(sim.stats).toMatchObject({ connections: 1, handshakes: 1, channelsOpen: 0, maxConcurrentChannels: 1 });
    });

    it('when forwarding is allowed, then a client reaches another simulator through it (jump host)', async () => {
      const bastion = await startRouterSim({ allowTcpForwarding: true, password: 'jump' });
      const via = await connectSshRunner({
        host: '127.0.0.1',
        port: sim.port,
        username: 'root',
        password: 's3cret',
        hostKeySha256: sim.hostKeySha256,
        jumpHost: { host: bastion.host, port: bastion.port, username: 'root', password: 'jump', hostKeySha256: bastion.hostKeySha256 },
      });
      expect((await via.exec('echo through')).stdout).toBe('through\n');
      expect(bastion.commands).toEqual([]);
      via.close();
      await bastion.close();
    });

    it('when forwarding is not allowed, then jump requests are refused', async () => {
      await expect(
        connectSshRunner({
          host: '127.0.0.1',
          port: sim.port,
          username: 'root',
          password: 's3cret',
          jumpHost: { host: sim.host, port: sim.port, username: 'root', password: 's3cret' },
        }),
      ).rejects.toThrow();
    });
  });
});
