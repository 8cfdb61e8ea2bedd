import { canonicalDeviceIp, canonicalMac } from '@netpilot/contracts';

/**
 * Last line of defence before a value is printed into router command text.
 *
 * Params reach drivers already validated and canonical; these checks exist so that a
 * future caller that skips validation gets an exception here instead of a shell
 * injection on a router. Every value is matched against a strict character pattern
 * AND must already be in canonical form (so nothing is silently rewritten).
 */

/** A value refused by the command builders; it never reached a router. */
export class UnsafeCommandValueError extends Error {
  readonly code = 'UNSAFE_COMMAND_VALUE';
  constructor(kind: string, value: unknown) {
    super(`refusing to print a non-canonical ${kind} into a router command: ${JSON.stringify(value)}`);
    this.name = 'UnsafeCommandValueError';
  }
}

const IPV4_CHARS = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;
const IPV6_CHARS = /^[0-9a-f:.]{2,45}$/;
const MAC_CHARS = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const PATH_CHARS = /^\/[A-Za-z0-9._/-]{0,254}$/;

export type IpFamily = 4 | 6;

/** A canonical IPv4 address, or throws. */
export function safeIpv4(value: unknown): string {
  if (typeof value !== 'string' || !IPV4_CHARS.test(value)) throw new UnsafeCommandValueError('IPv4 address', value);
  return assertCanonicalIp(value, 4);
}

/** A canonical (RFC 5952) IPv6 address, or throws. */
export function safeIpv6(value: unknown): string {
  if (typeof value !== 'string' || !IPV6_CHARS.test(value)) throw new UnsafeCommandValueError('IPv6 address', value);
  return assertCanonicalIp(value, 6);
}

/** A canonical device IP of either family with its family, or throws. */
export function safeIp(value: unknown): { family: IpFamily; text: string } {
  if (typeof value === 'string' && IPV4_CHARS.test(value)) return { family: 4, text: safeIpv4(value) };
  return { family: 6, text: safeIpv6(value) };
}

/** A lower-case, colon-separated unicast MAC, or throws. */
export function safeMac(value: unknown): string {
  if (typeof value !== 'string' || !MAC_CHARS.test(value)) throw new UnsafeCommandValueError('MAC address', value);
  let canonical: string;
  try {
    canonical = canonicalMac(value);
  } catch {
    throw new UnsafeCommandValueError('MAC address', value);
  }
  if (canonical !== value) throw new UnsafeCommandValueError('MAC address', value);
  return value;
}

/** An absolute path of safe characters without `..` segments, or throws. */
export function safePath(value: unknown): string {
  if (typeof value !== 'string' || !PATH_CHARS.test(value) || value.split('/').includes('..')) {
    throw new UnsafeCommandValueError('path', value);
  }
  return value;
}

function assertCanonicalIp(value: string, family: IpFamily): string {
  let canonical;
  try {
    canonical = canonicalDeviceIp(value);
  } catch {
    throw new UnsafeCommandValueError(`IPv${family} address`, value);
  }
  if (canonical.family !== family || canonical.text !== value) {
    throw new UnsafeCommandValueError(`IPv${family} address`, value);
  }
  return value;
}
