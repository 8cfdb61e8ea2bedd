import { isIPv4, isIPv6 } from 'node:net';
import Joi from 'joi';

/**
 * Canonical addresses: command text on a router is only ever printed from these
 * parsed forms, never from the string a caller sent.
 */

/** Parses an IPv4 address to its four octets, or null. Leading zeros are refused (ambiguous octal). */
export function parseIPv4(text: string): [number, number, number, number] | null {
  if (!isIPv4(text)) return null;
  const parts = text.split('.');
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return null;
  const octets = parts.map(Number);
  return [octets[0], octets[1], octets[2], octets[3]];
}

/** Parses an IPv6 address (no zone id, no embedded IPv4 tail required) into eight 16-bit groups, or null. */
export function parseIPv6(text: string): number[] | null {
  if (text.includes('%') || !isIPv6(text)) return null;
  let head: string[];
  let tail: string[] = [];
  const halves = text.split('::');
  if (halves.length > 2) return null;
  head = halves[0] ? halves[0].split(':') : [];
  if (halves.length === 2) tail = halves[1] ? halves[1].split(':') : [];
  const expand = (groups: string[]): number[] | null => {
    const out: number[] = [];
    for (const g of groups) {
      if (g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const h = expand(head);
  const t = expand(tail);
  if (!h || !t) return null;
  const missing = 8 - h.length - t.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...h, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...t];
}

/** RFC 5952 text of eight IPv6 groups: lower case, longest zero run (2+) compressed. */
export function formatIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

export type IpFamily = 4 | 6;

export interface CanonicalIp {
  family: IpFamily;
  text: string;
}

/** Why an address cannot be blocked, or null when it can be. */
function unblockableReason(family: IpFamily, parts: number[]): string | null {
  if (family === 4) {
    const [a, b, c, d] = parts;
    if (a === 0) return 'addresses in 0.0.0.0/8 cannot be blocked';
    if (a === 127) return 'loopback addresses cannot be blocked';
    if (a >= 224) return 'multicast, reserved and broadcast addresses cannot be blocked';
    if (a === 169 && b === 254 && c === 0 && d === 0) return 'that address cannot be blocked';
    return null;
  }
  if (parts.every((g) => g === 0)) return 'the unspecified address cannot be blocked';
  if (parts.slice(0, 7).every((g) => g === 0) && parts[7] === 1) return 'loopback addresses cannot be blocked';
  if ((parts[0] & 0xff00) === 0xff00) return 'multicast addresses cannot be blocked';
  return null;
}

/**
 * Parses an address a device can have (IPv4 or IPv6, unicast, not loopback) into its
 * canonical text. Throws an Error with a user-facing message otherwise.
 */
export function canonicalDeviceIp(text: string): CanonicalIp {
  const v4 = parseIPv4(text);
  if (v4) {
    const why = unblockableReason(4, v4);
    if (why) throw new Error(why);
    return { family: 4, text: v4.join('.') };
  }
  const v6 = parseIPv6(text);
  if (v6) {
    const why = unblockableReason(6, v6);
    if (why) throw new Error(why);
    return { family: 6, text: formatIPv6(v6) };
  }
  throw new Error('must be a valid IPv4 or IPv6 address');
}

const MAC_RE = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

/** Parses a unicast MAC (aa:bb:cc:dd:ee:ff or aa-bb-...) into lower-case colon form. Throws otherwise. */
export function canonicalMac(text: string): string {
  if (!MAC_RE.test(text)) throw new Error('must be a MAC address like aa:bb:cc:dd:ee:ff');
  const mac = text.toLowerCase().replace(/-/g, ':');
  if (mac === '00:00:00:00:00:00') throw new Error('the all-zero MAC cannot be blocked');
  if (parseInt(mac.slice(0, 2), 16) & 1) throw new Error('multicast and broadcast MACs cannot be blocked');
  return mac;
}

/** Joi string that must be a blockable device IP; the value is converted to canonical text. */
export const deviceIpSchema = Joi.string()
  .max(45)
  .custom((value: string, helpers) => {
    try {
      return canonicalDeviceIp(value).text;
    } catch (err) {
      return helpers.message({ custom: `{{#label}} ${(err as Error).message}` });
    }
  }, 'canonical device IP');

/** Joi string that must be a unicast MAC; converted to lower-case colon form. */
export const macSchema = Joi.string()
  .max(17)
  .custom((value: string, helpers) => {
    try {
      return canonicalMac(value);
    } catch (err) {
      return helpers.message({ custom: `{{#label}} ${(err as Error).message}` });
    }
  }, 'canonical MAC');

/** A DNS host name or an IP literal, as a router address. */
export const hostSchema = Joi.alternatives()
  .try(
    Joi.string().ip({ version: ['ipv4', 'ipv6'], cidr: 'forbidden' }),
    Joi.string().hostname().max(253).pattern(/^[A-Za-z0-9.-]+$/, 'host name'),
  )
  .messages({ 'alternatives.match': '{{#label}} must be a host name or an IP address' });

export const portSchema = Joi.number().integer().min(1).max(65535);

/** A POSIX-style login name: what a router account can be called. */
export const sshUsernameSchema = Joi.string()
  .pattern(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, 'login name')
  .messages({ 'string.pattern.name': '{{#label}} must be a login name (letters, digits, _ . -; at most 32)' });

/** OpenSSH's fingerprint form, as `ssh-keygen -lf` prints it. */
export const hostKeySha256Schema = Joi.string()
  .pattern(/^SHA256:[A-Za-z0-9+/]{43}$/, 'OpenSSH SHA256 fingerprint')
  .messages({ 'string.pattern.name': '{{#label}} must look like SHA256:<43 base64 characters>' });

/** An absolute path made of safe characters only (it is printed into router commands). */
export const safeAbsolutePathSchema = Joi.string()
  .max(255)
  .pattern(/^\/[A-Za-z0-9._/-]*$/, 'absolute path')
  .custom((value: string, helpers) =>
    value.split('/').includes('..') ? helpers.message({ custom: '{{#label}} must not contain ..' }) : value,
  )
  .messages({ 'string.pattern.name': '{{#label}} must be an absolute path of letters, digits, . _ - and /' });

/** Ids we hand around: UUIDs or short slugs. */
export const idSchema = Joi.string().pattern(/^[A-Za-z0-9_-]{1,64}$/, 'id');
