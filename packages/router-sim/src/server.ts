import { timingSafeEqual } from 'node:crypto';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { Server as SshServer, utils, type AuthContext, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';
import { fingerprintOfKey, generateEd25519 } from './keys';
import { SimRouter, type SimBlocked, type SimDevice, type SimPlatform } from './router';
import { runShell, type ShellResult } from './shell';

export interface RouterSimOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  platform?: SimPlatform;
  /** Default 'root'. */
  username?: string;
  /** Default 'netpilot' when no authorizedKeys are given; with keys, password login is off unless set. */
  password?: string;
  /** OpenSSH public key lines allowed to log in. */
  authorizedKeys?: string[];
  /** Host private key (OpenSSH or PEM); a fresh ed25519 key by default. */
  hostKey?: string | Buffer;
  devices?: SimDevice[];
  /** Where the leases file is; the platform's default otherwise. */
  leasesPath?: string;
  hostname?: string;
  /** Like sshd's MaxSessions: concurrent channels per connection (default 10). */
  maxSessionsPerConnection?: number;
  /** Accept direct-tcpip (jump host) requests, to loopback destinations only. */
  allowTcpForwarding?: boolean;
  /** The address clients seem to come from (in SSH_CLIENT), as behind a NAT; the real one by default. */
  clientAddressSeen?: string;
  /** false: `nft -j` fails like OpenWrt's nftables-nojson build. */
  nftJson?: boolean;
}

/** What failNext does to the next matching command. */
export interface FailureSpec {
  /** Exit status to answer with instead of running the command (default 1 when stderr is set). */
  exitCode?: number;
  stderr?: string;
  /** Wait this long before answering (or before dropping). */
  delayMs?: number;
  /** Cut the TCP connection instead of answering. */
  dropConnection?: boolean;
}

export interface RouterSimStats {
  /** TCP connections accepted. */
  connections: number;
  /** Connections that authenticated. */
  handshakes: number;
  /** Session channels open now, over all connections. */
  channelsOpen: number;
  /** The most session channels ever open at once. */
  maxConcurrentChannels: number;
}

export interface RouterSimState {
  platform: SimPlatform;
  hostname: string;
  leasesPath: string;
  blocked: SimBlocked;
  devices: SimDevice[];
  /** Whether NetPilot's table/chain exists and is hooked in (i.e. prepare ran). */
  firewallReady: boolean;
}

