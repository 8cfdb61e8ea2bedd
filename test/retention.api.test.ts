import request from 'supertest';
import { bearer, buildSession, loginAs } from './support/builders';
import { startStack, type TestStack } from './support/stack';

/** What grows without bound and is not evidence is deleted after its age; evidence stays. */
describe('retention', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when sessions ended longer ago than SESSION_RETENTION_DAYS, then they and their refresh tokens are deleted; recent and active ones stay', async () => {
    const u = await buildSession(stack);
    const old = await loginAs(stack, u);
    const recent = await loginAs(stack, u);
    const idOf = (t: { accessToken: string }) => stack.services.accessTokens.verify(t.accessToken).sid;
    for (const t of [old, recent]) await request(stack.app).post('/api/v1/auth/logout').set(bearer(t.accessToken));
    await stack.dataSource.query(`UPDATE sessions SET revoked_at = now() - interval '31 days' WHERE id = $1`, [idOf(old)]);
    // An active session created long ago is not "ended": it stays whatever its age.
    await stack.dataSource.query(`UPDATE sessions SET created_at = now() - interval '200 days' WHERE id = $1`, [u.sessionId]);
    const auditBefore = await count('audit_log');

    const deleted = await stack.services.sessions.deleteEndedBefore(stack.config.retention.sessionsDays);
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = await stack.dataSource.query(`SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at`, [u.user.id]);
    expect(left.map((r: { id: string }) => r.id).sort()).toEqual([u.sessionId, idOf(recent)].sort());
    expect(await count('refresh_tokens', 'session_id', idOf(old))).toBe(0);
    expect(await count('audit_log')).toBeGreaterThanOrEqual(auditBefore);
    expect((await request(stack.app).get('/api/v1/auth/me').set(bearer(u.tokens.accessToken))).status).toBe(200);
  });

  test('when commands finished longer ago than COMMAND_RETENTION_DAYS, then they are deleted; newer and unfinished ones stay', async () => {
    const u = await buildSession(stack);
    const router = await request(stack.app)
      .post('/api/v1/routers')
      .set(bearer(u.tokens.accessToken))
      .send({ name: 'r', host: '192.0.2.30', port: 22, username: 'root', password: 'x', platform: 'openwrt' });
    const rows: { id: string }[] = await stack.dataSource.query(
      `INSERT INTO commands (router_id, action, status, created_at, finished_at) VALUES
         ($1, 'scan', 'succeeded', now() - interval '100 days', now() - interval '100 days'),
         ($1, 'scan', 'failed', now() - interval '91 days', now() - interval '91 days'),
         ($1, 'scan', 'succeeded', now() - interval '10 days', now() - interval '10 days'),
         ($1, 'scan', 'sent', now() - interval '100 days', NULL)
       RETURNING id`,
      [router.body.id],
    );
    const deleted = await stack.services.commands.deleteFinishedBefore(stack.config.retention.commandsDays);
    expect(deleted).toBeGreaterThanOrEqual(2);
    const left = await stack.dataSource.query(`SELECT id FROM commands WHERE router_id = $1`, [router.body.id]);
    expect(left.map((r: { id: string }) => r.id).sort()).toEqual([rows[2].id, rows[3].id].sort());
    const history = await request(stack.app).get(`/api/v1/routers/${router.body.id}/commands`).set(bearer(u.tokens.accessToken));
    expect(history.body.items).toHaveLength(2);
  });

  async function count(table: string, column?: string, value?: string): Promise<number> {
    const where = column ? `WHERE ${column} = $1` : '';
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM ${table} ${where}`, column ? [value] : []);
    return n;
  }
});
