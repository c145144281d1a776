/**
 * The licence rules on what directories push through SCIM: a create in a full
 * area waits (201, active:false) on the waiting list, which moves oldest first
 * by the scheduled activation run, POST /pending/activate, or an active:true
 * from the provider; admin blocks stand; concurrent providers never exceed a limit.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getUser, updateUser } from '#core/people.ts';
import { provisionUser, reconcileUser } from '../../functions/scim/provisioning.ts';
import { readArea } from '#core/seatCounter.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { useLocalApi } from '../support/localApi.ts';
import { freshArea, expectInvariant, uniqueEmail } from '../support/seats.ts';
import { ENTERPRISE, SEATKEEPER, connectProvider, patchBody, useOwnTables, userResource, type Provider } from './scimKit.ts';

useOwnTables('scim-licence');
const api = useLocalApi();

let okta: Provider;
const provider = async () => (okta ??= await connectProvider(api, 'okta'));

/** Creates users in order (each a separate request, so arrival order is defined). */
async function createInOrder(scim: Provider, area: string, n: number): Promise<{ id: string; active: boolean }[]> {
  const users: { id: string; active: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const response = await scim('POST', '/Users', userResource(area));
    expect(response.status).toBe(201);
    users.push({ id: response.body.id, active: response.body.active });
  }
  return users;
}

/** The scheduled run exactly as EventBridge invokes it (events/activation.json). */
async function scheduledRun() {
  const handler = await loadHandler('activation');
  const event: unknown = JSON.parse(readFileSync('events/activation.json', 'utf8'));
  return (await handler(event, lambdaContext('activation'))) as {
    activated: number;
    areas: { area: string; activated: string[]; pending: number }[];
  };
}

