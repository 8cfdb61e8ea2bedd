import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../services/controller/src/db/embedded-postgres';

/**
 * A temporary NETPILOT_HOME and free ports, to run the whole system as `npm start` does
 * (embedded PostgreSQL, executor, controller, demo router) beside anything else on the machine.
 */
export async function localStackEnv(prefix: string): Promise<{ tmp: string; env: Record<string, string> }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), prefix));
  // As root the embedded PostgreSQL runs as user postgres, which must be able to enter the directory.
  await chmod(tmp, 0o711);
  return {
    tmp,
    env: {
      NETPILOT_HOME: path.join(tmp, 'home'),
      CONTROLLER_PORT: String(await freePort()),
      EXECUTOR_PORT: String(await freePort()),
      NETPILOT_PG_PORT: String(await freePort()),
      NETPILOT_DEMO_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    },
  };
}
