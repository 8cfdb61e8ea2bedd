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
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import type { RouterTarget } from '@netpilot/contracts';

export const LAB_PREFIX = 'nplab-';
export const LAB_USER = 'nplab';
const LOCK_FILE = '/run/netpilot-lab.lock';
const GUARD_ROUTE = '10.213.0.0/16';
const HOST_VETHS = ['nplab-b', 'nplab-r1', 'nplab-r2'];

export type LabPlatform = 'linux-nft' | 'linux-iptables';

/** How to log in to one lab SSH server from the host. */
export interface LabLogin {
  host: string;
  port: number;
  username: string;
  password: string;
  /** OpenSSH-format ed25519 private key whose public half is authorized. */
  privateKey: string;
  hostKeySha256: string;
}

export interface LabClient {
  ns: string;
  iface: string;
  /** The address leased by dnsmasq. */
  ip: string;
  ip6: string;
  mac: string;
  /** The hostname the client sent in DHCP (and the lease shows). */
  hostname: string;
}

export interface LabRouter {
  name: 'r1' | 'r2';
  ns: string;
  platform: LabPlatform;
  /** Direct login from the host, on the router's WAN address. */
  target: LabLogin;
  /** The management address, reachable only through the bastion (port 22). */
  mgmtHost: string;
  hostKeySha256: string;
  leasesPath: string;
  lanIp: string;
  lanIp6: string;
  /** An address beyond the router (on the bastion): pinging it from the client crosses the forward hook. */
  forwardProbeIp: string;
  client: LabClient;
}

