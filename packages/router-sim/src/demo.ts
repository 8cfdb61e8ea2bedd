import type { SimDevice } from './router';

/** The demo LAN: devices that stay, with DHCP names (and one without, one only in ARP). */
export const DEMO_DEVICES: SimDevice[] = [
  { mac: 'b8:27:eb:12:34:56', ip: '192.168.1.23', ipv6: 'fd00::23', hostname: 'raspberrypi' },
  { mac: '00:11:32:aa:bb:cc', ip: '192.168.1.5', hostname: 'nas' },
  { mac: 'dc:a6:32:01:02:03', ip: '192.168.1.40', hostname: 'octopi' },
  { mac: '7a:11:00:00:00:99', ip: '192.168.1.77', hostname: null },
  { mac: '3c:22:fb:aa:bb:cc', ip: '192.168.1.61', hostname: 'macbook', inLeases: false },
];

/** Devices that join and leave the demo LAN now and then, as phones and guests do. */
export const DEMO_VISITORS: SimDevice[] = [
  { mac: 'f0:99:b6:10:20:30', ip: '192.168.1.101', hostname: 'kids-tablet' },
  { mac: 'a4:83:e7:44:55:66', ip: '192.168.1.102', hostname: 'guest-phone' },
  { mac: '00:1a:11:77:88:99', ip: '192.168.1.103', hostname: 'living-room-tv' },
];

/**
 * Lets the visitors come and go on `sim` every `periodMs` (one change per tick, in a fixed
 * rotation, so the LAN is never empty of them for long). Returns a stop function.
 */
export function rotateVisitors(sim: { addDevice(d: SimDevice): void; removeDevice(mac: string): void }, periodMs = 30_000): () => void {
  const present = new Set<string>();
  sim.addDevice(DEMO_VISITORS[0]);
  present.add(DEMO_VISITORS[0].mac);
  let step = 1;
  const timer = setInterval(() => {
    const visitor = DEMO_VISITORS[step % DEMO_VISITORS.length];
    if (present.has(visitor.mac)) {
      sim.removeDevice(visitor.mac);
      present.delete(visitor.mac);
    } else {
      sim.addDevice(visitor);
      present.add(visitor.mac);
    }
    step++;
  }, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}
