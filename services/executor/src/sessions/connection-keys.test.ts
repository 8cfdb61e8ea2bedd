import type { RouterTarget } from '@netpilot/contracts';
import { routerConnectionKey } from './connection-keys';

const router: RouterTarget = { id: 'r1', host: '192.0.2.1', port: 22, username: 'root', password: 'pw', platform: 'linux-nft' };

describe('routerConnectionKey', () => {
  it('when only the pinned key is added, then the key stays the same (pinning keeps the connection)', () => {
    expect(routerConnectionKey({ ...router, hostKeySha256: 'SHA256:' + 'a'.repeat(43) })).toBe(routerConnectionKey(router));
  });

  it.each([
    ['password', { password: 'other' }],
    ['key instead of password', { password: undefined, privateKey: 'k' }],
    ['host', { host: '192.0.2.2' }],
    ['port', { port: 2222 }],
    ['username', { username: 'admin' }],
    ['platform', { platform: 'linux-iptables' as const }],
    ['jump host', { jumpHost: { host: '192.0.2.9', port: 22, username: 'j', password: 'p' } }],
  ])('when the %s changes, then the key changes', (_what, change) => {
    expect(routerConnectionKey({ ...router, ...change })).not.toBe(routerConnectionKey(router));
  });

  it('when the key is built, then it does not contain the password', () => {
    expect(routerConnectionKey({ ...router, password: 'hunter2-visible?' })).not.toContain('hunter2');
  });
});
