import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../services/controller/src/db/embedded-postgres';

const ROOT = path.resolve(__dirname, '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the CLI on a fresh embedded database', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'netpilot-cli-test-'));
    env = { ...process.env, NETPILOT_HOME: home, NETPILOT_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    // No DATABASE_URL: the CLI must start the embedded database itself, as on a new machine.
    for (const name of ['DATABASE_URL', 'JWT_SECRET', 'NETPILOT_SECRET_KEY', 'EXECUTOR_TOKEN']) delete env[name];
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  function run(command: string, args: string[], stdin = ''): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: ROOT, env, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  /** The real CLI as a child process, exactly as `npm run cli -- ...` runs it. */
  const cli = (args: string[], stdin = '') => run('npx', ['tsx', 'services/controller/src/cli/main.ts', ...args], stdin);

  /** What an intruder with superuser rights could do: edit a row with the append-only guard switched off. */
  async function editByHand(sql: string): Promise<void> {
    const res = await run('npx', [
      'tsx',
      'test/support/embedded-sql.ts',
      home,
      String(env.NETPILOT_PG_PORT),
      'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only',
      sql,
      'ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only',
    ]);
    if (res.code !== 0) throw new Error(`editing the audit log failed: ${res.stderr}`);
  }

  test(
    'when the first admin is created from piped stdin, then they exist, and audit verify passes until a row is edited by hand',
    async () => {
      const created = await cli(['admin', 'create', '--username', 'first-admin', '--email', 'ops@example.test'], 'a-long-admin-passphrase\n');
      expect(created.stderr).toMatch(/starting embedded PostgreSQL/);
      expect(created.stdout).toMatch(/^created admin first-admin \([0-9a-f-]{36}\)$/m);
      expect(created.code).toBe(0);
      expect(`${created.stdout}${created.stderr}`).not.toContain('a-long-admin-passphrase');

      const weak = await cli(['admin', 'create', '--username', 'second-admin'], 'short\n');
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/Password must be at least 10 characters long/);

      const second = await cli(['admin', 'create', '--username', 'second-admin'], 'another-long-passphrase\n');
      expect(second.code).toBe(0);
      const disabled = await cli(['users', 'disable', 'SECOND-ADMIN']);
      expect(disabled.stdout).toMatch(/disabled second-admin/);
      expect(disabled.code).toBe(0);

      const list = await cli(['users', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^first-admin\s+admin\s+enabled\s+-\s+\S+$/m);
      expect(list.stdout).toMatch(/^second-admin\s+admin\s+disabled\s+-\s+\S+$/m);

      const lastAdmin = await cli(['users', 'disable', 'first-admin']);
      expect(lastAdmin.code).toBe(1);
      expect(lastAdmin.stderr).toMatch(/last enabled admin/);

      const head = await cli(['audit', 'head']);
      expect(head.code).toBe(0);
      expect(JSON.parse(head.stdout)).toEqual({ id: '3', hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) });
      const intact = await cli(['audit', 'verify', '--head', head.stdout.trim()]);
      expect(intact.stdout).toMatch(/audit log OK: 3 entries, hash chain intact, and entry 3 \(the head given\) is still in it/);
      expect(intact.code).toBe(0);

      // Cutting the newest entry leaves a chain that is whole by itself; the exported head notices.
      await editByHand('DELETE FROM audit_log WHERE id = 3');
      expect((await cli(['audit', 'verify'])).code).toBe(0);
      const cut = await cli(['audit', 'verify', '--head', head.stdout.trim()]);
      expect(cut.code).toBe(1);
      expect(cut.stderr).toMatch(/entry 3, the exported head, is no longer in the log: entries were removed from its end/);

      await editByHand(`UPDATE audit_log SET details = jsonb_set(details, '{username}', '"someone-else"') WHERE id = 2`);
      const tampered = await cli(['audit', 'verify']);
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toMatch(/audit log TAMPERED at entry id 2: entry 2 was altered/);
      expect(tampered.stdout).toBe('');
    },
    120_000,
  );

  test('when the command is unknown, then it exits non-zero with the usage', async () => {
    const res = await cli(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown command 'frobnicate'/);
  }, 60_000);
});
