import { EventEmitter } from 'node:events';
import type { RouterTarget } from '@netpilot/contracts';
import { AppError } from '../errors';
import { createLogger } from '@netpilot/service-kit';
import type { CommandRunner, PlatformDriver } from '../platforms/types';
import type { SshConnector } from '../ssh/connector';
import { ChannelRefusedError, ConnectionLostError } from '../ssh/errors';
import type { SshConnection } from '../ssh/ssh-connection';
import type { RunInfo } from './action-runner';
import { ConnectionPool } from './connection-pool';

// The pool's bookkeeping with fake connections, so each race is deterministic.

type ExecBehaviour = (command: string, n: number) => Promise<{ stdout: string; stderr: string; code: number }>;

class FakeConnection extends EventEmitter {
  closed = false;
  execCount = 0;
  readonly hostKeySha256 = 'SHA256:fakefakefakefakefakefakefakefakefakefakefak';
  constructor(private readonly behaviour: ExecBehaviour) {
    super();
  }
  async exec(command: string) {
    this.execCount++;
    return this.behaviour(command, this.execCount);
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.emit('closed', 'closed');
  }
}

const ok: ExecBehaviour = async () => ({ stdout: 'ok\n', stderr: '', code: 0 });

function fakeConnector(make: (n: number) => FakeConnection | Promise<FakeConnection>) {
  const made: FakeConnection[] = [];
  const connector = {
    connect: jest.fn(async () => {
      const c = await make(made.length + 1);
      made.push(c);
      return c as unknown as SshConnection;
    }),
  };
  return { connector: connector as unknown as SshConnector & typeof connector, made };
}

const driver = (): PlatformDriver & { prepares: number } => {
  const d = {
    prepares: 0,
    async prepare(runner: CommandRunner) {
      d.prepares++;
      await runner.exec('prepare');
    },
    run: (async (_a: unknown, _p: unknown, runner: CommandRunner) => {
      await runner.exec('echo ok');
      return { ok: true };
    }) as PlatformDriver['run'],
  };
  return d;
};

const router: RouterTarget = { id: 'r1', host: '192.0.2.1', port: 22, username: 'root', password: 'pw', platform: 'linux-nft' };
const logger = createLogger({ level: 'silent', format: 'json', service: 'test' });
const newInfo = (): RunInfo => ({ connectionReused: null, hostKeySha256: null, jumpHostKeySha256: null });

function newPool(connector: SshConnector) {
  return new ConnectionPool('s1', { connector, logger, connectionIdleMs: 60_000, actionTimeoutMs: 5_000 });
}

const runPing = (pool: ConnectionPool, d: PlatformDriver, info = newInfo(), target = router) =>
  pool.run(target, d, (runner) => d.run('ping', {}, runner, target), info);

