import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { generateEd25519, startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession, buildSimRouter } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { within } from './support/wait';
import { simulators } from './support/sims';

type Session = Awaited<ReturnType<typeof buildSession>>;

/**
 * Bulk operations (issue 12): one block or unblock over many routers, with the background
 * work running, against router simulators.
 */
describe('bulk operations (simulator, background work running)', () => {
  let stack: TestStack;
  let alice: Session;
  let bob: Session;
  let admin: Session;
  const fleet = simulators();

  beforeAll(async () => {
    stack = await startStack({
      background: true,
      env: {
        RECONCILE_INTERVAL_SECONDS: '3600',
        RECONCILE_RETRY_BASE_SECONDS: '0.5',
        RECONCILE_RETRY_MAX_SECONDS: '1',
        JOB_POLL_SECONDS: '0.5',
      },
      executorEnv: { SSH_CONNECT_TIMEOUT_MS: '1000', ACTION_TIMEOUT_MS: '2000' },
    });
    alice = await buildSession(stack);
    bob = await buildSession(stack);
    admin = await buildSession(stack, { role: 'admin' });
  });
  afterAll(async () => {
    await fleet.closeAll();
    await stack.close();
  });

  const sim = fleet.start;
  const as = (who: Session) => bearer(who.tokens.accessToken);
  const operation = async (who: Session, id: string) => (await request(stack.app).get(`/api/v1/operations/${id}`).set(as(who))).body;
  const settled = async (id: string) => within(15_000, async () => (await operation(alice, id)).status === 'done');

  test('when alice blocks one address on five routers, one unreachable and one of bob\'s, then three are applied, bob\'s is not revealed, and the unreachable one is applied by the reconciler when it is back', async () => {
    const up = await Promise.all([sim(), sim(), sim()]);
    const ids = await Promise.all(up.map((s) => buildSimRouter(stack, alice, s)));
    const hostKey = generateEd25519().privateKey;
    const away = await sim({ hostKey });
    const awayId = await buildSimRouter(stack, alice, away);
    // First contact pins its host key; then the router goes away.
    expect((await request(stack.app).get(`/api/v1/routers/${awayId}/info`).set(as(alice))).status).toBe(200);
    await fleet.stop(away);
    const bobSim = await sim();
    const bobs = await buildSimRouter(stack, bob, bobSim);
    const routerIds = [...ids, awayId, bobs];

    const started = await request(stack.app).post('/api/v1/bulk/blocks').set(as(alice)).send({ routerIds, ip: '10.66.0.9', reason: 'homework' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'block', ip: '10.66.0.9', reason: 'homework', total: 5 });
    // Another user's router reads exactly like one that does not exist.
    const unknown = randomUUID();
    const other = await request(stack.app).post('/api/v1/bulk/blocks').set(as(alice)).send({ routerIds: [unknown], ip: '10.66.0.9' });
    expect(other.status).toBe(202);
    expect(other.body.results).toEqual([{ routerId: unknown, status: 'failed', error: { code: 'ROUTER_NOT_FOUND', message: 'Router not found' } }]);

    const opId = started.body.id as string;
    await settled(opId);
    const done = await operation(alice, opId);
    expect(done).toMatchObject({ status: 'done', total: 5, succeeded: 3, pending: 1, failed: 1, queued: 0 });
    expect(done.results).toEqual([
      ...ids.map((routerId) => ({ routerId, status: 'applied' })),
      { routerId: awayId, status: 'pending', error: { code: 'ROUTER_UNREACHABLE', message: expect.any(String) } },
      { routerId: bobs, status: 'failed', error: { code: 'ROUTER_NOT_FOUND', message: 'Router not found' } },
    ]);
    for (const s of up) expect(s.state.blocked.ipv4).toContain('10.66.0.9');
    // Bob's router was not touched, and he cannot read alice's operation.
    expect(bobSim.state.blocked.ipv4).not.toContain('10.66.0.9');
    expect((await request(stack.app).get(`/api/v1/operations/${opId}`).set(as(bob))).status).toBe(404);
    expect((await request(stack.app).get(`/api/v1/operations/${randomUUID()}`).set(as(alice))).body.error.code).toBe('OPERATION_NOT_FOUND');
    expect((await operation(admin, opId)).id).toBe(opId);

    // Each router's command history and the audit log show its part.
    for (const id of ids) {
      const history = await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as(alice));
      expect(history.body.items[0]).toMatchObject({ action: 'block', status: 'succeeded', params: { ip: '10.66.0.9' }, requestedBy: alice.user.id });
      const audit = await request(stack.app).get(`/api/v1/audit?router=${id}&action=router.block`).set(as(admin));
      expect(audit.body.items[0]).toMatchObject({ actorUserId: alice.user.id, outcome: 'success', details: { operationId: opId } });
    }
    const awayHistory = await request(stack.app).get(`/api/v1/routers/${awayId}/commands`).set(as(alice));
    expect(awayHistory.body.items[0]).toMatchObject({ action: 'block', status: 'failed', errorCode: 'ROUTER_UNREACHABLE' });
    const awayAudit = await request(stack.app).get(`/api/v1/audit?router=${awayId}&action=router.block`).set(as(admin));
    expect(awayAudit.body.items[0]).toMatchObject({ outcome: 'failure', details: { operationId: opId, errorCode: 'ROUTER_UNREACHABLE' } });
    const created = await request(stack.app).get(`/api/v1/audit?action=operation.block`).set(as(admin));
    expect(created.body.items.find((e: { targetId: string }) => e.targetId === opId)).toMatchObject({ actorUserId: alice.user.id, details: { routers: 4, notFound: 1 } });
    expect(JSON.stringify(created.body.items)).not.toContain(bobs);

    // The router comes back: the reconciler applies the pending block, and the operation says so.
    const back = await sim({ hostKey, port: away.port });
    await within(10_000, () => back.state.blocked.ipv4.includes('10.66.0.9'));
    await within(5_000, async () => (await operation(alice, opId)).succeeded === 4);
    expect(await operation(alice, opId)).toMatchObject({ succeeded: 4, pending: 0, failed: 1 });
    const blocks = await request(stack.app).get(`/api/v1/routers/${awayId}/blocks`).set(as(alice));
    expect(blocks.body.items).toEqual([expect.objectContaining({ ip: '10.66.0.9', status: 'applied', reason: 'homework' })]);

    // And the same address unblocked everywhere it was.
    const unblock = await request(stack.app).post('/api/v1/bulk/unblocks').set(as(alice)).send({ routerIds: [...ids, awayId], ip: '10.66.0.9' });
    expect(unblock.status).toBe(202);
    await settled(unblock.body.id);
    expect(await operation(alice, unblock.body.id)).toMatchObject({ kind: 'unblock', succeeded: 4, failed: 0, pending: 0 });
    for (const s of [...up, back]) expect(s.state.blocked.ipv4).not.toContain('10.66.0.9');
    for (const id of [...ids, awayId]) expect((await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice))).body.items).toEqual([]);
  });

  test('when a bulk block names all routers with an end time, then every router the caller may operate gets it, each ending by itself', async () => {
    const carol = await buildSession(stack);
    const mine = await Promise.all([sim(), sim()]);
    const ids = await Promise.all(mine.map((s) => buildSimRouter(stack, carol, s)));
    const until = new Date(Date.now() + 3_000).toISOString();
    const started = await request(stack.app).post('/api/v1/bulk/blocks').set(as(carol)).send({ all: true, mac: 'AA:BB:CC:00:11:22', until });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ total: 2, mac: 'aa:bb:cc:00:11:22', until });
    expect(started.body.results.map((r: { routerId: string }) => r.routerId).sort()).toEqual([...ids].sort());
    await within(10_000, async () => (await request(stack.app).get(`/api/v1/operations/${started.body.id}`).set(as(carol))).body.succeeded === 2);
    for (const s of mine) expect(s.state.blocked.macs).toContain('aa:bb:cc:00:11:22');
    // The temporary blocks end by themselves (their end is planned on the queue).
    await within(15_000, () => mine.every((s) => !s.state.blocked.macs.includes('aa:bb:cc:00:11:22')));
    const history = await request(stack.app).get(`/api/v1/routers/${ids[0]}/commands`).set(as(carol));
    expect(history.body.items[0]).toMatchObject({ action: 'unblock', actor: 'system' });
  });

  test('when router ids are given in upper case, then they name the same routers (and the same id twice in two spellings is refused)', async () => {
    const mine = await sim();
    const id = await buildSimRouter(stack, alice, mine);
    const started = await request(stack.app).post('/api/v1/bulk/blocks').set(as(alice)).send({ routerIds: [id.toUpperCase()], ip: '10.66.1.1' });
    expect(started.status).toBe(202);
    expect(started.body.results).toEqual([{ routerId: id, status: 'queued' }]);
    await settled(started.body.id);
    expect(await operation(alice, started.body.id)).toMatchObject({ succeeded: 1, failed: 0 });
    expect(mine.state.blocked.ipv4).toContain('10.66.1.1');
    const twice = await request(stack.app).post('/api/v1/bulk/blocks').set(as(alice)).send({ routerIds: [id, id.toUpperCase()], ip: '10.66.1.1' });
    expect(twice.status).toBe(400);
    expect((await request(stack.app).post('/api/v1/bulk/blocks').set(as(alice)).send({ routerIds: [`{${id}}`], ip: '10.66.1.1' })).status).toBe(400);
  });

  test('when a bulk unblock meets a schedule holding the address, then the router keeps blocking it while the window is open, and only the manual block goes', async () => {
    const s = await sim();
    const id = await buildSimRouter(stack, alice, s);
    const mac = 'aa:bb:cc:00:33:44';
    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ mac });
    expect(block.status).toBe(201);
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const schedule = await request(stack.app).post(`/api/v1/routers/${id}/schedules`).set(as(alice)).send({ mac, windows: [{ days, start: '00:00', end: '24:00' }] });
    expect(schedule.status).toBe(201);
    const started = await request(stack.app).post('/api/v1/bulk/unblocks').set(as(alice)).send({ routerIds: [id], mac });
    expect(started.status).toBe(202);
    expect(started.body.results).toEqual([{ routerId: id, status: 'pending', error: { code: 'HELD_BY_SCHEDULE', message: expect.any(String) } }]);
    // The reconciler settles it: the manual block is gone, the window keeps the device blocked.
    await within(10_000, async () => (await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice))).body.items.length === 0);
    await within(5_000, async () => (await operation(alice, started.body.id)).succeeded === 1);
    expect(s.state.blocked.macs).toContain(mac);
  });

  test('when a bulk unblock cannot reach a router that has no such block stored, then its line stays pending until a reconcile has seen the router', async () => {
    const hostKey = generateEd25519().privateKey;
    const first = await sim({ hostKey });
    const id = await buildSimRouter(stack, alice, first);
    expect((await request(stack.app).get(`/api/v1/routers/${id}/info`).set(as(alice))).status).toBe(200);
    await fleet.stop(first);
    const started = await request(stack.app).post('/api/v1/bulk/unblocks').set(as(alice)).send({ routerIds: [id], ip: '10.66.2.2' });
    await settled(started.body.id);
    expect(await operation(alice, started.body.id)).toMatchObject({ succeeded: 0, pending: 1 });
    const back = await sim({ hostKey, port: first.port });
    await within(10_000, async () => (await operation(alice, started.body.id)).succeeded === 1);
    expect(back.state.blocked.ipv4).not.toContain('10.66.2.2');
  });

  test('when the body is wrong, then 400 with a code, and no operation is stored', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ip: '10.0.0.1' }, 'VALIDATION_FAILED'],
      [{ all: true, routerIds: [randomUUID()], ip: '10.0.0.1' }, 'VALIDATION_FAILED'],
      [{ all: true }, 'VALIDATION_FAILED'],
      [{ all: true, ip: '10.0.0.1', mac: 'aa:bb:cc:dd:ee:ff' }, 'VALIDATION_FAILED'],
      [{ routerIds: [], ip: '10.0.0.1' }, 'VALIDATION_FAILED'],
      [{ routerIds: ['not-a-uuid'], ip: '10.0.0.1' }, 'VALIDATION_FAILED'],
      [{ routerIds: Array.from({ length: 1001 }, () => randomUUID()), ip: '10.0.0.1' }, 'VALIDATION_FAILED'],
      [{ all: true, ip: '10.0.0.1', until: '2001-01-01T00:00:00Z' }, 'BLOCK_UNTIL_INVALID'],
      [{ all: true, ip: '999.0.0.1' }, 'VALIDATION_FAILED'],
      [{ all: true, ip: '10.0.0.1\u0000' }, 'INVALID_TEXT'],
    ];
    const [{ before }] = await stack.db.sql.query<{ before: number }>('SELECT count(*)::int AS before FROM operations');
    for (const [body, code] of cases) {
      const res = await request(stack.app).post('/api/v1/bulk/blocks').set(as(alice)).send(body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 400, code });
    }
    const dave = await buildSession(stack);
    const none = await request(stack.app).post('/api/v1/bulk/unblocks').set(as(dave)).send({ all: true, ip: '10.0.0.1' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('NO_ROUTERS');
    const [{ after }] = await stack.db.sql.query<{ after: number }>('SELECT count(*)::int AS after FROM operations');
    expect(after).toBe(before);
    expect((await request(stack.app).post('/api/v1/bulk/blocks').send({ all: true, ip: '10.0.0.1' })).status).toBe(401);
  });
});

