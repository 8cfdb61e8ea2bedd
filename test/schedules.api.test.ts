import request from 'supertest';
import { generateEd25519, startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession, buildSimRouter } from './support/builders';
import { createFreshDatabase } from './support/fresh-database';
import { shiftedClock, startStack, type TestStack } from './support/stack';
import { pause, within } from './support/wait';
import { simulators } from './support/sims';

type Session = Awaited<ReturnType<typeof buildSession>>;

const TABLET = 'f0:99:b6:10:20:30';
const SCHOOL_NIGHTS = { days: ['sun', 'mon', 'tue', 'wed', 'thu'], start: '21:00', end: '07:00' };
const ALL_DAY = { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' };
const BACKGROUND_ENV = {
  JOB_POLL_SECONDS: '0.5',
  // No drift check and no periodic plan of their own: only the boundaries move the routers here.
  RECONCILE_INTERVAL_SECONDS: '3600',
  SCHEDULE_PLAN_INTERVAL_SECONDS: '3600',
  RECONCILE_RETRY_BASE_SECONDS: '0.5',
  RECONCILE_RETRY_MAX_SECONDS: '2',
};
const EXECUTOR_ENV = { SSH_CONNECT_TIMEOUT_MS: '1000', ACTION_TIMEOUT_MS: '2000' };

const addRouter = (stack: TestStack, who: Session, s: RouterSim) => buildSimRouter(stack, who, s, { timeZone: 'Europe/Berlin' });

/**
 * Schedules on the simulator's real firewall, with the controller's background work running
 * and a clock the test sets to a few seconds before a boundary: the job queue then runs the
 * boundary in real time, and the router is blocked or unblocked with no API call.
 */
describe('schedules (simulator, background work, a clock the test moves)', () => {
  const clock = shiftedClock();
  let stack: TestStack;
  let alice: Session;
  const fleet = simulators();
  const as = () => bearer(alice.tokens.accessToken);
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startStack({ background: true, clock: clock.now, env: BACKGROUND_ENV, executorEnv: EXECUTOR_ENV });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await fleet.closeAll();
    await stack.close();
  });

  const sim = (opts: Parameters<typeof fleet.start>[0] = {}) => fleet.start({ devices: [{ mac: TABLET, ip: '192.168.1.101', hostname: 'kids-tablet' }], ...opts });

  const blocked = (s: RouterSim) => s.state.blocked.macs.includes(TABLET);
  const history = async (id: string) => (await api().get(`/api/v1/routers/${id}/commands`).set(as())).body.items as { action: string; actor: string; params: Record<string, string> }[];
  const lastReconciledAt = async (id: string) => Date.parse((await api().get(`/api/v1/routers/${id}`).set(as())).body.convergence.lastReconciledAt ?? 0);

  /** The clock jumps; the periodic plan (run here at once) places the boundaries again from the new time. */
  async function jump(iso: string): Promise<number> {
    clock.set(iso);
    const jumped = Date.now();
    await stack.services.boundaries.planAll();
    return jumped;
  }

  test('when a school-night schedule reaches 21:00 and then 07:00, then the router blocks the tablet and unblocks it, each as a command by system', async () => {
    clock.set('2026-03-02T20:59:57+01:00'); // Monday, Berlin winter time
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    const created = await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, label: 'School nights', windows: [SCHOOL_NIGHTS] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mac: TABLET, label: 'School nights', enabled: true, active: false, timeZone: 'Europe/Berlin', nextChangeAt: '2026-03-02T20:00:00.000Z' });
    // The reconcile the new schedule asked for has read the router and left it alone: 21:00 has not come.
    await within(3_000, async () => (await lastReconciledAt(id)) > 0);
    expect(blocked(s)).toBe(false);

    await within(8_000, () => blocked(s));
    const opened = await api().get(`/api/v1/routers/${id}/schedules/${created.body.id}`).set(as());
    expect(opened.body).toMatchObject({ active: true, nextChangeAt: '2026-03-03T06:00:00.000Z' });
    expect(await history(id)).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'block', actor: 'system', params: { mac: TABLET } })]));

    await jump('2026-03-03T06:59:57+01:00'); // Tuesday morning
    expect(blocked(s)).toBe(true);
    await within(8_000, () => !blocked(s));
    expect((await history(id))[0]).toMatchObject({ action: 'unblock', actor: 'system', params: { mac: TABLET } });
    // The event follows the command.
    const windows = async () => (await api().get(`/api/v1/routers/${id}/events`).query({ type: 'schedule.applied' }).set(as())).body.items.map((e: { data: { window: string } }) => e.data.window);
    await within(2_000, async () => (await windows()).length === 2);
    expect(await windows()).toEqual(['closed', 'open']);
  });

  test('when a night window spans the spring-forward switch, then it ends at 07:00 summer time (05:00 UTC), not an hour later', async () => {
    clock.set('2026-03-28T21:59:57+01:00'); // Saturday; clocks go forward at 02:00 on Sunday
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    const created = await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, windows: [{ days: ['sat'], start: '22:00', end: '07:00' }] });
    expect(created.body.nextChangeAt).toBe('2026-03-28T21:00:00.000Z');
    await within(8_000, () => blocked(s));
    expect((await api().get(`/api/v1/routers/${id}/schedules/${created.body.id}`).set(as())).body.nextChangeAt).toBe('2026-03-29T05:00:00.000Z');

    // 06:59:57 summer time is 04:59:57 UTC; had the switch been missed, the window would last until 06:00 UTC.
    await jump('2026-03-29T06:59:57+02:00');
    await within(8_000, () => !blocked(s));
  });

  test('when a device is also blocked by hand during the window, then the window’s end leaves it blocked, and unblocking it then frees it', async () => {
    clock.set('2026-03-02T22:30:00+01:00');
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, windows: [SCHOOL_NIGHTS] }).expect(201);
    await within(5_000, () => blocked(s));
    const manual = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: TABLET, reason: 'grounded' });
    expect(manual.status).toBe(201);

    const jumped = await jump('2026-03-03T06:59:57+01:00');
    // A reconcile after the boundary (3 s after the jump) has run, and kept the block.
    await within(8_000, async () => (await lastReconciledAt(id)) > jumped + 3_000);
    expect(blocked(s)).toBe(true);
    expect((await history(id)).filter((c) => c.action === 'unblock')).toEqual([]);

    await api().delete(`/api/v1/routers/${id}/blocks/${manual.body.id}`).set(as()).expect(200);
    expect(blocked(s)).toBe(false);
  });

  test('when a manual block is removed during an open window, then the window keeps the device blocked; pausing the schedule frees it', async () => {
    clock.set('2026-03-02T23:00:00+01:00');
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    const manual = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: TABLET });
    const schedule = await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, label: 'Bedtime', windows: [SCHOOL_NIGHTS] });
    expect(schedule.body.active).toBe(true);

    const removed = await api().delete(`/api/v1/routers/${id}/blocks/${manual.body.id}`).set(as());
    expect(removed.status).toBe(200);
    await pause(1_000);
    expect(blocked(s)).toBe(true);
    expect((await api().get(`/api/v1/routers/${id}/blocks`).set(as())).body.items).toEqual([]);
    await api().post(`/api/v1/routers/${id}/scan`).set(as()).expect(200);
    const device = (await api().get(`/api/v1/routers/${id}/devices`).set(as())).body.items.find((d: { mac: string }) => d.mac === TABLET);
    expect(device).toMatchObject({ blocked: true, blockedBy: [{ type: 'schedule', id: schedule.body.id, label: 'Bedtime' }] });

    const paused = await api().patch(`/api/v1/routers/${id}/schedules/${schedule.body.id}`).set(as()).send({ enabled: false });
    expect(paused.body).toMatchObject({ enabled: false, active: false, nextChangeAt: null });
    await within(5_000, () => !blocked(s));
    await within(2_000, async () => (await api().get(`/api/v1/routers/${id}/events`).set(as())).body.items[0]?.message === `Bedtime: paused, ${TABLET} unblocked`);
    expect((await api().get(`/api/v1/routers/${id}/events`).query({ type: 'drift.repaired' }).set(as())).body.items).toEqual([]);
  });

  test('when a schedule is deleted during its window, then the device is unblocked by system', async () => {
    clock.set('2026-03-04T21:15:00+01:00');
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    const created = await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, windows: [SCHOOL_NIGHTS] });
    await within(5_000, () => blocked(s));
    await api().delete(`/api/v1/routers/${id}/schedules/${created.body.id}`).set(as()).expect(204);
    await within(5_000, () => !blocked(s));
    expect((await history(id))[0]).toMatchObject({ action: 'unblock', actor: 'system' });
    await api().get(`/api/v1/routers/${id}/schedules/${created.body.id}`).set(as()).expect(404);
  });

  test('when the router is offline across the window’s start, then the block is enforced once it is back, without any API call', async () => {
    clock.set('2026-03-02T20:59:57+01:00');
    const hostKey = generateEd25519().privateKey;
    const first = await sim({ hostKey });
    const { port } = first;
    const id = await addRouter(stack, alice, first);
    await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, windows: [SCHOOL_NIGHTS] }).expect(201);
    await within(3_000, async () => (await lastReconciledAt(id)) > 0);
    await fleet.stop(first);

    await pause(5_000); // 21:00 passes while the router is away
    expect((await api().get(`/api/v1/routers/${id}`).set(as())).body.status).toBe('offline');
    const back = await sim({ hostKey, port });
    // Retries back off up to RECONCILE_RETRY_MAX_SECONDS (2 s here).
    await within(8_000, () => blocked(back));
  });

  test('when schedules are misdescribed, then the answer is 400 naming the field; an unknown device is 404; another user’s router is 404', async () => {
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    const bad = async (body: object) => (await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send(body)).body.error;
    expect(await bad({ mac: TABLET, windows: [{ days: ['mon'], start: '21:00', end: '21:00' }] })).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/end must differ/) });
    expect(await bad({ mac: TABLET, windows: [{ days: ['someday'], start: '21:00', end: '07:00' }] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await bad({ mac: TABLET, windows: [{ days: ['mon'], start: '25:00', end: '07:00' }] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await bad({ mac: TABLET, ip: '192.168.1.9', windows: [ALL_DAY] })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await bad({ deviceId: '00000000-0000-4000-8000-000000000000', windows: [ALL_DAY] })).toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    expect((await api().patch(`/api/v1/routers/${id}`).set(as()).send({ timeZone: 'Mars/Olympus_Mons' })).status).toBe(400);

    const bob = await buildSession(stack);
    const theirs = await api().post(`/api/v1/routers/${id}/schedules`).set(bearer(bob.tokens.accessToken)).send({ mac: TABLET, windows: [ALL_DAY] });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('ROUTER_NOT_FOUND');
    expect((await api().get(`/api/v1/routers/${id}/schedules`).set(bearer(bob.tokens.accessToken))).status).toBe(404);
  });

  test('when the router’s time zone changes, then its schedules are read in the new zone at once', async () => {
    clock.set('2026-03-02T21:30:00Z'); // 22:30 in Berlin, 16:30 in New York
    const s = await sim();
    const id = await addRouter(stack, alice, s);
    const created = await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ mac: TABLET, windows: [SCHOOL_NIGHTS] });
    expect(created.body.active).toBe(true);
    await within(5_000, () => blocked(s));
    const moved = await api().patch(`/api/v1/routers/${id}`).set(as()).send({ timeZone: 'America/New_York' });
    expect(moved.body.timeZone).toBe('America/New_York');
    await within(5_000, () => !blocked(s));
    expect((await api().get(`/api/v1/routers/${id}/schedules/${created.body.id}`).set(as())).body).toMatchObject({ active: false, nextChangeAt: '2026-03-03T02:00:00.000Z' });
  });
});

