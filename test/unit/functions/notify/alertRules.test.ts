/**
 * When an area's counters call for an alert (functions/notify/alertRules.ts):
 * each level fires once when crossed upwards and re-arms when left, the early
 * warning sits below the limit, a limit of 0 never alerts, and refusals in a
 * full area ask for a reminder.
 */
import { describe, expect, it } from 'vitest';
import type { AreaSeats } from '#core/seatCounter.ts';
import { alertDecisions } from '../../../../functions/notify/alertRules.ts';

const seats = (counts: Partial<AreaSeats>): AreaSeats => {
  const limit = counts.limit ?? 10;
  const active = counts.active ?? 0;
  return { area: 'extranet', limit, active, blocked: 0, pending: 0, exempt: 0, refused: 0, available: limit - active, ...counts };
};

describe('alert decisions', () => {
  it('fire the limit alert when the last seat is taken, and say nothing while it stays full', () => {
    expect(alertDecisions(seats({ active: 9 }), seats({ active: 10 }), 0.9)).toEqual([{ action: 'fire', kind: 'full', send: true }]);
    expect(alertDecisions(seats({ active: 10 }), seats({ active: 10, blocked: 1 }), 0.9)).toEqual([]);
  });

  it('re-arm a level when usage falls below it', () => {
    expect(alertDecisions(seats({ active: 10 }), seats({ active: 9 }), 0.9)).toEqual([{ action: 'rearm', kind: 'full' }]);
    expect(alertDecisions(seats({ active: 9 }), seats({ active: 8 }), 0.9)).toEqual([{ action: 'rearm', kind: 'warning' }]);
  });

  it('fire the early warning at the share of the limit, rounded up', () => {
    expect(alertDecisions(seats({ limit: 100, active: 89 }), seats({ limit: 100, active: 90 }), 0.9)).toEqual([
      { action: 'fire', kind: 'warning', send: true },
    ]);
    expect(alertDecisions(seats({ limit: 100, active: 79 }), seats({ limit: 100, active: 80 }), 0.8)).toEqual([
      { action: 'fire', kind: 'warning', send: true },
    ]);
    expect(alertDecisions(seats({ limit: 100, active: 88 }), seats({ limit: 100, active: 89 }), 0.9)).toEqual([]);
  });

  it('warn a small area one seat before it is full, where the share would only be reached when full', () => {
    expect(alertDecisions(seats({ limit: 5, active: 3 }), seats({ limit: 5, active: 4 }), 0.9)).toEqual([
      { action: 'fire', kind: 'warning', send: true },
    ]);
    // An area of one seat: the warning and the limit are the same seat; only the limit alert is sent.
    expect(alertDecisions(seats({ limit: 1, active: 0 }), seats({ limit: 1, active: 1 }), 0.9)).toEqual([
      { action: 'fire', kind: 'full', send: true },
      { action: 'fire', kind: 'warning', send: false },
    ]);
  });

  it('never warn an empty area, and with a share of 1 warn only when full (the warning is then the limit alert)', () => {
    expect(alertDecisions(seats({ limit: 1, active: 0, blocked: 1 }), seats({ limit: 1, active: 0, blocked: 2 }), 0.1)).toEqual([]);
    expect(alertDecisions(seats({ active: 8 }), seats({ active: 9 }), 1)).toEqual([]);
    expect(alertDecisions(seats({ active: 9 }), seats({ active: 10 }), 1)).toEqual([
      { action: 'fire', kind: 'full', send: true },
      { action: 'fire', kind: 'warning', send: false },
    ]);
  });

  it('claim the warning without sending it when one change jumps past it to full', () => {
    expect(alertDecisions(seats({ active: 5 }), seats({ active: 10 }), 0.9)).toEqual([
      { action: 'fire', kind: 'full', send: true },
      { action: 'fire', kind: 'warning', send: false },
    ]);
  });

  it('never alert an area with a limit of 0: it is closed on purpose', () => {
    expect(alertDecisions(seats({ limit: 1, active: 1 }), seats({ limit: 0, active: 0 }), 0.9)).toEqual([
      { action: 'rearm', kind: 'full' },
      { action: 'rearm', kind: 'warning' },
    ]);
    expect(alertDecisions(seats({ limit: 0 }), seats({ limit: 0, refused: 3 }), 0.9)).toEqual([]);
  });

  it('fire the waiting alert when the first user starts waiting, and re-arm it when nobody waits', () => {
    expect(alertDecisions(seats({ active: 10 }), seats({ active: 10, pending: 1 }), 0.9)).toEqual([
      { action: 'fire', kind: 'pending', send: true },
    ]);
    expect(alertDecisions(seats({ active: 10, pending: 1 }), seats({ active: 10, pending: 2 }), 0.9)).toEqual([]);
    expect(alertDecisions(seats({ active: 10, pending: 1 }), seats({ active: 10 }), 0.9)).toEqual([{ action: 'rearm', kind: 'pending' }]);
  });

  it('ask for a reminder when refusals go on in a full area, but not in the change that fills it', () => {
    expect(alertDecisions(seats({ active: 10, refused: 1 }), seats({ active: 10, refused: 2 }), 0.9)).toEqual([
      { action: 'remind', kind: 'reminder' },
    ]);
    expect(alertDecisions(seats({ active: 9 }), seats({ active: 10, refused: 1 }), 0.9)).toEqual([
      { action: 'fire', kind: 'full', send: true },
    ]);
    expect(alertDecisions(seats({ active: 8, refused: 1 }), seats({ active: 8, refused: 2 }), 0.9)).toEqual([]);
  });

  it('treat an area created or removed as coming from, or going to, nothing', () => {
    expect(alertDecisions(undefined, seats({ limit: 0 }), 0.9)).toEqual([]);
    expect(alertDecisions(undefined, seats({ limit: 1, active: 1 }), 0.9)).toEqual([
      { action: 'fire', kind: 'full', send: true },
      { action: 'fire', kind: 'warning', send: false },
    ]);
    expect(alertDecisions(seats({ active: 10, pending: 2 }), undefined, 0.9)).toEqual([
      { action: 'rearm', kind: 'full' },
      { action: 'rearm', kind: 'warning' },
      { action: 'rearm', kind: 'pending' },
    ]);
  });
});
