import { startRouterSim, type RouterSim } from '@netpilot/router-sim';

/** The router simulators one test file starts (linux-nft unless asked), all closed at its end. */
export function simulators() {
  const running: RouterSim[] = [];
  return {
    async start(opts: Parameters<typeof startRouterSim>[0] = {}): Promise<RouterSim> {
      const s = await startRouterSim({ platform: 'linux-nft', ...opts });
      running.push(s);
      return s;
    },
    /** A router going away in the middle of a test. */
    async stop(s: RouterSim): Promise<void> {
      await s.close();
      running.splice(running.indexOf(s), 1);
    },
    async closeAll(): Promise<void> {
      await Promise.all(running.splice(0).map((s) => s.close()));
    },
  };
}
