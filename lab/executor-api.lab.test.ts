import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { BlockedSet, RouterTarget } from '@netpilot/contracts';
import { ExecutorClient, ExecutorError } from '@netpilot/executor-client';
import type { Executor } from '../services/executor/src/executor';
import {
  buildTestExecutor,
  listen,
  newSessionId,
  stopServer,
  TEST_TOKEN,
} from '../services/executor/test/support/executor-harness';
import { firewallState } from './firewall-state';
import { startLab, type Lab, type LabRouter } from './harness';

// The executor's HTTP API against real OpenSSH routers in network namespaces: every
// block is checked on real traffic (the LAN client's ping) and on the router's own
// firewall listing, not on what the executor says about itself.

jest.setTimeout(120_000);

let lab: Lab;
let executor: Executor;
let server: Server;
let client: ExecutorClient;
const sessionId = newSessionId();

beforeAll(async () => {
  lab = await startLab();
  executor = buildTestExecutor({ connectTimeoutMs: 3000, actionTimeoutMs: 10_000 });
  const l = await listen(executor);
  server = l.server;
  client = new ExecutorClient({ baseUrl: l.baseUrl, token: TEST_TOKEN });
  await client.startSession(sessionId);
}, 180_000);

afterAll(async () => {
  executor?.close();
  if (server) await stopServer(server);
  await lab?.teardown();
});

/** A blocked client's `ping -c 2 -W 1` fails; quicker interval, same verdict. */
const pingOk = (r: LabRouter, opts: Parameters<Lab['pingFromClient']>[1] = {}) =>
  lab.pingFromClient(r, { count: 2, timeoutS: 1, intervalS: 0.2, ...opts });

/** What the router's firewall holds, read with its own tools (lab/firewall-state.ts). */
const enforced = (r: LabRouter): Promise<BlockedSet> => firewallState(lab, r);

async function listed(target: RouterTarget): Promise<BlockedSet> {
  const { data } = await client.listBlocked(sessionId, target);
  return { ips: [...data.ips].sort(), macs: [...data.macs].sort() };
}

async function codeOf(p: Promise<unknown>): Promise<ExecutorError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExecutorError);
  return err as ExecutorError;
}

