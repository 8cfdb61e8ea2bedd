import { canonicalIp, canonicalMac } from './addresses';
import { emptyFilterTable, chainRules, runIptables, type XtTable } from './iptables';
import { emptyRuleset, hasBaseChains, runNft, setElements, type NftRuleset } from './nft';
import type { CommandImpl, Output } from './shell';

export type SimPlatform = 'openwrt' | 'linux-nft' | 'linux-iptables';

/** A device on the simulated LAN, as the neighbour table and the DHCP server know it. */
export interface SimDevice {
  mac: string;
  /** IPv4 address (ARP entry and lease). */
  ip?: string | null;
  /** An IPv6 neighbour address. */
  ipv6?: string | null;
  /** Hostname in the lease; null or absent prints `*`. */
  hostname?: string | null;
  /** Defaults to the platform's LAN interface. */
  interface?: string;
  /** In the neighbour tables (default true). */
  inArp?: boolean;
  /** In the leases file (default true when it has an IPv4 address). */
  inLeases?: boolean;
  /** An ARP entry still resolving (flags 0x0, all-zero MAC), which scans must skip. */
  incomplete?: boolean;
}

/** What is blocked now, read from the simulated firewall itself. */
export interface SimBlocked {
  ipv4: string[];
  ipv6: string[];
  macs: string[];
  /** ipv4 then ipv6. */
  ips: string[];
}

interface PlatformProfile {
  hostname: string;
  kernel: string;
  lanInterface: string;
  leasesPath: string;
  osRelease: string;
  openwrtRelease: string | null;
}

const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

const PROFILES: Record<SimPlatform, PlatformProfile> = {
  openwrt: {
    hostname: 'OpenWrt',
    kernel: '5.15.150',
    lanInterface: 'br-lan',
    leasesPath: '/tmp/dhcp.leases',
    osRelease: `NAME="OpenWrt"
VERSION="23.05.3"
ID="openwrt"
ID_LIKE="lede openwrt"
PRETTY_NAME="OpenWrt 23.05.3"
VERSION_ID="23.05.3"
HOME_URL="https://openwrt.org/"
BUILD_ID="r23809-234f1a2efa"
OPENWRT_BOARD="ramips/mt7621"
OPENWRT_ARCH="mipsel_24kc"
OPENWRT_RELEASE="OpenWrt 23.05.3 r23809-234f1a2efa"
`,
    openwrtRelease: `DISTRIB_ID='OpenWrt'
DISTRIB_RELEASE='23.05.3'
DISTRIB_REVISION='r23809-234f1a2efa'
DISTRIB_TARGET='ramips/mt7621'
DISTRIB_ARCH='mipsel_24kc'
DISTRIB_DESCRIPTION='OpenWrt 23.05.3 r23809-234f1a2efa'
DISTRIB_TAINTS=''
`,
  },
  'linux-nft': {
    hostname: 'gw-nft',
    kernel: '6.1.0-18-amd64',
    lanInterface: 'lan0',
    leasesPath: '/var/lib/misc/dnsmasq.leases',
    osRelease: DEBIAN_OS_RELEASE,
    openwrtRelease: null,
  },
  'linux-iptables': {
    hostname: 'gw-ipt',
    kernel: '6.1.0-18-amd64',
    lanInterface: 'lan0',
    leasesPath: '/var/lib/misc/dnsmasq.leases',
    osRelease: DEBIAN_OS_RELEASE,
    openwrtRelease: null,
  },
};

export interface SimRouterOptions {
  platform?: SimPlatform;
  devices?: SimDevice[];
  leasesPath?: string;
  hostname?: string;
  /** false: `nft -j` fails like OpenWrt's nftables-nojson build (default true). */
  nftJson?: boolean;
}

/** The router's state and the programs that read and change it. */
export class SimRouter {
  readonly platform: SimPlatform;
  readonly profile: PlatformProfile;
  readonly leasesPath: string;
  hostname: string;
  /** Whether the leases file exists (a router without a DHCP server has none). */
  leasesFilePresent = true;
  loadavg = '0.08 0.12 0.10 1/123 4567';
  memoryKb = { total: 245_760, free: 118_412, buffers: 4_096, cached: 38_120, available: 150_200 };
  private readonly startedAt = Date.now();
  private readonly baseUptimeS = 86_400 * 3 + 1234.56;
  private devices: SimDevice[] = [];
  readonly nft: NftRuleset | null;
  readonly nftJson: boolean;
  readonly ipt4: XtTable | null;
  readonly ipt6: XtTable | null;

