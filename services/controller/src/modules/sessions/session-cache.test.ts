import { SessionCache } from './session-cache';
import type { ActiveSession } from './sessions.repository';

const active = (id: string, userId = 'u1') =>
  ({ session: { id, userId }, user: { id: userId, username: 'ann', role: 'user', disabled: false } }) as unknown as ActiveSession;

describe('SessionCache', () => {
  test('when an entry is older than the TTL, then it is gone', () => {
    let now = 1000;
    const cache = new SessionCache(5000, 10, () => now);
    cache.set('s1', active('s1'));
    now += 4999;
    expect(cache.get('s1')).toBeDefined();
    now += 1;
    expect(cache.get('s1')).toBeUndefined();
  });

  test('when a session or a user is invalidated, then their entries are gone at once', () => {
    const cache = new SessionCache(5000);
    cache.set('s1', active('s1', 'u1'));
    cache.set('s2', active('s2', 'u2'));
    cache.set('s3', active('s3', 'u2'));
    cache.invalidate(['s1']);
    expect(cache.get('s1')).toBeUndefined();
    cache.invalidateUser('u2');
    expect(cache.get('s2')).toBeUndefined();
    expect(cache.get('s3')).toBeUndefined();
  });

  test('when the TTL is 0, then nothing is cached', () => {
    const cache = new SessionCache(0);
    cache.set('s1', active('s1'));
    expect(cache.get('s1')).toBeUndefined();
  });

  test('when full, then the oldest entry is evicted first', () => {
    const cache = new SessionCache(5000, 2);
    cache.set('a', active('a'));
    cache.set('b', active('b'));
    cache.set('c', active('c'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });
});
