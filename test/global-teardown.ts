import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__NETPILOT_TEST_PG__;
  if (!started) return;
  await started.pg.stop();
  await rm(started.dataDir, { recursive: true, force: true });
}
