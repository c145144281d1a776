/** GET /pending: the licence waiting list per area, oldest first, with positions, paged across areas. */
import { describe, expect, it } from 'vitest';
import { createUsersInBulk } from '#core/bulk.ts';
import { blockUser, createUser } from '#core/people.ts';
import { readAreas } from '#core/seatCounter.ts';
import { useLocalApi } from '../support/localApi.ts';
import { freshArea, uniqueEmail } from '../support/seats.ts';
import { useOwnTables } from './scimKit.ts';

useOwnTables('pending');
const api = useLocalApi();

/** `n` users waiting in a full area, in arrival order (CSV sync rows). */
async function waitingIn(area: string, n: number): Promise<string[]> {
  const outcomes = await createUsersInBulk(
    Array.from({ length: n }, (_, i) => ({ email: uniqueEmail(`w${i}`), area, source: 'sync' as const, directory: 'hr' })),
    'queue',
  );
  return outcomes.map((o) => (o as { user: { id: string } }).user.id);
}

describe('GET /pending', () => {
  it('lists each area oldest first with positions and pages across areas without an empty page', async () => {
    const first = await freshArea(0, 'a');
    const second = await freshArea(0, 'b');
    const firstIds = await waitingIn(first, 3);
    const secondIds = await waitingIn(second, 2);
    // Someone blocked by an admin is not waiting.
    const blocked = await createUser({ email: uniqueEmail(), area: second, source: 'api', exempt: true });
    await blockUser(blocked.id, 'admin');

    const pages: { area: string; position: number; userId: string; source: string }[][] = [];
    let cursor: string | null = null;
    do {
      const response: {
        status: number;
        body: { items: { area: string; position: number; userId: string; source: string }[]; nextCursor: string | null };
      } = await api('GET', `/pending?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor);
    const listed = pages.flat().filter((e) => e.area === first || e.area === second);
    expect(listed.map((e) => [e.area, e.position, e.userId])).toEqual([
      ...firstIds.map((id, i) => [first, i + 1, id]),
      ...secondIds.map((id, i) => [second, i + 1, id]),
    ]);
    expect(listed.every((e) => e.source === 'sync')).toBe(true);
    expect(pages.every((page) => page.length > 0)).toBe(true);
    const pendingTotal = (await readAreas()).reduce((sum, a) => sum + a.pending, 0);
    expect(pages.flat()).toHaveLength(pendingTotal);
  });

  it('filters by area, keeps positions across pages, and refuses bad queries', async () => {
    const area = await freshArea(0);
    const ids = await waitingIn(area, 5);
    const one = await api('GET', `/pending?area=${area}&limit=3`);
    expect(one.body.items.map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);
    const two = await api('GET', `/pending?area=${area}&limit=3&cursor=${one.body.nextCursor}`);
    expect(two.body).toEqual({
      items: ids
        .slice(3)
        .map((userId, i) =>
          expect.objectContaining({ area, userId, position: i + 4, since: expect.any(String), email: expect.any(String), directory: 'hr' }),
        ),
      nextCursor: null,
    });
    expect((await api('GET', '/pending?area=nowhere')).body.error.code).toBe('AREA_NOT_FOUND');
    expect((await api('GET', '/pending?cursor=garbage')).body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/cursor/),
    });
    expect((await api('GET', `/pending?area=${area}&cursor=${(await api('GET', '/pending?limit=1')).body.nextCursor}`)).status).toBe(400);
    expect((await api('GET', '/pending?limit=0')).status).toBe(400);
    expect((await api('GET', '/pending?sort=age')).status).toBe(400);
    expect((await api('GET', '/pending', { groups: ['license-admin'] })).status).toBe(403);
    expect((await api('GET', '/pending', { token: null })).status).toBe(401);
  });
});

describe('POST /pending/activate', () => {
  it('refuses a body it does not understand', async () => {
    expect((await api('POST', '/pending/activate', { body: { area: 'Not Valid' } })).status).toBe(400);
    expect((await api('POST', '/pending/activate', { body: { everything: true } })).status).toBe(400);
  });
});
