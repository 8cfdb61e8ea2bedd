import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { fingerprintOfBlob } from './keys';

/**
 * A minimal ssh2 exec client for tests, benchmarks and the lab: one connection, one channel
 * per command, TCP no-delay, optional host-key pinning and one jump host. It is not the
 * executor's pool (no reconnects, limits or timeouts per command).
 */

export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /** Refuse any other host key (OpenSSH 'SHA256:…' form). */
  hostKeySha256?: string;
}

export interface SshRunnerOptions extends SshEndpoint {
  /** Reach the target through this bastion (direct-tcpip). */
  jumpHost?: SshEndpoint;
  /** Handshake timeout, default 10 s. */
  readyTimeoutMs?: number;
}

export interface SshExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface SshRunner {
  exec(command: string): Promise<SshExecResult>;
  /** The host key fingerprint the target presented. */
  readonly hostKeySha256: string;
  close(): void;
}

async function openClient(
  endpoint: SshEndpoint,
  readyTimeout: number,
  sock?: Duplex,
): Promise<{ client: Client; hostKeySha256: string }> {
  const client = new Client();
  let seen = '';
  const socket =
    sock ??
    (() => {
      const s = netConnect({ host: endpoint.host, port: endpoint.port });
      // Without no-delay every exec round trip costs 44–88 ms (Nagle + delayed ACK).
      s.setNoDelay(true);
      return s;
    })();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
    client.connect({
      sock: socket,
      username: endpoint.username,
      password: endpoint.password,
      privateKey: endpoint.privateKey,
      passphrase: endpoint.passphrase,
      readyTimeout,
      hostVerifier: (key: Buffer) => {
        seen = fingerprintOfBlob(key);
        return !endpoint.hostKeySha256 || seen === endpoint.hostKeySha256;
      },
    });
  });
  client.on('error', () => {
    // Later errors surface through the exec that hits them.
  });
  return { client, hostKeySha256: seen };
}

function execOn(client: Client, command: string): Promise<SshExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.setEncoding('utf8');
      stream.stderr.setEncoding('utf8');
      stream.on('data', (d: string) => (stdout += d));
      stream.stderr.on('data', (d: string) => (stderr += d));
      stream.on('exit', (c: number | null) => (code = typeof c === 'number' ? c : null));
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}

/** Connects (optionally through a jump host) and returns a runner for `sh -c` commands. */
export async function connectSshRunner(opts: SshRunnerOptions): Promise<SshRunner> {
  const readyTimeout = opts.readyTimeoutMs ?? 10_000;
  let bastion: Client | undefined;
  let sock: Duplex | undefined;
  if (opts.jumpHost) {
    bastion = (await openClient(opts.jumpHost, readyTimeout)).client;
    sock = await new Promise<Duplex>((resolve, reject) =>
      bastion!.forwardOut('127.0.0.1', 0, opts.host, opts.port, (err, stream) => (err ? reject(err) : resolve(stream))),
    ).catch((err: unknown) => {
      bastion!.end();
      throw err;
    });
  }
  const target = await openClient(opts, readyTimeout, sock).catch((err: unknown) => {
    bastion?.end();
    throw err;
  });
  return {
    hostKeySha256: target.hostKeySha256,
    exec: (command) => execOn(target.client, command),
    close() {
      target.client.end();
      bastion?.end();
    },
  };
}
