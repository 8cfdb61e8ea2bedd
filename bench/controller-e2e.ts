/**
 * Controller end-to-end benchmark (`npm run bench:controller`).
 *
 * 1. Block then unblock through the controller's HTTP API (controller → executor → SSH →
 *    router), p50/p99 of each, against the router simulator and, when run as root with the
 *    lab packages, against a real nftables lab router.
 * 2. Throughput of an authenticated `GET /api/v1/routers` against a bare Express
 *    hello-world measured in the same run, printed as a ratio: one user's token on every
 *    request, and BENCH_USERS users' tokens in turn. The load comes from a separate process
 *    (wrk, or bench/load.ts) so that it does not share the servers' event loop.
 * 3. The listing's latency with a large fleet (BENCH_FLEET_USERS × 10 routers), for a user
 *    and for an admin.
 *
 * Everything runs on this machine's loopback and lab namespaces; every loop is bounded.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import express from 'express';
import { startRouterSim } from '@netpilot/router-sim';
import { encodeCursor } from '../services/controller/src/lib/cursor';
import { startLab } from '../lab/harness';
import { api, listen, say, startBenchStack } from './bench-stack';
import { describeGenerator, load, pickGenerator, type Generator, type LoadResult } from './load-generator';
import { fmt, percentile, printTable, runBench, timeSequential } from './stats';

const BLOCK_N = Number(process.env.BENCH_BLOCK_N ?? 200);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const LOAD_CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 32);
/**
 * Unmeasured work before each measurement, so that both sides are compared in their steady
 * state: V8 compiles the hot paths during the first seconds under load, which costs the
 * controller (far more code per request) much more than the hello-world.
 */
