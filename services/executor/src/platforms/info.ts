import type { InfoResult } from '@netpilot/contracts';
import { splitSections, unexpectedOutput } from './output';

const MARKERS = ['NP:HOSTNAME', 'NP:OSRELEASE', 'NP:OPENWRT', 'NP:KERNEL', 'NP:UPTIME', 'NP:LOADAVG', 'NP:MEMINFO', 'NP:END'] as const;

/**
 * One round trip reading only files (no `hostname`, `uname` or `free` binaries, which
 * differ between BusyBox and GNU). Optional files are silenced; NP:END proves completeness.
 */
export const INFO_COMMAND =
  'echo NP:HOSTNAME; cat /proc/sys/kernel/hostname; ' +
  'echo NP:OSRELEASE; cat /etc/os-release 2>/dev/null; ' +
  'echo NP:OPENWRT; cat /etc/openwrt_release 2>/dev/null; ' +
  'echo NP:KERNEL; cat /proc/sys/kernel/osrelease; ' +
  'echo NP:UPTIME; cat /proc/uptime; ' +
  'echo NP:LOADAVG; cat /proc/loadavg; ' +
  'echo NP:MEMINFO; cat /proc/meminfo; ' +
  'echo NP:END';

/** KEY=value lines of os-release / openwrt_release, with shell quoting removed. */
export function parseShellAssignments(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m || m[1] in out) continue;
    let value = m[2].trim();
    if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1);
    } else if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
    }
    out[m[1]] = value;
  }
  return out;
}

/** /proc/meminfo in bytes; MemAvailable (kernel ≥ 3.14) estimated from free + buffers + cache when absent. */
export function parseMeminfo(lines: string[]): InfoResult['memory'] | null {
  const kb: Record<string, number> = {};
  for (const line of lines) {
    const m = /^(\w+):\s+(\d+)(\s+kB)?\s*$/.exec(line.trim());
    if (m) kb[m[1]] = Number(m[2]);
  }
  if (kb.MemTotal === undefined || kb.MemFree === undefined) return null;
  const available = kb.MemAvailable ?? kb.MemFree + (kb.Buffers ?? 0) + (kb.Cached ?? 0);
  return { totalBytes: kb.MemTotal * 1024, freeBytes: kb.MemFree * 1024, availableBytes: available * 1024 };
}

/** Seconds since boot from /proc/uptime ("12345.67 23456.78"), whole seconds. */
export function parseUptime(lines: string[]): number | null {
  const m = /^(\d+(?:\.\d+)?)\s/.exec(`${(lines[0] ?? '').trim()} `);
  return m ? Math.floor(Number(m[1])) : null;
}

/** The 1, 5 and 15 minute load averages from /proc/loadavg. */
export function parseLoadavg(lines: string[]): [number, number, number] | null {
  const f = (lines[0] ?? '').trim().split(/\s+/).slice(0, 3);
  if (f.length !== 3 || !f.every((v) => /^\d+(\.\d+)?$/.test(v))) return null;
  return [Number(f[0]), Number(f[1]), Number(f[2])];
}

/** Reads the output of INFO_COMMAND. */
export function parseInfoOutput(stdout: string): InfoResult {
  const s = splitSections(stdout, MARKERS);
  if (!s) throw unexpectedOutput(INFO_COMMAND, 'info sections missing');
  const osRelease = parseShellAssignments(s.get('NP:OSRELEASE')!);
  const openwrt = parseShellAssignments(s.get('NP:OPENWRT')!);
  const uptimeSeconds = parseUptime(s.get('NP:UPTIME')!);
  const load = parseLoadavg(s.get('NP:LOADAVG')!);
  const memory = parseMeminfo(s.get('NP:MEMINFO')!);
  if (uptimeSeconds === null) throw unexpectedOutput(INFO_COMMAND, '/proc/uptime');
  if (!load) throw unexpectedOutput(INFO_COMMAND, '/proc/loadavg');
  if (!memory) throw unexpectedOutput(INFO_COMMAND, '/proc/meminfo');

  const openwrtFirmware =
    openwrt.DISTRIB_DESCRIPTION ||
    [openwrt.DISTRIB_ID, openwrt.DISTRIB_RELEASE, openwrt.DISTRIB_REVISION].filter(Boolean).join(' ') ||
    null;
  return {
    hostname: (s.get('NP:HOSTNAME')![0] ?? '').trim(),
    os: osRelease.PRETTY_NAME || openwrtFirmware || osRelease.NAME || 'Linux',
    firmware: openwrtFirmware,
    kernel: (s.get('NP:KERNEL')![0] ?? '').trim() || null,
    uptimeSeconds,
    load,
    memory,
  };
}