export interface PingOptions {
  /** Default 2. */
  count?: number;
  /** Per-reply timeout, default 1. */
  timeoutS?: number;
  /** Interval between echo requests (ping's default is 1 s). */
  intervalS?: number;
  /** Destination; default the router's LAN address of the given family. */
  to?: string;
  family?: 4 | 6;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RouterTargetOptions {
  /** Default 'password'. */
  auth?: 'password' | 'key';
  /** Reach the router's management address through the bastion. */
  viaBastion?: boolean;
  /** Default true: pass the known host key fingerprint. */
  pinHostKey?: boolean;
  id?: string;
}

export interface Lab {
  r1: LabRouter;
  r2: LabRouter;
  routers: LabRouter[];
  bastion: LabLogin & { ns: string };
  /** host:port that refuses connections (RST). */
  closedPort: { host: string; port: number };
  /** host:port that silently drops SYNs (connect times out). */
  blackholePort: { host: string; port: number };
  tmpDir: string;
  /** How long startLab took. */
  setupMs: number;
  /** A RouterTarget for the executor, built from the lab's credentials. */
  routerTarget(router: LabRouter, opts?: RouterTargetOptions): RouterTarget;
  /** `ping -c <count> -W <timeoutS> <router LAN ip>` inside the router's client namespace; true when it exits 0. */
  pingFromClient(router: LabRouter, opts?: PingOptions): Promise<boolean>;
  /** Runs `sh -c cmd` inside the router's namespace (as root, outside sshd). */
  routerExec(router: LabRouter, cmd: string): Promise<ExecResult>;
  /** Runs `sh -c cmd` inside the router's client namespace. */
  clientExec(router: LabRouter, cmd: string): Promise<ExecResult>;
  /** Stops everything and deletes the namespaces; safe to call twice. */
  teardown(): Promise<void>;
}

export interface LabOptions {
  /** Progress lines; default: written to stderr with a [lab] prefix. */
  log?: (line: string) => void;
  /** How long to wait for another running lab to finish, default 120 s. */
  lockWaitMs?: number;
}

interface RouterPlan {
  name: 'r1' | 'r2';
  ns: string;
  clientNs: string;
  platform: LabPlatform;
  hostVeth: string;
  hostIp: string;
  wanIp: string;
  mgmtIp: string;
  bastionMgmtIp: string;
  lanIp: string;
  lanIp6: string;
  lanNet: string;
  dhcpRange: string;
  clientMac: string;
  clientIp6: string;
  clientHostname: string;
}

const BASTION_NS = `${LAB_PREFIX}bastion`;
const BASTION_IP = '10.213.0.2';

const PLANS: RouterPlan[] = [1, 2].map((n) => ({
  name: `r${n}` as 'r1' | 'r2',
  ns: `${LAB_PREFIX}r${n}`,
  clientNs: `${LAB_PREFIX}c${n}`,
  platform: n === 1 ? 'linux-nft' : 'linux-iptables',
  hostVeth: `${LAB_PREFIX}r${n}`,
  hostIp: `10.213.${n}.1`,
  wanIp: `10.213.${n}.2`,
  mgmtIp: `10.213.10${n}.2`,
  bastionMgmtIp: `10.213.10${n}.1`,
  lanIp: `10.213.1${n}.1`,
  lanIp6: `fd42:213:1${n}::1`,
  lanNet: `10.213.1${n}.0/24`,
  dhcpRange: `10.213.1${n}.100,10.213.1${n}.199,255.255.255.0,12h`,
  // A Raspberry Pi OUI, so scans can show a vendor from the offline table.
  clientMac: `b8:27:eb:13:1${n}:64`,
  clientIp6: `fd42:213:1${n}::100`,
  clientHostname: `lab-client-${n}`,
}));

const ALL_NS = [BASTION_NS, ...PLANS.flatMap((p) => [p.ns, p.clientNs])];

function defaultLog(line: string): void {
  process.stderr.write(`[lab] ${line}\n`);
}

/** Runs a program without a shell; never rejects, the exit code tells. */
function run(cmd: string, args: string[], input?: string): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like run, but a non-zero exit is an error naming the command. */
async function must(cmd: string, args: string[], input?: string): Promise<string> {
  const r = await run(cmd, args, input);
  if (r.code !== 0) throw new Error(`lab: \`${cmd} ${args.join(' ')}\` failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

const nsSh = (ns: string, script: string) => must('ip', ['netns', 'exec', ns, 'sh', '-ec', script]);

function runSync(cmd: string, args: string[]): { code: number; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { code: r.status ?? 1, stdout: r.stdout ?? '' };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** True while the process runs. A zombie counts as gone: our own children stay zombies
 * until the event loop reaps them, which cannot happen during a synchronous teardown. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Kills pids (TERM, then KILL after a grace period) and waits until they are gone. */
function killPidsSync(pids: number[]): void {
  const live = pids.filter((p) => p > 1 && p !== process.pid && alive(p));
  for (const p of live) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 40 && live.some(alive); i++) sleepSync(25);
  for (const p of live.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 40 && live.some(alive); i++) sleepSync(25);
}

function nsPidsSync(ns: string): number[] {
  return runSync('ip', ['netns', 'pids', ns])
    .stdout.split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

function existingLabNamespaces(): string[] {
  return runSync('ip', ['netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(/\s+/)[0])
    .filter((n) => n?.startsWith(LAB_PREFIX));
}

/** Everything a lab leaves on the machine, removed; used by teardown and stale cleanup. */
function cleanupSync(extraPids: number[], tmpDir: string | null): void {
  const namespaces = [...new Set([...ALL_NS.filter((ns) => existsSync(`/run/netns/${ns}`)), ...existingLabNamespaces()])];
  killPidsSync([...extraPids, ...namespaces.flatMap(nsPidsSync)]);
  for (const ns of namespaces) runSync('ip', ['netns', 'del', ns]);
  for (const veth of HOST_VETHS) {
    if (existsSync(`/sys/class/net/${veth}`)) runSync('ip', ['link', 'del', veth]);
  }
  runSync('ip', ['route', 'del', 'unreachable', GUARD_ROUTE]);
  if (tmpDir && tmpDir.startsWith('/tmp/nplab-')) rmSync(tmpDir, { recursive: true, force: true });
}

interface LockInfo {
  pid: number;
  tmpDir: string | null;
  watchdogPid?: number;
}

function readLock(): LockInfo | null {
  try {
    return JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

function writeLock(info: LockInfo): void {
  writeFileSync(LOCK_FILE, JSON.stringify(info));
}

/** Takes the one-lab-per-machine lock, cleaning up after a dead holder, waiting for a live one. */
async function acquireLock(log: (l: string) => void, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      closeSync(openSync(LOCK_FILE, 'wx'));
      writeLock({ pid: process.pid, tmpDir: null });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock();
    // Our own pid means a lab of this process was never torn down (e.g. a test file forgot).
    if (!holder || holder.pid === process.pid || !alive(holder.pid)) {
      log(`cleaning up a stale lab (pid ${holder?.pid ?? '?'})`);
      cleanupSync(holder?.watchdogPid ? [holder.watchdogPid] : [], holder?.tmpDir ?? null);
      rmSync(LOCK_FILE, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`lab: another lab (pid ${holder.pid}) is still running after ${waitMs} ms`);
    if (!announced) log(`waiting for the lab of pid ${holder.pid} to finish`);
    announced = true;
    await sleep(250);
  }
}

function fingerprintOfPublicKeyFile(path: string): string {
  const blob = Buffer.from(readFileSync(path, 'utf8').trim().split(/\s+/)[1], 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

async function waitForTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`lab: nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await sleep(10);
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | null | Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`lab: timed out waiting for ${what}`);
    await sleep(20);
  }
}

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

