import { chmod, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Hands the demo router its one-time provision key the way an owner hands one to a real
 * router: out of band. The launcher that runs the simulated router reads the file, spends
 * the key on POST /routers/register and then sends heartbeats (docs/router-setup.md).
 */
export async function handDemoProvisionKey(dir: string, enrolment: { routerId: string; provisionKey: string }): Promise<void> {
  const file = path.join(dir, `${enrolment.routerId}.json`);
  // Written aside and renamed, so the reader never sees half a file.
  const partial = `${file}.partial`;
  await writeFile(partial, JSON.stringify(enrolment), { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
}