describe('a schedule boundary while no controller runs', () => {
  test('when the controller is stopped before 21:00 and another starts after it, then the block still happens', async () => {
    const db = await createFreshDatabase();
    const sim = await startRouterSim({ platform: 'linux-nft' });
    // Replicas and restarts share their secrets, as real ones do.
    const env = { ...BACKGROUND_ENV, DATABASE_URL: db.url, JWT_SECRET: 'restart-shared-jwt-secret-0123456789abcdef', NETPILOT_SECRET_KEY: 'ab'.repeat(32) };
    const clock = shiftedClock('2026-03-02T20:59:57+01:00');
    try {
      const first = await startStack({ background: true, clock: clock.now, env, executorEnv: EXECUTOR_ENV });
      const owner = await buildSession(first);
      const id = await addRouter(first, owner, sim);
      await request(first.app).post(`/api/v1/routers/${id}/schedules`).set(bearer(owner.tokens.accessToken)).send({ mac: TABLET, windows: [SCHOOL_NIGHTS] }).expect(201);
      await first.close();

      await pause(4_000); // 21:00 passes with no controller running
      expect(sim.state.blocked.macs).not.toContain(TABLET);
      const second = await startStack({ background: true, clock: clock.now, env, executorEnv: EXECUTOR_ENV });
      try {
        await within(8_000, () => sim.state.blocked.macs.includes(TABLET));
      } finally {
        await second.close();
      }
    } finally {
      await sim.close();
      await db.drop();
    }
  });
});