describe('create when the area is full', () => {
  it('201 with active:false; the account waits (blocked, reason license) and GET /pending shows it', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const [first, waiting] = await createInOrder(scim, area, 2);
    expect(first!.active).toBe(true);
    expect(waiting!.active).toBe(false);
    expect(await getUser(waiting!.id)).toMatchObject({
      state: 'blocked',
      blockedReason: 'license',
      source: 'scim',
      directory: scim.directory,
      pendingSince: expect.any(String),
    });
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 1, pending: 1, refused: 1 });
    const pending = await api('GET', `/pending?area=${area}`);
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({
      items: [
        {
          area,
          position: 1,
          since: expect.any(String),
          userId: waiting!.id,
          email: expect.any(String),
          name: 'Ada Lovelace',
          source: 'scim',
          directory: scim.directory,
        },
      ],
      nextCursor: null,
    });
    await expectInvariant(area);
  });

  it('active:true again while still full leaves it waiting and answers active:false (the provider retries next cycle)', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const [, waiting] = await createInOrder(scim, area, 2);
    const patch = await scim('PATCH', `/Users/${waiting!.id}`, patchBody({ op: 'replace', value: { active: true } }));
    expect(patch.status).toBe(200);
    expect(patch.body.active).toBe(false);
    const put = await scim('PUT', `/Users/${waiting!.id}`, { ...(await scim('GET', `/Users/${waiting!.id}`)).body, active: true });
    expect(put.status).toBe(200);
    expect(put.body.active).toBe(false);
    expect(await getUser(waiting!.id)).toMatchObject({ blockedReason: 'license' });
    await expectInvariant(area);
  });

  it('active:true after a seat frees activates the oldest waiting user first', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const [holder, older, newer] = await createInOrder(scim, area, 3);
    await scim('PATCH', `/Users/${holder!.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }));
    // The newer one asks; the older one gets the seat, and the newer one keeps waiting.
    const asked = await scim('PATCH', `/Users/${newer!.id}`, patchBody({ op: 'Replace', path: 'active', value: 'True' }));
    expect(asked.body.active).toBe(false);
    expect((await getUser(older!.id)).state).toBe('active');
    expect((await getUser(newer!.id)).blockedReason).toBe('license');
    await expectInvariant(area);
  });

  it('a new account does not take a seat freed while others wait: it queues, and the list moves oldest first', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const [, waiter] = await createInOrder(scim, area, 2);
    // One seat more: the waiter's, not the next newcomer's.
    expect((await api('PUT', `/license/areas/${area}`, { groups: ['license-admin'], body: { limit: 2 } })).status).toBe(200);
    const [newcomer] = await createInOrder(scim, area, 1);
    expect(newcomer!.active).toBe(false);
    expect((await getUser(waiter!.id)).state).toBe('active');
    expect(await getUser(newcomer!.id)).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    // With two seats freed, the newcomer is served right after the waiter, in the same request.
    expect((await api('PUT', `/license/areas/${area}`, { groups: ['license-admin'], body: { limit: 4 } })).status).toBe(200);
    const [late1, late2] = await createInOrder(scim, area, 2);
    expect((await getUser(newcomer!.id)).state).toBe('active');
    expect(late1!.active).toBe(true);
    expect(late2!.active).toBe(false);
    expect(await readArea(area)).toMatchObject({ active: 4, pending: 1 });
    await expectInvariant(area);
  });

  it('a create with active:false takes no seat and does not wait', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const response = await scim('POST', '/Users', userResource(area, { active: false }));
    expect(response.status).toBe(201);
    expect(response.body.active).toBe(false);
    expect(await getUser(response.body.id)).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1, pending: 0 });
  });
});

describe('activation', () => {
  it('the scheduled run activates the oldest waiting users while seats are free', async () => {
    const scim = await provider();
    const area = await freshArea(2);
    const [a, b, w1, w2, w3] = await createInOrder(scim, area, 5);
    expect([w1, w2, w3].map((u) => u!.active)).toEqual([false, false, false]);
    // The directory deletes one and deactivates another: two seats free, and nobody re-sends the waiting users.
    expect((await scim('DELETE', `/Users/${a!.id}`)).status).toBe(204);
    await scim('PATCH', `/Users/${b!.id}`, patchBody({ op: 'replace', value: { active: false } }));

    const summary = await scheduledRun();
    expect(summary.areas.find((r) => r.area === area)).toEqual({ area, activated: [w1!.id, w2!.id], pending: 1, available: 0 });
    for (const [user, active] of [
      [w1, true],
      [w2, true],
      [w3, false],
    ] as const) {
      expect((await scim('GET', `/Users/${user!.id}`)).body.active).toBe(active);
    }
    expect((await api('GET', `/pending?area=${area}`)).body.items).toEqual([expect.objectContaining({ userId: w3!.id, position: 1 })]);
    // Nothing more to do: a second run changes nothing.
    expect((await scheduledRun()).areas.find((r) => r.area === area)?.activated).toEqual([]);
    await expectInvariant(area);
  });

  it('POST /pending/activate runs it now, for one area or all; people-admin only', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const untouched = await freshArea(1);
    const [holder, waiting] = await createInOrder(scim, area, 2);
    const [otherHolder, otherWaiting] = await createInOrder(scim, untouched, 2);
    await api('POST', `/users/${holder!.id}/block`);
    await api('POST', `/users/${otherHolder!.id}/block`);

    expect((await api('POST', '/pending/activate', { groups: ['license-admin'], body: { area } })).status).toBe(403);
    expect((await api('POST', '/pending/activate', { body: { area: 'no-such-area' } })).status).toBe(404);
    const one = await api('POST', '/pending/activate', { body: { area } });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ activated: 1, areas: [{ area, activated: [waiting!.id], pending: 0, available: 0 }] });
    expect((await getUser(otherWaiting!.id)).state).toBe('blocked');

    const all = await api('POST', '/pending/activate');
    expect(all.status).toBe(200);
    expect(all.body.areas).toContainEqual({ area: untouched, activated: [otherWaiting!.id], pending: 0, available: 0 });
    expect((await getUser(otherWaiting!.id)).state).toBe('active');
    // The area asked for is answered even when nobody waits there.
    expect((await api('POST', '/pending/activate', { body: { area } })).body).toEqual({
      activated: 0,
      areas: [{ area, activated: [], pending: 0, available: 0 }],
    });
    await expectInvariant(area);
    await expectInvariant(untouched);
  });

  it('POST /pending/activate gives one freed seat to the oldest waiting user; the newer one moves up to position 1', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const [holder, older, newer] = await createInOrder(scim, area, 3);
    expect([older!.active, newer!.active]).toEqual([false, false]);
    expect((await api('POST', `/users/${holder!.id}/block`)).status).toBe(200);

    const run = await api('POST', '/pending/activate', { body: { area } });
    expect(run.body).toEqual({ activated: 1, areas: [{ area, activated: [older!.id], pending: 1, available: 0 }] });
    expect((await getUser(older!.id)).state).toBe('active');
    expect((await api('GET', `/pending?area=${area}`)).body.items).toEqual([expect.objectContaining({ userId: newer!.id, position: 1 })]);
    await expectInvariant(area);
  });

  it('a user the directory deactivated joins the end of the waiting list when it asks again in a full area', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const [x, waiting] = await createInOrder(scim, area, 2);
    await scim('PATCH', `/Users/${x!.id}`, patchBody({ op: 'replace', value: { active: false } }));
    await scheduledRun();
    expect((await getUser(waiting!.id)).state).toBe('active');
    // x comes back: the area is full again, so x waits at the end.
    const back = await scim('PATCH', `/Users/${x!.id}`, patchBody({ op: 'replace', value: { active: true } }));
    expect(back.body.active).toBe(false);
    expect(await getUser(x!.id)).toMatchObject({ blockedReason: 'license' });
    await scim('DELETE', `/Users/${waiting!.id}`);
    await scheduledRun();
    expect((await getUser(x!.id)).state).toBe('active');
    await expectInvariant(area);
  });
});

describe('admin blocks stand', () => {
  it('an account a Seatkeeper admin blocked stays blocked whatever the provider sends, and the run skips it', async () => {
    const scim = await provider();
    const area = await freshArea(3);
    const [user] = await createInOrder(scim, area, 1);
    expect((await api('POST', `/users/${user!.id}/block`)).body.user.blockedReason).toBe('admin');

    const patched = await scim('PATCH', `/Users/${user!.id}`, patchBody({ op: 'Replace', path: 'active', value: 'True' }));
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    const current = (await scim('GET', `/Users/${user!.id}`)).body;
    expect((await scim('PUT', `/Users/${user!.id}`, { ...current, active: true })).body.active).toBe(false);
    expect((await scim('PATCH', `/Users/${user!.id}`, patchBody({ op: 'replace', value: { active: false } }))).status).toBe(200);
    await scheduledRun();
    await api('POST', '/pending/activate', { body: { area } });
    expect(await getUser(user!.id)).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    // Only the admin lifts it.
    expect((await api('POST', `/users/${user!.id}/unblock`)).body.user.state).toBe('active');
    await expectInvariant(area);
  });

  it('a provider request built on the user as read before an admin edit does not revert that edit', async () => {
    const area = await freshArea(2);
    const fields = { email: uniqueEmail(), name: 'From Okta', givenName: '', familyName: '', externalId: '', area };
    const snapshot = await provisionUser(fields, 'okta');
    await updateUser(snapshot.id, { name: 'Fixed By Admin' });
    // A deactivation, as PATCH builds it from the user it read before the admin's edit landed.
    const after = await reconcileUser(snapshot, { ...fields, active: false }, 'okta');
    expect(after).toMatchObject({ name: 'Fixed By Admin', state: 'blocked', blockedReason: 'directory' });
    expect(await getUser(snapshot.id)).toMatchObject({ name: 'Fixed By Admin' });
  });
});

describe('a refused request changes nothing (RFC 7644 §3.5.2)', () => {
  it('a deactivation with an unknown area or a taken userName: 400/409, the account stays active and is not taken over', async () => {
    const scim = await provider();
    const area = await freshArea(3);
    const [user, other] = await createInOrder(scim, area, 2);
    const takenName = (await scim('GET', `/Users/${other!.id}`)).body.userName;
    const badArea = await scim(
      'PATCH',
      `/Users/${user!.id}`,
      patchBody({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: `${SEATKEEPER}:area`, value: 'no-such-area' }),
    );
    expect(badArea.status).toBe(400);
    const taken = await scim(
      'PATCH',
      `/Users/${user!.id}`,
      patchBody({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'userName', value: takenName }),
    );
    expect(taken.status).toBe(409);
    const put = await scim('PUT', `/Users/${user!.id}`, { ...userResource('no-such-area'), active: false });
    expect(put.status).toBe(400);
    expect(await getUser(user!.id)).toMatchObject({ state: 'active', area });
    expect(await readArea(area)).toMatchObject({ active: 2, blocked: 0 });

    // An account no directory manages is not taken over by a refused request either.
    const unmanaged = (await api('POST', '/users', { body: { email: uniqueEmail(), area } })).body.user;
    const refused = await scim(
      'PATCH',
      `/Users/${unmanaged.id}`,
      patchBody({ op: 'replace', value: { active: false, [`${SEATKEEPER}:area`]: 'no-such-area' } }),
    );
    expect(refused.status).toBe(400);
    expect(await getUser(unmanaged.id)).toMatchObject({ state: 'active' });
    expect((await getUser(unmanaged.id)).directory).toBeUndefined();
    await expectInvariant(area);
  });
});

describe('areas', () => {
  it('a move to a full area frees the old seat and waits in the new area', async () => {
    const scim = await provider();
    const from = await freshArea(2);
    const full = await freshArea(1);
    await createInOrder(scim, full, 1);
    const [user] = await createInOrder(scim, from, 1);
    const moved = await scim('PATCH', `/Users/${user!.id}`, patchBody({ op: 'replace', path: `${SEATKEEPER}:area`, value: full }));
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ active: false, [SEATKEEPER]: { area: full } });
    expect(await getUser(user!.id)).toMatchObject({ area: full, blockedReason: 'license' });
    expect(await readArea(from)).toMatchObject({ active: 0 });
    expect(await readArea(full)).toMatchObject({ active: 1, pending: 1 });
    await expectInvariant(from);
    await expectInvariant(full);
  });

  it('a waiting account moved to an area with a free seat takes it at once', async () => {
    const scim = await provider();
    const full = await freshArea(1);
    const roomy = await freshArea(1);
    const [, waiting] = await createInOrder(scim, full, 2);
    const moved = await scim('PATCH', `/Users/${waiting!.id}`, patchBody({ op: 'Replace', path: `${SEATKEEPER}:area`, value: roomy }));
    expect(moved.body).toMatchObject({ active: true, [SEATKEEPER]: { area: roomy } });
    expect(await readArea(full)).toMatchObject({ active: 1, pending: 0 });
    expect(await readArea(roomy)).toMatchObject({ active: 1, pending: 0 });
    await expectInvariant(full);
    await expectInvariant(roomy);
  });

  it('a move into an area where others wait joins the back of that list; the list moves oldest first', async () => {
    const scim = await provider();
    const from = await freshArea(2);
    const target = await freshArea(1);
    const [holder, older, newer] = await createInOrder(scim, target, 3);
    const [active, , waiting] = await createInOrder(scim, from, 3);
    // One seat frees in the target: it is the oldest waiter's, not the mover's.
    await updateUser(holder!.id, { exempt: true });
    const movedActive = await scim(
      'PATCH',
      `/Users/${active!.id}`,
      patchBody({ op: 'replace', path: `${SEATKEEPER}:area`, value: target }),
    );
    expect(movedActive.body).toMatchObject({ active: false, [SEATKEEPER]: { area: target } });
    expect((await getUser(older!.id)).state).toBe('active');
    const movedWaiting = await scim(
      'PATCH',
      `/Users/${waiting!.id}`,
      patchBody({ op: 'replace', path: `${SEATKEEPER}:area`, value: target }),
    );
    expect(movedWaiting.body.active).toBe(false);
    const pending = await api('GET', `/pending?area=${target}`);
    expect(pending.body.items.map((item: { userId: string }) => item.userId)).toEqual([newer!.id, active!.id, waiting!.id]);
    expect(await readArea(from)).toMatchObject({ active: 1, pending: 0 });
    await expectInvariant(from);
    await expectInvariant(target);
  });

  describe('SCIM_AREA_ATTRIBUTE', () => {
    afterEach(() => {
      delete process.env.SCIM_AREA_ATTRIBUTE;
    });

    it('reads the area from the enterprise extension’s department (lower-cased) and says so in discovery', async () => {
      process.env.SCIM_AREA_ATTRIBUTE = `${ENTERPRISE}:department`;
      const scim = await provider();
      const area = await freshArea(2);
      const { [SEATKEEPER]: _, ...body } = userResource(undefined);
      const created = await scim('POST', '/Users', {
        ...body,
        schemas: [body.schemas[0], ENTERPRISE],
        [ENTERPRISE]: { department: area.toUpperCase(), employeeNumber: '42' },
      });
      expect(created.status).toBe(201);
      expect(created.body[ENTERPRISE]).toEqual({ department: area });
      expect(await getUser(created.body.id)).toMatchObject({ area });
      const types = await scim('GET', '/ResourceTypes');
      expect(types.body.Resources[0].schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    });

    it('or from a core attribute such as userType', async () => {
      process.env.SCIM_AREA_ATTRIBUTE = 'userType';
      const scim = await provider();
      const area = await freshArea(2);
      const { [SEATKEEPER]: _, ...body } = userResource(undefined);
      const created = await scim('POST', '/Users', { ...body, userType: area });
      expect(created.body).toMatchObject({ userType: area });
      const patched = await scim('PATCH', `/Users/${created.body.id}`, patchBody({ op: 'Replace', path: 'userType', value: '' }));
      expect(patched.body.userType).toBe('primary');
    });
  });
});

describe('concurrency', () => {
  it('concurrent creates, deactivations and activation requests from two providers never exceed the limit', async () => {
    const okta = await provider();
    const entra = await connectProvider(api, 'entra');
    const area = await freshArea(5);
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? okta : entra)('POST', '/Users', userResource(area))));
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(201));
    expect(results.filter((r) => r.body.active)).toHaveLength(5);
    expect(await readArea(area)).toMatchObject({ active: 5, pending: 19 });
    await expectInvariant(area);

    // Providers deactivate three seat holders while every waiting user asks for a seat, and the run fires too.
    const ownerOf = (body: { id: string }) => (results.findIndex((r) => r.body.id === body.id) % 2 ? okta : entra);
    const holders = results.filter((r) => r.body.active).slice(0, 3);
    const waiting = results.filter((r) => !r.body.active);
    await Promise.all([
      ...holders.map((r) => ownerOf(r.body)('PATCH', `/Users/${r.body.id}`, patchBody({ op: 'replace', value: { active: false } }))),
      ...waiting.map((r) => ownerOf(r.body)('PATCH', `/Users/${r.body.id}`, patchBody({ op: 'Replace', path: 'active', value: 'True' }))),
      scheduledRun(),
      api('POST', '/pending/activate', { body: { area } }),
    ]);
    const seats = (await readArea(area))!;
    expect(seats).toMatchObject({ active: 5, blocked: 19, pending: 16 });
    await expectInvariant(area);
  });
});
