/**
 * Audit log benchmark (`npm run bench:audit`).
 *
 * 1. Audited actions per second, BENCH_AUDIT_CONCURRENCY (32) at once, with the controller's
 *    background work (and so the `audit.seal` job) running, for three actions:
 *    - POST /api/v1/routers over HTTP from a separate process (wrk, else bench/load.ts): the
 *      router row and its `router.create` entry in one transaction;
 *    - RoutersService.update called in this process (no HTTP): a cheap state change and its
 *      entry in one transaction;
 *    - AuditService.record alone in this process: the entry in a transaction of its own, as
 *      router actions and logins record theirs.
 *    Each with two ways of appending, in paired rounds (the order swapped every round):
 *    - "locked": the append this change replaced, kept here only as the baseline: a
 *      transaction-scoped advisory lock every append takes, the chain head read after it, and
 *      the row inserted with its hash (patched over AuditRepository.append for its rounds);
 *    - "sealed": today's plain insert, sealed by the periodic job.
 *    A round's rate is the entries of that action the database gained per second; the figure
 *    is the median of the rounds' sealed / locked ratios (target: at least 4×). Also how many
 *    pool connections waited on an advisory lock meanwhile.
 * 2. GET /api/v1/audit filtered by router, actor (id and username) and time, p50 of
 *    BENCH_AUDIT_N sequential requests with 20,000 and then 200,000 rows (made with
 *    generate_series, one row per 10 s of history, then sealed by AuditService.seal), as a
 *    ratio. Target for ?router=: within 2×. Also the buffers each query's plan touches
 *    (EXPLAIN ANALYZE: a count that does not depend on the machine's noise), and the
 *    filter this change replaced for ?router= run as SQL, for comparison.
 *
 * Figures only, no assertions. Everything runs on loopback; every loop is bounded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Sql, Tx } from '../services/controller/src/db/sql';
import { startBackgroundWork } from '../services/controller/src/jobs/background';
import { computeAuditHash, GENESIS_HASH, type NewAuditRow } from '../services/controller/src/modules/audit/audit-hash';
import { AuditRepository } from '../services/controller/src/modules/audit/audit.repository';
import { api, say, startBenchStack, type BenchStack } from './bench-stack';
import { describeGenerator, load, pickGenerator, type Generator } from './load-generator';
import { fmt, percentile, printTable, runBench, timeSequential } from './stats';

const SECONDS = Math.min(60, Number(process.env.BENCH_AUDIT_SECONDS ?? 6));
const CONCURRENCY = Math.min(256, Number(process.env.BENCH_AUDIT_CONCURRENCY ?? 32));
const ROUNDS = Math.max(1, Number(process.env.BENCH_AUDIT_ROUNDS ?? 3));
const N = Math.max(10, Number(process.env.BENCH_AUDIT_N ?? 200));
const SIZES = [20_000, 200_000];
/** BENCH_ONLY=throughput,queries picks sections (both by default). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'throughput,queries').split(',').map((x) => x.trim()));

/** The advisory lock the replaced append took (its key, unchanged). */
const OLD_CHAIN_LOCK = 7_401_884_312_001;

/**
 * The append this change replaced, for the baseline only: lock, chain head, insert with the
 * hash, in the caller's transaction or in one of its own (BEGIN, lock and head in one
 * message, as it did). The head is read by seal_seq, the position column of today's schema,
 * which the old code read by id; each row is written already sealed.
 */
