/**
 * The demo router `npm start` runs beside the services: a simulated OpenWrt router on
 * 127.0.0.1 whose host key and password live in NETPILOT_HOME/demo-router (so a restart
 * keeps the same key and the pinned fingerprint stays valid), with a LAN whose visitors
 * come and go.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_DEVICES, fingerprintOfKey, generateEd25519, rotateVisitors, startRouterSim, type RouterSim } from '@netpilot/router-sim';

export interface DemoRouter {
  sim: RouterSim;
  /** NETPILOT_DEMO_ROUTER for the controller. */
  url: string;
  /** host:port, for ROUTER_ALLOWED_ENDPOINTS. */
  endpoint: string;
  stop(): Promise<void>;
}

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = create();
  await writeFile(file, value, { mode: 0o600 });
  await chmod(file, 0o600);
  return value;
}

export async function startDemoRouter(opts: { home: string; port: number; visitorPeriodMs?: number }): Promise<DemoRouter> {
  const dir = path.join(opts.home, 'demo-router');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hostKey = await readOrCreate(path.join(dir, 'ssh_host_ed25519_key'), () => generateEd25519('netpilot-demo-router').privateKey);
  const password = (await readOrCreate(path.join(dir, 'password'), () => randomBytes(18).toString('base64url'))).trim();
  let sim: RouterSim;
  try {
    sim = await startRouterSim({ host: '127.0.0.1', port: opts.port, platform: 'openwrt', username: 'root', password, hostKey, devices: DEMO_DEVICES, hostname: 'demo-openwrt' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `the demo router's port ${opts.port} is taken; set NETPILOT_DEMO_PORT to a free port, or NETPILOT_DEMO=false`
        : `the demo router did not start: ${(err as Error).message}`,
    );
  }
  const stopVisitors = rotateVisitors(sim, opts.visitorPeriodMs);
  const fingerprint = fingerprintOfKey(hostKey);
  const url = `ssh://root:${encodeURIComponent(password)}@127.0.0.1:${sim.port}?platform=openwrt&hostKeySha256=${encodeURIComponent(fingerprint)}`;
  return {
    sim,
    url,
    endpoint: `127.0.0.1:${sim.port}`,
    async stop() {
      stopVisitors();
      await sim.close();
    },
  };
}