describe.each(['r1', 'r2'] as const)('lab router %s through the executor API', (name) => {
  const router = () => lab[name];
  const target = () => lab.routerTarget(router());

  it('when the client is blocked by IP, then its ping fails; a repeated block succeeds; after unblock it works', async () => {
    const r = router();
    expect(await pingOk(r)).toBe(true);

    const first = await client.block(sessionId, target(), { ip: r.client.ip });
    expect(first.data).toEqual({ target: { ip: r.client.ip }, changed: true });
    expect(await pingOk(r)).toBe(false);
    // Traffic through the router (forward hook) is dropped too.
    expect(await pingOk(r, { to: r.forwardProbeIp })).toBe(false);

    const again = await client.block(sessionId, target(), { ip: r.client.ip });
    expect(again.data.changed).toBe(false);
    expect(await listed(target())).toEqual(await enforced(r));
    expect((await enforced(r)).ips).toEqual([r.client.ip]);

    const un = await client.unblock(sessionId, target(), { ip: r.client.ip });
    expect(un.data.changed).toBe(true);
    expect(await pingOk(r)).toBe(true);
    expect(await listed(target())).toEqual({ ips: [], macs: [] });
    expect(await enforced(r)).toEqual({ ips: [], macs: [] });
  });

  it('when the client is blocked by MAC, then its ping fails; after unblock it works', async () => {
    const r = router();
    const mac = r.client.mac.toUpperCase();
    const res = await client.block(sessionId, target(), { mac });
    expect(res.data.target).toEqual({ mac: r.client.mac });
    expect(await pingOk(r)).toBe(false);
    expect(await listed(target())).toEqual(await enforced(r));
    expect((await enforced(r)).macs).toEqual([r.client.mac]);

    await client.unblock(sessionId, target(), { mac });
    expect(await pingOk(r)).toBe(true);
    expect(await enforced(r)).toEqual({ ips: [], macs: [] });
  });

  it('when the client is blocked by its IPv6 address, then its IPv6 ping fails; after unblock it works', async () => {
    const r = router();
    expect(await pingOk(r, { family: 6 })).toBe(true);
    await client.block(sessionId, target(), { ip: r.client.ip6 });
    expect(await pingOk(r, { family: 6 })).toBe(false);
    expect(await listed(target())).toEqual(await enforced(r));
    await client.unblock(sessionId, target(), { ip: r.client.ip6 });
    expect(await pingOk(r, { family: 6 })).toBe(true);
  });

  it('when several devices are blocked, then list-blocked shows exactly what the router enforces', async () => {
    const r = router();
    const others = ['10.213.250.7', 'fd42:213:ff::7'];
    for (const ip of others) await client.block(sessionId, target(), { ip });
    await client.block(sessionId, target(), { mac: '02:00:5e:10:00:01' });
    const seen = await listed(target());
    expect(seen).toEqual(await enforced(r));
    expect(seen).toEqual({ ips: ['10.213.250.7', 'fd42:213:ff::7'], macs: ['02:00:5e:10:00:01'] });
    for (const ip of others) await client.unblock(sessionId, target(), { ip });
    await client.unblock(sessionId, target(), { mac: '02:00:5e:10:00:01' });
    expect(await enforced(r)).toEqual({ ips: [], macs: [] });
  });

  it('when the router is scanned, then the client comes back with its MAC, leased IP and leased hostname', async () => {
    const r = router();
    const { data } = await client.scan(sessionId, target());
    const me = data.devices.find((d) => d.mac === r.client.mac);
    expect(me).toMatchObject({ mac: r.client.mac, ip: r.client.ip, hostname: r.client.hostname });
    expect(me?.source).toBe('both');
  });

  it('when info is asked, then uptime, load and memory come back', async () => {
    const { data } = await client.info(sessionId, target());
    expect(data.hostname).toBe(router().ns);
    expect(data.uptimeSeconds).toBeGreaterThan(0);
    expect(data.load).toHaveLength(3);
    expect(data.memory.totalBytes).toBeGreaterThan(0);
    expect(data.memory.availableBytes).toBeGreaterThan(0);
  });

  it('when 20 actions hit the router at once, then all succeed on the pooled connection', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.listBlocked(sessionId, target())));
    expect(answers.every((a) => a.metadata.connectionReused !== null)).toBe(true);
    expect(answers.filter((a) => a.metadata.connectionReused).length).toBeGreaterThan(0);
  });

  it("when the router's firewall is reloaded under an open connection, then the next block prepares it again and is enforced", async () => {
    const r = router();
    await client.listBlocked(sessionId, target()); // the pooled connection is open and prepared
    // What a reload (`flush ruleset`, `iptables-restore` of the owner's rules) does to us: our
    // table, or our chain and its jumps, are gone. The rest of the ruleset stays as it was.
    const reload =
      r.platform === 'linux-nft'
        ? 'nft delete table inet netpilot'
        : ['iptables', 'ip6tables']
            .map((bin) => `${bin} -D INPUT -j NETPILOT && ${bin} -D FORWARD -j NETPILOT && ${bin} -F NETPILOT && ${bin} -X NETPILOT`)
            .join(' && ');
    expect(await lab.routerExec(r, reload)).toMatchObject({ code: 0 });
    const res = await client.block(sessionId, target(), { ip: r.client.ip });
    expect(res.data).toEqual({ target: { ip: r.client.ip }, changed: true });
    expect(res.metadata.connectionReused).toBe(true);
    expect(await pingOk(r)).toBe(false);
    expect(await pingOk(r, { to: r.forwardProbeIp })).toBe(false);
    expect(await listed(target())).toEqual(await enforced(r));
    await client.unblock(sessionId, target(), { ip: r.client.ip });
    expect(await pingOk(r)).toBe(true);
  });

  it('when the router is logged in to with a key, then it works like a password', async () => {
    const res = await client.ping(sessionId, lab.routerTarget(router(), { auth: 'key', id: `${name}-key` }));
    expect(res.data).toEqual({ ok: true });
  });
});

