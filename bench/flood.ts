/**
 * Anonymous flood benchmark (`npm run bench:flood`): does a flood of `POST /routers/register`
 * with random provision keys slow down another user's login and block?
 *
 * The victim logs in and blocks/unblocks a device (on the router simulator) one request at a
 * time: first quiet, then while a separate process (wrk, else bench/load.ts) floods the
 * registration route from BENCH_FLOOD_ADDRESSES different addresses (X-Forwarded-For behind
 * one trusted proxy: the worst case, where no per-address limit applies), then quiet again.
 * The figure is each p50 under flood as a ratio of the quiet p50s' mean (both quiet runs are
 * printed, so that the machine's own drift shows). Target: at most 2×.
 *
 * Everything runs on loopback; the flood lasts BENCH_FLOOD_SECONDS at most.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { startRouterSim } from '@netpilot/router-sim';
import { api, say, startBenchStack } from './bench-stack';
import { describeGenerator, load, pickGenerator } from './load-generator';
import { fmt, percentile, printTable, runBench } from './stats';

const N = Math.max(5, Number(process.env.BENCH_FLOOD_N ?? 40));
const FLOOD_SECONDS = Math.min(60, Number(process.env.BENCH_FLOOD_SECONDS ?? 20));
const FLOOD_CONCURRENCY = Math.min(256, Number(process.env.BENCH_FLOOD_CONCURRENCY ?? 64));
const ADDRESSES = Math.max(1, Number(process.env.BENCH_FLOOD_ADDRESSES ?? 5000));
/** The victim's logins come from a few addresses in turn: a household's allowance per address (ANONYMOUS_REQUESTS_PER_MINUTE) is not what is measured. */
const VICTIM_IPS = Array.from({ length: 8 }, (_, i) => `198.51.100.${i + 1}`);

interface Figures {
  login: number[];
  block: number[];
}

