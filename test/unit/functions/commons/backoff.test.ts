/** Back-off between attempts (functions/commons/backoff.ts): doubling from a base, capped, with full jitter unless asked not to. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs } from '../../../../functions/commons/backoff.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('backoffMs', () => {
  it('doubles from the base each attempt, up to the cap', () => {
    const steady = (attempt: number) => backoffMs(attempt, { baseMs: 50, capMs: 2000, jitter: false });
    expect([0, 1, 2, 3, 4, 5, 6].map(steady)).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
    expect(backoffMs(40, { baseMs: 10, jitter: false })).toBe(10 * 2 ** 40);
  });

  it('waits a random share of that with jitter, never more', () => {
    vi.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.5).mockReturnValueOnce(0.999);
    expect([3, 3, 3].map((attempt) => backoffMs(attempt, { baseMs: 10, capMs: 1000 }))).toEqual([0, 40, 79.92]);
  });
});
