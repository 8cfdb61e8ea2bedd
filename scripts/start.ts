/**
 * `npm start`: the whole system on one machine (see launcher.ts). Ctrl-C (SIGINT) or SIGTERM,
 * to the terminal's job or to the npm process itself, stops all of it, the database last; if
 * one part dies, the rest is stopped with a message instead of hanging.
 */
import path from 'node:path';
import Joi from 'joi';
import { Launcher } from './launcher';

const say = (line: string) => process.stdout.write(`[netpilot] ${line}\n`);
// A closed terminal or pipe must not kill the launcher before it has stopped the services.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

/** Checked before anything starts, so a typo costs nothing. */
const launcherSchema = Joi.object({
  CONTROLLER_PORT: Joi.number().port(),
  EXECUTOR_PORT: Joi.number().port(),
  NETPILOT_PG_PORT: Joi.number().port(),
  NETPILOT_DEMO_PORT: Joi.number().port(),
  NETPILOT_DEMO: Joi.string().allow('').valid('', 'true', 'false', '1', '0', 'yes', 'no', 'on', 'off').insensitive(),
}).unknown(true);

async function main(): Promise<void> {
  const pre = launcherSchema.validate(process.env, { convert: true });
  if (pre.error) {
    process.stderr.write(`[netpilot] Invalid setting: ${pre.error.message}\n`);
    process.exit(2);
  }

  const started = Date.now();
  const launcher = new Launcher({ log: say });
  let stopping = false;
  const stopAll = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping...`);
    await launcher.stop();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll('SIGINT', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
  launcher.onUnexpectedExit((part, code) => void stopAll(`${part.name} exited unexpectedly (exit code ${code})`, 1));

  try {
    await launcher.start();
  } catch (err) {
    const message = (err as Error).message;
    if ((err as Error).name === 'ConfigError') {
      process.stderr.write(`[netpilot] ${message}\n`);
      await launcher.stop();
      process.exit(2);
    }
    await stopAll(`start failed: ${message}`, 1);
    return;
  }
  if (stopping) return;

  const { env, local, demo } = launcher;
  const url = `http://localhost:${env.CONTROLLER_PORT}`;
  let setupRequired = true;
  try {
    setupRequired = ((await (await fetch(`${launcher.controllerUrl}/api/v1/console/config`)).json()) as { setupRequired: boolean }).setupRequired;
  } catch {
    /* say the longer thing */
  }
  say(`NetPilot is up in ${Date.now() - started} ms`);
  say(`  console     ${url}/`);
  say(`  API         ${url}/api/v1  (docs ${url}/api/docs, health ${url}/healthz, readiness ${url}/readyz)`);
  say(`  executor    http://127.0.0.1:${env.EXECUTOR_PORT}  (internal; service token in ${path.join(local!.home, 'secrets.json')})`);
  say(`  database    ${local!.postgres ? `embedded PostgreSQL, data in ${path.join(local!.home, 'postgres')}` : 'DATABASE_URL'}`);
  if (demo) say(`  demo router ${demo.endpoint} (simulated OpenWrt; the console adds it in one click; NETPILOT_DEMO=false turns it off)`);
  if (setupRequired) {
    say(`Open ${url}/ to create the first admin account.`);
    say('  or from a terminal:  npm run cli -- admin create --username admin');
  }
  say('Press Ctrl-C to stop.');
}

void main();
