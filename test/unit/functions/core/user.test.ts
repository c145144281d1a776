import { describe, expect, it } from 'vitest';
import { footprint, seatDelta } from '#core/user.ts';
import { aUser } from '../../../support/users.ts';

const user = aUser;

describe('footprint', () => {
  it('counts each user in exactly one of active, blocked, exempt; pending only for licence waits', () => {
    expect(footprint(user())).toEqual({ active: 1, blocked: 0, pending: 0, exempt: 0 });
    expect(footprint(user({ exempt: true }))).toEqual({ active: 0, blocked: 0, pending: 0, exempt: 1 });
    expect(footprint(user({ state: 'blocked', blockedReason: 'admin' }))).toEqual({ active: 0, blocked: 1, pending: 0, exempt: 0 });
    expect(footprint(user({ state: 'blocked', blockedReason: 'license' }))).toEqual({ active: 0, blocked: 1, pending: 1, exempt: 0 });
    expect(footprint(user({ state: 'blocked', exempt: true, blockedReason: 'admin' }))).toEqual({
      active: 0,
      blocked: 1,
      pending: 0,
      exempt: 0,
    });
  });
});

describe('seatDelta', () => {
  it('create and delete add and remove the footprint', () => {
    expect([...seatDelta(undefined, user())]).toEqual([['primary', { active: 1, blocked: 0, pending: 0, exempt: 0 }]]);
    expect([...seatDelta(user(), undefined)]).toEqual([['primary', { active: -1, blocked: 0, pending: 0, exempt: 0 }]]);
  });

  it('a move touches both areas; a rename touches none', () => {
    expect(Object.fromEntries(seatDelta(user(), user({ area: 'extranet' })))).toEqual({
      primary: { active: -1, blocked: 0, pending: 0, exempt: 0 },
      extranet: { active: 1, blocked: 0, pending: 0, exempt: 0 },
    });
    expect(seatDelta(user(), user({ name: 'New' })).size).toBe(0);
  });

  it('activating a waiting user takes a seat and leaves the waiting list', () => {
    const waiting = user({ state: 'blocked', blockedReason: 'license' });
    expect(seatDelta(waiting, user()).get('primary')).toEqual({ active: 1, blocked: -1, pending: -1, exempt: 0 });
  });
});
