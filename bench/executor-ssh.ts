/**
 * Executor SSH benchmark (`npm run bench:executor`).
 *
 * p50/p99 of `list-blocked` on a pooled connection against a fresh connection per action
 * (a new session per action), through the executor's HTTP API (ExecutorClient → the real
 * executor in its own process, as in production) and on the raw pool layer (in process,
 * no HTTP); against the router simulator, and against the real
 * OpenSSH lab routers when run as root with the lab packages installed. Then actions per
 * second with 50 simulated routers at once. Every loop is bounded; nothing is left
 * running. Figures go to docs/performance.md by hand, with the machine they came from.
 */
import net from 'node:net';
import os from 'node:os';
import type { Server } from 'node:http';
import type { RouterTarget } from '@netpilot/contracts';
import { ExecutorClient } from '@netpilot/executor-client';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { utils } from 'ssh2';
import type { ExecutorConfig } from '../services/executor/src/config';
import { buildExecutor } from '../services/executor/src/executor';
import { createLogger } from '@netpilot/service-kit';
import { getDriver } from '../services/executor/src/platforms';
import type { RunInfo } from '../services/executor/src/sessions/action-runner';
import { ConnectionPool } from '../services/executor/src/sessions/connection-pool';
import { SshConnector } from '../services/executor/src/ssh/connector';
import { startLab } from '../lab/harness';
import { startExecutorProcess } from './bench-stack';
import { percentile, runBench, timeSequential } from './stats';

const TOKEN = 'bench-service-token-0123456789abcdef0123456789';
const POOLED_N = Number(process.env.BENCH_POOLED_N ?? 400);
const FRESH_N = Number(process.env.BENCH_FRESH_N ?? 80);
const FLEET = 50;
const FLEET_ACTIONS_PER_ROUTER = Number(process.env.BENCH_FLEET_PER_ROUTER ?? 40);

const logger = createLogger({ level: 'silent', format: 'json', service: 'bench' });
const config: ExecutorConfig = {
  nodeEnv: 'test',
  port: 0,
  host: '127.0.0.1',
  token: TOKEN,
  connectionIdleMs: 10 * 60_000,
  sessionIdleMs: 30 * 60_000,
  connectTimeoutMs: 10_000,
  actionTimeoutMs: 15_000,
  maxChannelsPerConnection: 8,
  maxHandshakesPerHost: 4,
  logLevel: 'silent',
  logFormat: 'json',
  // The simulators listen on loopback, which routers may otherwise not use.
  destinations: { specialAddresses: ['127.0.0.1'], endpoints: [], tunnelPorts: { min: 20000, max: 29999 } },
};

interface Row {
  target: string;
  layer: 'http' | 'pool';
  mode: 'pooled' | 'fresh' | `${number} routers`;
  n: number;
  p50: number;
  p99: number;
  perSecond: number;
}

const rows: Row[] = [];

function record(target: string, layer: Row['layer'], mode: Row['mode'], samples: number[], wallMs: number): Row {
  const sorted = [...samples].sort((a, b) => a - b);
  const row = { target, layer, mode, n: samples.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), perSecond: (samples.length / wallMs) * 1000 };
  rows.push(row);
  process.stdout.write(
    `  ${target.padEnd(22)} ${layer.padEnd(5)} ${mode.padEnd(11)} n=${String(row.n).padStart(4)}  p50 ${row.p50.toFixed(2).padStart(7)} ms  p99 ${row.p99.toFixed(2).padStart(7)} ms  ${row.perSecond.toFixed(0).padStart(6)}/s\n`,
  );
  return row;
}

interface ExecutorProcess {
  client: ExecutorClient;
  stop(): Promise<void>;
}

/** BENCH_EXECUTOR=inprocess runs the executor app inside this process (no second event loop). */
const IN_PROCESS = process.env.BENCH_EXECUTOR === 'inprocess';

/**
 * The real executor (services/executor/src/main.ts) in its own process, as in
 * production: the client's work and the executor's do not share one event loop.
 */
async function startExecutorHttp(): Promise<ExecutorProcess> {
  if (IN_PROCESS) {
    const executor = buildExecutor({ config, logger });
    const server: Server = await new Promise((resolve, reject) => {
      const srv = executor.app.listen(0, '127.0.0.1', () => resolve(srv));
      srv.once('error', reject);
    });
    const { port } = server.address() as net.AddressInfo;
    return {
      client: new ExecutorClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN }),
      stop: async () => {
        executor.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      },
    };
  }
  const executor = await startExecutorProcess({
    EXECUTOR_TOKEN: TOKEN,
    // The simulators (and the lab's addresses are private, not special) listen on loopback.
    ROUTER_ALLOWED_SPECIAL_ADDRESSES: '127.0.0.1',
    CONNECTION_IDLE_MS: String(config.connectionIdleMs),
    SSH_CONNECT_TIMEOUT_MS: String(config.connectTimeoutMs),
    ACTION_TIMEOUT_MS: String(config.actionTimeoutMs),
  });
  return { client: executor.client, stop: executor.stop };
}

