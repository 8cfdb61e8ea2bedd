import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';

/** Secrets `npm start` generates for local use when they are not set; kept in NETPILOT_HOME, mode 0600. */
interface LocalSecrets {
  JWT_SECRET: string;
  NETPILOT_SECRET_KEY: string;
  EXECUTOR_TOKEN: string;
  POSTGRES_PASSWORD: string;
}

export interface LocalEnvironment {
  /** The environment to run services with: the caller's, plus generated secrets and the database URL. */
  env: Record<string, string>;
  home: string;
  /** Set when this process started an embedded PostgreSQL. */
  postgres: EmbeddedPostgres | null;
  stop(): Promise<void>;
}

const EMBEDDED_PG_PORT_DEFAULT = 54329;

async function loadOrCreateSecrets(home: string): Promise<LocalSecrets> {
  const file = path.join(home, 'secrets.json');
  let existing: Partial<LocalSecrets> = {};
  try {
    existing = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalSecrets>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} is unreadable or not JSON; fix or delete it (${(err as Error).message})`);
    }
  }
  const secrets: LocalSecrets = {
    JWT_SECRET: existing.JWT_SECRET ?? randomBytes(48).toString('base64url'),
    NETPILOT_SECRET_KEY: existing.NETPILOT_SECRET_KEY ?? randomBytes(32).toString('hex'),
    EXECUTOR_TOKEN: existing.EXECUTOR_TOKEN ?? randomBytes(32).toString('base64url'),
    POSTGRES_PASSWORD: existing.POSTGRES_PASSWORD ?? randomBytes(18).toString('base64url'),
  };
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which must be able to
 * reach its data directory: NETPILOT_HOME gets o+x (no listing; secrets.json stays 0600) and
 * every ancestor must already allow traversal.
 */
async function makeTraversableForPostgres(home: string): Promise<void> {
  const mode = (await stat(home)).mode;
  if ((mode & 0o001) === 0) await chmod(home, (mode & 0o777) | 0o011);
  for (let dir = path.dirname(home); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as user "postgres", which cannot enter ${dir}; ` +
          'set NETPILOT_HOME to a directory outside it (e.g. /var/lib/netpilot)',
      );
    }
  }
}

/**
 * The zero-configuration local setup shared by `npm start` and the CLI: settings from the
 * environment win; missing secrets are generated into NETPILOT_HOME; with no DATABASE_URL an
 * embedded PostgreSQL is started with its data in NETPILOT_HOME/postgres.
 */
export async function prepareLocalEnvironment(
  opts: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<LocalEnvironment> {
  const source = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);
  const home = path.resolve(source.NETPILOT_HOME || '.netpilot');
  await mkdir(home, { recursive: true, mode: 0o711 });
  const secrets = await loadOrCreateSecrets(home);

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined) env[k] = v;
  env.NETPILOT_HOME = home;
  env.JWT_SECRET ||= secrets.JWT_SECRET;
  env.NETPILOT_SECRET_KEY ||= secrets.NETPILOT_SECRET_KEY;
  env.EXECUTOR_TOKEN ||= secrets.EXECUTOR_TOKEN;

  let postgres: EmbeddedPostgres | null = null;
  if (!env.DATABASE_URL) {
    const port = Number(env.NETPILOT_PG_PORT || EMBEDDED_PG_PORT_DEFAULT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`NETPILOT_PG_PORT must be a TCP port number, got "${env.NETPILOT_PG_PORT}"`);
    }
    if (process.getuid?.() === 0) await makeTraversableForPostgres(home);
    const started = Date.now();
    log(`starting embedded PostgreSQL (data in ${path.join(home, 'postgres')}, port ${port})...`);
    postgres = await startEmbeddedPostgres({
      dataDir: path.join(home, 'postgres'),
      port,
      user: 'netpilot',
      password: secrets.POSTGRES_PASSWORD,
      database: 'netpilot',
    });
    log(`embedded PostgreSQL ready in ${Date.now() - started} ms`);
    env.DATABASE_URL = postgres.url;
  }
  return {
    env,
    home,
    postgres,
    stop: async () => {
      await postgres?.stop();
    },
  };
}
