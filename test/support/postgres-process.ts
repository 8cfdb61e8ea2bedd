import { spawn } from 'node:child_process';
import path from 'node:path';
import type { EmbeddedPostgresOptions } from '../../services/controller/src/db/embedded-postgres';

/** A PostgreSQL a test can stop and start again (on the same data and port): see postgres-main.ts. */
export interface PostgresProcess {
  url: string;
  /** Stops PostgreSQL (fast shutdown: connections are cut) and waits for it. */
  stop(): Promise<void>;
}

export async function startPostgresProcess(opts: EmbeddedPostgresOptions): Promise<PostgresProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'postgres-main.ts'), JSON.stringify(opts)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`postgres did not start:\n${out}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
