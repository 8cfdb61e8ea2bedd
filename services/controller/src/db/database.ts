import 'reflect-metadata';
import pg from 'pg';
import { Logger as QueueLogger, runMigrations as runQueueMigrations } from 'graphile-worker';
import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations';
import { entities } from './entities';
import { Sql } from './sql';

/** The controller's database: one pg pool, shared by TypeORM and the repositories' query helper. */
export interface Database {
  /** TypeORM over the same pool: migrations and entity metadata. */
  readonly dataSource: DataSource;
  readonly pool: pg.Pool;
  /** What repositories query through. */
  readonly sql: Sql;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  poolSize?: number;
  /** Told about errors of idle or checked-out connections (a restarting server, a dropped socket). */
  onConnectionError?: (err: Error) => void;
}

/**
 * Opens the pool and TypeORM on it; schema changes only by migrations. Every pg client gets
 * an `error` listener when it connects: pg-pool listens on idle clients only, and a server
 * restart would otherwise crash the process through a checked-out client.
 */
export async function openDatabase(url: string, opts: DatabaseOptions = {}): Promise<Database> {
  const db = createDatabase(url, opts);
  try {
    await db.dataSource.initialize();
  } catch (err) {
    await db.pool.end().catch(() => undefined);
    throw err;
  }
  return db;
}

/**
 * The pool and TypeORM on it, not connected yet: pg connects on the first query. For tools
 * that build the app without using the database (the OpenAPI document); services use openDatabase.
 */
export function createDatabase(url: string, opts: DatabaseOptions = {}): Database {
  const onError = opts.onConnectionError ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 20, connectionTimeoutMillis: 5000 });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // TypeORM builds its pool with `new driver.Pool(options)`: this hands it ours instead.
    driver: { ...pg, Pool: function sharedPool() { return pool; } },
    poolErrorHandler: onError,
  });
  return {
    dataSource,
    pool,
    sql: new Sql(pool),
    async close() {
      // destroy() ends the shared pool; a pool TypeORM never took is ended here.
      if (dataSource.isInitialized) await dataSource.destroy();
      else await pool.end();
    },
  };
}

/** graphile-worker's migration log lines are not ours to show. */
const quietQueueLogger = new QueueLogger(() => () => undefined);

/** Any fixed 64-bit number: one migrating process at a time, whichever replica starts first. */
const MIGRATIONS_LOCK = 7_401_884_312_003;

/**
 * Applies every pending migration; returns their names. Replicas starting together take
 * turns under a session advisory lock: the first applies them, the others then find none.
 */
export async function migrateUp(db: Pick<Database, 'dataSource' | 'pool'>): Promise<string[]> {
  // A connection of its own: the pool may be as small as the migrations need.
  const lock = new pg.Client(db.pool.options);
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK]);
    const ran = await db.dataSource.runMigrations({ transaction: 'each' });
    // The job queue's own schema (graphile_worker), at the version the code expects.
    await runQueueMigrations({ pgPool: db.pool, logger: quietQueueLogger });
    return ran.map((m) => m.name);
  } finally {
    await lock.end().catch(() => undefined);
  }
}

/**
 * openDatabase, tried again every `retryMs` while the database cannot be reached (a
 * controller may start before its database), saying so each time; other errors (a wrong
 * password, a missing database) end it at once.
 */
export async function openDatabaseWhenReachable(
  url: string,
  opts: DatabaseOptions & { retryMs?: number; log: (line: string) => void; isUnreachable: (err: unknown) => boolean },
): Promise<Database> {
  for (;;) {
    try {
      return await openDatabase(url, opts);
    } catch (err) {
      if (!opts.isUnreachable(err)) throw err;
      const retryMs = opts.retryMs ?? 2000;
      opts.log(`the database cannot be reached yet (${(err as Error).message}); trying again in ${retryMs / 1000} s`);
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
}

/** Reverts the last applied migration; returns its name, or null when none was applied. */
export async function migrateDown(db: Pick<Database, 'dataSource'>): Promise<string | null> {
  const executed: { name: string }[] = await db.dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1').catch(() => []);
  if (!executed.length) return null;
  await db.dataSource.undoLastMigration({ transaction: 'each' });
  return executed[0].name;
}
