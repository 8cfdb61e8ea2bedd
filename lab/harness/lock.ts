import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cleanupSync } from './namespaces';
import { alive, sleep } from './processes';

/** One lab per machine: the lab's addresses and namespace names are fixed. */
export const LOCK_FILE = '/run/netpilot-lab.lock';

/** What the lock file tells a later run, so it can clean up after a holder that died. */
export interface LockInfo {
  pid: number;
  tmpDir: string | null;
  watchdogPid?: number;
}

function readLock(): LockInfo | null {
  try {
    return JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** Records in the lock file what a stale-lab cleanup would need. */
export function writeLock(info: LockInfo): void {
  writeFileSync(LOCK_FILE, JSON.stringify(info));
}

/** Gives the lock up, if this process holds it. */
export function releaseLock(): void {
  if (readLock()?.pid === process.pid) rmSync(LOCK_FILE, { force: true });
}

/** Takes the one-lab-per-machine lock, cleaning up after a dead holder, waiting for a live one. */
export async function acquireLock(log: (l: string) => void, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      closeSync(openSync(LOCK_FILE, 'wx'));
      writeLock({ pid: process.pid, tmpDir: null });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock();
    // Our own pid means a lab of this process was never torn down (e.g. a test file forgot).
    if (!holder || holder.pid === process.pid || !alive(holder.pid)) {
      log(`cleaning up a stale lab (pid ${holder?.pid ?? '?'})`);
      cleanupSync(holder?.watchdogPid ? [holder.watchdogPid] : [], holder?.tmpDir ?? null);
      rmSync(LOCK_FILE, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`lab: another lab (pid ${holder.pid}) is still running after ${waitMs} ms`);
    if (!announced) log(`waiting for the lab of pid ${holder.pid} to finish`);
    announced = true;
    await sleep(250);
  }
}
