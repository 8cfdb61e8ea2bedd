import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASTION_IP, BASTION_NS, PLANS, SSHD_DIRS, type RouterPlan } from './layout';
import { LAB_USER } from './logins';
import { nsSh } from './namespaces';
import { run, waitFor, waitForTcp } from './processes';

function sshdConfig(dir: string, tmpDir: string, forwarding: boolean): string {
  return `Port 22
ListenAddress 0.0.0.0
HostKey ${dir}/ssh_host_ed25519_key
PidFile ${dir}/sshd.pid
UsePAM no
StrictModes no
PermitRootLogin yes
AllowUsers ${LAB_USER}
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile ${tmpDir}/authorized_keys
MaxStartups 200:30:400
MaxSessions 10
LoginGraceTime 30
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowAgentForwarding no
AllowTcpForwarding ${forwarding ? 'yes' : 'no'}
LogLevel INFO
`;
}

const UDHCPC_SCRIPT = `#!/bin/sh
# NetPilot lab: set the leased address and nothing else (never resolv.conf or routes).
case "$1" in
  deconfig) ip -4 addr flush dev "$interface" ;;
  bound|renew) ip -4 addr flush dev "$interface"; ip -4 addr add "$ip/\${mask:-24}" dev "$interface" ;;
esac
exit 0
`;

/** Where the router's dnsmasq writes its leases (what scan reads). */
export const leasesPath = (tmpDir: string, p: RouterPlan) => `${tmpDir}/${p.name}/dnsmasq.leases`;

/** Writes every sshd's config and the udhcpc script into `tmpDir`. */
export function writeDaemonConfigs(tmpDir: string): void {
  writeFileSync(join(tmpDir, 'udhcpc.script'), UDHCPC_SCRIPT, { mode: 0o755 });
  // Only the bastion forwards: a router's management address must stay reachable through it alone.
  for (const d of SSHD_DIRS) writeFileSync(join(tmpDir, d, 'sshd_config'), sshdConfig(join(tmpDir, d), tmpDir, d === 'bastion'));
}

/**
 * Starts sshd in the bastion and each router, and dnsmasq on each router's LAN; resolves
 * when all of them listen. Each child is added to `children` as soon as it is spawned, so
 * that teardown stops it even when startup fails later.
 */
export async function startDaemons(tmpDir: string, children: ChildProcess[]): Promise<void> {
  // Each is exec'd in place (ip netns exec → unshare → sh → exec), so the pid we spawn is the daemon's pid.
  const daemon = (name: string, args: string[]) => {
    const logFd = openSync(join(tmpDir, `${name}.log`), 'a');
    const child = spawn(args[0], args.slice(1), { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    child.on('error', () => {});
    children.push(child);
    return child;
  };
  const startSshd = (ns: string, dir: string, hostname: string) =>
    daemon(`sshd-${hostname}`, [
      'ip', 'netns', 'exec', ns, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-ec',
      `mount --bind ${tmpDir}/passwd /etc/passwd; mount --bind ${tmpDir}/shadow /etc/shadow; ` +
        `hostname ${hostname}; exec /usr/sbin/sshd -D -e -f ${dir}/sshd_config`,
    ]);
  mkdirSync('/run/sshd', { recursive: true });
  startSshd(BASTION_NS, join(tmpDir, 'bastion'), BASTION_NS);
  for (const p of PLANS) {
    startSshd(p.ns, join(tmpDir, p.name), p.ns);
    daemon(`dnsmasq-${p.name}`, [
      'ip', 'netns', 'exec', p.ns, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--port=0',
      '--bind-interfaces', '--interface=lan', '--except-interface=lo', `--dhcp-range=${p.dhcpRange}`,
      `--dhcp-option=option:router,${p.lanIp}`, '--dhcp-authoritative', '--no-ping',
      `--dhcp-leasefile=${leasesPath(tmpDir, p)}`, `--pid-file=${tmpDir}/${p.name}/dnsmasq.pid`,
      '--user=root', '--group=root', `--log-facility=${tmpDir}/${p.name}/dnsmasq.log`, '--log-dhcp',
    ]);
  }
  await Promise.all([
    waitForTcp(BASTION_IP, 22, 10_000),
    ...PLANS.map((p) => waitForTcp(p.wanIp, 22, 10_000)),
    ...PLANS.map((p) => waitFor(`dnsmasq of ${p.name}`, 10_000, () => (existsSync(`${tmpDir}/${p.name}/dnsmasq.pid`) ? true : null))),
  ]);
}

/** Each client takes a DHCP lease from its router; resolves with the leased addresses, in PLANS order. */
export function leaseClients(tmpDir: string): Promise<string[]> {
  // udhcpc quits (-q) once bound, so it leaves no process behind.
  return Promise.all(
    PLANS.map(async (p) => {
      const r = await run('ip', [
        'netns', 'exec', p.clientNs, 'udhcpc', '-f', '-q', '-n', '-t', '20', '-T', '1', '-A', '1', '-i', 'eth0',
        '-x', `hostname:${p.clientHostname}`, '-s', `${tmpDir}/udhcpc.script`,
      ]);
      if (r.code !== 0) throw new Error(`lab: ${p.clientNs} got no DHCP lease: ${r.stderr.trim()}`);
      const path = leasesPath(tmpDir, p);
      const ip = await waitFor(`the lease of ${p.clientMac}`, 5_000, () => {
        const line = (existsSync(path) ? readFileSync(path, 'utf8') : '')
          .split('\n')
          .find((l) => l.split(' ')[1] === p.clientMac);
        return line ? line.split(' ')[2] : null;
      });
      await nsSh(p.clientNs, `ip route add default via ${p.lanIp}`);
      return ip;
    }),
  );
}
