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
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { ExecutorClient } from '@netpilot/executor-client';
import { startRouterSim } from '@netpilot/router-sim';
import { createApp, createServices } from '../services/controller/src/app';
import { loadConfig } from '../services/controller/src/config';
import { migrateUp, openDatabase } from '../services/controller/src/db/database';
import { freePort, startEmbeddedPostgres } from '../services/controller/src/db/embedded-postgres';
import { encodeCursor } from '../services/controller/src/lib/cursor';
import { createLogger } from '@netpilot/service-kit';
import { loadConfig as loadExecutorConfig } from '../services/executor/src/config';
import { buildExecutor } from '../services/executor/src/executor';
import { startLab } from '../lab/harness';
import { fmt, percentile, printTable, splitHeader, timeSequential } from './stats';

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
const TOKEN = randomBytes(24).toString('hex');
/** BENCH_ONLY=sim,lab,throughput,fleet picks sections (all by default). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'sim,lab,throughput,fleet').split(',').map((x) => x.trim()));
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function api(base: string, method: string, p: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Whether Debian's wrk is installed: a C load generator leaves far more of two cores to the servers. */
async function hasWrk(): Promise<boolean> {
  try {
    await promisify(execFile)('wrk', ['--version']);
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its banner; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

let generator: 'wrk' | 'node' = 'node';

/**
 * Closed-loop load on `url` for `seconds`. With several headers, successive requests take
 * them in turn, e.g. one Authorization header per user. wrk runs every measurement through
 * the same generated Lua script (with no header, one or many), so its own cost is the same
 * for every line compared.
 */
async function load(url: string, headers: string[] = [], seconds = LOAD_SECONDS): Promise<{ perSecond: number; non2xx: number; errors: number }> {
  const pairs = headers.map(splitHeader);
  if (generator === 'wrk') {
    const scriptDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-bench-wrk-'));
    try {
      const script = path.join(scriptDir, 'rotate.lua');
      // Printable ASCII only (splitHeader), so a JSON string literal is a valid Lua one.
      const entries = pairs.map(([name, value]) => `{${JSON.stringify(name)}, ${JSON.stringify(value)}}`);
      await writeFile(
        script,
        [
          `local hs = {${entries.join(', ')}}`,
          'local n = 0',
          'request = function()',
          '  if #hs == 0 then return wrk.format(nil, nil, {}) end',
          '  n = n % #hs + 1',
          '  return wrk.format(nil, nil, { [hs[n][1]] = hs[n][2] })',
          'end',
          '',
        ].join('\n'),
      );
      const { stdout } = await promisify(execFile)('wrk', ['-t1', `-c${LOAD_CONCURRENCY}`, `-d${seconds}s`, '-s', script, url]);
      const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
      const errors = /Socket errors:/.test(stdout) ? 1 : 0;
      if (!Number.isFinite(perSecond)) throw new Error(`cannot read wrk output:\n${stdout}`);
      return { perSecond, non2xx, errors };
    } finally {
      await rm(scriptDir, { recursive: true, force: true });
    }
  }
  const args = ['--import', 'tsx', path.join(__dirname, 'load.ts'), url, String(seconds), String(LOAD_CONCURRENCY), ...headers];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: path.resolve(__dirname, '..') });
  return JSON.parse(stdout.trim());
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-bench-pg-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const blockRows: (string | number)[][] = [];
  try {
    say('starting embedded PostgreSQL, executor and controller...');
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), user: 'bench', password: randomBytes(8).toString('hex'), database: 'bench' });
    cleanups.unshift(() => pg.stop());
    const logger = createLogger({ level: 'silent', format: 'json', service: 'bench' });
    const executor = buildExecutor({ config: loadExecutorConfig({ EXECUTOR_TOKEN: TOKEN, LOG_LEVEL: 'silent', ROUTER_ALLOWED_SPECIAL_ADDRESSES: '127.0.0.1' }), logger });
    const executorHttp = await listen(executor.app);
    cleanups.unshift(async () => {
      executor.close();
      executorHttp.server.closeAllConnections();
      await new Promise((r) => executorHttp.server.close(r));
    });
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: pg.url,
      EXECUTOR_URL: executorHttp.url,
      EXECUTOR_TOKEN: TOKEN,
      // The simulators listen on loopback, which routers may otherwise not use.
      ROUTER_ALLOWED_SPECIAL_ADDRESSES: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      NETPILOT_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      // Logins are not measured; cheaper hashing only shortens the set-up of the bench users.
      BCRYPT_COST: '8',
    });
    const db = await openDatabase(config.databaseUrl);
    const dataSource = db.dataSource;
    cleanups.unshift(() => db.close());
    await migrateUp(db);
    const deps = { config, logger, db, executor: new ExecutorClient({ baseUrl: executorHttp.url, token: TOKEN }) };
    const controller = await listen(createApp(deps, createServices(deps)));
    cleanups.unshift(async () => {
      controller.server.closeAllConnections();
      await new Promise((r) => controller.server.close(r));
    });
    const base = controller.url;

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

    type Load = Awaited<ReturnType<typeof load>>;
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
      cleanups.unshift(async () => {
        bare.server.closeAllConnections();
        await new Promise((r) => bare.server.close(r));
      });
      generator = process.env.BENCH_LOAD_GENERATOR === 'node' || !(await hasWrk()) ? 'node' : 'wrk';
      say(`load generator: ${generator === 'wrk' ? 'wrk (Debian package)' : 'bench/load.ts (Node; apt-get install wrk for less skew)'}`);
      const runs: Record<keyof typeof results, (seconds?: number) => Promise<Load>> = {
        bare: (seconds) => load(`${bare.url}/hello`, [], seconds),
        one: (seconds) => load(`${base}/api/v1/routers`, userHeaders.slice(0, 1), seconds),
        many: (seconds) => load(`${base}/api/v1/routers`, userHeaders, seconds),
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
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    say(`failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
