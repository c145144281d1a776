/** Test helpers that read the tables directly, to check what the code under test wrote. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { setAreaLimit } from '#core/license.ts';
import { readArea, type AreaSeats } from '#core/seatCounter.ts';
import { areaItems } from '#core/areaIndex.ts';
import { ZERO_COUNTS, fromItem, type SeatCounts, type User } from '#core/user.ts';

/** A new area with a unique name, so test files and tests never share counters. */
export async function freshArea(limit: number, prefix = 't'): Promise<string> {
  const area = `${prefix}-${randomUUID().slice(0, 8)}`;
  await setAreaLimit(area, limit);
  return area;
}

export const uniqueEmail = (name = 'user') => `${name}.${randomUUID().slice(0, 8)}@example.com`;

export async function usersInArea(area: string): Promise<User[]> {
  const users: User[] = [];
  for await (const item of areaItems([area])) users.push(fromItem(item).user);
  return users;
}

/**
 * Counts the user items the way the counters should (DESIGN §1), by this file's own reading of the
 * rules rather than core's footprint(), and checks each item's index key agrees with its state.
 */
export async function countedFromUsers(area: string): Promise<SeatCounts> {
  const counts = { ...ZERO_COUNTS };
  for await (const item of areaItems([area])) {
    const { state, exempt, blockedReason, areaStateKey } = item as {
      state: string;
      exempt: boolean;
      blockedReason?: string;
      areaStateKey: string;
    };
    expect(
      areaStateKey.startsWith(state === 'active' ? 'active#' : `blocked#${blockedReason}#`),
      `${item.pk as string}: ${areaStateKey} for ${state}`,
    ).toBe(true);
    if (state === 'blocked') {
      counts.blocked++;
      if (blockedReason === 'license') counts.pending++;
    } else if (exempt) counts.exempt++;
    else counts.active++;
  }
  return counts;
}

/** Reads the counters and the users and returns both, for one `expect(...).toEqual` on the invariant. */
export async function invariantView(
  area: string,
): Promise<{ counters: SeatCounts & { available: number }; users: SeatCounts & { available: number } }> {
  const seats = (await readArea(area)) as AreaSeats;
  const users = await countedFromUsers(area);
  return {
    counters: { active: seats.active, blocked: seats.blocked, pending: seats.pending, exempt: seats.exempt, available: seats.available },
    users: { ...users, available: seats.limit - users.active },
  };
}

/** The invariant of DESIGN §1 for one area: counters equal the users they count, and active ≤ limit. */
export async function expectInvariant(area: string): Promise<void> {
  const view = await invariantView(area);
  expect(view.counters).toEqual(view.users);
  const seats = (await readArea(area))!;
  expect(seats.active).toBeLessThanOrEqual(seats.limit);
}