/** Builds the lab; resolves when routers answer SSH and both clients hold a lease. */
export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const log = opts.log ?? defaultLog;
  const started = Date.now();
  const step = (what: string) => log(`${what} (+${Date.now() - started} ms)`);
  if (process.getuid?.() !== 0) throw new Error('lab: needs root (network namespaces, sshd, nft)');
  for (const bin of ['sshd', 'dnsmasq', 'udhcpc', 'nft', 'iptables', 'ip6tables', 'ssh-keygen', 'openssl', 'unshare', 'ping']) {
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
    rmSync(LOCK_FILE, { force: true });
    throw new Error('lab: the host already uses 10.213.0.0/16; refusing to build the lab over it');
  }

  const tmpDir = mkdtempSync('/tmp/nplab-');
  const children: ChildProcess[] = [];
  let watchdog: ChildProcess | null = null;
  let tornDown = false;

  const teardownSync = () => {
    if (tornDown) return;
    tornDown = true;
    removeHandlers();
    const pids = children.map((c) => c.pid).filter((p): p is number => !!p);
    cleanupSync(pids, tmpDir);
    if (watchdog?.pid) killPidsSync([watchdog.pid]);
    if (readLock()?.pid === process.pid) rmSync(LOCK_FILE, { force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    teardownSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onExit = () => teardownSync();
  // The monitor sees an uncaught error before the process dies of it, without changing
  // how it is handled ('exit' is not emitted for those).
  const onUncaught = () => teardownSync();
  const removeHandlers = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    process.off('uncaughtExceptionMonitor', onUncaught);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  process.once('uncaughtExceptionMonitor', onUncaught);

  try {
    // The watchdog cleans up if this process dies without doing so (SIGKILL, OOM).
    const nsArgs = ALL_NS.join(' ');
    watchdog = spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
for ns in ${nsArgs}; do for p in $(ip netns pids $ns 2>/dev/null); do kill -9 $p; done; ip netns del $ns 2>/dev/null; done
ip route del unreachable ${GUARD_ROUTE} 2>/dev/null
rm -rf '${tmpDir}'
rm -f ${LOCK_FILE}`,
      ],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();
    writeLock({ pid: process.pid, tmpDir, watchdogPid: watchdog.pid });

    // Credentials: one password and one client key for every lab login; a host key each.
    const password = randomBytes(12).toString('base64url');
    mkdirSync(join(tmpDir, 'home'), { mode: 0o700 });
    const sshDirs = ['bastion', ...PLANS.map((p) => p.name)].map((n) => join(tmpDir, n));
    sshDirs.forEach((d) => mkdirSync(d));
    const [hash] = await Promise.all([
      must('openssl', ['passwd', '-6', '-stdin'], `${password}\n`),
      must('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-C', 'netpilot-lab-client', '-f', join(tmpDir, 'client_ed25519')]),
      ...sshDirs.map((d) =>
        must('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-C', 'netpilot-lab-host', '-f', join(d, 'ssh_host_ed25519_key')]),
      ),
    ]);
    const privateKey = readFileSync(join(tmpDir, 'client_ed25519'), 'utf8');
    writeFileSync(join(tmpDir, 'authorized_keys'), readFileSync(join(tmpDir, 'client_ed25519.pub')));
    // The lab user lives only in copies of passwd/shadow, bind-mounted for sshd (see top).
    writeFileSync(
      join(tmpDir, 'passwd'),
      `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${LAB_USER}:x:0:0:NetPilot lab:${tmpDir}/home:/bin/sh\n`,
      { mode: 0o644 },
    );
    writeFileSync(
      join(tmpDir, 'shadow'),
      `${readFileSync('/etc/shadow', 'utf8').trimEnd()}\n${LAB_USER}:${hash.trim()}:19000:0:99999:7:::\n`,
      { mode: 0o600 },
    );
    writeFileSync(join(tmpDir, 'udhcpc.script'), UDHCPC_SCRIPT, { mode: 0o755 });
    writeFileSync(join(tmpDir, 'bastion', 'sshd_config'), sshdConfig(join(tmpDir, 'bastion'), tmpDir, true));
    for (const p of PLANS) writeFileSync(join(tmpDir, p.name, 'sshd_config'), sshdConfig(join(tmpDir, p.name), tmpDir, false));
    step('keys and configs written');

    // Namespaces; DAD off before any link exists so IPv6 addresses work at once.
    await Promise.all(ALL_NS.map((ns) => must('ip', ['netns', 'add', ns])));
    await Promise.all(
      ALL_NS.map((ns) =>
        nsSh(
          ns,
          'echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad; ' +
            'ip link set lo up',
        ),
      ),
    );
    await must('ip', ['link', 'add', 'nplab-b', 'type', 'veth', 'peer', 'name', 'wan', 'netns', BASTION_NS]);
    for (const p of PLANS) {
      await must('ip', ['link', 'add', p.hostVeth, 'type', 'veth', 'peer', 'name', 'wan', 'netns', p.ns]);
      await must('ip', ['-n', BASTION_NS, 'link', 'add', p.name, 'type', 'veth', 'peer', 'name', 'mgmt', 'netns', p.ns]);
      await must('ip', ['-n', p.ns, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.clientNs]);
    }
    const hostCmds: string[][] = [
      ['addr', 'add', '10.213.0.1/24', 'dev', 'nplab-b'],
      ['link', 'set', 'nplab-b', 'up'],
      ...PLANS.flatMap((p) => [
        ['addr', 'add', `${p.hostIp}/24`, 'dev', p.hostVeth],
        ['link', 'set', p.hostVeth, 'up'],
      ]),
      ['route', 'add', 'unreachable', GUARD_ROUTE],
    ];
    for (const c of hostCmds) await must('ip', c);
    await Promise.all([
      nsSh(
        BASTION_NS,
        [
          `ip addr add ${BASTION_IP}/24 dev wan`,
          'ip link set wan up',
          ...PLANS.flatMap((p) => [
            `ip addr add ${p.bastionMgmtIp}/24 dev ${p.name}`,
            `ip link set ${p.name} up`,
            `ip route add ${p.lanNet} via ${p.mgmtIp}`,
          ]),
          // blackholePort: SYNs to :9 vanish, so a connect there times out.
          "nft 'add table inet nplab_bastion; add chain inet nplab_bastion input { type filter hook input priority 0; policy accept; }; add rule inet nplab_bastion input tcp dport 9 drop'",
        ].join('\n'),
      ),
      ...PLANS.map((p) =>
        nsSh(
          p.ns,
          [
            'echo 1 > /proc/sys/net/ipv4/ip_forward',
            'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding',
            `ip addr add ${p.wanIp}/24 dev wan`,
            `ip addr add ${p.mgmtIp}/24 dev mgmt`,
            `ip addr add ${p.lanIp}/24 dev lan`,
            `ip -6 addr add ${p.lanIp6}/64 dev lan nodad`,
            'ip link set wan up',
            'ip link set mgmt up',
            'ip link set lan up',
          ].join('\n'),
        ),
      ),
      ...PLANS.map((p) =>
        nsSh(
          p.clientNs,
          [
            `ip link set eth0 address ${p.clientMac}`,
            'ip link set eth0 up',
            `ip -6 addr add ${p.clientIp6}/64 dev eth0 nodad`,
            `ip -6 route add default via ${p.lanIp6}`,
          ].join('\n'),
        ),
      ),
    ]);
    step('namespaces and links up');

    // Daemons. Each is exec'd in place (ip netns exec → unshare → sh → exec), so the pid we
    // spawn is the daemon's pid.
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
        `--dhcp-leasefile=${tmpDir}/${p.name}/dnsmasq.leases`, `--pid-file=${tmpDir}/${p.name}/dnsmasq.pid`,
        '--user=root', '--group=root', `--log-facility=${tmpDir}/${p.name}/dnsmasq.log`, '--log-dhcp',
      ]);
    }
    await Promise.all([
      waitForTcp(BASTION_IP, 22, 10_000),
      ...PLANS.map((p) => waitForTcp(p.wanIp, 22, 10_000)),
      ...PLANS.map((p) => waitFor(`dnsmasq of ${p.name}`, 10_000, () => (existsSync(`${tmpDir}/${p.name}/dnsmasq.pid`) ? true : null))),
    ]);
    step('sshd and dnsmasq listening');

    // DHCP: udhcpc quits (-q) once bound, so it leaves no process behind.
    const leases = await Promise.all(
      PLANS.map(async (p) => {
        const r = await run('ip', [
          'netns', 'exec', p.clientNs, 'udhcpc', '-f', '-q', '-n', '-t', '20', '-T', '1', '-A', '1', '-i', 'eth0',
          '-x', `hostname:${p.clientHostname}`, '-s', `${tmpDir}/udhcpc.script`,
        ]);
        if (r.code !== 0) throw new Error(`lab: ${p.clientNs} got no DHCP lease: ${r.stderr.trim()}`);
        const leasesPath = `${tmpDir}/${p.name}/dnsmasq.leases`;
        const ip = await waitFor(`the lease of ${p.clientMac}`, 5_000, () => {
          const line = (existsSync(leasesPath) ? readFileSync(leasesPath, 'utf8') : '')
            .split('\n')
            .find((l) => l.split(' ')[1] === p.clientMac);
          return line ? line.split(' ')[2] : null;
        });
        await nsSh(p.clientNs, `ip route add default via ${p.lanIp}`);
        return ip;
      }),
    );
    step('clients leased');

    // Warm-up pings fill the routers' neighbour tables (what scan reads) and prove the wiring.
    await Promise.all(
      PLANS.flatMap((p) => [
        nsSh(p.clientNs, `ping -c 1 -W 2 -q ${p.lanIp} >/dev/null`),
        nsSh(p.clientNs, `ping -6 -c 1 -W 2 -q ${p.lanIp6} >/dev/null`),
      ]),
    );

    const login = (host: string, dir: string): LabLogin => ({
      host,
      port: 22,
      username: LAB_USER,
      password,
      privateKey,
      hostKeySha256: fingerprintOfPublicKeyFile(join(dir, 'ssh_host_ed25519_key.pub')),
    });
    const routers: LabRouter[] = PLANS.map((p, i) => {
      const target = login(p.wanIp, join(tmpDir, p.name));
      return {
        name: p.name,
        ns: p.ns,
        platform: p.platform,
        target,
        mgmtHost: p.mgmtIp,
        hostKeySha256: target.hostKeySha256,
        leasesPath: `${tmpDir}/${p.name}/dnsmasq.leases`,
        lanIp: p.lanIp,
        lanIp6: p.lanIp6,
        forwardProbeIp: p.bastionMgmtIp,
        client: { ns: p.clientNs, iface: 'eth0', ip: leases[i], ip6: p.clientIp6, mac: p.clientMac, hostname: p.clientHostname },
      };
    });
    const bastion = { ns: BASTION_NS, ...login(BASTION_IP, join(tmpDir, 'bastion')) };
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
      routerTarget(router, o = {}) {
        const viaBastion = o.viaBastion ?? false;
        const t: RouterTarget = {
          id: o.id ?? `lab-${router.name}`,
          host: viaBastion ? router.mgmtHost : router.target.host,
          port: 22,
          username: LAB_USER,
          platform: router.platform,
          options: { leasesPath: router.leasesPath },
        };
        if ((o.auth ?? 'password') === 'password') t.password = password;
        else t.privateKey = privateKey;
        if (o.pinHostKey ?? true) t.hostKeySha256 = router.hostKeySha256;
        if (viaBastion) {
          t.jumpHost = {
            host: bastion.host,
            port: bastion.port,
            username: LAB_USER,
            password,
            hostKeySha256: bastion.hostKeySha256,
          };
        }
        return t;
      },
      async pingFromClient(router, o = {}) {
        const family = o.family ?? 4;
        const to = o.to ?? (family === 6 ? router.lanIp6 : router.lanIp);
        const args = ['netns', 'exec', router.client.ns, 'ping', '-c', String(o.count ?? 2), '-W', String(o.timeoutS ?? 1)];
        if (o.intervalS !== undefined) args.push('-i', String(o.intervalS));
        if (family === 6) args.push('-6');
        args.push('-q', to);
        return (await run('ip', args)).code === 0;
      },
      routerExec: (router, cmd) => run('ip', ['netns', 'exec', router.ns, 'sh', '-c', cmd]),
      clientExec: (router, cmd) => run('ip', ['netns', 'exec', router.client.ns, 'sh', '-c', cmd]),
      async teardown() {
        if (tornDown) return;
        log('tearing down');
        teardownSync();
      },
    };
  } catch (err) {
    log(`setup failed, tearing down: ${(err as Error).message}`);
    teardownSync();
    throw err;
  }
}
