import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { migrateDown, migrateUp } from '../db/database';
import { AppError } from '@netpilot/service-kit';
import { openContext, note, type CliContext } from './context';
import { readNewPassword } from './prompt';

/** Thrown by a command that ran but found a problem (e.g. a tampered audit log): exit 1 with this message. */
class CommandFailed extends Error {}

/** CLI actions are audited with no user (null actor) and say where they came from. */
function cliActor() {
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    /* no passwd entry in some containers */
  }
  return { userId: null, ip: null, via: 'cli' as const, osUser };
}

async function withContext(opts: { migrate: boolean }, work: (ctx: CliContext) => Promise<void>): Promise<void> {
  const ctx = await openContext(opts);
  try {
    await work(ctx);
  } finally {
    await ctx.close();
  }
}

async function revertLast(ctx: CliContext): Promise<void> {
  const reverted = await migrateDown(ctx.db);
  console.log(reverted ? `reverted ${reverted}` : 'nothing to revert: no migration has been applied');
}

function program(): Command {
  const cli = new Command('netpilot')
    .description('NetPilot controller administration (uses DATABASE_URL, or the embedded database in NETPILOT_HOME)')
    .showHelpAfterError()
    .exitOverride();

  const migrate = cli.command('migrate').description('database schema migrations');
  migrate
    .command('up')
    .description('apply every pending migration')
    .action(() =>
      withContext({ migrate: false }, async (ctx) => {
        const applied = await migrateUp(ctx.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      }),
    );
  migrate
    .command('down')
    .description('revert the most recent migration')
    .action(() => withContext({ migrate: false }, revertLast));

  cli
    .command('admin')
    .description('admin accounts')
    .command('create')
    .description('create an admin account; the password is asked for (hidden) or read from stdin')
    .requiredOption('--username <name>', 'the new admin’s username')
    .option('--email <email>', 'contact address')
    .action((opts: { username: string; email?: string }) =>
      withContext({ migrate: true }, async (ctx) => {
        const password = await readNewPassword();
        const user = await ctx.services().users.create(
          { username: opts.username, password, email: opts.email ?? null, role: 'admin' },
          cliActor(),
        );
        console.log(`created admin ${user.username} (${user.id})`);
      }),
    );

  const users = cli.command('users').description('user accounts');
  users
    .command('list')
    .description('every account with its role and state')
    .action(() =>
      withContext({ migrate: true }, async (ctx) => {
        const items = [];
        let cursor: string | undefined;
        do {
          const page = await ctx.services().users.list({ limit: 200, cursor });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (!items.length) {
          console.log('no users yet: create the first admin with `npm run cli -- admin create --username NAME`');
          return;
        }
        const rows = items.map((u) => [u.username, u.role, u.disabled ? 'disabled' : 'enabled', u.totpEnabled ? '2fa' : '-', u.createdAt]);
        const head = ['USERNAME', 'ROLE', 'STATE', '2FA', 'CREATED'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
      }),
    );
  users
    .command('disable <name>')
    .description('disable an account and end its sessions')
    .action((name: string) =>
      withContext({ migrate: true }, async (ctx) => {
        const user = await ctx.services().users.getByUsername(name);
        await ctx.services().users.update(user.id, { disabled: true }, cliActor());
        console.log(`disabled ${user.username}; their sessions have ended`);
      }),
    );
  users
    .command('reset-2fa <name>')
    .description('turn off two-factor authentication for an account (lost phone)')
    .action((name: string) =>
      withContext({ migrate: true }, async (ctx) => {
        const user = await ctx.services().users.getByUsername(name);
        await ctx.services().users.update(user.id, { resetTwoFactor: true }, cliActor());
        console.log(`two-factor authentication is off for ${user.username}; they can set it up again after login`);
      }),
    );

  const audit = cli.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('recompute the hash chain and name the first entry that does not fit')
    .option('--head <head>', 'a head printed earlier by `audit head` (its JSON, or a file holding it): it must still be in the log')
    .action((opts: { head?: string }) =>
      withContext({ migrate: true }, async (ctx) => {
        const expectHead = opts.head === undefined ? undefined : await readHead(opts.head);
        const result = await ctx.services().audit.verify({ expectHead });
        if (!result.ok) {
          throw new CommandFailed(`audit log TAMPERED at entry id ${result.firstBadId}: ${result.message}`);
        }
        const headNote = expectHead ? `, and entry ${expectHead.id} (the head given) is still in it` : '';
        console.log(`audit log OK: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}, hash chain intact${headNote}`);
      }),
    );
  audit
    .command('head')
    .description('print the newest entry (id, hash, time) as JSON: keep it somewhere else, and pass it to `audit verify --head` later')
    .action(() =>
      withContext({ migrate: true }, async (ctx) => {
        const head = await ctx.services().audit.head();
        if (!head) throw new CommandFailed('the audit log is empty');
        console.log(JSON.stringify(head));
      }),
    );
  return cli;
}

/** An exported head: its JSON, or the path of a file that holds it. */
async function readHead(value: string): Promise<{ id: string; hash: string }> {
  const text = value.trim().startsWith('{') ? value : await readFile(value, 'utf8').catch(() => {
    throw new CommandFailed(`--head: ${value} is neither a head's JSON nor a readable file`);
  });
  let head: unknown;
  try {
    head = JSON.parse(text);
  } catch {
    throw new CommandFailed('--head: not the JSON printed by `audit head`');
  }
  const { id, hash } = (head ?? {}) as { id?: unknown; hash?: unknown };
  if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id) || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    throw new CommandFailed('--head: expected {"id": "<digits>", "hash": "<64 hex digits>", ...} as printed by `audit head`');
  }
  return { id, hash };
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    if (err instanceof CommandFailed) note(err.message);
    else if (err instanceof AppError) note(`error: ${err.message}${err.code === 'WEAK_PASSWORD' ? '' : ` (${err.code})`}`);
    else if (err instanceof ConfigError) note(`error: ${err.message}`);
    else note(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

main(process.argv).then(
  (code) => process.exit(code),
  (err) => {
    note(`error: ${String(err)}`);
    process.exit(1);
  },
);
