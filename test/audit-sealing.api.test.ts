import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { migrateUp, openDatabase } from '../services/controller/src/db/database';
import { computeAuditHash, GENESIS_HASH, type HashedAuditFields } from '../services/controller/src/modules/audit/audit-hash';
import { AUDIT_SEAL_LOCK } from '../services/controller/src/modules/audit/audit.repository';
import { bearer, buildSession } from './support/builders';
import { createFreshDatabase, type FreshDatabase } from './support/fresh-database';
import { startStack, type TestStack } from './support/stack';

const api = '/api/v1';

/** Fails instead of hanging when `work` waits on something it must not wait on. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

interface SealColumns {
  id: string;
  seal_seq: string | null;
  hash: string | null;
}

describe('audit entries appended by a plain insert and sealed afterwards', () => {
  let db: FreshDatabase;
  let stack: TestStack;
  beforeEach(async () => {
    db = await createFreshDatabase();
    stack = await startStack({ env: { DATABASE_URL: db.url } });
  });
  afterEach(async () => {
    await stack.close();
    await db.drop();
  });

  const record = (marker: string, tx?: Parameters<TestStack['services']['audit']['record']>[1]) =>
    stack.services.audit.record({ action: 'test.seal', details: { marker } }, tx);
  const sealColumns = (marker: string) =>
    db.query<SealColumns>(`SELECT id::text, seal_seq::text, hash FROM audit_log WHERE details->>'marker' = $1`, [marker]).then((r) => r[0]);

  /** What a superuser could do by hand: switch the guard off, change rows, switch it on. */
  async function tamper(...statements: string[]): Promise<void> {
    await stack.dataSource.transaction(async (m) => {
      await m.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      for (const sql of statements) await m.query(sql);
      await m.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
  }

  test('when the sealer holds its lock, then entries are still recorded at once, and verify waits for it and then includes them', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEAL_LOCK]);
      await within(5000, 'recording while the sealer is busy', Promise.all(['a', 'b', 'c'].map((m) => record(m))));
      await within(5000, 'recording in a transaction while the sealer is busy', stack.db.sql.transaction((tx) => record('d', tx)));
      expect(await stack.services.audit.seal()).toBe(0);
      expect((await sealColumns('a')).hash).toBeNull();

      let settled = false;
      const verifying = stack.services.audit.verify().finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await holder.query('COMMIT');
      expect(await verifying).toEqual({ ok: true, entries: 4 });
      expect((await sealColumns('d')).hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await holder.end();
    }
  });

  test('when entries commit in another order than their ids, then they join the chain in the order sealed, and verify walks that order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let recorded!: () => void;
    const inserted = new Promise<void>((r) => (recorded = r));
    const slow = stack.db.sql.transaction(async (tx) => {
      await record('first-id', tx);
      recorded();
      await gate;
    });
    await inserted;
    await record('second-id');
    expect(await stack.services.audit.seal()).toBe(1);
    release();
    await slow;
    expect(await stack.services.audit.seal()).toBe(1);

    const first = await sealColumns('first-id');
    const second = await sealColumns('second-id');
    expect(Number(first.id)).toBeLessThan(Number(second.id));
    expect(Number(first.seal_seq)).toBeGreaterThan(Number(second.seal_seq));
    expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 2 });
    expect(await stack.services.audit.head()).toMatchObject({ id: first.id, hash: first.hash });

    // The chain's first entry is the higher id: removing it shows at the lower id, which followed it.
    await tamper(`DELETE FROM audit_log WHERE id = ${second.id}`);
    expect(await stack.services.audit.verify()).toMatchObject({
      ok: false,
      firstBadId: first.id,
      reason: 'prev_hash_mismatch',
      message: `entry ${first.id} is first but does not start the chain (entries before it were removed)`,
    });
  });

  test('when the chain grows past ten entries over several seals, then each seal continues from its numeric end', async () => {
    for (let i = 0; i < 12; i++) await record(`batch-${i}`);
    expect(await stack.services.audit.seal()).toBe(12);
    await record('later');
    expect(await stack.services.audit.seal()).toBe(1);
    expect((await sealColumns('later')).seal_seq).toBe('13');
    expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 13 });
  });

  test('when a transaction that recorded an entry rolls back, then the entry never exists and the chain has no gap', async () => {
    await record('before');
    await expect(
      stack.db.sql.transaction(async (tx) => {
        await record('rolled-back', tx);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await record('after');
    expect(await sealColumns('rolled-back')).toBeUndefined();
    expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 2 });
  });

  test('when a row in the middle of the chain is deleted or edited, then verify names the row', async () => {
    for (const m of ['1', '2', '3', '4']) await record(m);
    await stack.services.audit.seal();
    const third = await sealColumns('3');
    const fourth = await sealColumns('4');
    await tamper(`UPDATE audit_log SET details = '{"marker": "changed"}' WHERE id = ${fourth.id}`);
    expect(await stack.services.audit.verify()).toMatchObject({ ok: false, firstBadId: fourth.id, reason: 'hash_mismatch' });
    await tamper(`DELETE FROM audit_log WHERE id = ${third.id}`);
    expect(await stack.services.audit.verify()).toMatchObject({ ok: false, firstBadId: fourth.id, reason: 'prev_hash_mismatch' });
  });

  test('when anyone but the sealer writes to the log, then the database refuses; the seal columns are written once, alone', async () => {
    await record('sealed');
    await stack.services.audit.seal();
    await record('unsealed');
    const { id: sealedId } = await sealColumns('sealed');
    const { id: unsealedId } = await sealColumns('unsealed');
    const refused = /append-only \(UPDATE refused\)/;
    const seal = (extra = '') => `UPDATE audit_log SET seal_seq = 99, prev_hash = repeat('a', 64), hash = repeat('b', 64)${extra} WHERE id = ${unsealedId}`;

    await expect(db.query(seal(`, outcome = 'failure'`))).rejects.toThrow(refused);
    await expect(db.query(seal(`, details = '{"marker": "other"}'`))).rejects.toThrow(refused);
    await expect(db.query(`UPDATE audit_log SET seal_seq = 100 WHERE id = ${sealedId}`)).rejects.toThrow(refused);
    await expect(db.query(`UPDATE audit_log SET seal_seq = NULL, prev_hash = NULL, hash = NULL WHERE id = ${sealedId}`)).rejects.toThrow(refused);
    await expect(db.query(`DELETE FROM audit_log WHERE id = ${unsealedId}`)).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(db.query(`UPDATE audit_log SET seal_seq = 99 WHERE id = ${unsealedId}`)).rejects.toThrow(refused);

    // The one write the trigger lets through: anyone may do it, but a seal that is not the chain's is named.
    await db.query(seal());
    expect(await stack.services.audit.verify()).toMatchObject({ ok: false, firstBadId: unsealedId, reason: 'prev_hash_mismatch' });
  });

  test('when router_id is edited by hand, then verify names that row (router_id is outside the hash)', async () => {
    const routerId = randomUUID();
    await stack.services.audit.record({ action: 'router.block', target: { type: 'router', id: routerId } });
    await stack.services.audit.record({ action: 'router.device_seen', target: { type: 'device', id: 'x' }, details: { routerId: routerId.toUpperCase() } });
    await stack.services.audit.record({ action: 'test.none', target: { type: 'router', id: 'not-a-uuid' } });
    expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 3 });
    const rows = await db.query<{ id: string; router_id: string | null }>('SELECT id::text, router_id::text FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.router_id)).toEqual([routerId, routerId, null]);

    await tamper('ALTER TABLE audit_log ALTER COLUMN router_id DROP EXPRESSION', `UPDATE audit_log SET router_id = '${randomUUID()}' WHERE id = ${rows[1].id}`);
    expect(await stack.services.audit.verify()).toMatchObject({
      ok: false,
      firstBadId: rows[1].id,
      reason: 'router_id_mismatch',
      message: expect.stringContaining(`but its target and details name ${routerId}`),
    });
  });
});