function lockedAppend(sql: Sql): (row: NewAuditRow, tx?: Tx) => Promise<void> {
  const head = `SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id, coalesce(h.seal_seq, 0) + 1 AS seq, h.hash
                  FROM (SELECT 1) one LEFT JOIN LATERAL
                       (SELECT seal_seq, hash FROM audit_log WHERE seal_seq IS NOT NULL ORDER BY seal_seq DESC LIMIT 1) h ON true`;
  const insert = `INSERT INTO audit_log (id, at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details, seal_seq, prev_hash, hash)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`;
  const values = (row: NewAuditRow, h: { seq: string; id: string; hash: string | null }) => {
    const prevHash = h.hash ?? GENESIS_HASH;
    const hash = computeAuditHash({ ...row, id: h.id, prevHash });
    return [h.id, row.at, row.actorUserId, row.actorIp, row.action, row.targetType, row.targetId, row.outcome, JSON.stringify(row.details), h.seq, prevHash, hash];
  };
  return async (row, tx) => {
    if (tx) {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [OLD_CHAIN_LOCK]);
      const [h] = await tx.query<{ seq: string; id: string; hash: string | null }>(head);
      await tx.query(insert, values(row, h));
      return;
    }
    await sql.withClient(async (client) => {
      const results = (await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${OLD_CHAIN_LOCK}); ${head}`)) as unknown as { rows: { seq: string; id: string; hash: string | null }[] }[];
      await client.query({ name: 'audit_append_locked', text: insert, values: values(row, results[2].rows[0]) });
      await client.query('COMMIT');
    });
  };
}

async function adminToken(base: string): Promise<{ token: string; id: string; username: string }> {
  const password = `Pw-${randomBytes(12).toString('hex')}`;
  // The first account is the admin.
  const reg = await api(base, 'POST', '/api/v1/auth/register', null, { username: 'bench', password });
  if (reg.status !== 201) throw new Error(`register answered ${reg.status}: ${JSON.stringify(reg.body)}`);
  const login = await api(base, 'POST', '/api/v1/auth/login', null, { username: 'bench', password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return { token: login.body.accessToken, id: reg.body.user.id, username: 'bench' };
}

/** The median of a few numbers (the mean of the middle two for an even count). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `workers` callers in this process, each calling `fn` again as soon as it resolves, for `seconds`; calls per second. */
async function closedLoop(workers: number, seconds: number, fn: (worker: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        await fn(w);
        done++;
      }
    }),
  );
  return (done * 1000) / (performance.now() - started);
}

type Mode = 'locked' | 'sealed';

async function throughput(generator: Generator): Promise<void> {
  say('throughput: starting embedded PostgreSQL, executor, controller and its background work...');
  const stack = await startBenchStack({ env: { BCRYPT_COST: '8' } });
  try {
    const background = await startBackgroundWork(stack.services, stack.config, stack.logger);
    stack.defer(() => background.stop());
    const { token, id: adminId } = await adminToken(stack.base);
    const body = { name: 'bench', host: '127.0.0.1', port: 22, username: 'root', password: 'router-password', platform: 'linux-nft' };
    // One router per in-process caller, so that their updates do not wait on each other's row lock.
    const routers: string[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const created = await api(stack.base, 'POST', '/api/v1/routers', token, { ...body, name: `bench-${i}` });
      if (created.status !== 201) throw new Error(`router create answered ${created.status}: ${JSON.stringify(created.body)}`);
      routers.push(created.body.id);
    }
    const actor = { userId: adminId, isAdmin: true, sessionId: randomUUID(), ip: '127.0.0.1' };

    const sealedAppend = AuditRepository.prototype.append;
    const locked = lockedAppend(stack.db.sql);
    const use = (mode: Mode) => {
      AuditRepository.prototype.append = mode === 'locked' ? (row, tx) => locked(row, tx) : sealedAppend;
    };
    const entries = async (action: string) =>
      (await stack.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [action]))[0].n;
    let n = 0;
    const workloads: { label: string; action: string; run: (seconds: number) => Promise<unknown> }[] = [
      {
        label: 'POST /api/v1/routers over HTTP (router row + entry in one transaction)',
        action: 'router.create',
        run: (seconds) =>
          load(generator, `${stack.base}/api/v1/routers`, { method: 'POST', body, headers: [`authorization: Bearer ${token}`], seconds, concurrency: CONCURRENCY }).then((r) => {
            if (r.non2xx || r.errors) say(`warning: ${r.non2xx} non-2xx answers, ${r.errors} socket errors`);
          }),
      },
      {
        label: 'RoutersService.update in process (visibility read, then UPDATE + entry in one transaction)',
        action: 'router.update',
        run: (seconds) => closedLoop(CONCURRENCY, seconds, (w) => stack.services.routers.update(actor, routers[w], { name: `bench-${w}-${n++}` })),
      },
      {
        label: "AuditService.record alone in process (its own transaction: router actions', logins' entries)",
        action: 'bench.record',
        run: (seconds) => closedLoop(CONCURRENCY, seconds, (w) => stack.services.audit.record({ action: 'bench.record', actor, target: { type: 'router', id: routers[w] }, details: { i: n++ } })),
      },
    ];
    /**
     * Entries of the workload's action the database gained per second (what was audited and
     * committed), and how many database connections waited on an advisory lock, on average
     * (sampled every 100 ms from pg_stat_activity).
     */
    const measure = async (w: (typeof workloads)[number], mode: Mode, seconds: number) => {
      use(mode);
      const before = await entries(w.action);
      const started = performance.now();
      let running = true;
      const waits: number[] = [];
      const sampling = (async () => {
        while (running) {
          const [{ n }] = await stack.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`);
          waits.push(n);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await w.run(seconds);
      const elapsed = (performance.now() - started) / 1000;
      running = false;
      await sampling;
      // HTTP requests still in flight when the generator stopped finish within a moment.
      await new Promise((r) => setTimeout(r, 300));
      return { perSecond: ((await entries(w.action)) - before) / elapsed, waiting: waits.reduce((a, b) => a + b, 0) / Math.max(1, waits.length) };
    };

    console.log(`\nAudited actions per second, ${CONCURRENCY} at once, ${SECONDS} s per run, paired rounds (order swapped each round); HTTP load by ${describeGenerator(generator)}`);
    const summary: (string | number)[][] = [];
    for (const w of workloads) {
      say(`${w.label}: warm-up 2 s each way...`);
      await measure(w, 'locked', 2);
      await measure(w, 'sealed', 2);
      const got: Record<Mode, number[]> = { locked: [], sealed: [] };
      const waiting: Record<Mode, number[]> = { locked: [], sealed: [] };
      const ratios: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const order: Mode[] = round % 2 ? ['locked', 'sealed'] : ['sealed', 'locked'];
        for (const mode of order) {
          say(`  round ${round}/${ROUNDS}: ${mode}...`);
          const r = await measure(w, mode, SECONDS);
          got[mode].push(r.perSecond);
          waiting[mode].push(r.waiting);
        }
        ratios.push(got.sealed[round - 1] / got.locked[round - 1]);
      }
      const fmtRate = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
      const fmtWait = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
      summary.push([w.label, fmtRate(got.locked), fmtRate(got.sealed), ratios.map((r) => `${r.toFixed(2)}×`).join(' / '), `${median(ratios).toFixed(2)}×`, fmtWait(waiting.locked), fmtWait(waiting.sealed)]);
    }
    use('sealed');
    printTable(['audited action', 'locked /s (rounds)', 'sealed /s (rounds)', 'sealed / locked', 'median', 'lock waits locked', 'lock waits sealed'], summary);
    console.log('(lock waits: database connections waiting on an advisory lock, mean of samples every 100 ms; the pool has 20)');
    console.log('target ≥ 4× the locked throughput: met where the median column is ≥ 4.00×');

    // How long a new entry stays outside the chain: one entry at a time, with nothing else
    // going on, from its commit until the periodic job has sealed it (polled every 20 ms).
    // The rounds above leave a backlog the job seals in batches (50,000 per run at most):
    // first let it catch up, so that the delay below is the steady state's, not the backlog's.
    const [{ backlog }] = await stack.db.sql.query<{ backlog: number }>('SELECT count(*)::int AS backlog FROM audit_log WHERE seal_seq IS NULL');
    const drainStarted = performance.now();
    for (;;) {
      const [{ left }] = await stack.db.sql.query<{ left: number }>('SELECT count(*)::int AS left FROM audit_log WHERE seal_seq IS NULL');
      if (left === 0 || performance.now() - drainStarted > 120_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`backlog after the rounds: ${backlog} unsealed entries, sealed by the job in ${((performance.now() - drainStarted) / 1000).toFixed(1)} s`);
    say('sealing delay: 20 entries, one at a time...');
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      await stack.services.audit.record({ action: 'bench.delay', details: { i } });
      const t0 = performance.now();
      const [{ id }] = await stack.db.sql.query<{ id: string }>(`SELECT max(id)::text AS id FROM audit_log WHERE action = 'bench.delay'`);
      const deadline = t0 + 10_000;
      while (performance.now() < deadline) {
        const [row] = await stack.db.sql.query<{ sealed: boolean }>(`SELECT hash IS NOT NULL AS sealed FROM audit_log WHERE id = $1`, [id]);
        if (row.sealed) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      delays.push(performance.now() - t0);
      // Entries land at different points of the job's one-second slot.
      await new Promise((r) => setTimeout(r, 137));
    }
    delays.sort((a, b) => a - b);
    console.log(
      `sealing delay (commit to sealed by the audit.seal job, n=20): p50 ${fmt(percentile(delays, 50))} ms, max ${fmt(delays[delays.length - 1])} ms (JOB_POLL_SECONDS ${stack.config.jobPollSeconds})`,
    );

    say('verifying the chain after both kinds of append...');
    const t = performance.now();
    const verdict = await stack.services.audit.verify();
    const verifyMs = performance.now() - t;
    const [{ unsealed }] = await stack.db.sql.query<{ unsealed: number }>('SELECT count(*)::int AS unsealed FROM audit_log WHERE seal_seq IS NULL');
    console.log(
      `verify afterwards: ${verdict.ok ? `ok, ${verdict.entries} entries` : `FAILED at ${verdict.firstBadId}: ${verdict.message}`} in ${(verifyMs / 1000).toFixed(1)} s; ${unsealed} unsealed left`,
    );
  } finally {
    say('tearing down');
    await stack.close();
  }
}