describe('lab router r2 (iptables) after its owner flushes INPUT and FORWARD', () => {
  const flush = ['iptables', 'ip6tables'].map((bin) => `${bin} -w -F INPUT && ${bin} -w -F FORWARD`).join(' && ');

  it('when the jumps to our chain are gone, then the next block or listing hooks the chain back in and the client is dropped again', async () => {
    const r = lab.r2;
    const target = lab.routerTarget(r);
    await client.block(sessionId, target, { ip: r.client.ip });
    expect(await pingOk(r)).toBe(false);
    // `iptables -F INPUT` and `-F FORWARD` are everyday maintenance: they take our jumps
    // with them, and our rules, though still there, block nothing.
    expect(await lab.routerExec(r, flush)).toMatchObject({ code: 0 });
    expect(await pingOk(r)).toBe(true);
    const again = await client.block(sessionId, target, { ip: r.client.ip });
    expect(again.data).toEqual({ target: { ip: r.client.ip }, changed: true });
    expect(await pingOk(r)).toBe(false);
    expect(await pingOk(r, { to: r.forwardProbeIp })).toBe(false);

    expect(await lab.routerExec(r, flush)).toMatchObject({ code: 0 });
    expect(await pingOk(r)).toBe(true);
    expect(await listed(target)).toEqual(await enforced(r));
    expect((await listed(target)).ips).toContain(r.client.ip);
    expect(await pingOk(r)).toBe(false);
    await client.unblock(sessionId, target, { ip: r.client.ip });
    expect(await pingOk(r)).toBe(true);
  });

  it('when the filter table also holds native nft rules (iptables-nft), then the listing still reads our chain and its jumps', async () => {
    const r = lab.r2;
    const target = lab.routerTarget(r);
    const version = await lab.routerExec(r, 'iptables -V');
    if (!/nf_tables/.test(version.stdout)) {
      // iptables-legacy has no native nft rules to refuse; the whole-table listing serves.
      expect(version.stdout).toMatch(/legacy/);
      return;
    }
    await client.block(sessionId, target, { ip: r.client.ip });
    const add = "nft add rule ip filter INPUT ct state established counter accept && nft add rule ip6 filter INPUT ct state established counter accept";
    expect(await lab.routerExec(r, add)).toMatchObject({ code: 0 });
    try {
      expect((await lab.routerExec(r, 'iptables -w -S')).code).not.toBe(0); // what makes the fallback necessary
      expect((await listed(target)).ips).toContain(r.client.ip);
      expect(await pingOk(r)).toBe(false);
    } finally {
      await client.unblock(sessionId, target, { ip: r.client.ip });
      await lab.routerExec(r, 'nft flush chain ip filter INPUT; nft flush chain ip6 filter INPUT; iptables -w -I INPUT 1 -j NETPILOT; ip6tables -w -I INPUT 1 -j NETPILOT');
    }
    expect(await listed(target)).toEqual(await enforced(r));
  });
});

describe('host keys, credentials and reachability in the lab', () => {
  it('when no key is pinned, then the router key is returned as ssh-keygen prints it; a second action reuses the connection', async () => {
    const s = newSessionId();
    const t = lab.routerTarget(lab.r1, { pinHostKey: false, id: 'tofu-r1' });
    const first = await client.ping(s, t);
    expect(first.metadata.hostKeySha256).toBe(lab.r1.hostKeySha256);
    expect(first.metadata.connectionReused).toBe(false);
    const second = await client.ping(s, { ...t, hostKeySha256: first.metadata.hostKeySha256! });
    expect(second.metadata.connectionReused).toBe(true);
    await client.endSession(s);
    expect(executor.sessions.get(s)).toBeUndefined();
  });

  it('when the pinned key is another one, then it answers HOST_KEY_MISMATCH', async () => {
    const t = { ...lab.routerTarget(lab.r1, { id: 'wrong-pin' }), hostKeySha256: lab.r2.hostKeySha256 };
    const err = await codeOf(client.ping(newSessionId(), t));
    expect(err.code).toBe('HOST_KEY_MISMATCH');
    expect(err.details).toMatchObject({ expected: lab.r2.hostKeySha256, seen: lab.r1.hostKeySha256 });
  });

  it('when the password is wrong, then it answers ROUTER_AUTH_FAILED', async () => {
    const t = { ...lab.routerTarget(lab.r2, { id: 'wrong-pass' }), password: 'definitely-not-it' };
    const err = await codeOf(client.ping(newSessionId(), t));
    expect(err.code).toBe('ROUTER_AUTH_FAILED');
    expect(JSON.stringify(err.details ?? {})).not.toContain('definitely-not-it');
  });

  it('when the port is closed, then it answers ROUTER_UNREACHABLE', async () => {
    const t = { ...lab.routerTarget(lab.r1, { id: 'closed', pinHostKey: false }), ...lab.closedPort };
    const err = await codeOf(client.ping(newSessionId(), t));
    expect(err.code).toBe('ROUTER_UNREACHABLE');
    expect(err.details).toMatchObject({ reason: 'ECONNREFUSED' });
  });

  it('when SYNs are dropped, then it answers ROUTER_UNREACHABLE once the connect timeout passes', async () => {
    const t = { ...lab.routerTarget(lab.r1, { id: 'blackhole', pinHostKey: false }), ...lab.blackholePort };
    const err = await codeOf(client.ping(newSessionId(), t));
    expect(err.code).toBe('ROUTER_UNREACHABLE');
    expect(err.details).toMatchObject({ reason: 'CONNECT_TIMEOUT' });
  });
});

