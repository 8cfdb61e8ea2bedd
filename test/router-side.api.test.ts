import request from 'supertest';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { within } from './support/wait';

type Session = Awaited<ReturnType<typeof buildSession>>;

const PINNED = `SHA256:${'k'.repeat(43)}`;

/** What a router does for itself with its token: report a new network after DHCP, switch to a rotated token. */
describe('router-side updates', () => {
  let stack: TestStack;
  let alice: Session;
  const api = () => request(stack.app);
  const as = (s: Session) => bearer(s.tokens.accessToken);

  beforeAll(async () => {
    stack = await startStack({
      env: { ROUTER_TOKEN_GRACE_SECONDS: '2', ROUTER_ALLOWED_CIDRS: '127.0.0.0/8,203.0.113.0/24', ROUTER_TUNNEL_PORTS: '20000-20010' },
    });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await stack.close();
  });

  async function registered(router: object, networkInfo: object = {}): Promise<{ id: string; token: string }> {
    const created = await api().post('/api/v1/routers').set(as(alice)).send({ name: 'r', username: 'root', password: 'x', platform: 'openwrt', ...router });
    expect(created.status).toBe(201);
    const key = await api().post(`/api/v1/routers/${created.body.id}/provision-key`).set(as(alice));
    const reg = await api().post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey, ...networkInfo });
    return { id: created.body.id, token: reg.body.routerToken };
  }
  const heartbeat = (r: { id: string }, token: string) => api().post(`/api/v1/routers/${r.id}/heartbeat`).set(bearer(token)).send({ uptimeSeconds: 10 });

  test('when the owner rotates the router token, then both tokens heartbeat during the grace period, and afterwards only the new one', async () => {
    const r = await registered({ host: '127.0.0.1', port: 22 });
    const rotated = await api().post(`/api/v1/routers/${r.id}/token/rotate`).set(as(alice));
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.routerToken as string;
    expect(fresh).toMatch(/^nrt_/);
    expect(fresh).not.toBe(r.token);
    const graceEnds = Date.parse(rotated.body.previousTokenExpiresAt);
    expect(graceEnds).toBeGreaterThan(Date.now());

    expect((await heartbeat(r, r.token)).status).toBe(200);
    expect((await heartbeat(r, fresh)).status).toBe(200);
    await within(5_000, () => Date.now() > graceEnds + 200);
    const old = await heartbeat(r, r.token);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('ROUTER_TOKEN_INVALID');
    expect((await heartbeat(r, fresh)).status).toBe(200);
    const audit = await stack.dataSource.query(`SELECT actor_user_id FROM audit_log WHERE action = 'router.token_rotate' AND target_id = $1`, [r.id]);
    expect(audit).toEqual([{ actor_user_id: alice.user.id }]);
  });

  test('when someone else asks to rotate, then an assigned user gets 403, a stranger 404; a router that never registered gets 409', async () => {
    const r = await registered({ host: '127.0.0.1', port: 22 });
    const carol = await buildSession(stack);
    const dave = await buildSession(stack);
    await api().post(`/api/v1/routers/${r.id}/assignments`).set(as(alice)).send({ userId: carol.user.id }).expect(201);
    expect((await api().post(`/api/v1/routers/${r.id}/token/rotate`).set(as(carol))).status).toBe(403);
    expect((await api().post(`/api/v1/routers/${r.id}/token/rotate`).set(as(dave))).status).toBe(404);
    expect((await heartbeat(r, r.token)).status).toBe(200);
    const unregistered = await api().post('/api/v1/routers').set(as(alice)).send({ name: 'new', host: '127.0.0.1', username: 'root', password: 'x', platform: 'openwrt' });
    const refused = await api().post(`/api/v1/routers/${unregistered.body.id}/token/rotate`).set(as(alice));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ROUTER_NOT_REGISTERED');
  });

  test('when a router reached at its WAN address reports a new one, then the controller follows it and keeps the pinned host key; an address outside the rules is 400', async () => {
    const r = await registered({ host: '203.0.113.5', port: 22, hostKeySha256: PINNED }, { wanAddress: '203.0.113.5' });
    const moved = await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(r.token)).send({ wanAddress: '203.0.113.77', lanAddress: '192.168.1.1/24' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ host: '203.0.113.77', port: 22, tunnelPort: null, networkInfo: { wanAddress: '203.0.113.77', lanAddress: '192.168.1.1/24' } });
    expect(moved.body.changed).toEqual(expect.arrayContaining(['host', 'wanAddress', 'lanAddress']));
    const router = await api().get(`/api/v1/routers/${r.id}`).set(as(alice));
    expect(router.body).toMatchObject({ host: '203.0.113.77', hostKeySha256: PINNED });

    const outside = await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(r.token)).send({ wanAddress: '198.51.100.7' });
    expect(outside.status).toBe(400);
    expect(outside.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
    expect((await api().get(`/api/v1/routers/${r.id}`).set(as(alice))).body.host).toBe('203.0.113.77');
    const audit = await stack.dataSource.query(`SELECT details FROM audit_log WHERE action = 'router.network_update' AND target_id = $1`, [r.id]);
    expect(audit).toEqual([{ details: expect.objectContaining({ host: '203.0.113.77', changed: expect.arrayContaining(['host']) }) }]);
  });

  test('when a router behind a reverse tunnel reports a new tunnel port, then the controller uses it if it is in ROUTER_TUNNEL_PORTS', async () => {
    const r = await registered({ host: '127.0.0.1', tunnelPort: 20001 });
    const moved = await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(r.token)).send({ tunnelPort: 20002 });
    expect(moved.body).toMatchObject({ tunnelPort: 20002, changed: ['tunnelPort'] });
    expect((await api().get(`/api/v1/routers/${r.id}`).set(as(alice))).body.tunnelPort).toBe(20002);
    expect((await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(r.token)).send({ tunnelPort: 30000 })).status).toBe(400);
    expect((await api().get(`/api/v1/routers/${r.id}`).set(as(alice))).body.tunnelPort).toBe(20002);
  });

  test('when a network report is not the router’s to make, then: another router’s token 404, a user token 401, a tunnel port for a direct router 409, nothing at all 400', async () => {
    const r = await registered({ host: '127.0.0.1', port: 22 }, { wanAddress: '127.0.0.1' });
    const other = await registered({ host: '127.0.0.1', port: 22 });
    expect((await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(other.token)).send({ lanAddress: '10.0.0.1' })).status).toBe(404);
    expect((await api().patch(`/api/v1/routers/${r.id}/network`).set(as(alice)).send({ lanAddress: '10.0.0.1' })).status).toBe(401);
    const tunnel = await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(r.token)).send({ tunnelPort: 20003 });
    expect(tunnel.status).toBe(409);
    expect(tunnel.body.error.code).toBe('ROUTER_NOT_TUNNELED');
    expect((await api().patch(`/api/v1/routers/${r.id}/network`).set(bearer(r.token)).send({})).status).toBe(400);
  });
});