/**
 * generate_series rows `from..to`, row i at `start + i × 10 s`: 500 busy routers take turns
 * (a third of the rows are about their blocks, naming the router in details), and one row in
 * a thousand is about one of 20 quiet routers instead (fewer than a page each, even at 200k).
 */
function bulkInsertSql(): string {
  const router = `CASE WHEN i % 1000 = 500 THEN md5('quiet' || (i / 1000) % 20) ELSE md5('router' || (i % 500)) END::uuid`;
  return `INSERT INTO audit_log (at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details)
    SELECT $3::timestamptz + i * interval '10 seconds',
           CASE WHEN i % 50 = 0 THEN $4::uuid ELSE md5('actor' || (i % 50))::uuid END,
           '10.0.' || (i % 250) || '.1',
           (ARRAY['router.block', 'router.unblock', 'router.update', 'auth.login', 'router.device_seen'])[1 + i % 5],
           CASE WHEN i % 3 = 0 THEN 'block' ELSE 'router' END,
           CASE WHEN i % 3 = 0 THEN md5('block' || i)::uuid::text ELSE (${router})::text END,
           CASE WHEN i % 17 = 0 THEN 'failure' ELSE 'success' END,
           CASE WHEN i % 3 = 0 THEN jsonb_build_object('routerId', ${router}, 'ip', '192.168.1.' || (i % 200))
                ELSE jsonb_build_object('ip', '192.168.1.' || (i % 200)) END
      FROM generate_series($1::int, $2::int) AS i`;
}