  constructor(opts: SimRouterOptions = {}) {
    this.platform = opts.platform ?? 'openwrt';
    this.profile = PROFILES[this.platform];
    this.leasesPath = opts.leasesPath ?? this.profile.leasesPath;
    this.hostname = opts.hostname ?? this.profile.hostname;
    this.nftJson = opts.nftJson ?? true;
    const iptables = this.platform === 'linux-iptables';
    this.nft = iptables ? null : emptyRuleset();
    this.ipt4 = iptables ? emptyFilterTable(4) : null;
    this.ipt6 = iptables ? emptyFilterTable(6) : null;
    for (const d of opts.devices ?? []) this.addDevice(d);
  }

  /** Adds (or replaces, by MAC) a device on the LAN. */
  addDevice(device: SimDevice): void {
    const mac = canonicalMac(device.mac);
    if (!mac) throw new Error(`invalid MAC ${device.mac}`);
    for (const [field, value] of [
      ['ip', device.ip],
      ['ipv6', device.ipv6],
    ] as const) {
      if (value && canonicalIp(value)?.family !== (field === 'ip' ? 4 : 6)) throw new Error(`invalid ${field} ${value}`);
    }
    this.devices = [...this.devices.filter((d) => d.mac !== mac), { ...device, mac }];
  }

  /** Removes a device by MAC. */
  removeDevice(mac: string): void {
    this.devices = this.devices.filter((d) => d.mac !== mac.toLowerCase());
  }

  listDevices(): SimDevice[] {
    return this.devices.map((d) => ({ ...d }));
  }

  uptimeSeconds(): number {
    return this.baseUptimeS + (Date.now() - this.startedAt) / 1000;
  }

  /** What the firewall enforces now: nft sets, or NETPILOT chain rules in both families. */
  blocked(): SimBlocked {
    let ipv4: string[] = [];
    let ipv6: string[] = [];
    let macs: string[] = [];
    if (this.nft) {
      ipv4 = setElements(this.nft, 'inet', 'netpilot', 'blocked4');
      ipv6 = setElements(this.nft, 'inet', 'netpilot', 'blocked6');
      macs = setElements(this.nft, 'inet', 'netpilot', 'blockedmac');
    } else {
      for (const table of [this.ipt4!, this.ipt6!]) {
        for (const rule of chainRules(table, 'NETPILOT')) {
          if (!rule.endsWith('-j DROP')) continue;
          const addr = /^-[sd] (\S+)\/(32|128) /.exec(rule);
          if (addr) (table.family === 4 ? ipv4 : ipv6).push(addr[1]);
          const mac = /--mac-source (\S+)/.exec(rule);
          if (mac) macs.push(mac[1]);
        }
      }
    }
    const uniq = (xs: string[]) => [...new Set(xs)];
    ipv4 = uniq(ipv4);
    ipv6 = uniq(ipv6);
    macs = uniq(macs);
    return { ipv4, ipv6, macs, ips: [...ipv4, ...ipv6] };
  }

  /**
   * A firewall reload as distributions do it (`nft -f` of a file starting with `flush
   * ruleset`, or `iptables-restore` of the owner's rules): NetPilot's table, or its chain
   * and jumps, and every block in them are gone; anything else is left as it was.
   */
  reloadFirewall(): void {
    if (this.nft) {
      this.nft.tables = this.nft.tables.filter((t) => !(t.family === 'inet' && t.name === 'netpilot'));
      return;
    }
    for (const t of [this.ipt4!, this.ipt6!]) {
      t.chains = t.chains.filter((c) => c.name !== 'NETPILOT');
      for (const c of t.chains) c.rules = c.rules.filter((r) => !/(^|\s)-j NETPILOT(\s|$)/.test(r));
    }
  }

  /** True once NetPilot's table/chain exists and is hooked in. */
  firewallReady(): boolean {
    if (this.nft) return hasBaseChains(this.nft, 'inet', 'netpilot', ['input', 'forward']);
    return [this.ipt4!, this.ipt6!].every(
      (t) => chainRules(t, 'INPUT').includes('-j NETPILOT') && chainRules(t, 'FORWARD').includes('-j NETPILOT'),
    );
  }

