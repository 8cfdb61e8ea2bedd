import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrateUp, openDatabase } from '../services/controller/src/db/database';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../services/controller/src/db/embedded-postgres';

declare global {
  // eslint-disable-next-line no-var
  var __NETPILOT_TEST_PG__: { pg: EmbeddedPostgres; dataDir: string } | undefined;
}

/**
 * One real PostgreSQL per test run: DATABASE_URL when set (use a throwaway database),
 * else a fresh embedded cluster in a temp dir. Migrations run once here, so test files
 * never race on them; tests make their own rows with builders and never truncate.
 */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-test-pg-'));
    const pg = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      user: 'netpilot',
      password: randomBytes(12).toString('hex'),
      database: 'netpilot_test',
    });
    globalThis.__NETPILOT_TEST_PG__ = { pg, dataDir };
    url = pg.url;
    process.env.DATABASE_URL = url;
  }
  const db = await openDatabase(url, { poolSize: 2 });
  try {
    await migrateUp(db);
  } finally {
    await db.close();
  }
}