const WARMUP_PAIRS = Number(process.env.BENCH_WARMUP_PAIRS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/**
 * Paired rounds (bare and ours back to back, the order swapped every round). The ratio is the
 * median of the rounds' own ratios: on a shared machine a disturbance during one run moves a
 * mean of two rounds by several points, and pairing cancels slow drift of the machine's speed.
 */
const LOAD_ROUNDS = Math.max(1, Number(process.env.BENCH_LOAD_ROUNDS ?? 4));
/** Users for the many-callers throughput line (each with five routers, requests in turn). */
const USERS = Math.max(2, Number(process.env.BENCH_USERS ?? 32));
/** The fleet section: users with ten routers each, and timed requests per case. */
const FLEET_USERS = Math.max(1, Number(process.env.BENCH_FLEET_USERS ?? 2000));
const FLEET_N = Math.max(1, Number(process.env.BENCH_FLEET_N ?? 200));
let generator: Generator = 'node';
/** BENCH_ONLY=sim,lab,throughput,fleet picks sections (all by default). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'sim,lab,throughput,fleet').split(',').map((x) => x.trim()));

async function main(): Promise<void> {
  const blockRows: (string | number)[][] = [];
  say('starting embedded PostgreSQL, executor and controller...');
  const stack = await startBenchStack({
    // Logins are not measured; cheaper hashing only shortens the set-up of the bench users.
    env: { BCRYPT_COST: '8' },
  });
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { base, db } = stack;
    const dataSource = db.dataSource;

    const password = `Pw-${randomBytes(12).toString('hex')}`;
    await api(base, 'POST', '/api/v1/auth/register', null, { username: 'bench', password });
    const login = await api(base, 'POST', '/api/v1/auth/login', null, { username: 'bench', password });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
    const token = login.body.accessToken as string;

    /** A user (role user) created by the bench admin and logged in. */
    const createUserSession = async (username: string): Promise<{ id: string; token: string }> => {
      const created = await api(base, 'POST', '/api/v1/users', token, { username, password });
      if (created.status !== 201) throw new Error(`user create answered ${created.status}: ${JSON.stringify(created.body)}`);
      const session = await api(base, 'POST', '/api/v1/auth/login', null, { username, password });
      if (session.status !== 200) throw new Error(`login answered ${session.status}`);
      return { id: created.body.user.id, token: session.body.accessToken };
    };

    const blockUnblock = async (label: string, router: Record<string, unknown>, ip: string) => {
      const created = await api(base, 'POST', '/api/v1/routers', token, router);
      if (created.status !== 201) throw new Error(`router create answered ${created.status}: ${JSON.stringify(created.body)}`);
      const id = created.body.id as string;
      // Warm-up: first contact pins the host key and opens the pooled connection; then a few
      // unmeasured pairs, so that the samples are the steady state, not the first compiles.
      await api(base, 'POST', `/api/v1/routers/${id}/scan`, token);
      for (let i = 0; i < WARMUP_PAIRS; i++) {
        const b = await api(base, 'POST', `/api/v1/routers/${id}/blocks`, token, { ip });
        if (b.status !== 201) throw new Error(`warm-up block answered ${b.status}: ${JSON.stringify(b.body)}`);
        await api(base, 'DELETE', `/api/v1/routers/${id}/blocks/${b.body.id}`, token);
      }
      const block: number[] = [];
      const unblock: number[] = [];
      say(`${label}: ${BLOCK_N} block/unblock pairs...`);
      const { wallMs } = await timeSequential(BLOCK_N, async () => {
        let t = performance.now();
        const b = await api(base, 'POST', `/api/v1/routers/${id}/blocks`, token, { ip });
        block.push(performance.now() - t);
        if (b.status !== 201) throw new Error(`block answered ${b.status}: ${JSON.stringify(b.body)}`);
        t = performance.now();
        const u = await api(base, 'DELETE', `/api/v1/routers/${id}/blocks/${b.body.id}`, token);
        unblock.push(performance.now() - t);
        if (u.status !== 200) throw new Error(`unblock answered ${u.status}`);
      });
      for (const [what, samples] of [['block', block], ['unblock', unblock]] as const) {
        samples.sort((a, b) => a - b);
        blockRows.push([label, what, samples.length, fmt(percentile(samples, 50)), fmt(percentile(samples, 99)), ((BLOCK_N * 2 * 1000) / wallMs / 2).toFixed(0)]);
      }
    };

    if (ONLY.has('sim')) {
      const sim = await startRouterSim({ platform: 'linux-nft' });
      cleanups.unshift(() => sim.close());
      await blockUnblock('simulator', { name: 'sim', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' }, '192.168.1.50');
    }

    if (ONLY.has('lab') && process.getuid?.() === 0) {
      try {
        const lab = await startLab({ log: say });
        cleanups.unshift(() => lab.teardown());
        const r = lab.r1;
        await blockUnblock(
          'lab r1 (OpenSSH, nftables)',
          { name: 'lab', host: r.target.host, port: r.target.port, username: r.target.username, password: r.target.password, platform: r.platform, options: { leasesPath: r.leasesPath } },
          r.client.ip,
        );
      } catch (err) {
        say(`lab section skipped: ${(err as Error).message}`);
      }
    } else if (ONLY.has('lab')) {
      say('lab section skipped: needs root and the lab packages (see README)');
    }

    const results: Record<'bare' | 'one' | 'many', number[]> = { bare: [], one: [], many: [] };
    if (ONLY.has('throughput')) {
      // Throughput: users that are not admins, with five routers each (the bench user is the
      // first, an admin, who would see every router). User 0 is "one user"; in the other line
      // all USERS take turns, so that concurrent requests are different callers as on a real
      // controller and no two reads of a batch are the same (see Batcher in the repository).
      say(`creating ${USERS} users with 5 routers each...`);
      const userHeaders: string[] = [];
      for (let u = 0; u < USERS; u++) {
        const session = await createUserSession(`bench-user-${u}`);
        for (let i = 0; i < 5; i++) {
          await api(base, 'POST', '/api/v1/routers', session.token, { name: `u${u}r${i}`, host: '192.0.2.1', port: 22, username: 'root', password: 'x', platform: 'openwrt' });
        }
        userHeaders.push(`authorization: Bearer ${session.token}`);
      }
      const hello = express();
      hello.get('/hello', (_req, res) => {
        res.json({ hello: 'world' });
      });
      const bare = await listen(hello);
      cleanups.unshift(() => bare.close());
      generator = await pickGenerator();
      say(`load generator: ${describeGenerator(generator)}`);
      const runs: Record<keyof typeof results, (seconds?: number) => Promise<LoadResult>> = {
        bare: (seconds = LOAD_SECONDS) => load(generator, `${bare.url}/hello`, { seconds, concurrency: LOAD_CONCURRENCY }),
        one: (seconds = LOAD_SECONDS) => load(generator, `${base}/api/v1/routers`, { headers: userHeaders.slice(0, 1), seconds, concurrency: LOAD_CONCURRENCY }),
        many: (seconds = LOAD_SECONDS) => load(generator, `${base}/api/v1/routers`, { headers: userHeaders, seconds, concurrency: LOAD_CONCURRENCY }),
      };
      const order = Object.keys(runs) as (keyof typeof results)[];
      if (WARMUP_SECONDS > 0) {
        say(`throughput warm-up: ${WARMUP_SECONDS}s each, not measured...`);
        for (const what of order) await runs[what](WARMUP_SECONDS);
      }
      for (let round = 1; round <= LOAD_ROUNDS; round++) {
        say(`throughput round ${round}/${LOAD_ROUNDS}: ${LOAD_SECONDS}s each, ${LOAD_CONCURRENCY} connections...`);
        // The order alternates, so that slow drift of the machine's speed favours no side.
        for (const what of round % 2 ? order : [...order].reverse()) {
          const r = await runs[what]();
          if (r.non2xx || r.errors) throw new Error(`load on ${what} saw failures: ${JSON.stringify(r)}`);
          results[what].push(r.perSecond);
        }
      }
    }
    const fleetRows: (string | number)[][] = [];
    if (ONLY.has('fleet')) {
      // The listing's latency with a large fleet: FLEET_USERS users with ten routers each,
      // written straight into the tables; measured for a user (10 own, 20 assigned) and for an
      // admin (first page, and a page from the middle of the fleet).
      say(`fleet: ${FLEET_USERS} users with 10 routers each...`);
      await dataSource.query(`INSERT INTO users (username, password_hash) SELECT 'fleet-' || g, 'not-a-hash' FROM generate_series(1, $1::int) g`, [FLEET_USERS]);
      await dataSource.query(
        `INSERT INTO routers (owner_id, name, host, port, username, platform, credentials_enc, auth_method)
         SELECT u.id, 'f' || g, '192.0.2.1', 22, 'root', 'openwrt', 'sealed', 'password'
           FROM users u CROSS JOIN generate_series(1, 10) g WHERE u.username LIKE 'fleet-%'`,
      );
      const viewer = await createUserSession('bench-fleet-viewer');
      for (let i = 0; i < 10; i++) {
        await api(base, 'POST', '/api/v1/routers', viewer.token, { name: `v${i}`, host: '192.0.2.1', port: 22, username: 'root', password: 'x', platform: 'openwrt' });
      }
      await dataSource.query(
        `INSERT INTO router_assignments (router_id, user_id, assigned_by)
         SELECT r.id, $1::uuid, r.owner_id FROM routers r WHERE r.name LIKE 'f%' ORDER BY r.id LIMIT 20`,
        [viewer.id],
      );
      await dataSource.query('ANALYZE');
      const [middle] = await dataSource.query('SELECT id, created_at FROM routers ORDER BY created_at, id OFFSET (SELECT count(*) / 2 FROM routers) LIMIT 1');
      const cursor = encodeCursor({ at: middle.created_at, id: middle.id });
      const cases: [string, string, string][] = [
        ['user: 10 own + 20 assigned', viewer.token, '/api/v1/routers?limit=50'],
        ['admin: first page of 50', token, '/api/v1/routers?limit=50'],
        ['admin: a page of 50 mid-fleet', token, `/api/v1/routers?limit=50&cursor=${cursor}`],
      ];
      const total = Number((await dataSource.query('SELECT count(*) AS n FROM routers'))[0].n);
      for (const [label, who, url] of cases) {
        const first = await api(base, 'GET', url, who);
        if (first.status !== 200 || first.body.items.length !== (label.startsWith('user') ? 30 : 50)) {
          throw new Error(`${label}: answered ${first.status} with ${first.body.items?.length} items`);
        }
        const { samples } = await timeSequential(FLEET_N, () => api(base, 'GET', url, who));
        fleetRows.push([label, total, FLEET_N, fmt(percentile(samples, 50)), fmt(percentile(samples, 99))]);
      }
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    if (blockRows.length) {
      console.log('\nBlock / unblock through the controller API (ms)');
      printTable(['router', 'action', 'n', 'p50', 'p99', 'pairs/s'], blockRows);
    }
    if (fleetRows.length) {
      console.log('\nGET /api/v1/routers with a large fleet (ms, one request at a time)');
      printTable(['caller', 'routers', 'n', 'p50', 'p99'], fleetRows);
    }
    if (results.bare.length) {
      const ratios = (what: 'one' | 'many') => results[what].map((x, i) => x / results.bare[i]);
      console.log(`\nThroughput (requests/s, median of ${LOAD_ROUNDS} paired rounds; vs bare: median of the rounds' own ratios)`);
      printTable(
        ['server', 'req/s', 'vs bare'],
        [
          ['bare Express hello-world', median(results.bare).toFixed(0), '100%'],
          ['GET /api/v1/routers (authenticated, one user)', median(results.one).toFixed(0), `${(100 * median(ratios('one'))).toFixed(1)}%`],
          [`GET /api/v1/routers (${USERS} users in turn)`, median(results.many).toFixed(0), `${(100 * median(ratios('many'))).toFixed(1)}%`],
        ],
      );
      for (const what of ['one', 'many'] as const) {
        const line = ratios(what).map((r, i) => `${results[what][i].toFixed(0)}/${results.bare[i].toFixed(0)} = ${(100 * r).toFixed(1)}%`);
        console.log(`rounds (${what}): ${line.join(', ')}`);
      }
    }
    const parts = [`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)} at the end`];
    if (blockRows.length) parts.push(`${WARMUP_PAIRS} unmeasured block/unblock pairs per router`);
    if (results.bare.length) parts.push(`load ${generator}, ${LOAD_CONCURRENCY} connections × ${LOAD_SECONDS}s after ${WARMUP_SECONDS}s unmeasured warm-up each`);
    console.log(parts.join('; '));
  } finally {
    for (const c of cleanups) await c().catch((err) => say(`cleanup: ${(err as Error).message}`));
    await stack.close();
  }
}

runBench(main);
