import { readFileSync } from 'node:fs';

/**
 * Vendor names from the offline IEEE OUI table shipped in `oui-data`
 * (a JSON map of 6 upper-case hex digits → multi-line "name\naddress\ncountry").
 * The 5.6 MB table is read on first use only, so processes that never scan never pay for it.
 */
let table: Record<string, string> | undefined;

function ouiTable(): Record<string, string> {
  if (!table) table = JSON.parse(readFileSync(require.resolve('oui-data'), 'utf8')) as Record<string, string>;
  return table;
}

/** The registered vendor of a MAC's OUI (first line of the IEEE entry), or null. */
export function vendorForMac(mac: string): string | null {
  const hex = mac.replace(/[:-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) return null;
  // Locally administered addresses (phones' private MACs) carry no vendor; the handful of
  // historic IEEE entries with that bit set would otherwise name random devices "3COM".
  if (parseInt(hex.slice(0, 2), 16) & 0x02) return null;
  const entry = ouiTable()[hex.slice(0, 6)];
  const name = entry?.split('\n')[0].trim();
  return name ? name : null;
}
