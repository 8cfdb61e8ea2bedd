/**
 * Simulated routers in a process of their own, so that the routers' side of a benchmark
 * (their SSH handshakes and firewalls) does not share a core with NetPilot's:
 * `tsx bench/sim-farm.ts <count> <password>` starts that many linux-nft simulators on
 * 127.0.0.1, prints one JSON line `[{port, hostKeySha256}, ...]`, and closes them on SIGTERM
 * or when stdin ends. Use it through `startSimFarm` (bench-stack.ts).
 */
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';

async function main(): Promise<void> {
  const [countText, password] = process.argv.slice(2);
  const count = Math.min(Math.max(1, Number(countText)), 2000);
  const sims: RouterSim[] = [];
  for (let i = 0; i < count; i++) sims.push(await startRouterSim({ platform: 'linux-nft', password }));
  const close = async () => {
    await Promise.all(sims.map((s) => s.close()));
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  process.stdin.on('end', () => void close());
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify(sims.map((s) => ({ port: s.port, hostKeySha256: s.hostKeySha256 })))}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim farm failed: ${(err as Error).message}\n`);
  process.exit(1);
});
