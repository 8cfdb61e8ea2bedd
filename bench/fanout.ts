/**
 * Fan-out benchmark (`npm run bench:fanout`): block one address on N simulated routers
 * (N = 10, 100, 1,000; BENCH_FANOUT_N) through the bulk API, from the POST to the operation
 * being done (every router answered), first on new SSH connections and then on warm ones.
 * Prints the wall time (median of BENCH_ROUNDS rounds), blocks per second and the CPU per
 * block of each process (controller, executor, PostgreSQL, the simulators). When `ansible`
 * and `sshpass` are installed, the same block with `ansible all -m raw -f N` against the
 * same simulators in the same run is the baseline, as a ratio: its command is what the
 * executor runs on a new connection (prepare our table, then the block), over new SSH
 * connections (ControlMaster off), forks capped at BENCH_ANSIBLE_MAX_FORKS (default 100).
 * Ansible over 1,000 routers takes minutes on two cores: it runs only with BENCH_ANSIBLE_1000=1.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ExecutorClient } from '@netpilot/executor-client';
import { nftablesFirewall } from '../services/executor/src/platforms/nftables';
import { startBackgroundWork } from '../services/controller/src/jobs/background';
import { countStatements } from './statements';
import { api, say, startBenchStack, startSimFarm } from './bench-stack';
import { printTable, runBench } from './stats';

const NS = (process.env.BENCH_FANOUT_N ?? '10,100,1000').split(',').map(Number).filter((n) => n > 0);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48);
const MAX_FORKS = Number(process.env.BENCH_ANSIBLE_MAX_FORKS ?? 100);
const ANSIBLE_1000 = process.env.BENCH_ANSIBLE_1000 === '1';
const PASSWORD = 'bench';
const run = promisify(execFile);

/** Statements this process sends to PostgreSQL, ours and the job queue's apart. */
const statements = countStatements();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ticks = 100; // USER_HZ on Linux

