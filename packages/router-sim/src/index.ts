/** @netpilot/router-sim: an SSH server that behaves like a router, for tests and the demo. */

/** Starts a simulated router (ssh2 server) and returns its handle. */
export { startRouterSim } from './server';
export type { FailureSpec, RouterSim, RouterSimOptions, RouterSimState, RouterSimStats } from './server';
/** Devices, platforms and blocked sets as the simulator models them. */
export type { SimBlocked, SimDevice, SimPlatform } from './router';
/** A minimal ssh2 exec client (optionally through a jump host) for tests and benchmarks. */
export { connectSshRunner } from './client';
export type { SshEndpoint, SshExecResult, SshRunner, SshRunnerOptions } from './client';
/** Key helpers: fresh ed25519 pairs and OpenSSH SHA256 fingerprints. */
export { fingerprintOfBlob, fingerprintOfKey, generateEd25519 } from './keys';
/** The tiny sh interpreter, exported for its own tests and for extending the simulator. */
export { runShell, parseShell, ShellSyntaxError } from './shell';
/** The demo LAN (`npm start`'s demo router and the CLI): devices that stay, and visitors that come and go. */
export { DEMO_DEVICES, DEMO_VISITORS, rotateVisitors } from './demo';
