import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession, buildSimRouter } from './support/builders';
import { shiftedClock, startStack, type TestStack } from './support/stack';
import { pause, within } from './support/wait';

type Session = Awaited<ReturnType<typeof buildSession>>;

const GUEST = 'a4:83:e7:44:55:66';

/** Temporary blocks ("for an hour") end by themselves: the queue runs their end, the reconciler lifts them as the system. */
describe('temporary blocks (simulator, background work, a clock the test moves)', () => {
  const clock = shiftedClock('2026-05-01T12:00:00Z');
  let stack: TestStack;
  let alice: Session;
  let sim: RouterSim;
  let id: string;
  const as = () => bearer(alice.tokens.accessToken);
  const api = () => request(stack.app);
  const blocked = () => sim.state.blocked.macs.includes(GUEST);
  const inSeconds = (s: number) => new Date(clock.now().getTime() + s * 1000).toISOString();

  beforeAll(async () => {
    stack = await startStack({
      background: true,
      clock: clock.now,
      env: { JOB_POLL_SECONDS: '0.5', RECONCILE_INTERVAL_SECONDS: '3600', SCHEDULE_PLAN_INTERVAL_SECONDS: '3600' },
    });
    alice = await buildSession(stack);
    sim = await startRouterSim({ platform: 'linux-nft', devices: [{ mac: GUEST, ip: '192.168.1.102', hostname: 'guest-phone' }] });
    id = await buildSimRouter(stack, alice, sim);
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  test('when a 60 s block reaches its end, then the router stops blocking by itself, the block is gone, and history and audit say the system ended it', async () => {
    const until = inSeconds(60);
    const res = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: GUEST, until, reason: 'guest, one minute' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mac: GUEST, until, status: 'applied' });
    expect(blocked()).toBe(true);

    // 57 seconds pass on the controller's clock; the periodic plan places the end from there.
    clock.set(inSeconds(57));
    await stack.services.boundaries.planAll();
    expect(blocked()).toBe(true);
    await within(8_000, () => !blocked());

    // The router answers before the controller records the command's outcome.
    const commands = async () => (await api().get(`/api/v1/routers/${id}/commands`).set(as())).body.items;
    await within(3_000, async () => (await commands())[0]?.status !== 'sent');
    const history = await commands();
    expect(history[0]).toMatchObject({ action: 'unblock', actor: 'system', requestedBy: null, params: { mac: GUEST }, status: 'succeeded' });
    expect(history[1]).toMatchObject({ action: 'block', actor: 'user', requestedBy: alice.user.id, params: { mac: GUEST } });
    await within(2_000, async () => (await api().get(`/api/v1/routers/${id}/blocks`).set(as())).body.items.length === 0);
    const audit = await stack.dataSource.query(`SELECT actor_user_id, details FROM audit_log WHERE action = 'block.expired' AND target_id = $1`, [id]);
    expect(audit).toEqual([expect.objectContaining({ actor_user_id: null, details: expect.objectContaining({ blockId: res.body.id, mac: GUEST, actor: 'system' }) })]);
  });

  test('when a temporary block is blocked again without an end, then it stays after the first end has passed', async () => {
    const first = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: GUEST, until: inSeconds(60) });
    expect(first.status).toBe(201);
    const again = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: GUEST });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, until: null });

    clock.set(inSeconds(65));
    await stack.services.boundaries.planAll();
    await pause(2_000);
    expect(blocked()).toBe(true);
    await api().delete(`/api/v1/routers/${id}/blocks/${first.body.id}`).set(as()).expect(200);
    expect(blocked()).toBe(false);
  });

  test('when the end is in the past or more than a year away, then the block is refused with BLOCK_UNTIL_INVALID', async () => {
    for (const until of [inSeconds(-5), inSeconds(400 * 86_400)]) {
      const res = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: GUEST, until });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BLOCK_UNTIL_INVALID');
    }
    expect(blocked()).toBe(false);
  });
});
