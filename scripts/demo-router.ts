/**
 * The demo router `npm start` runs beside the services: a simulated OpenWrt router on
 * 127.0.0.1 whose host key and password live in NETPILOT_HOME/demo-router (so a restart
 * keeps the same key and the pinned fingerprint stays valid), with a LAN whose visitors
 * come and go. Its router side also does what a real router's install script and cron do
 * (docs/router-setup.md): it spends the provision key the controller hands it, then sends a
 * heartbeat every 30 s, so the console shows it online.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_DEVICES, fingerprintOfKey, generateEd25519, rotateVisitors, startRouterSim, type RouterSim } from '@netpilot/router-sim';

export interface DemoRouter {
  sim: RouterSim;
  /** NETPILOT_DEMO_ROUTER for the controller. */
  url: string;
  /** host:port, for ROUTER_ALLOWED_ENDPOINTS. */
  endpoint: string;
  /** Registers handed-over provision keys and sends heartbeats to the controller at `controllerUrl`. */
  startHeartbeats(controllerUrl: string): void;
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 30_000;
const POLL_MS = 1000;

interface Registered {
  routerId: string;
  routerToken: string;
}

/** The router's side of onboarding: provision key → router token → heartbeats. */
class DemoRouterSide {
  private registered: Registered[] = [];
  private timers: NodeJS.Timeout[] = [];
  private busy = false;
  /** A new boot id per start: a restarted demo router has rebooted (its firewall is empty again). */
  private readonly bootId = randomUUID();
  private readonly startedAt = Date.now();

  constructor(
    private readonly dir: string,
    private readonly stateFile: string,
  ) {}

  async start(controllerUrl: string): Promise<void> {
    try {
      this.registered = JSON.parse(await readFile(this.stateFile, 'utf8')) as Registered[];
    } catch {
      this.registered = [];
    }
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => void fn().catch(() => undefined), ms);
      t.unref();
      this.timers.push(t);
    };
    every(POLL_MS, () => this.registerHandedKeys(controllerUrl));
    every(HEARTBEAT_MS, () => this.heartbeats(controllerUrl));
    await this.heartbeats(controllerUrl).catch(() => undefined);
  }

  stop(): void {
    this.timers.forEach((t) => clearInterval(t));
    this.timers = [];
  }

  private async save(): Promise<void> {
    await writeFile(this.stateFile, JSON.stringify(this.registered), { mode: 0o600 });
  }

  private async registerHandedKeys(controllerUrl: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const name of (await readdir(this.dir)).filter((n) => n.endsWith('.json'))) {
        const file = path.join(this.dir, name);
        const { provisionKey } = JSON.parse(await readFile(file, 'utf8')) as { provisionKey: string };
        const res = await fetch(`${controllerUrl}/api/v1/routers/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ provisionKey, hostname: 'demo-openwrt', os: 'OpenWrt 23.05.3', lanAddress: '192.168.1.1' }),
        });
        if (res.status === 201) {
          this.registered.push((await res.json()) as Registered);
          await this.save();
        }
        // Spent, expired or refused: a key is tried once, as an install script would.
        if (res.status < 500) await unlink(file);
      }
    } finally {
      this.busy = false;
    }
  }

  private async heartbeats(controllerUrl: string): Promise<void> {
    const gone: string[] = [];
    for (const r of this.registered) {
      const res = await fetch(`${controllerUrl}/api/v1/routers/${r.routerId}/heartbeat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${r.routerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ bootId: this.bootId, uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000) }),
      });
      // The router was removed (or registered again elsewhere): stop speaking for it.
      if (res.status === 401 || res.status === 404) gone.push(r.routerId);
    }
    if (gone.length) {
      this.registered = this.registered.filter((r) => !gone.includes(r.routerId));
      await this.save();
    }
  }
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
  const keysDir = path.join(dir, 'provision-keys');
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const routerSide = new DemoRouterSide(keysDir, path.join(dir, 'registered.json'));
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
  const url =
    `ssh://root:${encodeURIComponent(password)}@127.0.0.1:${sim.port}?platform=openwrt` +
    `&hostKeySha256=${encodeURIComponent(fingerprint)}&provisionKeyDir=${encodeURIComponent(keysDir)}`;
  return {
    sim,
    url,
    endpoint: `127.0.0.1:${sim.port}`,
    startHeartbeats: (controllerUrl) => void routerSide.start(controllerUrl),
    async stop() {
      routerSide.stop();
      stopVisitors();
      await sim.close();
    },
  };
}