describe('the audit sealing migration', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await createFreshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  test('when rows were chained in id order before it, then afterwards they verify unchanged (position = id), carry router_id, and new rows chain after them', async () => {
    const database = await openDatabase(db.url, { poolSize: 2 });
    const routerId = randomUUID();
    try {
      // Back to the schema before sealing (the revert refuses only a chain it could not restore).
      while ((await database.dataSource.query(`SELECT 1 FROM migrations WHERE name = 'AuditSealing1795311000000'`)).length) {
        await database.dataSource.undoLastMigration({ transaction: 'each' });
      }
      // Rows as the locked append wrote them; ids with a gap, as a rolled-back append leaves.
      let prevHash = GENESIS_HASH;
      const old: Omit<HashedAuditFields, 'prevHash'>[] = [
        { id: '1', at: new Date('2020-01-01T00:00:00Z'), actorUserId: null, actorIp: null, action: 'router.create', targetType: 'router', targetId: routerId, outcome: 'success', details: {} },
        { id: '2', at: new Date('2020-01-01T00:00:01Z'), actorUserId: null, actorIp: '10.0.0.1', action: 'block.create', targetType: 'block', targetId: 'b', outcome: 'success', details: { routerId } },
        { id: '4', at: new Date('2020-01-01T00:00:02Z'), actorUserId: null, actorIp: null, action: 'auth.login', targetType: 'user', targetId: randomUUID(), outcome: 'failure', details: { reason: 'bad_password' } },
      ];
      for (const row of old) {
        const hash = computeAuditHash({ ...row, prevHash });
        await database.sql.query(
          `INSERT INTO audit_log (id, at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
          [row.id, row.at, row.actorUserId, row.actorIp, row.action, row.targetType, row.targetId, row.outcome, JSON.stringify(row.details), prevHash, hash],
        );
        prevHash = hash;
      }
      await database.sql.query(`SELECT setval(pg_get_serial_sequence('audit_log', 'id'), 4)`);
      await migrateUp(database);
    } finally {
      await database.close();
    }

    const stack = await startStack({ env: { DATABASE_URL: db.url } });
    try {
      const rows = await db.query<{ id: string; seal_seq: string; router_id: string | null }>('SELECT id::text, seal_seq::text, router_id::text FROM audit_log ORDER BY id');
      expect(rows).toEqual([
        { id: '1', seal_seq: '1', router_id: routerId },
        { id: '2', seal_seq: '2', router_id: routerId },
        { id: '4', seal_seq: '4', router_id: null },
      ]);
      expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 3 });
      await stack.services.audit.record({ action: 'router.update', target: { type: 'router', id: routerId } });
      expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 4 });
      expect(await db.query('SELECT id::text, seal_seq::text FROM audit_log WHERE id > 4')).toEqual([{ id: '5', seal_seq: '5' }]);

      const admin = await buildSession(stack, { role: 'admin' });
      const listed = await request(stack.app).get(`${api}/audit`).query({ router: routerId }).set(bearer(admin.tokens.accessToken));
      expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual(['5', '2', '1']);
    } finally {
      await stack.close();
    }
  });
});

describe('the audit.seal job', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ background: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when an entry is recorded, then it is listed at once and sealed by the periodic job without anyone asking', async () => {
    const admin = await buildSession(stack, { role: 'admin' });
    const marker = randomUUID();
    await stack.services.audit.record({ action: 'test.job', details: { marker } });
    const listed = await request(stack.app).get(`${api}/audit`).query({ action: 'test.job' }).set(bearer(admin.tokens.accessToken));
    expect(listed.body.items).toEqual([expect.objectContaining({ details: { marker } })]);

    const sealed = async () => (await stack.dataSource.query(`SELECT hash FROM audit_log WHERE details->>'marker' = $1`, [marker]))[0].hash as string | null;
    const deadline = Date.now() + 15_000;
    while (!(await sealed()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await sealed()).toMatch(/^[0-9a-f]{64}$/);
  });
});