export interface RouterSim {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string | undefined;
  /** OpenSSH form: 'SHA256:' + base64 without padding. */
  readonly hostKeySha256: string;
  /** A snapshot of the router's state, taken at each read. */
  readonly state: RouterSimState;
  /** Every command text received, in order (including failed and unknown ones). */
  readonly commands: string[];
  readonly stats: RouterSimStats;
  /** The next command matching `match` fails (or is delayed, or drops the connection) once. */
  failNext(match: RegExp, spec?: FailureSpec): void;
  /** Adds this delay to every command from now on. */
  setLatency(ms: number): void;
  /** Cuts every open TCP connection, like a router reboot. */
  dropAllConnections(): void;
  addDevice(device: SimDevice): void;
  removeDevice(mac: string): void;
  /** Makes the leases file disappear (or come back). */
  setLeasesFilePresent(present: boolean): void;
  /** A firewall reload: NetPilot's table or chain, and every block, are gone (see SimRouter.reloadFirewall). */
  reloadFirewall(): void;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseAuthorizedKey(line: string): ParsedKey {
  const parsed = utils.parseKey(line.trim());
  if (parsed instanceof Error) throw new Error(`authorizedKeys: cannot parse "${line.slice(0, 40)}…": ${parsed.message}`);
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Starts an SSH server that behaves like a router for the commands NetPilot's drivers emit. */
export async function startRouterSim(opts: RouterSimOptions = {}): Promise<RouterSim> {
  const host = opts.host ?? '127.0.0.1';
  const username = opts.username ?? 'root';
  const keys = (opts.authorizedKeys ?? []).map(parseAuthorizedKey);
  const password = opts.password ?? (keys.length ? undefined : 'netpilot');
  const hostKey = opts.hostKey ?? generateEd25519('router-sim-host').privateKey;
  const hostKeySha256 = fingerprintOfKey(hostKey);
  const maxSessions = opts.maxSessionsPerConnection ?? 10;
  const router = new SimRouter({
    platform: opts.platform,
    devices: opts.devices,
    leasesPath: opts.leasesPath,
    hostname: opts.hostname,
    nftJson: opts.nftJson,
  });

  const commands: string[] = [];
  const failures: { match: RegExp; spec: FailureSpec }[] = [];
  const stats: RouterSimStats = { connections: 0, handshakes: 0, channelsOpen: 0, maxConcurrentChannels: 0 };
  let latencyMs = 0;
  // Pending delays, cleared by close() so a long failNext delay never keeps a process alive.
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const sockets = new Map<string, Socket>();
  const methods: ('password' | 'publickey')[] = [];
  if (password !== undefined) methods.push('password');
  if (keys.length) methods.push('publickey');

  const authenticate = (ctx: AuthContext) => {
    if (ctx.username !== username) return ctx.reject(methods);
    if (ctx.method === 'password') {
      return password !== undefined && sameSecret(ctx.password, password) ? ctx.accept() : ctx.reject(methods);
    }
    if (ctx.method === 'publickey') {
      const key = keys.find((k) => {
        const blob = k.getPublicSSH();
        return blob.length === ctx.key.data.length && timingSafeEqual(blob, ctx.key.data);
      });
      if (!key) return ctx.reject(methods);
      // Without a signature the client only asks whether this key would do.
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(methods);
    }
    return ctx.reject(methods);
  };

  const takeFailure = (command: string): FailureSpec | undefined => {
    const i = failures.findIndex(({ match }) => {
      match.lastIndex = 0;
      return match.test(command);
    });
    return i < 0 ? undefined : failures.splice(i, 1)[0].spec;
  };

  const runExec = async (command: string, stream: ServerChannel, socket: Socket | undefined, env: Record<string, string>) => {
    commands.push(command);
    const failure = takeFailure(command);
    const wait = latencyMs + (failure?.delayMs ?? 0);
    if (wait > 0) await sleep(wait);
    if (failure?.dropConnection) {
      socket?.destroy();
      return;
    }
    let result: ShellResult;
    if (failure && (failure.exitCode !== undefined || failure.stderr !== undefined)) {
      // A failed command has no effect on the router.
      result = { stdout: '', stderr: failure.stderr ?? '', code: failure.exitCode ?? 1 };
    } else {
      result = await runShell(command, (name) => router.command(name), env);
    }
    if (!stream.writable) return; // the client gave up on this channel
    if (result.stdout) stream.write(result.stdout);
    if (result.stderr) stream.stderr.write(result.stderr);
    stream.exit(result.code);
    stream.end();
  };

  const onClient = (client: Connection, info: { ip: string; port: number }) => {
    const socket = sockets.get(`${info.ip}|${info.port}`);
    const openSessions = new Set<() => void>();
    client.on('authentication', authenticate);
    client.on('error', () => {
      // Resets by clients that go away are normal for a router.
    });
    client.on('close', () => [...openSessions].forEach((close) => close()));
    client.on('ready', () => {
      stats.handshakes++;
      client.on('session', (accept, reject) => {
        if (openSessions.size >= maxSessions) return reject();
        const session = accept();
        const onClose = () => {
          if (!openSessions.delete(onClose)) return;
          stats.channelsOpen--;
        };
        openSessions.add(onClose);
        stats.channelsOpen++;
        stats.maxConcurrentChannels = Math.max(stats.maxConcurrentChannels, stats.channelsOpen);
        session.once('close', onClose);
        session.on('pty', (_accept, rejectPty) => rejectPty?.());
        session.on('shell', (_accept, rejectShell) => rejectShell());
        session.on('subsystem', (_accept, rejectSub) => rejectSub());
        session.on('env', (acceptEnv) => acceptEnv?.());
        session.on('exec', (acceptExec, _rejectExec, execInfo) => {
          // As sshd sets it: where the client connects from, its port, and our port.
          const env = { SSH_CLIENT: `${opts.clientAddressSeen ?? info.ip} ${info.port} ${socket?.localPort ?? 22}` };
          void runExec(execInfo.command, acceptExec(), socket, env);
        });
      });
      if (opts.allowTcpForwarding) {
        client.on('tcpip', (accept, reject, fwd) => {
          if (!isLoopback(fwd.destIP)) return reject();
          const upstream = createConnection({ host: fwd.destIP, port: fwd.destPort });
          upstream.setNoDelay(true);
          upstream.once('error', () => reject());
          upstream.once('connect', () => {
            const channel = accept();
            upstream.removeAllListeners('error');
            upstream.on('error', () => channel.destroy());
            channel.on('error', () => upstream.destroy());
            channel.pipe(upstream).pipe(channel);
          });
        });
      }
    });
  };

  const ssh = new SshServer({ hostKeys: [hostKey] }, onClient);
  const tcp = createServer({ noDelay: true }, (socket) => {
    // Without no-delay every exec round trip costs 44–88 ms (Nagle + delayed ACK).
    socket.setNoDelay(true);
    stats.connections++;
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    sockets.set(key, socket);
    socket.once('close', () => sockets.delete(key));
    socket.on('error', () => {});
    ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.port ?? 0, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const port = (tcp.address() as AddressInfo).port;

  const dropAllConnections = () => {
    for (const s of sockets.values()) s.destroy();
  };

  return {
    host,
    port,
    username,
    password,
    hostKeySha256,
    commands,
    stats,
    get state(): RouterSimState {
      return {
        platform: router.platform,
        hostname: router.hostname,
        leasesPath: router.leasesPath,
        blocked: router.blocked(),
        devices: router.listDevices(),
        firewallReady: router.firewallReady(),
      };
    },
    failNext(match, spec = { exitCode: 1 }) {
      failures.push({ match, spec });
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    dropAllConnections,
    addDevice: (d) => router.addDevice(d),
    removeDevice: (mac) => router.removeDevice(mac),
    setLeasesFilePresent(present) {
      router.leasesFilePresent = present;
    },
    reloadFirewall: () => router.reloadFirewall(),
    close() {
      timers.forEach((t) => clearTimeout(t));
      timers.clear();
      dropAllConnections();
      return new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
