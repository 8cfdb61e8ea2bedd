import type { BlockEntity } from '../blocks/block.entity';
import type { ScheduleEntity } from '../schedules/schedule.entity';
import { desiredState } from './desired-state';

const block = (over: Partial<BlockEntity>): BlockEntity =>
  ({ id: 'b1', routerId: 'r', kind: 'mac', value: 'aa:bb:cc:00:00:01', reason: null, status: 'applied', expiresAt: null, lastErrorCode: null, lastError: null, ...over }) as BlockEntity;
const schedule = (over: Partial<ScheduleEntity>): ScheduleEntity =>
  ({ id: 's1', routerId: 'r', kind: 'mac', value: 'aa:bb:cc:00:00:01', label: 'Bedtime', enabled: true, windows: [{ days: ['mon'], start: '21:00', end: '07:00' }], ...over }) as ScheduleEntity;

// Monday 2 March 2026 in UTC: 22:00 is inside the window, 12:00 outside.
const night = new Date('2026-03-02T22:00:00Z');
const noon = new Date('2026-03-02T12:00:00Z');

describe("the reconciler's wanted set", () => {
  test('when a schedule window is open and a manual block holds the same address, then both hold it', () => {
    const { wanted } = desiredState([block({})], [schedule({})], 'UTC', night);
    expect(wanted.get('mac:aa:bb:cc:00:00:01')?.block?.id).toBe('b1');
    expect(wanted.get('mac:aa:bb:cc:00:00:01')?.schedules.map((s) => s.id)).toEqual(['s1']);
  });

  test('when the window is closed, then the manual block alone holds the address, and the schedule is idle for it', () => {
    const state = desiredState([block({})], [schedule({})], 'UTC', noon);
    expect(state.wanted.get('mac:aa:bb:cc:00:00:01')).toEqual({ block: expect.objectContaining({ id: 'b1' }), schedules: [] });
    expect(state.idle.get('mac:aa:bb:cc:00:00:01')?.map((s) => s.id)).toEqual(['s1']);
  });

  test('when a schedule is paused, then it wants nothing, even inside its window, and is idle for its address', () => {
    const state = desiredState([], [schedule({ enabled: false })], 'UTC', night);
    expect(state.wanted.size).toBe(0);
    expect(state.idle.get('mac:aa:bb:cc:00:00:01')?.map((s) => s.id)).toEqual(['s1']);
  });

  test('when a temporary block is past its end or a block is being removed, then it leaves, unless a window holds its address', () => {
    const ended = block({ id: 'b2', value: 'aa:bb:cc:00:00:02', expiresAt: new Date(night.getTime() - 1) });
    const removing = block({ id: 'b3', value: 'aa:bb:cc:00:00:03', status: 'removing' });
    const running = block({ id: 'b4', value: 'aa:bb:cc:00:00:04', expiresAt: new Date(night.getTime() + 60_000) });
    const state = desiredState([ended, removing, running], [schedule({ value: 'aa:bb:cc:00:00:03' })], 'UTC', night);
    expect([...state.leaving.keys()].sort()).toEqual(['mac:aa:bb:cc:00:00:02', 'mac:aa:bb:cc:00:00:03']);
    expect([...state.wanted.keys()].sort()).toEqual(['mac:aa:bb:cc:00:00:03', 'mac:aa:bb:cc:00:00:04']);
    expect(state.wanted.get('mac:aa:bb:cc:00:00:03')?.block).toBeNull();
  });
});