  /** The simulated file system: only the files a router driver reads. */
  readFile(path: string): string | null {
    switch (path) {
      case '/proc/net/arp':
        return this.procNetArp();
      case '/proc/uptime': {
        const up = this.uptimeSeconds();
        return `${up.toFixed(2)} ${(up * 3.71).toFixed(2)}\n`;
      }
      case '/proc/loadavg':
        return `${this.loadavg}\n`;
      case '/proc/meminfo':
        return this.procMeminfo();
      case '/proc/sys/kernel/hostname':
        return `${this.hostname}\n`;
      case '/proc/sys/kernel/osrelease':
        return `${this.profile.kernel}\n`;
      case '/etc/os-release':
        return this.profile.osRelease;
      case '/etc/openwrt_release':
        return this.profile.openwrtRelease;
    }
    if (path === this.leasesPath && this.leasesFilePresent) return this.leases();
    return null;
  }

  private iface(d: SimDevice): string {
    return d.interface ?? this.profile.lanInterface;
  }

  private procNetArp(): string {
    const rows = this.devices
      .filter((d) => d.ip && d.inArp !== false)
      .map((d) => {
        const mac = d.incomplete ? '00:00:00:00:00:00' : d.mac;
        const flags = d.incomplete ? '0x0' : '0x2';
        return `${d.ip!.padEnd(16)} 0x1         ${flags.padEnd(11)} ${mac}     *        ${this.iface(d)}`;
      });
    return ['IP address       HW type     Flags       HW address            Mask     Device', ...rows].join('\n') + '\n';
  }

  private ipNeigh6(): string {
    return this.devices
      .filter((d) => d.ipv6 && d.inArp !== false)
      .map((d) =>
        d.incomplete ? `${d.ipv6} dev ${this.iface(d)} INCOMPLETE\n` : `${d.ipv6} dev ${this.iface(d)} lladdr ${d.mac} REACHABLE\n`,
      )
      .join('');
  }

  private leases(): string {
    const expiry = Math.floor(Date.now() / 1000) + 43_200;
    return this.devices
      .filter((d) => d.ip && (d.inLeases ?? true) && !d.incomplete)
      .map((d) => `${expiry} ${d.mac} ${d.ip} ${d.hostname || '*'} 01:${d.mac}\n`)
      .join('');
  }

  private procMeminfo(): string {
    const m = this.memoryKb;
    const row = (k: string, v: number) => `${`${k}:`.padEnd(16)}${String(v).padStart(8)} kB\n`;
    return (
      row('MemTotal', m.total) +
      row('MemFree', m.free) +
      row('MemAvailable', m.available) +
      row('Buffers', m.buffers) +
      row('Cached', m.cached) +
      row('SwapCached', 0)
    );
  }

  /** The programs installed on this router. nft platforms have no iptables and vice versa. */
  command(name: string): CommandImpl | undefined {
    switch (name) {
      case 'cat':
        return (args, io) => this.cat(args, io);
      case 'ip':
        return (args, io) => this.ip(args, io);
      case 'nft':
        return this.nft ? (args, io) => runNft(this.nft!, args, io, this.nftJson) : undefined;
      case 'iptables':
        return this.ipt4 ? (args, io) => runIptables(this.ipt4!, args, io) : undefined;
      case 'ip6tables':
        return this.ipt6 ? (args, io) => runIptables(this.ipt6!, args, io) : undefined;
      default:
        return undefined;
    }
  }

  private cat(args: string[], io: Output): number {
    let status = 0;
    for (const path of args) {
      const content = this.readFile(path);
      if (content === null) {
        io.err(`cat: ${path}: No such file or directory\n`);
        status = 1;
      } else {
        io.out(content);
      }
    }
    return status;
  }

  private ip(args: string[], io: Output): number {
    const a = args.join(' ');
    if (a === '-6 neigh' || a === '-6 neigh show' || a === '-6 neighbour show') {
      io.out(this.ipNeigh6());
      return 0;
    }
    io.err(`Object "${args.find((x) => !x.startsWith('-')) ?? ''}" is unknown, try "ip help".\n`);
    return 1;
  }
}
