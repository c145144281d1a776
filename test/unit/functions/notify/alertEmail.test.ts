import { describe, expect, it } from 'vitest';
import { alertEmail } from '../../../../functions/notify/alertEmail.ts';
import type { AreaSeats } from '#core/seatCounter.ts';

const seats = (active: number, limit: number): AreaSeats => ({
  area: 'pct',
  limit,
  active,
  available: limit - active,
  blocked: 0,
  pending: 0,
  exempt: 0,
  refused: 0,
});
const at = new Date('2026-12-01T00:00:00Z');

describe('alert email usage figure', () => {
  it('says 100% only when the area is full: 199 of 200 is 99%, with one seat left', () => {
    const warning = alertEmail('warning', seats(199, 200), { at });
    expect(warning.subject).toBe('Seatkeeper: area "pct" is at 99% of its licence limit (199 of 200)');
    expect(warning.text).toContain('(99%). 1 seat left');
    expect(warning.text).toContain('[###################-] 99%');
    expect(warning.html).toContain('width:99%');
    expect(alertEmail('full', seats(200, 200), { at }).text).toContain('[####################] 100%');
  });
});
