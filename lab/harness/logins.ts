import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouterTarget } from '@netpilot/contracts';
import { SSHD_DIRS } from './layout';
import { must } from './processes';
import type { LabLogin, LabRouter, RouterTargetOptions } from './types';

/** The user every lab sshd logs in (uid 0, shell /bin/sh); it exists only in sshd's mount namespace. */
export const LAB_USER = 'nplab';

/** One password and one client key for every lab login. */
export interface LabCredentials {
  password: string;
  privateKey: string;
}

/**
 * Makes the lab's secrets in `tmpDir`: the shared password and client key, a host key per
 * sshd, and the copies of passwd/shadow that hold the lab user (see index.ts, Logins).
 */
export async function writeCredentials(tmpDir: string): Promise<LabCredentials> {
  const password = randomBytes(12).toString('base64url');
  mkdirSync(join(tmpDir, 'home'), { mode: 0o700 });
  const sshDirs = SSHD_DIRS.map((n) => join(tmpDir, n));
  sshDirs.forEach((d) => mkdirSync(d));
  const [hash] = await Promise.all([
    must('openssl', ['passwd', '-6', '-stdin'], `${password}\n`),
    must('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-C', 'netpilot-lab-client', '-f', join(tmpDir, 'client_ed25519')]),
    ...sshDirs.map((d) =>
      must('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-C', 'netpilot-lab-host', '-f', join(d, 'ssh_host_ed25519_key')]),
    ),
  ]);
  const privateKey = readFileSync(join(tmpDir, 'client_ed25519'), 'utf8');
  writeFileSync(join(tmpDir, 'authorized_keys'), readFileSync(join(tmpDir, 'client_ed25519.pub')));
  // The host's /etc is never written: sshd sees these copies through bind mounts.
  writeFileSync(
    join(tmpDir, 'passwd'),
    `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${LAB_USER}:x:0:0:NetPilot lab:${tmpDir}/home:/bin/sh\n`,
    { mode: 0o644 },
  );
  writeFileSync(
    join(tmpDir, 'shadow'),
    `${readFileSync('/etc/shadow', 'utf8').trimEnd()}\n${LAB_USER}:${hash.trim()}:19000:0:99999:7:::\n`,
    { mode: 0o600 },
  );
  return { password, privateKey };
}

function fingerprintOfPublicKeyFile(path: string): string {
  const blob = Buffer.from(readFileSync(path, 'utf8').trim().split(/\s+/)[1], 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** How the host logs in to the sshd at `host` whose files are in `dir`. */
export function labLogin(creds: LabCredentials, host: string, dir: string): LabLogin {
  return {
    host,
    port: 22,
    username: LAB_USER,
    password: creds.password,
    privateKey: creds.privateKey,
    hostKeySha256: fingerprintOfPublicKeyFile(join(dir, 'ssh_host_ed25519_key.pub')),
  };
}

/** A RouterTarget for the executor, built from the lab's credentials (Lab.routerTarget). */
export function routerTargetFor(creds: LabCredentials, bastion: LabLogin, router: LabRouter, o: RouterTargetOptions = {}): RouterTarget {
  const viaBastion = o.viaBastion ?? false;
  const t: RouterTarget = {
    id: o.id ?? `lab-${router.name}`,
    host: viaBastion ? router.mgmtHost : router.target.host,
    port: 22,
    username: LAB_USER,
    platform: router.platform,
    options: { leasesPath: router.leasesPath },
  };
  if ((o.auth ?? 'password') === 'password') t.password = creds.password;
  else t.privateKey = creds.privateKey;
  if (o.pinHostKey ?? true) t.hostKeySha256 = router.hostKeySha256;
  if (viaBastion) {
    t.jumpHost = {
      host: bastion.host,
      port: bastion.port,
      username: LAB_USER,
      password: creds.password,
      hostKeySha256: bastion.hostKeySha256,
    };
  }
  return t;
}