describe('bulk operations whose job never runs (no background work)', () => {
  // A database of its own: the orphan sweep below finishes every open command it can see.
  let stack: TestStack;
  let sim: RouterSim;
  beforeAll(async () => {
    stack = await startStack({ freshDatabase: true });
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  test('when the controller that owned an operation is gone and its job gave up, then the orphan sweep hands its routers to the reconciler and finishes it', async () => {
    const alice = await buildSession(stack);
    const id = await buildSimRouter(stack, alice, sim);
    const started = await request(stack.app).post('/api/v1/bulk/blocks').set(bearer(alice.tokens.accessToken)).send({ routerIds: [id], ip: '10.66.3.3' });
    expect(started.status).toBe(202);
    // Too young to be abandoned: nothing happens.
    expect(await stack.services.operations.finishAbandoned(60_000)).toBe(0);
    // This controller never sent a heartbeat row: its commands count as a dead controller's.
    expect(await stack.services.commands.interruptOrphans(0)).toBe(1);
    expect(await stack.services.operations.finishAbandoned(0)).toBe(1);
    const op = (await request(stack.app).get(`/api/v1/operations/${started.body.id}`).set(bearer(alice.tokens.accessToken))).body;
    expect(op).toMatchObject({ status: 'done', pending: 1, succeeded: 0 });
    // The reconciler was asked for the router, and applies the stored block when it runs.
    const [{ jobs }] = await stack.db.sql.query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM graphile_worker.jobs WHERE task_identifier = 'router.reconcile'`);
    expect(jobs).toBe(1);
    await stack.services.reconcile.reconcile(id, { system: true, sessionId: stack.services.instanceId });
    expect(sim.state.blocked.ipv4).toContain('10.66.3.3');
    expect((await request(stack.app).get(`/api/v1/operations/${started.body.id}`).set(bearer(alice.tokens.accessToken))).body).toMatchObject({ succeeded: 1, pending: 0 });
  });
});