/** pooled vs fresh through HTTP (ExecutorClient → executor → SSH). */
async function benchHttp(label: string, router: RouterTarget, client: ExecutorClient): Promise<void> {
  const session = `bench-${Date.now()}`;
  await client.startSession(session);
  await client.listBlocked(session, router); // connect + prepare once
  for (let i = 0; i < 20; i++) await client.listBlocked(session, router); // warm-up
  const pooled = await timeSequential(POOLED_N, async () => {
    const r = await client.listBlocked(session, router);
    if (!r.metadata.connectionReused) throw new Error('pooled run did not reuse its connection');
  });
  await client.endSession(session);
  const p = record(label, 'http', 'pooled', pooled.samples, pooled.wallMs);

  // Only the action is timed (handshake + host key check + auth + prepare + command);
  // the session start/end around it are bookkeeping a per-action design would not need.
  const freshSamples: number[] = [];
  const freshStart = process.hrtime.bigint();
  for (let i = 0; i < FRESH_N; i++) {
    const s = `bench-fresh-${Date.now()}-${i}`;
    await client.startSession(s);
    try {
      const t = process.hrtime.bigint();
      const r = await client.listBlocked(s, router);
      freshSamples.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.metadata.connectionReused) throw new Error('fresh run reused a connection');
    } finally {
      await client.endSession(s);
    }
  }
  const fresh = { samples: freshSamples, wallMs: Number(process.hrtime.bigint() - freshStart) / 1e6 };
  const f = record(label, 'http', 'fresh', fresh.samples, fresh.wallMs);
  process.stdout.write(`  ${''.padEnd(22)} → pooled is ${(f.p50 / p.p50).toFixed(1)}× faster than fresh (p50)\n`);
}

/** pooled vs fresh on the pool layer alone (no HTTP, no JSON): what SSH itself costs. */
async function benchPool(label: string, router: RouterTarget): Promise<void> {
  const connector = new SshConnector({
    connectTimeoutMs: config.connectTimeoutMs,
    maxChannelsPerConnection: config.maxChannelsPerConnection,
    maxHandshakesPerHost: config.maxHandshakesPerHost,
    destinations: config.destinations,
  });
  const driver = getDriver(router.platform);
  const poolOpts = { connector, logger, connectionIdleMs: config.connectionIdleMs, actionTimeoutMs: config.actionTimeoutMs };
  const run = (pool: ConnectionPool) => {
    const info: RunInfo = { connectionReused: null, hostKeySha256: null, jumpHostKeySha256: null };
    return pool.run(router, driver, (runner) => driver.run('list-blocked', {}, runner, router), info).then(() => info);
  };
  const pool = new ConnectionPool('bench-pool', poolOpts);
  for (let i = 0; i < 20; i++) await run(pool);
  const pooled = await timeSequential(POOLED_N, async () => {
    if (!(await run(pool)).connectionReused) throw new Error('pooled run did not reuse its connection');
  });
  pool.close();
  const p = record(label, 'pool', 'pooled', pooled.samples, pooled.wallMs);
  const fresh = await timeSequential(FRESH_N, async (i) => {
    const one = new ConnectionPool(`bench-fresh-${i}`, poolOpts);
    try {
      await run(one);
    } finally {
      one.close();
    }
  });
  const f = record(label, 'pool', 'fresh', fresh.samples, fresh.wallMs);
  process.stdout.write(`  ${''.padEnd(22)} → pooled is ${(f.p50 / p.p50).toFixed(1)}× faster than fresh (p50)\n`);
}

/** ssh2 1.17 sometimes generates an unreadable ed25519 key (mscdex/ssh2#1390); draw again. */
function hostKey(): string {
  for (;;) {
    const k = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(k.private) instanceof Error) && !(utils.parseKey(k.public) instanceof Error)) return k.private;
  }
}

