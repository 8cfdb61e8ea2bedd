import request from 'supertest';
import { WEEKDAYS } from '../services/controller/src/modules/schedules/schedule-windows';
import { bearer, buildSession } from '../test/support/builders';
import { startStack, type TestStack } from '../test/support/stack';
import { pause } from '../test/support/wait';
import { startLab, type Lab, type LabRouter } from './harness';

type Session = Awaited<ReturnType<typeof buildSession>>;

/** `HH:MM` of a time in UTC (the lab router's time zone). */
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/**
 * Time in the real world, on a real router: a schedule's window and a temporary block's end
 * run on the controller's job queue at the real clock, and the LAN client's traffic stops and
 * flows again with no API call (issue 13, acceptance 2 and 4).
 */
describe('schedules and temporary blocks on a lab router', () => {
  let lab: Lab;
  let stack: TestStack;
  let owner: Session;
  let r: LabRouter;
  let id: string;
  const as = () => bearer(owner.tokens.accessToken);

  /** One echo request, a second to answer: true when the client reaches the router. */
  const reaches = () => lab.pingFromClient(r, { count: 1, timeoutS: 1 });

  /** Probes until the client's reach is `wanted`; returns when the first probe showing it began. */
  async function firstProbeWhere(wanted: boolean, deadline: number): Promise<number> {
    for (;;) {
      const started = Date.now();
      if ((await reaches()) === wanted) return started;
      if (Date.now() > deadline) throw new Error(`the client's reach did not become ${wanted} by ${new Date(deadline).toISOString()}`);
      await pause(100);
    }
  }

  beforeAll(async () => {
    lab = await startLab();
    stack = await startStack({
      background: true,
      // Only the boundaries may change the router here: no drift check within the test.
      env: { JOB_POLL_SECONDS: '0.5', RECONCILE_INTERVAL_SECONDS: '3600' },
      executorEnv: { SSH_CONNECT_TIMEOUT_MS: '2000', ACTION_TIMEOUT_MS: '4000', CONNECTION_IDLE_MS: '60000' },
    });
    owner = await buildSession(stack);
    r = lab.r1;
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(as())
      .send({ name: r.name, host: r.target.host, port: r.target.port, username: r.target.username, password: r.target.password, platform: r.platform, options: { leasesPath: r.leasesPath }, timeZone: 'UTC' });
    expect(res.status).toBe(201);
    id = res.body.id;
  });
  afterAll(async () => {
    await stack?.close();
    await lab?.teardown();
  });

  test('when a schedule’s window opens a minute after it is made, then the client’s ping stops within 5 s of the start and comes back within 5 s of the end', async () => {
    // The first whole minute at least a minute away, for one minute.
    const start = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
    const end = new Date(start.getTime() + 60_000);
    const created = await request(stack.app)
      .post(`/api/v1/routers/${id}/schedules`)
      .set(as())
      .send({ ip: r.client.ip, label: 'lab minute', windows: [{ days: [WEEKDAYS[start.getUTCDay()]], start: hhmm(start), end: hhmm(end) }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: false, nextChangeAt: start.toISOString() });
    expect(await reaches()).toBe(true);

    await pause(start.getTime() - Date.now() - 1_500);
    expect(await reaches()).toBe(true);
    const cut = await firstProbeWhere(false, start.getTime() + 10_000);
    expect(cut - start.getTime()).toBeLessThan(5_000);

    await pause(end.getTime() - Date.now() - 1_500);
    expect(await reaches()).toBe(false);
    const back = await firstProbeWhere(true, end.getTime() + 10_000);
    expect(back - end.getTime()).toBeLessThan(5_000);

    const history = (await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as())).body.items;
    expect(history.slice(0, 2)).toEqual([
      expect.objectContaining({ action: 'unblock', actor: 'system', params: { ip: r.client.ip }, status: 'succeeded' }),
      expect.objectContaining({ action: 'block', actor: 'system', params: { ip: r.client.ip }, status: 'succeeded' }),
    ]);
    await request(stack.app).delete(`/api/v1/routers/${id}/schedules/${created.body.id}`).set(as()).expect(204);
  }, 240_000);

  test('when a block for 60 s ends, then the client’s traffic flows again by itself, and the history shows the system ended it', async () => {
    const until = new Date(Date.now() + 60_000);
    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: r.client.mac, until: until.toISOString(), reason: 'one minute' });
    expect(block.status).toBe(201);
    expect(block.body).toMatchObject({ status: 'applied', until: until.toISOString() });
    expect(await reaches()).toBe(false);

    await pause(until.getTime() - Date.now() - 1_500);
    expect(await reaches()).toBe(false);
    const back = await firstProbeWhere(true, until.getTime() + 10_000);
    expect(back - until.getTime()).toBeLessThan(5_000);

    const history = (await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as())).body.items;
    expect(history[0]).toMatchObject({ action: 'unblock', actor: 'system', requestedBy: null, params: { mac: r.client.mac }, status: 'succeeded' });
    // (A reconcile running when the block was stored may have applied it once more, as the system.)
    expect(history).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'block', actor: 'user', requestedBy: owner.user.id, params: { mac: r.client.mac } })]));
    expect((await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as())).body.items).toEqual([]);
  }, 120_000);
});
