/** Licence administration: limits and transfers between areas. */
import { describe, expect, it } from 'vitest';
import { MAX_LIMIT, setAreaLimit, summary, transferSeats } from '#core/license.ts';
import { blockUser, createUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { SeatkeeperError } from '#core/errors.ts';
import { freshArea, uniqueEmail } from '../support/seats.ts';
import { beforeFirst } from '../support/sdkHooks.ts';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: unknown) => (e instanceof SeatkeeperError ? e.code : String(e)),
  );

describe('limits', () => {
  it('setting a limit creates a new area with free seats', async () => {
    const area = `new-${Date.now()}`;
    const { seats, created } = await setAreaLimit(area, 7);
    expect(created).toBe(true);
    expect(seats).toEqual({ area, limit: 7, active: 0, blocked: 0, pending: 0, exempt: 0, available: 7, refused: 0 });
  });

  it('raises and lowers a limit, never below the active count', async () => {
    const area = await freshArea(3);
    await createUser({ email: uniqueEmail(), area, source: 'api' });
    await createUser({ email: uniqueEmail(), area, source: 'api' });
    expect((await setAreaLimit(area, 10)).seats).toMatchObject({ limit: 10, available: 8 });
    expect((await setAreaLimit(area, 2)).seats).toMatchObject({ limit: 2, available: 0 });
    const error = await setAreaLimit(area, 1).catch((e: SeatkeeperError) => e);
    expect(error).toMatchObject({ code: 'LIMIT_BELOW_ACTIVE', details: { area, limit: 1, active: 2 } });
    expect(await readArea(area)).toMatchObject({ limit: 2, active: 2, available: 0 });
  });

  it('answers the counters as stored, even when a create lands between its read and its write', async () => {
    const area = await freshArea(10);
    const create = beforeFirst('UpdateItemCommand', () => createUser({ email: uniqueEmail(), area, source: 'api' }));
    const { seats } = await setAreaLimit(area, 12).finally(create.remove);
    expect(create.ran()).toBe(true);
    expect(seats).toMatchObject({ limit: 12, active: 1, available: 11 });
    expect(seats).toEqual(await readArea(area));
  });

  it('a create landing between the read and the write of a lowered limit is seen: the lower limit is refused', async () => {
    const area = await freshArea(3);
    await createUser({ email: uniqueEmail(), area, source: 'api' });
    const create = beforeFirst('UpdateItemCommand', () => createUser({ email: uniqueEmail(), area, source: 'api' }));
    const error = await setAreaLimit(area, 1)
      .catch((e: SeatkeeperError) => e)
      .finally(create.remove);
    expect(create.ran()).toBe(true);
    expect(error).toMatchObject({ code: 'LIMIT_BELOW_ACTIVE', details: { area, limit: 1, active: 2 } });
    expect(await readArea(area)).toMatchObject({ limit: 3, active: 2, available: 1 });
  });

  it('a lowered limit races safely with creates: active never exceeds the final limit', async () => {
    const area = await freshArea(20);
    const creates = Array.from({ length: 20 }, () => codeOf(createUser({ email: uniqueEmail(), area, source: 'api' })));
    const lowered = codeOf(setAreaLimit(area, 5));
    await Promise.all([...creates, lowered]);
    const seats = (await readArea(area))!;
    expect(seats.active).toBeLessThanOrEqual(seats.limit);
    expect(seats.available).toBe(seats.limit - seats.active);
  });
});

describe('transfers', () => {
  it('moves free seats from one area to another atomically', async () => {
    const from = await freshArea(5);
    const to = await freshArea(1);
    const [source, target] = await transferSeats(from, to, 3);
    expect(source).toMatchObject({ area: from, limit: 2, available: 2 });
    expect(target).toMatchObject({ area: to, limit: 4, available: 4 });
  });

  it('refuses to move seats that are in use, and changes nothing', async () => {
    const from = await freshArea(2);
    const to = await freshArea(0);
    await createUser({ email: uniqueEmail(), area: from, source: 'api' });
    const error = await transferSeats(from, to, 2).catch((e: SeatkeeperError) => e);
    expect(error).toMatchObject({ code: 'NOT_ENOUGH_FREE_SEATS', details: { area: from, requested: 2, available: 1 } });
    expect(await readArea(from)).toMatchObject({ limit: 2 });
    expect(await readArea(to)).toMatchObject({ limit: 0 });
  });

  it('refuses unknown areas and a transfer to the same area', async () => {
    const area = await freshArea(2);
    expect(await codeOf(transferSeats('nowhere', area, 1))).toBe('AREA_NOT_FOUND');
    expect(await codeOf(transferSeats(area, 'nowhere', 1))).toBe('AREA_NOT_FOUND');
    expect(await codeOf(transferSeats(area, area, 1))).toBe('INVALID_REQUEST');
    expect(await readArea(area)).toMatchObject({ limit: 2, available: 2 });
  });

  it('refuses to take an area past the largest limit a PUT accepts, moving nothing', async () => {
    const from = await freshArea(10);
    const to = await freshArea(MAX_LIMIT - 3);
    const error = await transferSeats(from, to, 4).catch((e: SeatkeeperError) => e);
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(`more than ${MAX_LIMIT} seats`),
      details: { in: 'body', issues: [{ field: 'seats' }], area: to, max: MAX_LIMIT },
    });
    expect(await readArea(from)).toMatchObject({ limit: 10 });
    expect((await transferSeats(from, to, 3))[1]).toMatchObject({ limit: MAX_LIMIT });
  });
});

describe('summary', () => {
  it('reports every area from its counters, with totals', async () => {
    const area = await freshArea(4);
    await createUser({ email: uniqueEmail(), area, source: 'api' });
    await blockUser((await createUser({ email: uniqueEmail(), area, source: 'api' })).id);
    await createUser({ email: uniqueEmail(), area, source: 'api', exempt: true });
    const { areas, totals } = await summary();
    expect(areas.find((a) => a.area === area)).toEqual({
      area,
      limit: 4,
      active: 1,
      blocked: 1,
      pending: 0,
      exempt: 1,
      available: 3,
      refused: 0,
    });
    expect(totals.active).toBe(areas.reduce((sum, a) => sum + a.active, 0));
    expect(totals.limit).toBe(areas.reduce((sum, a) => sum + a.limit, 0));
  });
});

describe('refusals', () => {
  it('are counted per area while it stays full, and reset when a seat frees', async () => {
    const area = await freshArea(1);
    const first = await createUser({ email: uniqueEmail(), area, source: 'api' });
    for (let i = 0; i < 3; i++) expect(await codeOf(createUser({ email: uniqueEmail(), area, source: 'api' }))).toBe('SEAT_LIMIT_REACHED');
    expect(await readArea(area)).toMatchObject({ refused: 3 });
    expect((await summary()).areas.find((a) => a.area === area)).toMatchObject({ refused: 3 });
    await blockUser(first.id);
    expect(await readArea(area)).toMatchObject({ refused: 0, available: 1 });
  });

  it('reset when the limit is raised', async () => {
    const area = await freshArea(0);
    expect(await codeOf(createUser({ email: uniqueEmail(), area, source: 'api' }))).toBe('SEAT_LIMIT_REACHED');
    expect(await readArea(area)).toMatchObject({ refused: 1 });
    // The answer says what was written.
    expect((await setAreaLimit(area, 1)).seats).toMatchObject({ limit: 1, refused: 0 });
    expect(await readArea(area)).toMatchObject({ refused: 0 });
  });
});
