/**
 * Reconcile benchmark (`npm run bench:reconcile`): one reconcile pass over BENCH_ROUTERS
 * (default 1,000) simulated routers with nothing to change, through the real path (the job
 * queue's workers, the executor, SSH), first on new SSH connections and then on warm ones.
 * Prints the wall time, routers per second, the database statements per router (ours and the
 * job queue's), and the same routers read by raw SSH exec (one `nft list` per router over
 * already open connections, at the same concurrency) as the baseline of this run.
 */
import os from 'node:os';
import { connectSshRunner, startRouterSim, type RouterSim, type SshRunner } from '@netpilot/router-sim';
import { startBackgroundWork } from '../services/controller/src/jobs/background';
import { countStatements } from './statements';
import { say, startBenchStack } from './bench-stack';
import { printTable, runBench } from './stats';

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 1000);
const SIMS = Math.max(1, Number(process.env.BENCH_SIMS ?? 50));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** Statements this process sends to PostgreSQL, ours and the job queue's apart. */
const statements = countStatements();

async function main(): Promise<void> {
  say(`starting PostgreSQL, the executor, the controller's background work and ${SIMS} simulators...`);
  const stack = await startBenchStack({
    env: {
      RECONCILE_CONCURRENCY: String(CONCURRENCY),
      // No drift sweep during the bench: the passes are asked for explicitly.
      RECONCILE_INTERVAL_SECONDS: '86400',
    },
    executorEnv: { SSH_MAX_HANDSHAKES_PER_HOST: '16' },
    poolSize: CONCURRENCY + 8,
  });
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { db, services, config, logger } = stack;
    const background = await startBackgroundWork(services, config, logger);
    cleanups.unshift(() => background.stop());

    const sims: RouterSim[] = [];
    for (let i = 0; i < SIMS; i++) sims.push(await startRouterSim({ platform: 'linux-nft', password: 'bench' }));
    cleanups.unshift(() => Promise.all(sims.map((s) => s.close())));

    say(`adding ${ROUTERS} routers (${Math.ceil(ROUTERS / SIMS)} per simulator), each with two blocks...`);
    const [owner] = await db.sql.query<{ id: string }>(`INSERT INTO users (username, password_hash, role) VALUES ('bench', 'x', 'admin') RETURNING id`);
    const actor = { userId: owner.id, isAdmin: true, sessionId: services.instanceId, ip: null };
    const ids: string[] = [];
    for (let i = 0; i < ROUTERS; i++) {
      const sim = sims[i % SIMS];
      const router = await services.routers.create(actor, {
        name: `r${i}`, host: sim.host, port: sim.port, username: sim.username, password: 'bench', platform: 'linux-nft', options: {}, hostKeySha256: sim.hostKeySha256,
      });
      ids.push(router.id);
    }
    // The same two blocks on every router of a simulator, so that each router holds exactly its simulator's set.
    await db.sql.query(
      `INSERT INTO blocks (router_id, kind, value, status, applied_at)
       SELECT r.id, 'ip', v, 'applied', now() FROM routers r, unnest(ARRAY['10.99.0.1', '10.99.0.2']) v`,
    );
    say('putting the blocks on the simulators (one reconcile per simulator)...');
    for (let i = 0; i < SIMS; i++) await services.reconcile.reconcile(ids[i], { system: true, sessionId: services.instanceId });

    /** One pass: every router asked for at once; done when each was read after `started`. */
    const pass = async (label: string) => {
      const before = { ...statements };
      const started = new Date();
      const t0 = performance.now();
      await Promise.all(ids.map((id) => services.reconcileJobs.request(id, 'bench')));
      for (;;) {
        const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM routers WHERE last_reconciled_at >= $1', [started]);
        if (n >= ids.length) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const wallMs = performance.now() - t0;
      const [{ changed }] = await db.sql.query<{ changed: number }>(`SELECT count(*)::int AS changed FROM commands WHERE created_at >= $1 AND action <> 'list-blocked'`, [started]);
      const [{ notInSync }] = await db.sql.query<{ notInSync: number }>(`SELECT count(*)::int AS "notInSync" FROM routers WHERE convergence IS DISTINCT FROM 'in-sync'`);
      if (changed || notInSync) throw new Error(`${label}: ${changed} changes and ${notInSync} routers not in sync; nothing should have changed`);
      return {
        label,
        wallMs,
        ours: (statements.ours - before.ours) / ids.length,
        queue: (statements.queue - before.queue) / ids.length,
      };
    };

    say('pass 1 (new SSH connections)...');
    const cold = await pass('reconcile pass, new connections');
    say('pass 2 (warm connections)...');
    const warm = await pass('reconcile pass, warm connections');

    say('baseline: the same routers read by raw SSH exec over open connections...');
    const runners: SshRunner[] = [];
    for (let i = 0; i < ids.length; i++) {
      const sim = sims[i % SIMS];
      runners.push(await connectSshRunner({ host: sim.host, port: sim.port, username: sim.username, password: 'bench' }));
    }
    cleanups.unshift(async () => runners.forEach((r) => r.close()));
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < runners.length) await runners[next++].exec('nft -j list table inet netpilot');
      }),
    );
    const rawMs = performance.now() - t0;

    console.log(`\nOne reconcile pass over ${ids.length} simulated routers with nothing to change (${SIMS} simulators, concurrency ${CONCURRENCY})\n`);
    printTable(
      ['run', 'wall ms', 'routers/s', 'vs raw SSH', 'statements/router (ours)', '(job queue)'],
      [
        ...[cold, warm].map((p) => [p.label, p.wallMs.toFixed(0), ((ids.length * 1000) / p.wallMs).toFixed(0), `${(p.wallMs / rawMs).toFixed(1)}×`, p.ours.toFixed(1), p.queue.toFixed(1)]),
        ['raw SSH exec of the read, warm (baseline)', rawMs.toFixed(0), ((ids.length * 1000) / rawMs).toFixed(0), '1.0×', '-', '-'],
      ],
    );
    const target = 10_000 * (ids.length / 1000);
    console.log(`\ntarget: a pass over 1,000 routers in at most 10 s: ${cold.wallMs <= target ? 'met' : 'NOT met'} (new connections ${(cold.wallMs / 1000).toFixed(1)} s, warm ${(warm.wallMs / 1000).toFixed(1)} s); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    say('tearing down');
    for (const c of cleanups) await c().catch(() => undefined);
    await stack.close();
  }
}

runBench(main);
