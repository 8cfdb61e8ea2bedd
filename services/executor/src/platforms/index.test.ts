import { PLATFORMS } from '@netpilot/contracts';
import { getDriver, UnsupportedPlatformError } from './index';
import { CommandFailedError, type CommandRunner, type ExecResult } from './types';

/** Answers each command from a script and records it: these tests are about parsing and round trips. */
function scriptedRunner(answer: (command: string) => Partial<ExecResult>) {
  const commands: string[] = [];
  const runner: CommandRunner = {
    async exec(command) {
      commands.push(command);
      return { stdout: '', stderr: '', code: 0, ...answer(command) };
    },
  };
  return { runner, commands };
}

const router = (platform: string, leasesPath?: string) =>
  ({ id: 'r1', host: '127.0.0.1', port: 22, username: 'root', password: 'x', platform, options: { leasesPath } }) as never;

describe('getDriver', () => {
  it.each(PLATFORMS)('when asked for %s, then returns a driver', (platform) => {
    expect(typeof getDriver(platform).run).toBe('function');
  });

  it('when asked for an unknown platform, then throws UnsupportedPlatformError with its code', () => {
    expect(() => getDriver('mikrotik')).toThrow(UnsupportedPlatformError);
    try {
      getDriver('__proto__');
    } catch (err) {
      expect((err as UnsupportedPlatformError).code).toBe('UNSUPPORTED_PLATFORM');
    }
  });
});

describe('Linux drivers', () => {
  it('when block finds the marker, then changed is false; without it, changed is true; one command each', async () => {
    const driver = getDriver('linux-nft');
    const present = scriptedRunner(() => ({ stdout: 'np:present\n' }));
    await expect(driver.run('block', { ip: '10.0.0.5' }, present.runner, router('linux-nft'))).resolves.toEqual({
      target: { ip: '10.0.0.5' },
      changed: false,
    });
    const absent = scriptedRunner(() => ({ stdout: '' }));
    await expect(driver.run('block', { mac: 'b8:27:eb:00:00:01' }, absent.runner, router('linux-nft'))).resolves.toEqual({
      target: { mac: 'b8:27:eb:00:00:01' },
      changed: true,
    });
    expect(present.commands).toHaveLength(1);
    expect(absent.commands).toHaveLength(1);
  });

  it('when unblock finds the marker, then changed is true', async () => {
    const { runner } = scriptedRunner(() => ({ stdout: 'np:present\n' }));
    const result = await getDriver('linux-iptables').run('unblock', { ip: '10.0.0.5' }, runner, router('linux-iptables'));
    expect(result.changed).toBe(true);
  });

  it('when a command exits non-zero, then CommandFailedError carries the trimmed stderr', async () => {
    const { runner } = scriptedRunner(() => ({ code: 127, stderr: 'sh: nft: not found\n' }));
    const err = await getDriver('openwrt').prepare(runner, router('openwrt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect(err).toMatchObject({ exitCode: 127, stderr: 'sh: nft: not found' });
  });

  it('when a router has no leasesPath option, then the platform default is read', async () => {
    const owrt = scriptedRunner(() => ({ stdout: 'NP:ARP\nNP:NEIGH6\nNP:LEASES\nNP:END\n' }));
    await getDriver('openwrt').run('scan', {}, owrt.runner, router('openwrt'));
    expect(owrt.commands[0]).toContain('cat /tmp/dhcp.leases 2>/dev/null');
    const custom = scriptedRunner(() => ({ stdout: 'NP:ARP\nNP:NEIGH6\nNP:LEASES\nNP:END\n' }));
    await getDriver('linux-nft').run('scan', {}, custom.runner, router('linux-nft', '/srv/leases'));
    expect(custom.commands[0]).toContain('cat /srv/leases 2>/dev/null');
  });

  it('when ping succeeds, then it is a single trivial command', async () => {
    const { runner, commands } = scriptedRunner(() => ({ stdout: 'ok\n' }));
    await expect(getDriver('linux-nft').run('ping', {}, runner, router('linux-nft'))).resolves.toEqual({ ok: true });
    expect(commands).toEqual(['echo ok']);
  });
});
