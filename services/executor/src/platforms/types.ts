import type { ActionName, ActionParams, ActionResult, RouterTarget } from '@netpilot/contracts';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command ended by a signal. */
  code: number | null;
}

/**
 * Runs one command on a router over its pooled SSH connection (one channel per call).
 * The text is passed to the login shell of the router account, so drivers build it only
 * from canonical, validated values.
 */
export interface CommandRunner {
  exec(command: string): Promise<ExecResult>;
  /** The address the router sees this connection come from (its SSH_CLIENT), when known. */
  readonly seenFrom?: string | null;
}

/** What one router platform knows: which commands an action runs and how to read their output. */
export interface PlatformDriver {
  /** Makes sure our own firewall table/chain exists; run once per new connection, not per action. */
  prepare(runner: CommandRunner, router: RouterTarget): Promise<void>;
  run<A extends ActionName>(
    action: A,
    params: ActionParams<A>,
    runner: CommandRunner,
    router: RouterTarget,
  ): Promise<ActionResult<A>>;
}

/** A router command exited non-zero; the executor answers COMMAND_FAILED with the trimmed stderr. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`router command failed with exit code ${exitCode ?? 'signal'}`);
    this.name = 'CommandFailedError';
  }
}

/**
 * Our table or chain is missing on the router (a firewall reload removed it): the command
 * itself ran, but the driver saw that it needs `prepare` again (see ActionRunner.run in sessions/action-runner.ts).
 */
export class FirewallNotPreparedError extends CommandFailedError {
  constructor(command: string, what: string) {
    super(command, 0, what);
    this.name = 'FirewallNotPreparedError';
  }
}
