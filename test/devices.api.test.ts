import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession, buildSimRouter } from './support/builders';
import { startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

const TABLET = 'f0:99:b6:10:20:30';
const LAPTOP = 'aa:bb:cc:00:00:01';
const ALL_DAY = { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' };

/** Named devices: a stable id, the owner's name in devices, blocks and schedules; new devices are events. */
describe('named devices (simulator)', () => {
  let stack: TestStack;
  let alice: Session;
  let sim: RouterSim;
  let id: string;
  const as = () => bearer(alice.tokens.accessToken);
  const api = () => request(stack.app);
  const devices = async () => (await api().get(`/api/v1/routers/${id}/devices`).set(as())).body.items as { id: string; mac: string; name: string | null; blocked: boolean; blockedBy: object[] }[];
  const newDeviceEvents = async () => (await api().get(`/api/v1/routers/${id}/events`).query({ type: 'device.new' }).set(as())).body.items as { data: { mac: string } }[];

  beforeAll(async () => {
    stack = await startStack();
    alice = await buildSession(stack);
    sim = await startRouterSim({
      platform: 'linux-nft',
      devices: [
        { mac: TABLET, ip: '192.168.1.101', hostname: 'kids-tablet' },
        { mac: LAPTOP, ip: '192.168.1.20', hostname: null },
      ],
    });
    id = await buildSimRouter(stack, alice, sim);
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  test('when a scan sees MACs for the first time, then each is one device.new event, and later scans add none', async () => {
    await api().post(`/api/v1/routers/${id}/scan`).set(as()).expect(200);
    expect((await newDeviceEvents()).map((e) => e.data.mac).sort()).toEqual([LAPTOP, TABLET]);
    await api().post(`/api/v1/routers/${id}/scan`).set(as()).expect(200);
    expect(await newDeviceEvents()).toHaveLength(2);

    sim.addDevice({ mac: '00:1a:11:77:88:99', ip: '192.168.1.103', hostname: 'living-room-tv' });
    await api().post(`/api/v1/routers/${id}/scan`).set(as()).expect(200);
    await api().post(`/api/v1/routers/${id}/scan`).set(as()).expect(200);
    const events = await newDeviceEvents();
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ level: 'info', source: 'controller', message: expect.stringContaining('living-room-tv'), data: { mac: '00:1a:11:77:88:99' } });
  });

  test('when a device is named, then its name shows in devices, in blocks and schedules that name it by id, and forgetting the name shows its hostname', async () => {
    const tablet = (await devices()).find((d) => d.mac === TABLET)!;
    expect(tablet).toMatchObject({ id: expect.any(String), name: null, blocked: false, blockedBy: [] });
    const renamed = await api().patch(`/api/v1/routers/${id}/devices/${tablet.id}`).set(as()).send({ name: "Mia's tablet" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: tablet.id, mac: TABLET, name: "Mia's tablet" });

    const block = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ deviceId: tablet.id });
    expect(block.status).toBe(201);
    expect(block.body).toMatchObject({ mac: TABLET, deviceId: tablet.id, deviceName: "Mia's tablet" });
    expect(sim.state.blocked.macs).toContain(TABLET);
    const schedule = await api().post(`/api/v1/routers/${id}/schedules`).set(as()).send({ deviceId: tablet.id, label: 'Always', windows: [ALL_DAY], enabled: false });
    expect(schedule.body).toMatchObject({ mac: TABLET, deviceId: tablet.id, deviceName: "Mia's tablet", enabled: false });

    expect((await api().get(`/api/v1/routers/${id}/blocks`).set(as())).body.items).toEqual([expect.objectContaining({ deviceName: "Mia's tablet" })]);
    expect((await api().get(`/api/v1/routers/${id}/schedules`).set(as())).body.items).toEqual([expect.objectContaining({ deviceName: "Mia's tablet" })]);
    expect((await devices()).find((d) => d.mac === TABLET)).toMatchObject({ blocked: true, blockedBy: [{ type: 'block', id: block.body.id, until: null }] });

    // A block by the device's IP names it too.
    const byIp = await api().post(`/api/v1/routers/${id}/blocks`).set(as()).send({ ip: '192.168.1.101' });
    expect(byIp.body).toMatchObject({ ip: '192.168.1.101', deviceId: tablet.id, deviceName: "Mia's tablet" });

    await api().patch(`/api/v1/routers/${id}/devices/${tablet.id}`).set(as()).send({ name: null }).expect(200);
    expect((await api().get(`/api/v1/routers/${id}/blocks`).set(as())).body.items[0].deviceName).toBe('kids-tablet');
    const audit = await stack.dataSource.query(`SELECT details FROM audit_log WHERE action = 'device.rename' AND target_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { details: { name: string | null } }) => a.details.name)).toEqual(["Mia's tablet", null]);
  });

  test('when a device is renamed wrongly, then 400; an unknown device is 404 DEVICE_NOT_FOUND; another user’s router is 404', async () => {
    const laptop = (await devices()).find((d) => d.mac === LAPTOP)!;
    expect((await api().patch(`/api/v1/routers/${id}/devices/${laptop.id}`).set(as()).send({ name: 'x'.repeat(101) })).status).toBe(400);
    expect((await api().patch(`/api/v1/routers/${id}/devices/${laptop.id}`).set(as()).send({})).status).toBe(400);
    const unknown = await api().patch(`/api/v1/routers/${id}/devices/00000000-0000-4000-8000-000000000000`).set(as()).send({ name: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('DEVICE_NOT_FOUND');
    const bob = await buildSession(stack);
    const theirs = await api().patch(`/api/v1/routers/${id}/devices/${laptop.id}`).set(bearer(bob.tokens.accessToken)).send({ name: 'mine now' });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('ROUTER_NOT_FOUND');
    expect((await devices()).find((d) => d.mac === LAPTOP)!.name).toBeNull();
  });
});