/** CPU milliseconds used so far by these processes (utime + stime of each, from /proc). */
async function cpuMs(pids: number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** PostgreSQL's processes: the postmaster and its children (backends, walwriter…). */
async function postgresPids(dataDir: string): Promise<number[]> {
  const master = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const pids = [master];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

async function hasAnsible(): Promise<boolean> {
  try {
    await run('ansible', ['--version']);
    await run('sshpass', ['-V']);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const maxN = Math.max(...NS);
  say(`starting ${maxN} simulated routers in their own process...`);
  const farm = await startSimFarm(maxN, PASSWORD);
  say('starting PostgreSQL, the executor (own process) and the controller with its background work...');
  const stack = await startBenchStack({
    executor: 'process',
    env: { BULK_CONCURRENCY: String(CONCURRENCY), RECONCILE_INTERVAL_SECONDS: '86400', JOB_POLL_SECONDS: '0.5' },
    // Every simulator is its own host:port, as routers are: no shared handshake limit applies.
    executorEnv: { LOG_LEVEL: 'warn' },
    poolSize: 20,
  });
  const cleanups: (() => Promise<unknown>)[] = [() => farm.stop()];
  const work = await mkdtemp(path.join(os.tmpdir(), 'netpilot-fanout-'));
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  try {
    const { db, services, config, logger, base } = stack;
    const background = await startBackgroundWork(services, config, logger);
    cleanups.unshift(() => background.stop());
    const [{ data_directory: dataDir }] = await db.sql.query<{ data_directory: string }>('SHOW data_directory');
    const pgPids = await postgresPids(dataDir);

    const password = 'Bench-fanout-1234!';
    await api(base, 'POST', '/api/v1/auth/register', null, { username: 'fleet', password });
    const login = await api(base, 'POST', '/api/v1/auth/login', null, { username: 'fleet', password });
    const token = login.body.accessToken as string;
    const [owner] = await db.sql.query<{ id: string }>(`SELECT id FROM users WHERE username = 'fleet'`);
    const actor = { userId: owner.id, isAdmin: true, sessionId: services.instanceId, ip: null };
    say(`adding ${maxN} routers (one per simulator, host keys pinned)...`);
    const ids: string[] = [];
    for (const [i, sim] of farm.sims.entries()) {
      const router = await services.routers.create(actor, {
        name: `office ${i}`, host: sim.host, port: sim.port, username: sim.username, password: PASSWORD, platform: 'linux-nft', options: {}, hostKeySha256: sim.hostKeySha256,
      });
      ids.push(router.id);
    }

    let ipSeq = 0;
    const nextIp = () => `10.${100 + Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}.${(ipSeq++ % 200) + 1}`;
    const pids = { controller: [process.pid], executor: [stack.executorPid!], postgres: pgPids, simulators: [farm.pid] };
    /** One bulk block over the first n routers; wall ms from the POST until the operation is done, and CPU ms per process. */
    const bulk = async (n: number) => {
      const cpuBefore = Object.fromEntries(await Promise.all(Object.entries(pids).map(async ([k, v]) => [k, await cpuMs(v)] as const)));
      const before = { ...statements };
      const t0 = performance.now();
      const started = await api(base, 'POST', '/api/v1/bulk/blocks', token, { routerIds: ids.slice(0, n), ip: nextIp() });
      if (started.status !== 202) throw new Error(`bulk block answered ${started.status}: ${JSON.stringify(started.body)}`);
      for (;;) {
        const [row] = await db.sql.query<{ status: string }>('SELECT status FROM operations WHERE id = $1', [started.body.id]);
        statements.ours--; // the bench's own poll
        if (row.status === 'done') break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const wallMs = performance.now() - t0;
      const after = { ...statements };
      const op = await api(base, 'GET', `/api/v1/operations/${started.body.id}`, token);
      if (op.body.succeeded !== n) throw new Error(`${n - op.body.succeeded} of ${n} routers not applied: ${JSON.stringify(op.body.results.find((r: { status: string }) => r.status !== 'applied'))}`);
      const cpu = Object.fromEntries(await Promise.all(Object.entries(pids).map(async ([k, v]) => [k, (await cpuMs(v)) - cpuBefore[k]] as const)));
      return { wallMs, cpu, ours: (after.ours - before.ours) / n, queue: (after.queue - before.queue) / n };
    };
    /** Every pooled SSH connection closed: the executor session of the controller ends (the next call starts it again). */
    const executorClient = new ExecutorClient({ baseUrl: stack.executorUrl, token: config.executorToken });
    const dropConnections = () => executorClient.endSession(services.instanceId);

    const ansible = (await hasAnsible()) ? 'ansible' : null;
    if (!ansible) say('ansible or sshpass not installed: no baseline (apt-get install ansible-core sshpass)');
    const command = `${nftablesFirewall.prepareCommand}; ${nftablesFirewall.blockCommand({ ip: '10.250.0.1' })}`;
    const ansibleRun = async (n: number) => {
      const inventory = path.join(work, `inventory-${n}.ini`);
      await writeFile(
        inventory,
        [
          '[routers]',
          ...farm.sims.slice(0, n).map((s, i) => `r${i} ansible_host=${s.host} ansible_port=${s.port}`),
          '[routers:vars]',
          `ansible_user=root`,
          `ansible_password=${PASSWORD}`,
          '',
        ].join('\n'),
      );
      const t0 = performance.now();
      const child = spawn('ansible', ['all', '-i', inventory, '-m', 'raw', '-a', command, '-f', String(Math.min(n, MAX_FORKS))], {
        env: {
          ...process.env,
          ANSIBLE_HOST_KEY_CHECKING: 'False',
          ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR',
          ANSIBLE_LOCAL_TEMP: work,
          ANSIBLE_GATHERING: 'explicit',
          // The simulators allocate no terminal; raw needs none.
          ANSIBLE_SSH_USETTY: 'False',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      const wallMs = performance.now() - t0;
      const ok = (out.match(/\| CHANGED \|/g) ?? []).length;
      if (code !== 0 || ok !== n) throw new Error(`ansible: ${ok} of ${n} hosts changed (exit ${code}):\n${out.slice(-2000)}`);
      return wallMs;
    };

    const rows: (string | number)[][] = [];
    const summary: string[] = [];
    for (const n of NS) {
      const cold: Awaited<ReturnType<typeof bulk>>[] = [];
      const warm: Awaited<ReturnType<typeof bulk>>[] = [];
      const rounds = n >= 1000 ? Math.min(ROUNDS, 1) : ROUNDS;
      const ansibleMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        say(`N=${n} round ${r + 1}/${rounds}: NetPilot, new connections...`);
        await dropConnections();
        // As routers that send heartbeats are: online and seen lately. Otherwise each one's first
        // contact would also record it online and ask for its reconcile, once per router ever.
        await db.sql.query(`UPDATE routers SET status = 'online', last_seen_at = now() WHERE id = ANY($1::uuid[])`, [ids.slice(0, n)]);
        cold.push(await bulk(n));
        say(`N=${n} round ${r + 1}/${rounds}: NetPilot, warm connections...`);
        warm.push(await bulk(n));
        if (ansible && (n < 1000 || ANSIBLE_1000)) {
          say(`N=${n} round ${r + 1}/${rounds}: ansible -m raw -f ${Math.min(n, MAX_FORKS)}...`);
          ansibleMs.push(await ansibleRun(n));
        }
      }
      const a = ansibleMs.length ? median(ansibleMs) : null;
      for (const [label, runs] of [['new connections', cold], ['warm', warm]] as const) {
        const wall = median(runs.map((x) => x.wallMs));
        const per = (k: string) => median(runs.map((x) => x.cpu[k])) / n;
        rows.push([
          n,
          label,
          wall.toFixed(0),
          ((n * 1000) / wall).toFixed(0),
          (per('controller') + per('executor') + per('postgres') + per('simulators')).toFixed(2),
          per('controller').toFixed(2),
          per('executor').toFixed(2),
          per('postgres').toFixed(2),
          per('simulators').toFixed(2),
          median(runs.map((x) => x.ours)).toFixed(2),
          a === null ? '-' : a.toFixed(0),
          a === null ? '-' : `${(a / wall).toFixed(1)}×`,
        ]);
      }
      const coldWall = median(cold.map((x) => x.wallMs));
      if (n === 100) {
        summary.push(`100 routers, new connections, in at most 1 s: ${coldWall <= 1000 ? 'met' : 'NOT met'} (${coldWall.toFixed(0)} ms)`);
        if (a !== null) summary.push(`100 routers at least 20× faster than Ansible (new connections): ${a / coldWall >= 20 ? 'met' : 'NOT met'} (${(a / coldWall).toFixed(1)}×)`);
      }
      if (n === 1000) summary.push(`1,000 routers in at most 8 s: ${coldWall <= 8000 ? 'met' : 'NOT met'} (new connections ${(coldWall / 1000).toFixed(2)} s, warm ${(median(warm.map((x) => x.wallMs)) / 1000).toFixed(2)} s)`);
    }

    console.log(`\nOne address blocked on N simulated routers through POST /bulk/blocks, until the operation is done (median of ${ROUNDS} rounds, 1 for N ≥ 1,000; BULK_CONCURRENCY ${CONCURRENCY})\n`);
    printTable(
      ['N', 'connections', 'wall ms', 'blocks/s', 'CPU ms/block', 'controller', 'executor', 'postgres', 'simulators', 'statements/router', `ansible ms (-f ≤${MAX_FORKS})`, 'vs ansible'],
      rows,
    );
    console.log('');
    for (const line of summary) console.log(`target: ${line}`);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${os.cpus().length} CPUs`);
  } finally {
    say('tearing down');
    for (const c of cleanups) await c().catch(() => undefined);
    await stack.close();
  }
}

runBench(main);
