/**
 * The real-router lab (SPEC §6): OpenSSH, nftables/iptables and dnsmasq in network
 * namespaces, with real LAN clients taking real DHCP leases. Needs root and the Debian
 * packages openssh-server nftables iptables dnsmasq udhcpc iputils-ping.
 *
 * Layout. Only 10.213.0.0/16 and fd42:213::/32 are used, and only inside namespaces we
 * create (plus the host ends of three veth pairs). The host also gets an `unreachable
 * 10.213.0.0/16` route so that a packet for any other lab address fails at once instead of
 * leaving the machine by the default route.
 *
 *      host (root netns, where the executor runs)
 *       │ nplab-b 10.213.0.1        │ nplab-r1 10.213.1.1        │ nplab-r2 10.213.2.1
 *       │                           │                            │
 *       │ wan 10.213.0.2            │ wan 10.213.1.2 :22         │ wan 10.213.2.2 :22
 *   nplab-bastion (sshd :22) ──r1── mgmt 10.213.101.2 nplab-r1   │
 *     r1 10.213.101.1               (linux-nft: nft, sshd,        │
 *     r2 10.213.102.1 ───────────r2── dnsmasq) ── mgmt 10.213.102.2 nplab-r2
 *                                   │ lan 10.213.11.1            (linux-iptables: iptables,
 *                                   │     fd42:213:11::1          sshd, dnsmasq)
 *                                   │                            │ lan 10.213.12.1, fd42:213:12::1
 *                                   │ eth0 (DHCP) 10.213.11.1xx  │ eth0 (DHCP) 10.213.12.1xx
 *                                   │ fd42:213:11::100           │ fd42:213:12::100
 *                               nplab-c1 (lab-client-1)      nplab-c2 (lab-client-2)
 *
 * - The host reaches each router's sshd directly on its WAN address (10.213.{1,2}.2:22)
 *   and the bastion on 10.213.0.2:22.
 * - A router's management address (10.213.10{1,2}.2) has no route from the host: it is
 *   reachable only through the bastion (SSH jump host, direct-tcpip).
 * - Each client's default route is its router, and the bastion routes the LANs back
 *   through the routers, so a client → 10.213.10x.1 ping crosses the router's forward hook.
 * - `closedPort` (10.213.0.2:1) refuses connections; `blackholePort` (10.213.0.2:9) drops
 *   SYNs silently (nft in the bastion), for unreachable/timeout tests.
 *
 * Logins. sshd logs in the lab user `nplab` (uid 0, shell /bin/sh, home in the temp dir),
 * so commands are not slowed by root's ~/.bashrc (TECH-NOTES: +90 ms per exec). The user
 * exists only inside sshd's private mount namespace, where copies of /etc/passwd and
 * /etc/shadow with the extra line are bind-mounted: the host's /etc is never written,
 * so there is nothing to remove even after a crash. Password and ed25519 key both work.
 * Each sshd also has its own UTS namespace, so a router's hostname is its name.
 *
 * Safety. A lock file allows one lab per machine (a second caller waits). A stale lab of a
 * crashed run (namespaces named nplab-*) is cleaned before setup. Teardown kills every
 * process inside our namespaces by pid, deletes them and the host route, and is safe to
 * call twice; it also runs on SIGINT/SIGTERM/exit/uncaught errors, and a detached
 * watchdog runs it if this process dies without cleaning up (e.g. SIGKILL).
 *
 * Files: layout.ts (names and addresses), namespaces.ts (the network and its removal),
 * logins.ts (credentials), daemons.ts (sshd, dnsmasq, udhcpc), lock.ts (one lab per
 * machine), teardown.ts (signals, exit, watchdog), processes.ts (running and reaping).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { leaseClients, leasesPath, startDaemons, writeDaemonConfigs } from './daemons';
import { BASTION_IP, BASTION_NS, PLANS } from './layout';
import { acquireLock, releaseLock, writeLock } from './lock';
import { labLogin, routerTargetFor, writeCredentials } from './logins';
import { buildNetwork, cleanupSync, existingLabNamespaces, nsExec, nsSh } from './namespaces';
import { must, run } from './processes';
import { armTeardown } from './teardown';
import type { Lab, LabOptions, LabRouter } from './types';

export { LAB_PREFIX } from './layout';
export { LAB_USER } from './logins';
export type {
  ExecResult,
  Lab,
  LabClient,
  LabLogin,
  LabOptions,
  LabPlatform,
  LabRouter,
  PingOptions,
  RouterTargetOptions,
} from './types';

const REQUIRED_BINARIES = ['sshd', 'dnsmasq', 'udhcpc', 'nft', 'iptables', 'ip6tables', 'ssh-keygen', 'openssl', 'unshare', 'ping'];

function defaultLog(line: string): void {
  process.stderr.write(`[lab] ${line}\n`);
}

/** Builds the lab; resolves when routers answer SSH and both clients hold a lease. */
export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const log = opts.log ?? defaultLog;
  const started = Date.now();
  const step = (what: string) => log(`${what} (+${Date.now() - started} ms)`);
  if (process.getuid?.() !== 0) throw new Error('lab: needs root (network namespaces, sshd, nft)');
  for (const bin of REQUIRED_BINARIES) {
    if (!['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(join(d, bin)))) {
      throw new Error(`lab: ${bin} is missing (apt-get install -y openssh-server nftables iptables dnsmasq udhcpc iputils-ping)`);
    }
  }

  await acquireLock(log, opts.lockWaitMs ?? 120_000);
  if (existingLabNamespaces().length) {
    log('removing leftover nplab-* namespaces');
    cleanupSync([], null);
  }
  const hostAddrs = await must('ip', ['-4', '-o', 'addr', 'show']);
  if (/ inet 10\.213\./.test(hostAddrs)) {
    releaseLock();
    throw new Error('lab: the host already uses 10.213.0.0/16; refusing to build the lab over it');
  }

  const tmpDir = mkdtempSync('/tmp/nplab-');
  const children: ChildProcess[] = [];
  const teardown = armTeardown(tmpDir, children);
  try {
    writeLock({ pid: process.pid, tmpDir, watchdogPid: teardown.startWatchdog() });

    const creds = await writeCredentials(tmpDir);
    writeDaemonConfigs(tmpDir);
    step('keys and configs written');

    await buildNetwork();
    step('namespaces and links up');

    await startDaemons(tmpDir, children);
    step('sshd and dnsmasq listening');

    const leases = await leaseClients(tmpDir);
    step('clients leased');

    // Warm-up pings fill the routers' neighbour tables (what scan reads) and prove the wiring.
    await Promise.all(
      PLANS.flatMap((p) => [
        nsSh(p.clientNs, `ping -c 1 -W 2 -q ${p.lanIp} >/dev/null`),
        nsSh(p.clientNs, `ping -6 -c 1 -W 2 -q ${p.lanIp6} >/dev/null`),
      ]),
    );

    const routers: LabRouter[] = PLANS.map((p, i) => {
      const target = labLogin(creds, p.wanIp, join(tmpDir, p.name));
      return {
        name: p.name,
        ns: p.ns,
        platform: p.platform,
        target,
        mgmtHost: p.mgmtIp,
        hostKeySha256: target.hostKeySha256,
        leasesPath: leasesPath(tmpDir, p),
        lanIp: p.lanIp,
        lanIp6: p.lanIp6,
        forwardProbeIp: p.bastionMgmtIp,
        client: { ns: p.clientNs, iface: 'eth0', ip: leases[i], ip6: p.clientIp6, mac: p.clientMac, hostname: p.clientHostname },
      };
    });
    const bastion = { ns: BASTION_NS, ...labLogin(creds, BASTION_IP, join(tmpDir, 'bastion')) };
    const setupMs = Date.now() - started;
    step(`lab ready in ${setupMs} ms`);

    return {
      r1: routers[0],
      r2: routers[1],
      routers,
      bastion,
      closedPort: { host: BASTION_IP, port: 1 },
      blackholePort: { host: BASTION_IP, port: 9 },
      tmpDir,
      setupMs,
      routerTarget: (router, o) => routerTargetFor(creds, bastion, router, o),
      async pingFromClient(router, o = {}) {
        const family = o.family ?? 4;
        const to = o.to ?? (family === 6 ? router.lanIp6 : router.lanIp);
        const args = ['netns', 'exec', router.client.ns, 'ping', '-c', String(o.count ?? 2), '-W', String(o.timeoutS ?? 1)];
        if (o.intervalS !== undefined) args.push('-i', String(o.intervalS));
        if (family === 6) args.push('-6');
        args.push('-q', to);
        return (await run('ip', args)).code === 0;
      },
      routerExec: (router, cmd) => nsExec(router.ns, cmd),
      clientExec: (router, cmd) => nsExec(router.client.ns, cmd),
      async teardown() {
        if (teardown.done) return;
        log('tearing down');
        teardown.run();
      },
    };
  } catch (err) {
    log(`setup failed, tearing down: ${(err as Error).message}`);
    teardown.run();
    throw err;
  }
}
