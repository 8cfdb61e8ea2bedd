import type {
  ActionName,
  ActionParams,
  ActionResult,
  BlockResult,
  DeviceTarget,
  PingResult,
  RouterTarget,
} from '@netpilot/contracts';
import { HOOK_RESTORED_MARKER, sawMarker, sawPresentMarker, type FirewallDialect } from './firewall';
import { INFO_COMMAND, parseInfoOutput } from './info';
import { execChecked, unexpectedOutput } from './output';
import { buildScanCommand, parseScanOutput } from './scan';
import { AppError } from '../errors';
import type { CommandRunner, PlatformDriver } from './types';

export const PING_COMMAND = 'echo ok';

type Handler<A extends ActionName> = (
  params: ActionParams<A>,
  runner: CommandRunner,
  router: RouterTarget,
) => Promise<ActionResult<A>>;

/** The same IP, written as given or IPv4-mapped (`::ffff:10.0.0.1`). */
function sameAddress(a: string, b: string): boolean {
  const plain = (s: string) => s.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return plain(a) === plain(b);
}

/** Only the one key that was given, so a result never echoes stray fields. */
function targetOf(params: DeviceTarget): DeviceTarget {
  return params.mac !== undefined ? { mac: params.mac } : { ip: params.ip };
}

/**
 * A driver for a Linux router: the firewall dialect differs per platform, while the
 * neighbour table, leases and /proc files read the same everywhere (BusyBox or GNU).
 * Every action is exactly one command round trip.
 */
export function createLinuxDriver(firewall: FirewallDialect, defaultLeasesPath: string): PlatformDriver {
  const handlers: { [A in ActionName]: Handler<A> } = {
    async block(params, runner): Promise<BlockResult> {
      // Blocking the address NetPilot reaches the router from would cut the router off from NetPilot.
      if (params.ip !== undefined && runner.seenFrom && sameAddress(params.ip, runner.seenFrom)) {
        throw new AppError('MANAGEMENT_ADDRESS', `NetPilot reaches this router from ${runner.seenFrom}; blocking that address would cut the router off from NetPilot`, {
          address: runner.seenFrom,
        });
      }
      const { stdout } = await execChecked(runner, firewall.blockCommand(params));
      return { target: targetOf(params), changed: !sawPresentMarker(stdout) || sawMarker(stdout, HOOK_RESTORED_MARKER) };
    },
    async unblock(params, runner): Promise<BlockResult> {
      const { stdout } = await execChecked(runner, firewall.unblockCommand(params));
      return { target: targetOf(params), changed: sawPresentMarker(stdout) };
    },
    async 'list-blocked'(_params, runner) {
      const command = firewall.listBlockedCommand;
      const { stdout } = await execChecked(runner, command);
      return firewall.parseBlocked(command, stdout);
    },
    async scan(_params, runner, router) {
      const command = buildScanCommand(router.options?.leasesPath ?? defaultLeasesPath);
      const { stdout } = await execChecked(runner, command);
      return parseScanOutput(command, stdout);
    },
    async info(_params, runner) {
      const { stdout } = await execChecked(runner, INFO_COMMAND);
      return parseInfoOutput(stdout);
    },
    async ping(_params, runner): Promise<PingResult> {
      const { stdout } = await execChecked(runner, PING_COMMAND);
      if (stdout.trim() !== 'ok') throw unexpectedOutput(PING_COMMAND, 'no "ok" from echo');
      return { ok: true };
    },
  };

  return {
    async prepare(runner) {
      await execChecked(runner, firewall.prepareCommand);
    },
    run<A extends ActionName>(action: A, params: ActionParams<A>, runner: CommandRunner, router: RouterTarget) {
      const handler = handlers[action] as Handler<A> | undefined;
      if (!handler) return Promise.reject(new Error(`no handler for action ${String(action)}`));
      return handler(params, runner, router);
    },
  };
}
