import { canonicalJson, computeAuditHash, GENESIS_HASH, normaliseDetails, routerIdOf, type HashedAuditFields } from './audit-hash';

const row: HashedAuditFields = {
  id: '1',
  at: new Date('2030-01-02T03:04:05.678Z'),
  actorUserId: '6f1c1d2e-9d55-4b8e-8a41-0c7f4f2b3a10',
  actorIp: '10.0.0.7',
  action: 'auth.login',
  targetType: 'user',
  targetId: '6f1c1d2e-9d55-4b8e-8a41-0c7f4f2b3a10',
  outcome: 'success',
  details: { b: 1, a: { d: [1, 2], c: 'x' } },
  prevHash: GENESIS_HASH,
};

describe('audit hash', () => {
  test('when keys are in another order, then the canonical text is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 })).toBe(canonicalJson(row.details));
  });

  test('when undefined members are present, then they are dropped as JSON drops them', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  test('when the row is unchanged, then its hash is stable and 64 hex digits', () => {
    expect(computeAuditHash(row)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash({ ...row, details: { a: { c: 'x', d: [1, 2] }, b: 1 } })).toBe(computeAuditHash(row));
  });

  test.each([
    ['id', { id: '2' }],
    ['at', { at: new Date('2030-01-02T03:04:05.679Z') }],
    ['actor', { actorUserId: null }],
    ['ip', { actorIp: '10.0.0.8' }],
    ['action', { action: 'auth.logout' }],
    ['target type', { targetType: 'router' }],
    ['target id', { targetId: 'x' }],
    ['outcome', { outcome: 'failure' as const }],
    ['details', { details: { b: 2, a: { d: [1, 2], c: 'x' } } }],
    ['previous hash', { prevHash: 'f'.repeat(64) }],
  ])('when the %s changes, then the hash changes', (_name, change) => {
    expect(computeAuditHash({ ...row, ...change })).not.toBe(computeAuditHash(row));
  });

  test('when details hold NUL characters or dates, then they are normalised to what jsonb keeps', () => {
    expect(normaliseDetails({ s: 'a\u0000b', d: new Date('2030-01-01T00:00:00Z') as unknown })).toEqual({
      d: '2030-01-01T00:00:00.000Z',
      s: 'a\ufffdb',
    });
  });

  test('when a row is about a router, then its router is the target, else details.routerId, lower case; anything else is none', () => {
    const id = '6F1C1D2E-9D55-4B8E-8A41-0C7F4F2B3A10';
    const other = '11111111-2222-4333-8444-555555555555';
    expect(routerIdOf({ targetType: 'router', targetId: id, details: { routerId: other } })).toBe(id.toLowerCase());
    expect(routerIdOf({ targetType: 'block', targetId: 'b', details: { routerId: other } })).toBe(other);
    expect(routerIdOf({ targetType: 'router', targetId: 'not-a-uuid', details: { routerId: other } })).toBe(other);
    expect(routerIdOf({ targetType: 'user', targetId: id, details: {} })).toBeNull();
    expect(routerIdOf({ targetType: null, targetId: null, details: { routerId: 42 } })).toBeNull();
    expect(routerIdOf({ targetType: null, targetId: null, details: { routerId: `${other}\n` } })).toBeNull();
  });
});
