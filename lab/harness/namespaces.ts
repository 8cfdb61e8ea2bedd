import { existsSync, rmSync } from 'node:fs';
import { ALL_NS, BASTION_IP, BASTION_NS, GUARD_ROUTE, HOST_VETHS, LAB_PREFIX, PLANS } from './layout';
import { killPidsSync, must, run, runSync } from './processes';

/** Runs `sh -ec script` inside a namespace; a failing command is an error. */
export const nsSh = (ns: string, script: string) => must('ip', ['netns', 'exec', ns, 'sh', '-ec', script]);

/** Runs `sh -c cmd` inside a namespace; never rejects, the exit code tells. */
export const nsExec = (ns: string, cmd: string) => run('ip', ['netns', 'exec', ns, 'sh', '-c', cmd]);

function nsPidsSync(ns: string): number[] {
  return runSync('ip', ['netns', 'pids', ns])
    .stdout.split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

/** The nplab-* namespaces on this machine, ours or a crashed run's. */
export function existingLabNamespaces(): string[] {
  return runSync('ip', ['netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(/\s+/)[0])
    .filter((n) => n?.startsWith(LAB_PREFIX));
}

/** Everything a lab leaves on the machine, removed; used by teardown and stale cleanup. */
export function cleanupSync(extraPids: number[], tmpDir: string | null): void {
  const namespaces = [...new Set([...ALL_NS.filter((ns) => existsSync(`/run/netns/${ns}`)), ...existingLabNamespaces()])];
  killPidsSync([...extraPids, ...namespaces.flatMap(nsPidsSync)]);
  for (const ns of namespaces) runSync('ip', ['netns', 'del', ns]);
  for (const veth of HOST_VETHS) {
    if (existsSync(`/sys/class/net/${veth}`)) runSync('ip', ['link', 'del', veth]);
  }
  runSync('ip', ['route', 'del', 'unreachable', GUARD_ROUTE]);
  if (tmpDir && tmpDir.startsWith('/tmp/nplab-')) rmSync(tmpDir, { recursive: true, force: true });
}

/** Creates the namespaces, links, addresses and routes of the lab's layout (see index.ts). */
export async function buildNetwork(): Promise<void> {
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
}