describe('routes through the bastion', () => {
  it('when a router is reached on its management address through the bastion, then blocking works and both keys are pinned', async () => {
    const s = newSessionId();
    const r = lab.r1;
    const t = lab.routerTarget(r, { viaBastion: true, id: 'r1-via-bastion' });
    const res = await client.block(s, t, { ip: r.client.ip });
    expect(res.metadata).toMatchObject({ hostKeySha256: r.hostKeySha256, jumpHostKeySha256: lab.bastion.hostKeySha256 });
    expect(await pingOk(r)).toBe(false);
    await client.unblock(s, t, { ip: r.client.ip });
    expect(await pingOk(r)).toBe(true);
    await client.endSession(s);
  });

  it('when neither key is pinned, then both are returned as seen (trust on first use)', async () => {
    const t = lab.routerTarget(lab.r2, { viaBastion: true, pinHostKey: false, id: 'r2-via-bastion-tofu' });
    delete t.jumpHost!.hostKeySha256;
    const res = await client.info(newSessionId(), t);
    expect(res.metadata.hostKeySha256).toBe(lab.r2.hostKeySha256);
    expect(res.metadata.jumpHostKeySha256).toBe(lab.bastion.hostKeySha256);
    expect(res.data.hostname).toBe(lab.r2.ns);
  });

  it('when the bastion pin is wrong, then it answers HOST_KEY_MISMATCH for the jump host', async () => {
    const t = lab.routerTarget(lab.r1, { viaBastion: true, id: 'bad-bastion-pin' });
    t.jumpHost!.hostKeySha256 = lab.r1.hostKeySha256;
    const err = await codeOf(client.ping(newSessionId(), t));
    expect(err.code).toBe('HOST_KEY_MISMATCH');
    expect(err.details).toMatchObject({ hop: 'jumpHost', seen: lab.bastion.hostKeySha256 });
  });

  it('when the management address is used without the bastion, then it is unreachable (the bastion route is real)', async () => {
    const t = { ...lab.routerTarget(lab.r1, { id: 'mgmt-direct' }), host: lab.r1.mgmtHost };
    const err = await codeOf(client.ping(newSessionId(), t));
    expect(err.code).toBe('ROUTER_UNREACHABLE');
  });
});

describe('injection attempts', () => {
  const marker = `/tmp/np-marker-${randomBytes(6).toString('hex')}`;

  const attempts: Array<[string, (t: RouterTarget) => Promise<unknown>]> = [
    ['ip with ;', (t) => client.block(sessionId, t, { ip: `1.2.3.4; touch ${marker}` })],
    ['ip with $()', (t) => client.block(sessionId, t, { ip: `$(touch ${marker})` })],
    ['ip with backticks', (t) => client.block(sessionId, t, { ip: `\`touch ${marker}\`` })],
    ['ip with a newline', (t) => client.block(sessionId, t, { ip: `1.2.3.4\ntouch ${marker}` })],
    ['ip with a pipe', (t) => client.unblock(sessionId, t, { ip: `1.2.3.4 | touch ${marker}` })],
    ['mac with ;', (t) => client.block(sessionId, t, { mac: `aa:bb:cc:dd:ee:01;touch ${marker}` })],
    ['an extra param', (t) => client.action('block', sessionId, t, { ip: '10.213.250.9', cmd: `touch ${marker}` } as never)],
    ['leasesPath with ;', (t) => client.scan(sessionId, { ...t, options: { leasesPath: `/tmp/x; touch ${marker}` } })],
    ['leasesPath with $()', (t) => client.scan(sessionId, { ...t, options: { leasesPath: `/tmp/$(touch ${marker})` } })],
    ['username with ;', (t) => client.ping(sessionId, { ...t, username: `nplab;touch${marker}` })],
  ];

  it.each(attempts)('when a call carries %s, then it answers VALIDATION_FAILED and nothing runs on the router', async (_what, call) => {
    for (const r of lab.routers) {
      const before = (await lab.routerExec(r, `test -e ${marker}`)).code;
      expect(before).not.toBe(0);
      const err = await codeOf(call(lab.routerTarget(r)));
      expect(err.code).toBe('VALIDATION_FAILED');
      expect((await lab.routerExec(r, `test -e ${marker}`)).code).not.toBe(0);
    }
    // The extra-param attempt must not have blocked its otherwise valid address either.
    for (const r of lab.routers) expect((await enforced(r)).ips).not.toContain('10.213.250.9');
  });

  it('when the marker check itself is exercised, then it does see a file that exists (control)', async () => {
    const control = `${marker}-control`;
    expect((await lab.routerExec(lab.r1, `touch ${control} && test -e ${control}`)).code).toBe(0);
    await lab.routerExec(lab.r1, `rm -f ${control}`);
  });
});
