import request from 'supertest';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

const api = '/api/v1';

describe('GET /audit/verify', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ freshDatabase: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when an admin asks and nothing was touched, then the chain is reported whole with its length; a user is refused', async () => {
    const admin = await buildSession(stack, { role: 'admin' });
    const user = await buildSession(stack);
    const ok = await request(stack.app).get(`${api}/audit/verify`).set(bearer(admin.tokens.accessToken));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, entries: 2 });
    expect((await request(stack.app).get(`${api}/audit/verify`).set(bearer(user.tokens.accessToken))).status).toBe(403);
    expect((await request(stack.app).get(`${api}/audit/verify`)).status).toBe(401);
  });

  test('when a row was edited by hand, then the answer names that row and why', async () => {
    const admin = await buildSession(stack, { role: 'admin' });
    const [{ id }] = await stack.dataSource.query('SELECT min(id)::text AS id FROM audit_log');
    // Sealed first (the periodic job's work): a row edited before it is sealed is the documented window.
    await stack.services.audit.seal();
    await stack.dataSource.transaction(async (m) => {
      await m.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await m.query(`UPDATE audit_log SET details = '{"forged": true}' WHERE id = $1`, [id]);
      await m.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    const res = await request(stack.app).get(`${api}/audit/verify`).set(bearer(admin.tokens.accessToken));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, firstBadId: id, reason: 'hash_mismatch', message: expect.stringContaining(`entry ${id} was altered`) });
  });
});

describe('an exported audit head', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ freshDatabase: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the newest entries are cut, then verify alone cannot tell, but verify with the head exported before names it', async () => {
    const admin = await buildSession(stack, { role: 'admin' });
    const exported = await request(stack.app).get(`${api}/audit/head`).set(bearer(admin.tokens.accessToken));
    expect(exported.status).toBe(200);
    const head = exported.body.head;
    expect(head).toEqual({ id: expect.stringMatching(/^[0-9]+$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) });
    const withHead = `${api}/audit/verify?headId=${head.id}&headHash=${head.hash}`;
    // Later entries do not matter: the head is still there.
    await buildSession(stack);
    expect((await request(stack.app).get(withHead).set(bearer(admin.tokens.accessToken))).body.ok).toBe(true);

    await stack.dataSource.transaction(async (m) => {
      await m.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await m.query('DELETE FROM audit_log WHERE id >= $1', [head.id]);
      await m.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    const alone = await request(stack.app).get(`${api}/audit/verify`).set(bearer(admin.tokens.accessToken));
    expect(alone.body.reason).not.toBe('head_missing');
    const res = await request(stack.app).get(withHead).set(bearer(admin.tokens.accessToken));
    expect(res.body).toMatchObject({ ok: false, firstBadId: head.id, reason: 'head_missing', message: expect.stringContaining('removed from its end') });
    expect((await request(stack.app).get(`${api}/audit/verify?headId=1`).set(bearer(admin.tokens.accessToken))).status).toBe(400);
  });
});