describe('ConnectionPool', () => {
  it('when many callers use a new router at once, then they share one handshake and prepare runs once', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { connector, made } = fakeConnector(async () => {
      await gate;
      return new FakeConnection(ok);
    });
    const pool = newPool(connector);
    const d = driver();
    const infos = Array.from({ length: 5 }, newInfo);
    const runs = infos.map((info) => runPing(pool, d, info));
    open();
    await Promise.all(runs);
    expect(connector.connect).toHaveBeenCalledTimes(1);
    expect(made).toHaveLength(1);
    expect(d.prepares).toBe(1);
    expect(infos.every((i) => i.connectionReused === false)).toBe(true);

    const later = newInfo();
    await runPing(pool, d, later);
    expect(later.connectionReused).toBe(true);
    pool.close();
  });

  it('when the pooled connection is found dead before the command starts, then the action runs once more on a fresh connection', async () => {
    const { connector, made } = fakeConnector((n) =>
      new FakeConnection(async (cmd, k) => {
        // The first connection dies silently after prepare, the SSH_CLIENT probe and one action: its next channel cannot open.
        if (n === 1 && k > 3) throw new ConnectionLostError('No response from server', true);
        return ok(cmd, k);
      }),
    );
    const pool = newPool(connector);
    const d = driver();
    await runPing(pool, d);
    const info = newInfo();
    await expect(runPing(pool, d, info)).resolves.toEqual({ ok: true });
    expect(made).toHaveLength(2);
    expect(made[0].closed).toBe(true);
    expect(info.connectionReused).toBe(false);
    pool.close();
  });

  it('when the router refuses a channel for a moment, then the action is asked again on the same connection and succeeds', async () => {
    const { connector, made } = fakeConnector(() =>
      new FakeConnection(async (cmd, k) => {
        // prepare and the SSH_CLIENT probe pass; the action's first two channels are refused.
        if (k === 3 || k === 4) throw new ChannelRefusedError('open failed');
        return ok(cmd, k);
      }),
    );
    const pool = newPool(connector);
    const info = newInfo();
    await expect(runPing(pool, driver(), info)).resolves.toEqual({ ok: true });
    expect(made).toHaveLength(1);
    expect(made[0].execCount).toBe(5);
    expect(info.connectionReused).toBe(false);
    pool.close();
  });

  it('when the router keeps refusing channels, then the action fails after a few tries', async () => {
    const { connector, made } = fakeConnector(() =>
      new FakeConnection(async (cmd, k) => {
        if (k > 2) throw new ChannelRefusedError('open failed');
        return ok(cmd, k);
      }),
    );
    const pool = newPool(connector);
    await expect(runPing(pool, driver())).rejects.toBeInstanceOf(ChannelRefusedError);
    // prepare, probe, then the action: once and three more times.
    expect(made[0].execCount).toBe(6);
    pool.close();
  });

  it('when the fresh connection is dead too, then the error surfaces instead of retrying forever', async () => {
    const { connector, made } = fakeConnector(() =>
      new FakeConnection(async (cmd, k) => {
        if (cmd !== 'prepare') throw new ConnectionLostError('gone', true);
        return ok(cmd, k);
      }),
    );
    const pool = newPool(connector);
    await expect(runPing(pool, driver())).rejects.toBeInstanceOf(ConnectionLostError);
    expect(made).toHaveLength(2);
    pool.close();
  });

  it('when the connection is lost while a command runs, then it is not retried (the command may have run)', async () => {
    const { connector, made } = fakeConnector(() =>
      new FakeConnection(async (cmd, k) => {
        if (cmd !== 'prepare') throw new ConnectionLostError('reset', false);
        return ok(cmd, k);
      }),
    );
    const pool = newPool(connector);
    await expect(runPing(pool, driver())).rejects.toMatchObject({ beforeCommand: false });
    expect(made).toHaveLength(1);
    pool.close();
  });

  it('when a shared handshake fails, then every waiting caller gets the error and the next call tries again', async () => {
    let attempt = 0;
    const connector = {
      connect: jest.fn(async () => {
        attempt++;
        if (attempt === 1) throw new AppError('ROUTER_UNREACHABLE', 'refused');
        return new FakeConnection(ok) as unknown as SshConnection;
      }),
    } as unknown as SshConnector;
    const pool = newPool(connector);
    const d = driver();
    const results = await Promise.allSettled([runPing(pool, d), runPing(pool, d), runPing(pool, d)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(attempt).toBe(1);
    await expect(runPing(pool, d)).resolves.toEqual({ ok: true });
    expect(attempt).toBe(2);
    pool.close();
  });

  it('when prepare fails, then the connection is closed and not pooled', async () => {
    const { connector, made } = fakeConnector(() =>
      new FakeConnection(async (cmd, k) => (cmd === 'prepare' ? { stdout: '', stderr: 'nope', code: 1 } : ok(cmd, k))),
    );
    const pool = newPool(connector);
    const d: PlatformDriver = {
      async prepare(runner) {
        const r = await runner.exec('prepare');
        if (r.code !== 0) throw new Error('prepare failed');
      },
      run: driver().run,
    };
    await expect(runPing(pool, d)).rejects.toThrow('prepare failed');
    expect(made[0].closed).toBe(true);
    expect(pool.size).toBe(0);
    pool.close();
  });

  it('when the session is closed, then its connections close and later calls answer SESSION_NOT_FOUND', async () => {
    const { connector, made } = fakeConnector(() => new FakeConnection(ok));
    const pool = newPool(connector);
    await runPing(pool, driver());
    pool.close();
    expect(made[0].closed).toBe(true);
    await expect(runPing(pool, driver())).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });

  it('when a connection closes by itself, then it is evicted and the next call reconnects', async () => {
    const { connector, made } = fakeConnector(() => new FakeConnection(ok));
    const pool = newPool(connector);
    await runPing(pool, driver());
    made[0].close();
    expect(pool.size).toBe(0);
    const info = newInfo();
    await runPing(pool, driver(), info);
    expect(made).toHaveLength(2);
    expect(info.connectionReused).toBe(false);
    pool.close();
  });
});
