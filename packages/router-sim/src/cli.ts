/**
 * Demo router: `npx tsx packages/router-sim/src/cli.ts --port 2222 [--platform linux-nft]
 * [--host 127.0.0.1] [--username root] [--password netpilot]`. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startRouterSim } from './server';
import { DEMO_DEVICES } from './demo';
import type { SimPlatform } from './router';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '2222' },
      host: { type: 'string', default: '127.0.0.1' },
      platform: { type: 'string', default: 'openwrt' },
      username: { type: 'string', default: 'root' },
      password: { type: 'string', default: 'netpilot' },
    },
  });
  const platform = values.platform as SimPlatform;
  if (!['openwrt', 'linux-nft', 'linux-iptables'].includes(platform)) {
    throw new Error(`--platform must be openwrt, linux-nft or linux-iptables (got ${values.platform})`);
  }
  const sim = await startRouterSim({
    port: Number(values.port),
    host: values.host,
    platform,
    username: values.username,
    password: values.password,
    devices: DEMO_DEVICES,
  });
  process.stdout.write(
    [
      `router-sim (${platform}) listening`,
      `  host:        ${sim.host}`,
      `  port:        ${sim.port}`,
      `  username:    ${sim.username}`,
      `  password:    ${sim.password}`,
      `  host key:    ${sim.hostKeySha256}`,
      `  devices:     ${DEMO_DEVICES.length} (${DEMO_DEVICES.map((d) => d.ip).join(', ')})`,
      `  try:         ssh -p ${sim.port} ${sim.username}@${sim.host} 'cat /proc/net/arp'`,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping (${sim.commands.length} commands served)\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`router-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
