import net from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { utils } from 'ssh2';
import { connectSshRunner, type RouterSim, type RouterSimOptions } from '@netpilot/router-sim';
import type { RouterTarget } from '@netpilot/contracts';
import type { ExecutorConfig } from '../src/config';
import type { Executor } from '../src/executor';
import { iptablesFirewall } from '../src/platforms/iptables';
import { nftablesFirewall } from '../src/platforms/nftables';
import {
  act,
  buildTestExecutor,
  closedPort,
  ed25519Pair,
  eventually,
  metricValue,
  routerFor,
  startSession,
  startSim,
  TEST_TOKEN,
} from './support/executor-harness';

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
/** Exactly the driver's list-blocked command, whatever its wording becomes. */
const LIST_BLOCKED = new RegExp(`^${nftablesFirewall.listBlockedCommand.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const sims: RouterSim[] = [];
const executors: Executor[] = [];

async function newSim(opts: RouterSimOptions = {}): Promise<RouterSim> {
  const sim = await startSim(opts);
  sims.push(sim);
  return sim;
}

function newExecutor(overrides: Partial<ExecutorConfig> = {}): Executor {
  const e = buildTestExecutor(overrides);
  executors.push(e);
  return e;
}



afterAll(async () => {
  executors.forEach((e) => e.close());
  await Promise.all(sims.map((s) => s.close()));
});

describe('host keys', () => {
  it('when the pinned fingerprint is the router key, then the action runs and reports that key', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const res = await act(executor, 'ping', await startSession(executor), routerFor(sim, { hostKeySha256: sim.hostKeySha256 })).expect(200);
    expect(res.body.metadata.hostKeySha256).toBe(sim.hostKeySha256);
  });

  it('when the pinned fingerprint is another key, then it answers HOST_KEY_MISMATCH with expected and seen, and runs nothing', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const other = await newSim();
    const res = await act(executor, 'block', await startSession(executor), routerFor(sim, { hostKeySha256: other.hostKeySha256 }), {
      ip: '192.168.1.9',
    });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('HOST_KEY_MISMATCH');
    expect(res.body.error.details).toMatchObject({ expected: other.hostKeySha256, seen: sim.hostKeySha256, hop: 'router' });
    expect(res.body.metadata.hostKeySha256).toBeNull();
    expect(sim.commands).toEqual([]);
    expect(sim.stats.handshakes).toBe(0);
  });

  it('when a pin arrives for a pooled connection that showed another key, then it is refused without running anything', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const other = await newSim();
    const sessionId = await startSession(executor);
    // Trust on first use: no pin, the key seen is returned.
    const first = await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    expect(first.body.metadata.hostKeySha256).toBe(sim.hostKeySha256);
    const before = sim.commands.length;
    const res = await act(executor, 'ping', sessionId, routerFor(sim, { hostKeySha256: other.hostKeySha256 }));
    expect(res.body.error.code).toBe('HOST_KEY_MISMATCH');
    expect(sim.commands.length).toBe(before);
    // Pinning the key it did show keeps using the pooled connection.
    const pinned = await act(executor, 'ping', sessionId, routerFor(sim, { hostKeySha256: sim.hostKeySha256 })).expect(200);
    expect(pinned.body.metadata.connectionReused).toBe(true);
  });
});

describe('credentials and reachability', () => {
  it('when the password is wrong, then it answers ROUTER_AUTH_FAILED and never repeats the password', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const res = await act(executor, 'ping', await startSession(executor), routerFor(sim, { password: 'not-the-password-42' }));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('ROUTER_AUTH_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('not-the-password-42');
    expect(sim.commands).toEqual([]);
  });

  it('when the credentials change after a successful action, then the old connection is not reused for them', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    const res = await act(executor, 'ping', sessionId, routerFor(sim, { password: 'changed-and-wrong' }));
    expect(res.body.error.code).toBe('ROUTER_AUTH_FAILED');
  });

  it('when the private key is not one the router accepts, then it answers ROUTER_AUTH_FAILED', async () => {
    const executor = newExecutor();
    const allowed = ed25519Pair('allowed');
    const other = ed25519Pair('other');
    const sim = await newSim({ authorizedKeys: [allowed.publicKey] });
    const res = await act(executor, 'ping', await startSession(executor), routerFor(sim, { password: undefined, privateKey: other.privateKey }));
    expect(res.body.error.code).toBe('ROUTER_AUTH_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('PRIVATE KEY');
  });

  it('when the private key cannot be parsed, then it answers ROUTER_AUTH_FAILED without quoting the key', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const garbage = '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWdhcmJhZ2U=\n-----END OPENSSH PRIVATE KEY-----\n';
    const res = await act(executor, 'ping', await startSession(executor), routerFor(sim, { password: undefined, privateKey: garbage }));
    expect(res.body.error.code).toBe('ROUTER_AUTH_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('c2VjcmV0');
    expect(sim.stats.connections).toBe(0);
  });

  it('when an encrypted key comes with its passphrase, then it works; with a wrong one, ROUTER_AUTH_FAILED', async () => {
    const executor = newExecutor();
    const pair = utils.generateKeyPairSync('ecdsa', { bits: 256, passphrase: 'open sesame', cipher: 'aes256-ctr' });
    const sim = await newSim({ authorizedKeys: [pair.public] });
    const sessionId = await startSession(executor);
    const good = routerFor(sim, { password: undefined, privateKey: pair.private, passphrase: 'open sesame' });
    await act(executor, 'ping', sessionId, good).expect(200);
    const bad = await act(executor, 'ping', sessionId, { ...good, passphrase: 'wrong sesame' });
    expect(bad.body.error.code).toBe('ROUTER_AUTH_FAILED');
    expect(JSON.stringify(bad.body)).not.toContain('sesame');
  });

  it('when nothing listens on the port, then it answers ROUTER_UNREACHABLE (ECONNREFUSED)', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const port = await closedPort();
    const res = await act(executor, 'ping', await startSession(executor), routerFor(sim, { port }));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('ROUTER_UNREACHABLE');
    expect(res.body.error.details).toMatchObject({ reason: 'ECONNREFUSED', port });
    expect(res.body.metadata.connectionReused).toBeNull();
  });

  it('when the host name does not resolve, then it answers ROUTER_UNREACHABLE', async () => {
    const executor = newExecutor({ connectTimeoutMs: 2000 });
    const sim = await newSim();
    const res = await act(executor, 'ping', await startSession(executor), routerFor(sim, { host: 'no-such-router.invalid' }));
    expect(res.body.error.code).toBe('ROUTER_UNREACHABLE');
  });

  describe('a host that accepts TCP but never speaks SSH', () => {
    let blackHole: net.Server;
    let port: number;
    let open = 0;
    let maxOpen = 0;
    let accepted = 0;
    const sockets = new Set<net.Socket>();

    beforeAll(async () => {
      blackHole = net.createServer((s) => {
        sockets.add(s);
        accepted++;
        open++;
        maxOpen = Math.max(maxOpen, open);
        s.on('error', () => {});
        s.on('close', () => {
          open--;
          sockets.delete(s);
        });
      });
      await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
      port = (blackHole.address() as AddressInfo).port;
    });

    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => blackHole.close(() => r()));
    });

    it('when several sessions connect at once, then at most SSH_MAX_HANDSHAKES_PER_HOST are in flight and all answer ROUTER_UNREACHABLE (CONNECT_TIMEOUT)', async () => {
      const executor = newExecutor({ connectTimeoutMs: 400, maxHandshakesPerHost: 2 });
      const sessions = await Promise.all(Array.from({ length: 6 }, () => startSession(executor)));
      const router: RouterTarget = { id: 'hole', host: '127.0.0.1', port, username: 'root', password: 'x', platform: 'linux-nft' };
      const answers = await Promise.all(sessions.map((s) => act(executor, 'ping', s, router)));
      for (const a of answers) {
        expect(a.body.error.code).toBe('ROUTER_UNREACHABLE');
        expect(a.body.error.details.reason).toBe('CONNECT_TIMEOUT');
      }
      expect(maxOpen).toBeGreaterThanOrEqual(1);
      expect(maxOpen).toBeLessThanOrEqual(2);
      // Those still waiting for a slot when their time ran out never opened a socket.
      expect(accepted).toBe(2);
    });
  });
});

describe('commands that fail or hang', () => {
  it('when a command exits non-zero, then it answers COMMAND_FAILED with the router stderr trimmed', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    sim.failNext(/cat \/proc\/uptime/, { exitCode: 2, stderr: '  cat: /proc/uptime: Input/output error\n\n' });
    const prepares = sim.commands.filter((c) => c === nftablesFirewall.prepareCommand).length;
    const res = await act(executor, 'info', sessionId, routerFor(sim));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('COMMAND_FAILED');
    expect(res.body.error.details).toEqual({ exitCode: 2, stderr: 'cat: /proc/uptime: Input/output error' });
    expect(res.body.metadata).toMatchObject({ connectionReused: true, hostKeySha256: sim.hostKeySha256, action: 'info' });
    // A read that does not touch our table is not a reason to prepare the firewall again.
    expect(sim.commands.filter((c) => c === nftablesFirewall.prepareCommand).length).toBe(prepares);
  });

  it('when a block fails, then the firewall is prepared again and the block tried once more; if that fails too, its error is answered', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    // Matched on the address, not on the driver's command wording, which may change.
    sim.failNext(/192\.168\.1\.77/, { exitCode: 2, stderr: 'Error: first' });
    sim.failNext(/192\.168\.1\.77/, { exitCode: 3, stderr: '  Error: Could not process rule: Operation not permitted\n\n' });
    const prepares = sim.commands.filter((c) => c === nftablesFirewall.prepareCommand).length;
    const res = await act(executor, 'block', sessionId, routerFor(sim), { ip: '192.168.1.77' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('COMMAND_FAILED');
    expect(res.body.error.details).toEqual({ exitCode: 3, stderr: 'Error: Could not process rule: Operation not permitted' });
    expect(res.body.metadata).toMatchObject({ connectionReused: true, action: 'block' });
    expect(sim.commands.filter((c) => c === nftablesFirewall.prepareCommand).length).toBe(prepares + 1);
    expect(sim.state.blocked.ipv4).not.toContain('192.168.1.77');
  });

  it('when the first block on a new connection fails once, then the retry succeeds and the connection is reported as not reused', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    sim.failNext(/192\.168\.1\.78/, { exitCode: 1, stderr: 'Error: No such file or directory' });
    const res = await act(executor, 'block', sessionId, routerFor(sim), { ip: '192.168.1.78' }).expect(200);
    expect(res.body.data).toEqual({ target: { ip: '192.168.1.78' }, changed: true });
    expect(res.body.metadata.connectionReused).toBe(false);
    expect(sim.stats.connections).toBe(1);
  });

  it('when the first command, the prepare and the retry together outlast ACTION_TIMEOUT_MS, then the action answers TIMEOUT', async () => {
    const executor = newExecutor({ actionTimeoutMs: 400 });
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    sim.setLatency(150);
    sim.failNext(/192\.168\.1\.79/, { exitCode: 1, stderr: 'Error: No such file or directory' });
    const res = await act(executor, 'block', sessionId, routerFor(sim), { ip: '192.168.1.79' });
    expect(res.status).toBe(504);
    expect(res.body.error).toMatchObject({ code: 'TIMEOUT', details: { timeoutMs: 400 } });
  });

  for (const platform of ['linux-nft', 'linux-iptables'] as const) {
    it(`when the firewall is reloaded while the connection stays open (${platform}), then the next actions prepare it again and succeed`, async () => {
      const executor = newExecutor();
      const sim = await newSim({ platform });
      const sessionId = await startSession(executor);
      const router = routerFor(sim);
      await act(executor, 'block', sessionId, router, { ip: '192.168.1.20' }).expect(200);
      // A reload (`flush ruleset`, `iptables-restore`) takes our table or chain, and its blocks.
      sim.reloadFirewall();
      expect(sim.state).toMatchObject({ firewallReady: false, blocked: { ips: [] } });
      const listed = await act(executor, 'list-blocked', sessionId, router).expect(200);
      expect(listed.body.data).toEqual({ ips: [], macs: [] });
      expect(sim.state.firewallReady).toBe(true);
      sim.reloadFirewall();
      const res = await act(executor, 'block', sessionId, router, { ip: '192.168.1.21' }).expect(200);
      expect(res.body.data).toEqual({ target: { ip: '192.168.1.21' }, changed: true });
      expect(res.body.metadata.connectionReused).toBe(true);
      expect(sim.state).toMatchObject({ firewallReady: true, blocked: { ips: ['192.168.1.21'] } });
      expect(sim.stats.connections).toBe(1);
    });
  }

  it('when someone flushes INPUT and FORWARD on an iptables router, then the next listing or block hooks our chain back in and reports what is really dropped', async () => {
    const executor = newExecutor();
    const sim = await newSim({ platform: 'linux-iptables' });
    const sessionId = await startSession(executor);
    const router = routerFor(sim);
    await act(executor, 'block', sessionId, router, { ip: '192.168.1.40' }).expect(200);
    // The owner's own maintenance: the jumps to our chain are gone, our rules are not.
    const flush = async () => {
      const admin = await connectSshRunner({ host: sim.host, port: sim.port, username: sim.username, password: sim.password });
      try {
        for (const cmd of ['iptables -w -F INPUT', 'iptables -w -F FORWARD']) expect((await admin.exec(cmd)).code).toBe(0);
      } finally {
        admin.close();
      }
      expect(sim.state.firewallReady).toBe(false);
    };
    await flush();
    const listed = await act(executor, 'list-blocked', sessionId, router).expect(200);
    expect(listed.body.data).toEqual({ ips: ['192.168.1.40'], macs: [] });
    expect(sim.state.firewallReady).toBe(true);
    await flush();
    const again = await act(executor, 'block', sessionId, router, { ip: '192.168.1.40' }).expect(200);
    expect(again.body.data).toEqual({ target: { ip: '192.168.1.40' }, changed: true });
    expect(sim.state.firewallReady).toBe(true);
    const repeat = await act(executor, 'block', sessionId, router, { ip: '192.168.1.40' }).expect(200);
    expect(repeat.body.data.changed).toBe(false);
  });

  it('when several blocks fail at once after a reload, then they share one prepare and all succeed', async () => {
    const executor = newExecutor();
    const sim = await newSim({ platform: 'linux-iptables' });
    const sessionId = await startSession(executor);
    const router = routerFor(sim);
    await act(executor, 'list-blocked', sessionId, router).expect(200);
    sim.reloadFirewall();
    sim.setLatency(50);
    const isPrepare = (c: string) => c === (iptablesFirewall.prepareCommand as string);
    const prepares = sim.commands.filter(isPrepare).length;
    const ips = ['192.168.1.31', '192.168.1.32', '192.168.1.33', '192.168.1.34', '192.168.1.35'];
    const answers = await Promise.all(ips.map((ip) => act(executor, 'block', sessionId, router, { ip })));
    expect(answers.map((a) => a.status)).toEqual(ips.map(() => 200));
    expect(sim.commands.filter(isPrepare).length).toBe(prepares + 1);
    expect(sim.state.blocked.ipv4).toEqual(ips);
  });

  it('when a command is slower than ACTION_TIMEOUT_MS, then it answers TIMEOUT and the connection keeps serving', async () => {
    const executor = newExecutor({ actionTimeoutMs: 300 });
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    sim.failNext(LIST_BLOCKED, { delayMs: 5000 });
    const res = await act(executor, 'list-blocked', sessionId, routerFor(sim));
    expect(res.status).toBe(504);
    expect(res.body.error).toMatchObject({ code: 'TIMEOUT', details: { timeoutMs: 300 } });
    // The timed-out channel was closed; the pooled connection still works.
    const next = await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    expect(next.body.metadata.connectionReused).toBe(true);
    await eventually(() => sim.stats.channelsOpen === 0, 'the router saw the timed-out channel close');
  });

  it('when the router drops the connection during a command, then that action answers ROUTER_UNREACHABLE and the next one reconnects', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    sim.failNext(LIST_BLOCKED, { dropConnection: true });
    const res = await act(executor, 'list-blocked', sessionId, routerFor(sim));
    expect(res.body.error.code).toBe('ROUTER_UNREACHABLE');
    const next = await act(executor, 'list-blocked', sessionId, routerFor(sim)).expect(200);
    expect(next.body.metadata.connectionReused).toBe(false);
    expect(sim.stats.handshakes).toBe(2);
  });

  it('when the router dropped every connection between actions (a reboot), then the next action reconnects and succeeds', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    sim.dropAllConnections();
    const next = await act(executor, 'list-blocked', sessionId, routerFor(sim)).expect(200);
    expect(next.body.metadata.connectionReused).toBe(false);
    expect(sim.stats.handshakes).toBe(2);
  });
});

describe('idle connections and sessions', () => {
  it('when a connection is idle for CONNECTION_IDLE_MS, then it is closed and the next action opens a new one', async () => {
    const executor = newExecutor({ connectionIdleMs: 150 });
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    expect(await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'router' })).toBe(1);
    await eventually(
      async () => (await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'router' })) === 0,
      'the idle connection is closed',
    );
    const next = await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    expect(next.body.metadata.connectionReused).toBe(false);
  });

  it('when a session is idle for SESSION_IDLE_MS, then it ends with its connections and actions answer SESSION_NOT_FOUND', async () => {
    const executor = newExecutor({ sessionIdleMs: 200 });
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    await eventually(async () => (await metricValue(executor, 'executor_sessions_active')) === 0, 'the idle session ends');
    expect(await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'router' })).toBe(0);
    const res = await act(executor, 'ping', sessionId, routerFor(sim));
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
  });

  it('when a session ends while an action runs, then that action answers SESSION_NOT_FOUND', async () => {
    const executor = newExecutor();
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    sim.failNext(LIST_BLOCKED, { delayMs: 2000 });
    const running = act(executor, 'list-blocked', sessionId, routerFor(sim)).then((r) => r);
    await eventually(() => sim.stats.channelsOpen === 1, 'the slow command is running');
    await request(executor.app).post('/api/session/end').set(auth).send({ sessionId }).expect(200);
    const res = await running;
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
  });
});