interface QueryCase {
  label: string;
  /** The query string of GET /api/v1/audit for the i-th request. */
  query: (i: number) => Record<string, string>;
}

/** The SQL (and parameters) AuditRepository.find sends for a filter, caught on its way to the pool. */
async function findSql(stack: BenchStack, token: string, query: Record<string, string>): Promise<{ text: string; values: unknown[] }> {
  const sql = stack.db.sql;
  const original = sql.query.bind(sql);
  let caught: { text: string; values: unknown[] } | null = null;
  sql.query = (async (text: string, values?: unknown[], name?: string) => {
    if (/FROM audit_log a LEFT JOIN users/.test(text)) caught = { text, values: values ?? [] };
    return original(text, values, name);
  }) as Sql['query'];
  try {
    const res = await api(stack.base, 'GET', `/api/v1/audit?${new URLSearchParams(query)}`, token);
    if (res.status !== 200) throw new Error(`GET /audit answered ${res.status}`);
  } finally {
    sql.query = original;
  }
  if (!caught) throw new Error('no audit query was seen');
  return caught;
}

/** The plan in one line (node types and indexes, outermost first) and the shared buffers it touched. */
async function explain(sql: Sql, text: string, values: unknown[]): Promise<{ plan: string; buffers: number }> {
  const [row] = await sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
  const top = (row['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan;
  const names: string[] = [];
  const visit = (node: PlanNode) => {
    if (node['Parent Relationship'] !== 'InitPlan' && node['Relation Name'] === 'users') return;
    names.push(node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type']);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(top);
  return { plan: names.join(' > '), buffers: (top['Shared Hit Blocks'] ?? 0) + (top['Shared Read Blocks'] ?? 0) };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Parent Relationship'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

async function queries(): Promise<void> {
  say('queries: starting embedded PostgreSQL, executor and controller...');
  const stack = await startBenchStack({ env: { BCRYPT_COST: '8' } });
  try {
    const { token, id: adminId, username } = await adminToken(stack.base);
    const sql = stack.db.sql;
    const total = SIZES[SIZES.length - 1];
    // History ends about now at the last size: the rows of the smaller size are its first part, as a log grows.
    const [{ start }] = await sql.query<{ start: Date }>(`SELECT now() - $1 * interval '10 seconds' AS start`, [total]);
    const at = (row: number) => new Date(start.getTime() + row * 10_000);
    const routerIds = (await sql.query<{ id: string }>(`SELECT md5('router' || i)::uuid::text AS id FROM generate_series(0, 499) AS i`)).map((r) => r.id);
    const quietIds = (await sql.query<{ id: string }>(`SELECT md5('quiet' || i)::uuid::text AS id FROM generate_series(0, 19) AS i`)).map((r) => r.id);
    const iso = (d: Date) => d.toISOString();
    const earlyHour = { from: iso(at(3600)), to: iso(at(3600 + 360)) };
    let size = 0;
    const cases: QueryCase[] = [
      { label: '?router=<busy router> (one of 500)', query: (i) => ({ router: routerIds[(i * 7) % routerIds.length] }) },
      { label: '?router=<quiet router> (one of 20)', query: (i) => ({ router: quietIds[i % quietIds.length] }) },
      { label: '?actor=<user id> (one of 50)', query: () => ({ actor: adminId }) },
      { label: '?actor=<username>', query: () => ({ actor: username }) },
      { label: '?action=', query: () => ({ action: 'router.update' }) },
      // The newest hour of the log at each size.
      { label: '?from= (the log\'s last hour)', query: () => ({ from: iso(at(size - 360)) }) },
      // Fixed times near the log's beginning: the rows after them grow with the log.
      { label: '?from=&to= (an hour early in the log)', query: () => earlyHour },
      { label: '?to= (the end of the log\'s first day)', query: () => ({ to: iso(at(8640)) }) },
      { label: '?router=&from=&to= (early hour)', query: (i) => ({ router: routerIds[(i * 7) % routerIds.length], ...earlyHour }) },
      { label: '?actor=&to= (first day)', query: () => ({ actor: adminId, to: iso(at(8640)) }) },
      { label: 'no filter (newest 50)', query: () => ({}) },
    ];
    const OLD_ROUTER_SQL = `SELECT a.id FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
       WHERE (a.target_type = 'router' AND a.target_id = $1) OR a.details->>'routerId' = $1 ORDER BY a.id DESC LIMIT 51`;

    const results = new Map<string, { p50: number; p99: number; plan: string; buffers: number }[]>();
    const put = (label: string, r: { p50: number; p99: number; plan: string; buffers: number }) => results.set(label, [...(results.get(label) ?? []), r]);
    for (const next of SIZES) {
      say(`making rows ${size + 1}..${next} with generate_series...`);
      await sql.query(bulkInsertSql(), [size + 1, next, start, adminId]);
      size = next;
      let t = performance.now();
      const sealed = await stack.services.audit.seal({ wait: true });
      say(`sealed ${sealed} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (${((sealed * 1000) / (performance.now() - t)).toFixed(0)} rows/s)`);
      // What autovacuum would have done by the time such a log is queried.
      await sql.query('VACUUM ANALYZE audit_log');
      t = performance.now();
      const verdict = await stack.services.audit.verify();
      say(`verify at ${size}: ${verdict.ok ? 'ok' : 'FAILED'}, ${verdict.entries} entries, ${((performance.now() - t) / 1000).toFixed(1)} s`);

      for (const c of cases) {
        for (let i = 0; i < 20; i++) await api(stack.base, 'GET', `/api/v1/audit?${new URLSearchParams(c.query(i))}`, token);
        const { samples } = await timeSequential(N, async (i) => {
          const res = await api(stack.base, 'GET', `/api/v1/audit?${new URLSearchParams(c.query(i))}`, token);
          if (res.status !== 200) throw new Error(`${c.label} answered ${res.status}`);
        });
        const { text, values } = await findSql(stack, token, c.query(1));
        put(c.label, { p50: percentile(samples, 50), p99: percentile(samples, 99), ...(await explain(sql, text, values)) });
      }
      // The filter this change replaced, as SQL alone (no HTTP), for comparison.
      for (const [label, ids] of [['busy', routerIds], ['quiet', quietIds]] as const) {
        for (let i = 0; i < 5; i++) await sql.query(OLD_ROUTER_SQL, [ids[i]]);
        const old = await timeSequential(N, (i) => sql.query(OLD_ROUTER_SQL, [ids[(i * 7) % ids.length]]));
        put(`old ?router= filter, ${label} router (SQL only)`, { p50: percentile(old.samples, 50), p99: percentile(old.samples, 99), ...(await explain(sql, OLD_ROUTER_SQL, [ids[1]])) });
      }
    }

    console.log(`\nGET /api/v1/audit p50/p99 (ms, ${N} sequential requests each) with ${SIZES.map((s) => s.toLocaleString('en')).join(' and ')} rows`);
    const [small, large] = SIZES.map((s) => `${s / 1000}k`);
    printTable(
      ['filter', `p50 ${small}`, `p50 ${large}`, `p99 ${large}`, `p50 ${large}/${small}`, `buffers ${small}`, `buffers ${large}`],
      [...results.entries()].map(([label, [a, b]]) => [label, fmt(a.p50), fmt(b.p50), fmt(b.p99), `${(b.p50 / a.p50).toFixed(2)}×`, a.buffers, b.buffers]),
    );
    console.log(`\nPlans at ${large} (outermost first):`);
    for (const [label, [, b]] of results) console.log(`  ${label}: ${b.plan}`);
    const ratios = cases.slice(0, 2).map((c) => {
      const [a, b] = results.get(c.label)!;
      return b.p50 / a.p50;
    });
    const worst = Math.max(...ratios);
    console.log(`\n?router= p50 ${large}/${small}: busy ${ratios[0].toFixed(2)}×, quiet ${ratios[1].toFixed(2)}×; target within 2×: ${worst <= 2 ? 'met' : 'NOT met'}`);
  } finally {
    say('tearing down');
    await stack.close();
  }
}

async function main(): Promise<void> {
  const generator = await pickGenerator();
  if (ONLY.has('throughput')) await throughput(generator);
  if (ONLY.has('queries')) await queries();
  console.log(`\nmachine: ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

runBench(main);