function simTarget(sim: RouterSim, id: string): RouterTarget {
  return { id, host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft', hostKeySha256: sim.hostKeySha256 };
}

async function benchSimulator(): Promise<void> {
  process.stdout.write('\n== router simulator (ssh2 server on loopback) ==\n');
  const sim = await startRouterSim({ platform: 'linux-nft', hostKey: hostKey() });
  const http = await startExecutorHttp();
  try {
    await benchHttp('simulator', simTarget(sim, 'sim-1'), http.client);
    await benchPool('simulator', simTarget(sim, 'sim-1'));
  } finally {
    await http.stop();
    await sim.close();
  }
}

async function benchFleet(): Promise<void> {
  process.stdout.write(`\n== ${FLEET} simulated routers at once, one session, ${FLEET_ACTIONS_PER_ROUTER} list-blocked each ==\n`);
  const sims = await Promise.all(Array.from({ length: FLEET }, () => startRouterSim({ platform: 'linux-nft', hostKey: hostKey() })));
  const http = await startExecutorHttp();
  try {
    const session = 'bench-fleet';
    await http.client.startSession(session);
    const targets = sims.map((s, i) => simTarget(s, `fleet-${i}`));
    // First contact (50 handshakes, bounded per host) is measured separately from steady state.
    const t0 = process.hrtime.bigint();
    await Promise.all(targets.map((t) => http.client.listBlocked(session, t)));
    const connectMs = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(`  first action on ${FLEET} new connections at once: ${connectMs.toFixed(0)} ms in total\n`);

    const samples: number[] = [];
    const t1 = process.hrtime.bigint();
    await Promise.all(
      targets.map(async (t) => {
        for (let i = 0; i < FLEET_ACTIONS_PER_ROUTER; i++) {
          const s = process.hrtime.bigint();
          await http.client.listBlocked(session, t);
          samples.push(Number(process.hrtime.bigint() - s) / 1e6);
        }
      }),
    );
    const wall = Number(process.hrtime.bigint() - t1) / 1e6;
    record(`${FLEET} simulators`, 'http', `${FLEET} routers`, samples, wall);
  } finally {
    await http.stop();
    await Promise.all(sims.map((s) => s.close()));
  }
}

async function benchLab(): Promise<void> {
  process.stdout.write('\n== lab routers (real OpenSSH 9.2 in network namespaces) ==\n');
  if (process.getuid?.() !== 0) {
    process.stdout.write('  SKIPPED: not root — the lab needs network namespaces (run as root for lab figures)\n');
    return;
  }
  let lab;
  try {
    lab = await startLab({ log: () => {}, lockWaitMs: 60_000 });
  } catch (err) {
    process.stdout.write(`  SKIPPED: the lab could not start (${(err as Error).message})\n`);
    return;
  }
  const http = await startExecutorHttp();
  try {
    for (const r of lab.routers) {
      const target = lab.routerTarget(r, { id: `bench-${r.name}` });
      await benchHttp(`lab ${r.name} (${r.platform})`, target, http.client);
      await benchPool(`lab ${r.name} (${r.platform})`, target);
    }
  } finally {
    await http.stop();
    await lab.teardown();
  }
}

function printTable(): void {
  process.stdout.write('\n| target | layer | mode | n | p50 ms | p99 ms | actions/s |\n|---|---|---|---:|---:|---:|---:|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.target} | ${r.layer} | ${r.mode} | ${r.n} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.perSecond.toFixed(0)} |\n`);
  }
  const ratios: string[] = [];
  for (const r of rows.filter((x) => x.mode === 'pooled')) {
    const f = rows.find((x) => x.target === r.target && x.layer === r.layer && x.mode === 'fresh');
    if (f) ratios.push(`${r.target} / ${r.layer}: pooled ${(f.p50 / r.p50).toFixed(1)}× faster (p50)`);
  }
  if (ratios.length) process.stdout.write(`\npooled/fresh: ${ratios.join('; ')}\n`);
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`executor SSH benchmark — ${os.cpus().length} cores (${cpu}), Node ${process.version}, ${os.platform()} ${os.release()}\n`);
  process.stdout.write(`HTTP rows: ExecutorClient → executor ${IN_PROCESS ? 'in this process' : 'in its own process (services/executor/src/main.ts)'}\n`);
  process.stdout.write(`pooled n=${POOLED_N}, fresh n=${FRESH_N} (fresh = a new session, hence a new SSH connection, per action)\n`);
  // The figures are only as quiet as the machine: say how busy it was.
  process.stdout.write(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  // BENCH_ONLY=sim,lab,fleet picks sections (all by default).
  const only = new Set((process.env.BENCH_ONLY ?? 'sim,lab,fleet').split(',').map((x) => x.trim()));
  if (only.has('sim')) await benchSimulator();
  if (only.has('lab')) await benchLab();
  if (only.has('fleet')) await benchFleet();
  printTable();
  process.stdout.write(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

runBench(main);