describe('schedule boundaries and the periodic plan (no job workers: the queue is read directly)', () => {
  const clock = shiftedClock();
  let stack: TestStack;
  let sim: RouterSim;
  beforeAll(async () => {
    stack = await startStack({ background: false, clock: clock.now });
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  test('when the periodic plan runs just after a boundary whose job has not run yet, then that job stays due instead of moving to the next boundary', async () => {
    const alice = await buildSession(stack);
    const id = await buildSimRouter(stack, alice, sim);
    clock.set('2026-03-02T23:59:58Z');
    const created = await request(stack.app)
      .post(`/api/v1/routers/${id}/schedules`)
      .set(bearer(alice.tokens.accessToken))
      .send({ mac: TABLET, windows: [{ days: ['tue'], start: '00:00', end: '01:00' }] });
    expect(created.status).toBe(201);
    expect(created.body.nextChangeAt).toBe('2026-03-03T00:00:00.000Z');
    const job = async () =>
      (await stack.db.sql.query<{ due: boolean; runAt: Date }>(`SELECT run_at <= now() AS due, run_at AS "runAt" FROM graphile_worker.jobs WHERE key = $1`, [`boundary:schedule:${created.body.id}`]))[0];
    // The window opens in 2 s; its boundary job waits for it.
    expect((await job()).due).toBe(false);
    await pause(2_500);
    expect((await job()).due).toBe(true);
    // The periodic plan comes first (it outranks the boundary in the queue) and sees the window
    // open: the next boundary it computes is the window's end, an hour away.
    await stack.services.boundaries.planAll();
    const after = await job();
    expect(after.due).toBe(true);
    expect(after.runAt.getTime()).toBeLessThan(Date.now());
  });
});
