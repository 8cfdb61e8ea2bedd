import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateUp, openDatabase } from '../../services/controller/src/db/database';

export interface FreshDatabase {
  url: string;
  /** One statement on a connection of its own (for checks while the code under test runs elsewhere). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A new, migrated database in the run's PostgreSQL cluster, for the few tests about
 * whole-database facts (the first user ever, the last admin) that shared rows would make
 * meaningless. Needs CREATEDB (the embedded cluster's user has it).
 */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set (the jest globalSetup sets it)');
  const name = `np_fresh_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString(), { poolSize: 1 });
  try {
    await migrateUp(db);
  } finally {
    await db.close();
  }
  return {
    url: url.toString(),
    async query<T>(sql: string, params: unknown[] = []) {
      const c = new Client({ connectionString: url.toString() });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
