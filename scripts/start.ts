/**
 * `npm start`: the whole system on one machine. Embedded PostgreSQL (unless DATABASE_URL is
 * set), generated local secrets, then the executor and the controller as child processes.
 * Ctrl-C (SIGINT) or SIGTERM stops all of it, the database last; if one part dies, the rest
 * is stopped with a message instead of hanging.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Joi from 'joi';
import { loadConfig as loadControllerConfig } from '../services/controller/src/config';
import { prepareLocalEnvironment, type LocalEnvironment } from '../services/controller/src/dev/local-env';
import { loadConfig as loadExecutorConfig } from '../services/executor/src/config';

const root = path.resolve(__dirname, '..');
const say = (line: string) => process.stdout.write(`[netpilot] ${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`[netpilot] ${line}\n`);
  process.exit(2);
};

interface Part {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Checked before anything starts, so a typo costs nothing. */
const launcherSchema = Joi.object({
  CONTROLLER_PORT: Joi.number().port(),
  EXECUTOR_PORT: Joi.number().port(),
  NETPILOT_PG_PORT: Joi.number().port(),
}).unknown(true);

function startPart(name: string, entry: string, env: Record<string, string>): Part {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, exited };
}

async function waitHealthy(url: string, part: Part, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void part.exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(dead ? `${part.name} exited during start` : `${part.name} did not become healthy within ${timeoutMs} ms`);
}

async function stopPart(part: Part, graceMs: number): Promise<void> {
  if (part.child.exitCode !== null || part.child.signalCode !== null) return;
  part.child.kill('SIGTERM');
  const done = await Promise.race([part.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), graceMs))]);
  if (!done) {
    say(`${part.name} did not stop within ${graceMs} ms; killing it`);
    part.child.kill('SIGKILL');
    await part.exited;
  }
}

async function main(): Promise<void> {
  const pre = launcherSchema.validate(process.env, { convert: true });
  if (pre.error) fail(`Invalid setting: ${pre.error.message}`);

  const started = Date.now();
  let local: LocalEnvironment;
  try {
    local = await prepareLocalEnvironment({ log: say });
  } catch (err) {
    return fail(`could not prepare the local environment: ${(err as Error).message}`);
  }
  const env: Record<string, string> = { ...local.env, CONTROLLER_PORT: local.env.CONTROLLER_PORT || '8080', EXECUTOR_PORT: local.env.EXECUTOR_PORT || '4001' };
  env.EXECUTOR_URL ||= `http://127.0.0.1:${env.EXECUTOR_PORT}`;

  const parts: Part[] = [];
  let stopping: Promise<void> | null = null;
  const stopAll = (reason: string, code: number) => {
    stopping ??= (async () => {
      say(`${reason}: stopping...`);
      for (const part of [...parts].reverse()) await stopPart(part, 8000);
      await local.stop();
      say('stopped.');
      process.exit(code);
    })();
    return stopping;
  };
  process.on('SIGINT', () => void stopAll('SIGINT', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));

  // Validate both services' settings here, so a bad value is named before anything is spawned.
  try {
    loadExecutorConfig(env);
    loadControllerConfig(env);
  } catch (err) {
    process.stderr.write(`[netpilot] ${(err as Error).message}\n`);
    await local.stop();
    process.exit(2);
  }

  const watch = (part: Part) => {
    void part.exited.then((code) => {
      if (!stopping) void stopAll(`${part.name} exited unexpectedly (exit code ${code})`, 1);
    });
  };

  try {
    const executor = startPart('executor', 'services/executor/src/main.ts', env);
    parts.push(executor);
    watch(executor);
    await waitHealthy(`http://127.0.0.1:${env.EXECUTOR_PORT}/healthz`, executor, 20_000);

    const controller = startPart('controller', 'services/controller/src/main.ts', env);
    parts.push(controller);
    watch(controller);
    await waitHealthy(`http://127.0.0.1:${env.CONTROLLER_PORT}/healthz`, controller, 30_000);
  } catch (err) {
    await stopAll(`start failed: ${(err as Error).message}`, 1);
    return;
  }

  const url = `http://localhost:${env.CONTROLLER_PORT}`;
  say(`NetPilot is up in ${Date.now() - started} ms`);
  say(`  controller  ${url}  (API ${url}/api/v1, health ${url}/healthz, readiness ${url}/readyz)`);
  say(`  executor    http://127.0.0.1:${env.EXECUTOR_PORT}  (internal; service token in ${path.join(local.home, 'secrets.json')})`);
  say(`  database    ${local.postgres ? `embedded PostgreSQL, data in ${path.join(local.home, 'postgres')}` : 'DATABASE_URL'}`);
  say('Create the first admin:  npm run cli -- admin create --username admin');
  say(`  or:  curl -X POST ${url}/api/v1/auth/register -H 'content-type: application/json' -d '{"username":"admin","password":"<10+ characters>"}'`);
  say('Press Ctrl-C to stop.');
}

void main();
