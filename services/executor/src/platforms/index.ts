import { PLATFORMS, type Platform } from '@netpilot/contracts';
import { iptablesFirewall } from './iptables';
import { createLinuxDriver } from './linux-driver';
import { nftablesFirewall } from './nftables';
import type { PlatformDriver } from './types';

export * from './types';
export { UnsafeCommandValueError } from './command-safety';

/** Where each platform keeps its DHCP leases unless the router's `options.leasesPath` says otherwise. */
export const DEFAULT_LEASES_PATH: Readonly<Record<Platform, string>> = Object.freeze({
  openwrt: '/tmp/dhcp.leases',
  'linux-nft': '/var/lib/misc/dnsmasq.leases',
  'linux-iptables': '/var/lib/misc/dnsmasq.leases',
});

/** A platform we have no driver for; the executor answers UNSUPPORTED_PLATFORM. */
export class UnsupportedPlatformError extends Error {
  readonly code = 'UNSUPPORTED_PLATFORM';
  constructor(readonly platform: string) {
    super(`unsupported router platform: ${JSON.stringify(platform)} (supported: ${PLATFORMS.join(', ')})`);
    this.name = 'UnsupportedPlatformError';
  }
}

const drivers: Readonly<Record<Platform, PlatformDriver>> = Object.freeze({
  openwrt: createLinuxDriver(nftablesFirewall, DEFAULT_LEASES_PATH.openwrt),
  'linux-nft': createLinuxDriver(nftablesFirewall, DEFAULT_LEASES_PATH['linux-nft']),
  'linux-iptables': createLinuxDriver(iptablesFirewall, DEFAULT_LEASES_PATH['linux-iptables']),
});

/** The driver of a platform; throws UnsupportedPlatformError for anything else. */
export function getDriver(platform: string): PlatformDriver {
  if (!Object.hasOwn(drivers, platform)) throw new UnsupportedPlatformError(platform);
  return drivers[platform as Platform];
}