async function main(): Promise<void> {
  say('starting embedded PostgreSQL, executor, controller and a router simulator...');
  // ANONYMOUS_CONCURRENCY from the environment, to compare settings; the default otherwise.
  const setting: Record<string, string> = process.env.ANONYMOUS_CONCURRENCY ? { ANONYMOUS_CONCURRENCY: process.env.ANONYMOUS_CONCURRENCY } : {};
  const stack = await startBenchStack({ env: { TRUST_PROXY: '1', BCRYPT_COST: '10', ...setting } });
  try {
    const sim = await startRouterSim({ platform: 'linux-nft' });
    stack.defer(() => sim.close());
    const { base } = stack;
    const password = `Pw-${randomBytes(12).toString('hex')}`;
    let logins = 0;
    const from = () => ({ 'x-forwarded-for': VICTIM_IPS[logins++ % VICTIM_IPS.length] });
    await api(base, 'POST', '/api/v1/auth/register', null, { username: 'victim', password }, from());
    const login = async () => {
      const res = await api(base, 'POST', '/api/v1/auth/login', null, { username: 'victim', password }, from());
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    };
    const token = await login();
    const router = await api(base, 'POST', '/api/v1/routers', token, { name: 'home', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
    if (router.status !== 201) throw new Error(`router create answered ${router.status}: ${JSON.stringify(router.body)}`);
    const blocks = `/api/v1/routers/${router.body.id}/blocks`;

    /** N logins, then N block + unblock pairs, one at a time; milliseconds of each login and block. */
    const measure = async (): Promise<Figures> => {
      const figures: Figures = { login: [], block: [] };
      for (let i = 0; i < N; i++) {
        const t = performance.now();
        await login();
        figures.login.push(performance.now() - t);
      }
      for (let i = 0; i < N; i++) {
        const t = performance.now();
        const b = await api(base, 'POST', blocks, token, { ip: '192.168.1.50' });
        figures.block.push(performance.now() - t);
        if (b.status !== 201) throw new Error(`block answered ${b.status}: ${JSON.stringify(b.body)}`);
        const u = await api(base, 'DELETE', `${blocks}/${b.body.id}`, token);
        if (u.status !== 200) throw new Error(`unblock answered ${u.status}`);
      }
      figures.login.sort((a, b) => a - b);
      figures.block.sort((a, b) => a - b);
      return figures;
    };

    say('warm-up (not measured)...');
    await measure();
    say(`quiet: ${N} logins and ${N} blocks...`);
    const before = await measure();

    const generator = await pickGenerator();
    const addresses = Array.from({ length: ADDRESSES }, (_, i) => `x-forwarded-for: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    say(`flood: ${FLOOD_CONCURRENCY} connections of POST /routers/register from ${ADDRESSES} addresses, by ${describeGenerator(generator)}...`);
    let floodProcess: ChildProcess | undefined;
    const flood = load(
      generator,
      `${base}/api/v1/routers/register`,
      { method: 'POST', body: { provisionKey: `npk_${randomBytes(24).toString('base64url')}` }, headers: addresses, seconds: FLOOD_SECONDS, concurrency: FLOOD_CONCURRENCY },
      (child) => {
        floodProcess = child;
      },
    );
    await new Promise((r) => setTimeout(r, 1500));
    const auditBefore = await auditRows(stack.db.sql.query.bind(stack.db.sql));
    const measuredStart = performance.now();
    say(`under flood: ${N} logins and ${N} blocks...`);
    const during = await measure();
    const measuredSeconds = (performance.now() - measuredStart) / 1000;
    const auditDuring = (await auditRows(stack.db.sql.query.bind(stack.db.sql))) - auditBefore;
    if (measuredSeconds > FLOOD_SECONDS - 2) say(`warning: the measurement outlasted the flood (${measuredSeconds.toFixed(1)} s); raise BENCH_FLOOD_SECONDS`);
    const floodResult = await flood.catch((err: unknown) => {
      floodProcess?.kill();
      throw err;
    });
    say(`quiet again: ${N} logins and ${N} blocks...`);
    const after = await measure();

    const p50 = (xs: number[]) => percentile(xs, 50);
    const row = (what: keyof Figures) => {
      const quiet = (p50(before[what]) + p50(after[what])) / 2;
      return [
        what === 'login' ? 'POST /auth/login' : 'POST /routers/:id/blocks',
        fmt(p50(before[what])),
        fmt(p50(after[what])),
        fmt(p50(during[what])),
        fmt(percentile(during[what], 99)),
        `${(p50(during[what]) / quiet).toFixed(2)}×`,
      ];
    };
    const rows = [row('login'), row('block')];
    console.log(`\nAnother user's requests while anonymous callers flood POST /routers/register (ms, one request at a time, n=${N} each)`);
    printTable(['request', 'p50 quiet', 'p50 quiet again', 'p50 flood', 'p99 flood', 'flood / quiet'], rows);
    const [{ registered }] = await stack.db.sql.query<{ registered: number }>(`SELECT count(*)::int AS registered FROM routers WHERE router_token_hash IS NOT NULL`);
    console.log(
      `\nflood: ${floodResult.perSecond.toFixed(0)} answers/s over ${FLOOD_SECONDS} s (${FLOOD_CONCURRENCY} connections, ${ADDRESSES} addresses; ` +
        `all refused: ${floodResult.non2xx > 0 && registered === 0 ? 'yes' : 'NO'}); ${auditDuring} audit rows written by it while measured (${(auditDuring / measuredSeconds).toFixed(0)}/s)`,
    );
    const worst = Math.max(...rows.map((r) => Number(String(r[5]).replace('×', ''))));
    console.log(`ANONYMOUS_CONCURRENCY ${stack.config.anonymousLimits.inFlight}`);
    console.log(`target: flood p50 within 2× of quiet: ${worst <= 2 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}×); machine: ${os.cpus().length} cpus, load average ${os.loadavg()[0].toFixed(2)}`);
  } finally {
    say('tearing down');
    await stack.close();
  }
}

async function auditRows(query: <T>(text: string, params?: unknown[]) => Promise<T[]>): Promise<number> {
  const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'router.register' AND outcome = 'failure'`);
  return n;
}

runBench(main);
