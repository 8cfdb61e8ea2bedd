import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession } from './support/builders';
import { listen, startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** An open GET /stream as a browser reads it: fetch with the Authorization header and a body reader. */
async function openStream(url: string, accessToken: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/v1/stream`, { headers: bearer(accessToken), signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  const reading = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith(':')) comments.push(block);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      /* aborted */
    }
    ended = true;
  })();
  const waitFor = async (pred: (e: SseEvent) => boolean, ms = 3000): Promise<SseEvent> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no such event within ${ms} ms; got ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor((e) => e.event === 'ready');
  return {
    res,
    events,
    comments,
    waitFor,
    get ended() {
      return ended;
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

/** Two controller replicas (each its own services, listener and HTTP server) on one database. */
describe('GET /stream: live updates across replicas', () => {
  let a: TestStack;
  let b: TestStack;
  let aHttp: Awaited<ReturnType<typeof listen>>;
  let bHttp: Awaited<ReturnType<typeof listen>>;
  let sim: RouterSim;
  let owner: Session;
  let stranger: Session;
  let admin: Session;
  let routerId: string;
  const streams: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    // Replicas share their secrets, as a deployment's do.
    const env = { STREAM_HEARTBEAT_SECONDS: '1', JWT_SECRET: randomBytes(32).toString('hex'), NETPILOT_SECRET_KEY: randomBytes(32).toString('hex') };
    a = await startStack({ env });
    b = await startStack({ executorUrl: a.executorUrl, env });
    aHttp = await listen(a.app);
    bHttp = await listen(b.app);
    sim = await startRouterSim({ platform: 'openwrt', devices: [{ mac: 'aa:bb:cc:00:10:01', ip: '192.168.60.10', hostname: 'tablet' }] });
    owner = await buildSession(a);
    stranger = await buildSession(a);
    admin = await buildSession(a, { role: 'admin' });
    const created = await request(a.app)
      .post('/api/v1/routers')
      .set(bearer(owner.tokens.accessToken))
      .send({ name: 'live', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'openwrt' });
    routerId = created.body.id;
  });
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await aHttp.close();
    await bHttp.close();
    await sim.close();
    await b.close();
    await a.close();
  });

  async function track<T extends { close(): Promise<void> }>(s: Promise<T>): Promise<T> {
    const opened = await s;
    streams.push(opened);
    return opened;
  }

  test('when a block is made on one replica, then the owner and an admin streaming from the other hear of it, and a stranger does not', async () => {
    const ownerStream = await track(openStream(bHttp.url, owner.tokens.accessToken));
    const adminStream = await track(openStream(bHttp.url, admin.tokens.accessToken));
    const strangerStream = await track(openStream(bHttp.url, stranger.tokens.accessToken));
    expect(ownerStream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const block = await request(a.app).post(`/api/v1/routers/${routerId}/blocks`).set(bearer(owner.tokens.accessToken)).send({ mac: 'aa:bb:cc:00:10:01' });
    expect(block.status).toBe(201);
    const changed = await ownerStream.waitFor((e) => e.event === 'block.changed');
    expect(changed.data).toEqual({ routerId, ids: [block.body.id] });
    const finished = await ownerStream.waitFor((e) => e.event === 'command.finished');
    expect(finished.data).toEqual({ routerId, ids: [expect.any(String)] });
    await adminStream.waitFor((e) => e.event === 'block.changed');

    // The stranger's stream stays open (heartbeats arrive) but carries nothing about this router.
    await new Promise((r) => setTimeout(r, 1200));
    expect(strangerStream.comments.length).toBeGreaterThan(0);
    expect(strangerStream.events.filter((e) => e.data.routerId === routerId)).toEqual([]);
  });

  test('when a router is assigned to a user, then that user hears of its changes', async () => {
    const assigned = await buildSession(a);
    await request(a.app).post(`/api/v1/routers/${routerId}/assignments`).set(bearer(owner.tokens.accessToken)).send({ userId: assigned.user.id });
    const s = await track(openStream(aHttp.url, assigned.tokens.accessToken));
    const blocks = await request(b.app).get(`/api/v1/routers/${routerId}/blocks`).set(bearer(owner.tokens.accessToken));
    await request(b.app).delete(`/api/v1/routers/${routerId}/blocks/${blocks.body.items[0].id}`).set(bearer(owner.tokens.accessToken));
    expect((await s.waitFor((e) => e.event === 'block.changed')).data.routerId).toBe(routerId);
  });

  test('when an admin ends a session on one replica, then its stream on the other gets session.terminated and ends', async () => {
    const victim = await buildSession(a);
    const s = await track(openStream(bHttp.url, victim.tokens.accessToken));
    const adminStream = await track(openStream(bHttp.url, admin.tokens.accessToken));
    expect((await request(a.app).delete(`/api/v1/sessions/${victim.sessionId}`).set(bearer(admin.tokens.accessToken))).status).toBe(204);
    await s.waitFor((e) => e.event === 'session.terminated');
    for (let i = 0; i < 50 && !s.ended; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.ended).toBe(true);
    expect((await adminStream.waitFor((e) => e.event === 'session.revoked')).data).toEqual({ ids: [victim.sessionId] });
  });

  test("when a router comes online, goes silent and comes back on one replica, then its owner's stream on the other hears each status change", async () => {
    const s = await track(openStream(bHttp.url, owner.tokens.accessToken));
    const statusEvents = () => s.events.filter((e) => e.event === 'router.status');
    const key = await request(a.app).post(`/api/v1/routers/${routerId}/provision-key`).set(bearer(owner.tokens.accessToken));
    const registered = await request(a.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey, hostname: 'live' });
    expect(registered.status).toBe(201);
    expect((await s.waitFor((e) => e.event === 'router.status')).data).toEqual({ routerId, ids: [] });

    // Silent for longer than ROUTER_OFFLINE_AFTER: the liveness job marks it offline.
    await a.dataSource.query(`UPDATE routers SET last_seen_at = now() - interval '1 hour' WHERE id = $1`, [routerId]);
    expect(await a.services.routerLiveness.runOnce()).toBeGreaterThanOrEqual(1);
    await s.waitFor(() => statusEvents().length >= 2);
    await request(a.app).post(`/api/v1/routers/${routerId}/heartbeat`).set(bearer(registered.body.routerToken)).expect(200);
    await s.waitFor(() => statusEvents().length >= 3);
    expect((await request(b.app).get(`/api/v1/routers/${routerId}`).set(bearer(owner.tokens.accessToken))).body.status).toBe('online');
  });

  test('when the stream is asked for without a valid access token, then 401 and no stream', async () => {
    const res = await fetch(`${aHttp.url}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });

  test("when the listener's database connection is cut, then it reconnects and tells streams to catch up", async () => {
    const s = await track(openStream(bHttp.url, owner.tokens.accessToken));
    // End every LISTEN connection of the test database (they are not in any pool).
    await a.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    await s.waitFor((e) => e.event === 'resync', 5000);
    await request(a.app).post(`/api/v1/routers/${routerId}/blocks`).set(bearer(owner.tokens.accessToken)).send({ ip: '192.168.60.10' });
    await s.waitFor((e) => e.event === 'block.changed' && s.events.indexOf(e) > s.events.findIndex((x) => x.event === 'resync'), 5000);
  });
});
