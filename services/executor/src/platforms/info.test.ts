import { INFO_COMMAND, parseInfoOutput, parseMeminfo, parseShellAssignments } from './info';
import { CommandFailedError } from './types';

const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"`;

const OPENWRT_OS_RELEASE = `NAME="OpenWrt"
VERSION="23.05.3"
ID="openwrt"
ID_LIKE="lede openwrt"
PRETTY_NAME="OpenWrt 23.05.3"
VERSION_ID="23.05.3"
BUILD_ID="r23809-234f1a2efa"
OPENWRT_BOARD="ramips/mt7621"
OPENWRT_RELEASE="OpenWrt 23.05.3 r23809-234f1a2efa"`;

const OPENWRT_RELEASE = `DISTRIB_ID='OpenWrt'
DISTRIB_RELEASE='23.05.3'
DISTRIB_REVISION='r23809-234f1a2efa'
DISTRIB_TARGET='ramips/mt7621'
DISTRIB_ARCH='mipsel_24kc'
DISTRIB_DESCRIPTION='OpenWrt 23.05.3 r23809-234f1a2efa'
DISTRIB_TAINTS=''`;

const MEMINFO_DEBIAN = `MemTotal:       24684084 kB
MemFree:        23762136 kB
MemAvailable:   24120432 kB
Buffers:            7700 kB
Cached:           547072 kB
SwapCached:            0 kB`;

// A 2.6-era kernel has no MemAvailable.
const MEMINFO_OLD = `MemTotal:          61064 kB
MemFree:            9804 kB
Buffers:            2248 kB
Cached:            14020 kB`;

function output(parts: { host: string; os: string; owrt: string; kernel: string; uptime: string; load: string; mem: string }) {
  return [
    'NP:HOSTNAME', parts.host, 'NP:OSRELEASE', parts.os, 'NP:OPENWRT', parts.owrt, 'NP:KERNEL', parts.kernel,
    'NP:UPTIME', parts.uptime, 'NP:LOADAVG', parts.load, 'NP:MEMINFO', parts.mem, 'NP:END', '',
  ].join('\n');
}

describe('info command', () => {
  it('when built, then reads only files in one round trip', () => {
    expect(INFO_COMMAND).toBe(
      'echo NP:HOSTNAME; cat /proc/sys/kernel/hostname; echo NP:OSRELEASE; cat /etc/os-release 2>/dev/null; ' +
        'echo NP:OPENWRT; cat /etc/openwrt_release 2>/dev/null; echo NP:KERNEL; cat /proc/sys/kernel/osrelease; ' +
        'echo NP:UPTIME; cat /proc/uptime; echo NP:LOADAVG; cat /proc/loadavg; echo NP:MEMINFO; cat /proc/meminfo; echo NP:END',
    );
  });
});

describe('info parsers', () => {
  it('when run on Debian, then os is PRETTY_NAME and firmware is null', () => {
    const info = parseInfoOutput(
      output({
        host: 'gw',
        os: DEBIAN_OS_RELEASE,
        owrt: '',
        kernel: '6.1.0-18-amd64',
        uptime: '719.81 1088.53',
        load: '0.85 0.55 0.38 2/125 9238',
        mem: MEMINFO_DEBIAN,
      }),
    );
    expect(info).toEqual({
      hostname: 'gw',
      os: 'Debian GNU/Linux 12 (bookworm)',
      firmware: null,
      kernel: '6.1.0-18-amd64',
      uptimeSeconds: 719,
      load: [0.85, 0.55, 0.38],
      memory: { totalBytes: 24684084 * 1024, freeBytes: 23762136 * 1024, availableBytes: 24120432 * 1024 },
    });
  });

  it('when run on OpenWrt, then firmware is the DISTRIB_DESCRIPTION', () => {
    const info = parseInfoOutput(
      output({
        host: 'OpenWrt',
        os: OPENWRT_OS_RELEASE,
        owrt: OPENWRT_RELEASE,
        kernel: '5.15.150',
        uptime: '86400.12 170000.00',
        load: '0.00 0.01 0.05 1/64 1234',
        mem: MEMINFO_OLD,
      }),
    );
    expect(info.os).toBe('OpenWrt 23.05.3');
    expect(info.firmware).toBe('OpenWrt 23.05.3 r23809-234f1a2efa');
    expect(info.uptimeSeconds).toBe(86400);
  });

  it('when an old OpenWrt has no os-release, then os falls back to the OpenWrt description', () => {
    const info = parseInfoOutput(
      output({ host: 'ap', os: '', owrt: OPENWRT_RELEASE, kernel: '4.14.221', uptime: '5.00 1.00', load: '0 0 0 1/1 1', mem: MEMINFO_OLD }),
    );
    expect(info.os).toBe('OpenWrt 23.05.3 r23809-234f1a2efa');
  });

  it('when MemAvailable is missing, then it is estimated from free, buffers and cache', () => {
    expect(parseMeminfo(MEMINFO_OLD.split('\n'))).toEqual({
      totalBytes: 61064 * 1024,
      freeBytes: 9804 * 1024,
      availableBytes: (9804 + 2248 + 14020) * 1024,
    });
  });

  it('when values are quoted, then shell quoting and escapes are removed', () => {
    expect(parseShellAssignments(['A="x \\"y\\""', "B='z'", 'C=plain', '# comment'])).toEqual({ A: 'x "y"', B: 'z', C: 'plain' });
  });

  it('when a /proc file is unreadable, then info fails as a command failure', () => {
    const bad = output({ host: 'h', os: '', owrt: '', kernel: 'k', uptime: '', load: '0 0 0', mem: MEMINFO_OLD });
    expect(() => parseInfoOutput(bad)).toThrow(CommandFailedError);
  });
});
