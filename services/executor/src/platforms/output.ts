import { CommandFailedError, type CommandRunner, type ExecResult } from './types';

/** Runs one command; a non-zero exit becomes CommandFailedError (the executor's COMMAND_FAILED). */
export async function execChecked(runner: CommandRunner, command: string): Promise<ExecResult> {
  const result = await runner.exec(command);
  if (result.code !== 0) throw new CommandFailedError(command, result.code, result.stderr.trim());
  return result;
}

/** The command ran but printed something we cannot read: reported like a failed command. */
export function unexpectedOutput(command: string, what: string): CommandFailedError {
  return new CommandFailedError(command, 0, `unexpected output from router: ${what}`);
}

/**
 * Splits the stdout of a compound command into the sections announced by marker lines
 * (`echo NP:ARP; cat /proc/net/arp; echo NP:LEASES; ...`), so one round trip can read
 * several files. Returns null when a marker is missing (output truncated or reordered).
 */
export function splitSections(stdout: string, markers: readonly string[]): Map<string, string[]> | null {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (markers.includes(line) && !sections.has(line)) {
      current = [];
      sections.set(line, current);
      continue;
    }
    if (current && line.trim() !== '') current.push(line);
  }
  return markers.every((m) => sections.has(m)) ? sections : null;
}
