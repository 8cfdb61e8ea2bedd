import { spawn, type ChildProcess } from 'node:child_process';
import { ALL_NS, GUARD_ROUTE } from './layout';
import { LOCK_FILE, releaseLock } from './lock';
import { cleanupSync } from './namespaces';
import { killPidsSync } from './processes';

/** Tears one lab down: by a call, on a signal, at exit, on an uncaught error, or by a watchdog. */
export interface LabTeardown {
  /** Starts the watchdog that cleans up if this process dies without doing so (SIGKILL, OOM); returns its pid. */
  startWatchdog(): number | undefined;
  /** Tears down now; later calls do nothing. */
  run(): void;
  readonly done: boolean;
}

/**
 * Arms the teardown of the lab in `tmpDir`, whose daemons are (or will be) in `children`:
 * from now on a signal, the process's exit or an uncaught error removes the lab.
 */
export function armTeardown(tmpDir: string, children: ChildProcess[]): LabTeardown {
  let watchdog: ChildProcess | null = null;
  let tornDown = false;

  const teardownSync = () => {
    if (tornDown) return;
    tornDown = true;
    removeHandlers();
    const pids = children.map((c) => c.pid).filter((p): p is number => !!p);
    cleanupSync(pids, tmpDir);
    if (watchdog?.pid) killPidsSync([watchdog.pid]);
    releaseLock();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    teardownSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onExit = () => teardownSync();
  // The monitor sees an uncaught error before the process dies of it, without changing
  // how it is handled ('exit' is not emitted for those).
  const onUncaught = () => teardownSync();
  const removeHandlers = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    process.off('uncaughtExceptionMonitor', onUncaught);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  process.once('uncaughtExceptionMonitor', onUncaught);

  return {
    startWatchdog() {
      // Plain sh, because it must work after this process is gone: cleanupSync in shell.
      watchdog = spawn(
        'sh',
        [
          '-c',
          `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
for ns in ${ALL_NS.join(' ')}; do for p in $(ip netns pids $ns 2>/dev/null); do kill -9 $p; done; ip netns del $ns 2>/dev/null; done
ip route del unreachable ${GUARD_ROUTE} 2>/dev/null
rm -rf '${tmpDir}'
rm -f ${LOCK_FILE}`,
        ],
        { detached: true, stdio: 'ignore' },
      );
      watchdog.unref();
      return watchdog.pid;
    },
    run: teardownSync,
    get done() {
      return tornDown;
    },
  };
}
