/** DESIGN §1, rule by rule, against DynamoDB Local through the core module every path uses. */
import { describe, expect, it } from 'vitest';
import { blockUser, createUser, deleteUser, getUser, rejoinWaitingList, unblockUser, updateUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { setAreaLimit } from '#core/license.ts';
import { SeatkeeperError } from '#core/errors.ts';
import { dynamodb } from '#clients/dynamodb.ts';
import { relistUser } from '#core/waitingList.ts';
import { beforeFirst, intercept } from '../support/sdkHooks.ts';
import { freshArea, uniqueEmail, expectInvariant } from '../support/seats.ts';

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeatkeeperError);
  return error as SeatkeeperError;
};

const create = (area: string, extra: Partial<Parameters<typeof createUser>[0]> = {}) =>
  createUser({ email: uniqueEmail(), area, source: 'api', ...extra });

describe('seat', () => {
  it('an active, non-exempt account takes one seat of its area', async () => {
    const area = await freshArea(3);
    const user = await create(area, { name: 'Ada' });
    expect(user).toMatchObject({ area, state: 'active', exempt: false, source: 'api', name: 'Ada' });
    expect(await readArea(area)).toMatchObject({ limit: 3, active: 1, available: 2 });
    await expectInvariant(area);
  });

  it('exempt accounts take no seat, even when the area is full', async () => {
    const area = await freshArea(1);
    await create(area);
    const support = await create(area, { exempt: true });
    expect(support.state).toBe('active');
    expect(await readArea(area)).toMatchObject({ active: 1, exempt: 1, available: 0 });
  });
});

describe('create', () => {
  it('is refused with SEAT_LIMIT_REACHED when the area is full, and writes nothing', async () => {
    const area = await freshArea(1);
    await create(area);
    const email = uniqueEmail();
    const error = await refusal(create(area, { email }));
    expect(error.code).toBe('SEAT_LIMIT_REACHED');
    expect(error.details).toEqual({ area, limit: 1, active: 1 });
    expect(error.message).toMatch(/Block or delete/);
    // Nothing was half-written: once a seat exists, the same email can be created.
    await setAreaLimit(area, 2);
    expect((await create(area, { email })).email).toBe(email);
  });

  it('from a directory sync creates the account blocked with reason license instead', async () => {
    const area = await freshArea(1);
    await create(area);
    const waiting = await createUser({ email: uniqueEmail(), area, source: 'sync', directory: 'okta' }, 'wait');
    expect(waiting).toMatchObject({ state: 'blocked', blockedReason: 'license', source: 'sync', directory: 'okta' });
    expect(waiting.pendingSince).toBe(waiting.createdAt);
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 1, pending: 1, available: 0 });
  });

  it('keeps emails unique case-insensitively', async () => {
    const area = await freshArea(5);
    const email = uniqueEmail('Mixed');
    await create(area, { email });
    const error = await refusal(create(area, { email: `  ${email.toUpperCase()} ` }));
    expect(error.code).toBe('USER_EXISTS');
    expect(await readArea(area)).toMatchObject({ active: 1 });
  });

  it('into an unknown area is refused with AREA_NOT_FOUND', async () => {
    const error = await refusal(create('no-such-area'));
    expect(error.code).toBe('AREA_NOT_FOUND');
  });
});

describe('block and delete', () => {
  it('blocking frees the seat at once and is idempotent', async () => {
    const area = await freshArea(1);
    const user = await create(area);
    const blocked = await blockUser(user.id);
    expect(blocked).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1, available: 1 });
    const again = await blockUser(user.id);
    expect(again.updatedAt).toBe(blocked.updatedAt);
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1, available: 1 });
  });

  it('an admin block takes a user off the licence waiting list and no directory reason overrides it', async () => {
    const area = await freshArea(0);
    const waiting = await createUser({ email: uniqueEmail(), area, source: 'sync' }, 'wait');
    const blocked = await blockUser(waiting.id, 'admin');
    expect(blocked).toMatchObject({ blockedReason: 'admin' });
    expect(blocked.pendingSince).toBeUndefined();
    expect(await blockUser(waiting.id, 'directory')).toMatchObject({ blockedReason: 'admin' });
    expect(await readArea(area)).toMatchObject({ blocked: 1, pending: 0 });
  });

  it('delete is permanent, frees the seat and the email, and frees nothing twice', async () => {
    const area = await freshArea(1);
    const user = await create(area);
    await deleteUser(user.id);
    expect(await readArea(area)).toMatchObject({ active: 0, available: 1 });
    expect((await refusal(getUser(user.id))).code).toBe('USER_NOT_FOUND');
    expect((await refusal(deleteUser(user.id))).code).toBe('USER_NOT_FOUND');
    expect(await readArea(area)).toMatchObject({ active: 0, available: 1 });
    await create(area, { email: user.email });
    await expectInvariant(area);
  });

  it("a delete that lands between another delete's read and write frees the seat once", async () => {
    const area = await freshArea(1);
    const user = await create(area);
    const other = beforeFirst('TransactWriteItemsCommand', () => deleteUser(user.id));
    expect((await refusal(deleteUser(user.id).finally(other.remove))).code).toBe('USER_NOT_FOUND');
    expect(other.ran()).toBe(true);
    expect(await readArea(area)).toMatchObject({ active: 0, available: 1 });
    await expectInvariant(area);
  });

  it('deleting a blocked or exempt user decrements its own counter', async () => {
    const area = await freshArea(2);
    const blocked = await blockUser((await create(area)).id);
    const exempt = await create(area, { exempt: true });
    await deleteUser(blocked.id);
    await deleteUser(exempt.id);
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 0, exempt: 0, available: 2 });
  });
});

describe('unblock and move', () => {
  it('unblocking needs a free seat; refused leaves the user unchanged', async () => {
    const area = await freshArea(1);
    const first = await create(area);
    await blockUser(first.id);
    await create(area);
    const error = await refusal(unblockUser(first.id));
    expect(error.code).toBe('SEAT_LIMIT_REACHED');
    expect(await getUser(first.id)).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 1 });
  });

  it('unblocking a user waiting for a licence takes it off the waiting list', async () => {
    const area = await freshArea(1);
    const waiting = await createUser({ email: uniqueEmail(), area, source: 'sync' }, 'wait');
    expect(waiting.state).toBe('active');
    const second = await createUser({ email: uniqueEmail(), area, source: 'sync' }, 'wait');
    expect(second.blockedReason).toBe('license');
    await blockUser(waiting.id);
    const active = await unblockUser(second.id);
    expect(active.state).toBe('active');
    expect(active.blockedReason).toBeUndefined();
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 1, pending: 0 });
  });

  it('moving an active user needs a seat in the target area', async () => {
    const from = await freshArea(2);
    const to = await freshArea(1);
    const user = await create(from);
    const moved = await updateUser(user.id, { area: to });
    expect(moved.area).toBe(to);
    expect(await readArea(from)).toMatchObject({ active: 0, available: 2 });
    expect(await readArea(to)).toMatchObject({ active: 1, available: 0 });

    const other = await create(from);
    const error = await refusal(updateUser(other.id, { area: to }));
    expect(error.code).toBe('SEAT_LIMIT_REACHED');
    expect(error.details).toMatchObject({ area: to });
    expect(await getUser(other.id)).toMatchObject({ area: from });
    expect(await readArea(from)).toMatchObject({ active: 1 });
  });

  it('moving a blocked user takes no seat; moving to an unknown area is refused', async () => {
    const from = await freshArea(1);
    const to = await freshArea(0);
    const user = await blockUser((await create(from)).id);
    expect((await updateUser(user.id, { area: to })).area).toBe(to);
    expect(await readArea(to)).toMatchObject({ active: 0, blocked: 1 });
    expect((await refusal(updateUser(user.id, { area: 'nowhere' }))).code).toBe('AREA_NOT_FOUND');
  });

  it('marking exempt frees a seat; un-marking needs one', async () => {
    const area = await freshArea(1);
    const user = await create(area);
    await updateUser(user.id, { exempt: true });
    expect(await readArea(area)).toMatchObject({ active: 0, exempt: 1, available: 1 });
    await create(area);
    expect((await refusal(updateUser(user.id, { exempt: false }))).code).toBe('SEAT_LIMIT_REACHED');
    expect(await getUser(user.id)).toMatchObject({ exempt: true });
  });

  it('renaming changes no counter and an unchanged patch keeps updatedAt', async () => {
    const area = await freshArea(1);
    const user = await create(area, { name: 'Old', roles: ['people-admin'] });
    const renamed = await updateUser(user.id, { name: 'New' });
    expect(renamed.name).toBe('New');
    const same = await updateUser(user.id, { name: 'New', roles: ['people-admin'] });
    expect(same.updatedAt).toBe(renamed.updatedAt);
    expect(await readArea(area)).toMatchObject({ active: 1 });
  });
});

describe('email change (directories rename users)', () => {
  it('moves the uniqueness guard: the old email is free, the new one taken, a clash refused', async () => {
    const area = await freshArea(3);
    const user = await create(area);
    const other = await create(area);
    const renamed = uniqueEmail('renamed');
    expect((await updateUser(user.id, { email: renamed })).email).toBe(renamed);
    expect((await refusal(updateUser(other.id, { email: renamed.toUpperCase() }))).code).toBe('USER_EXISTS');
    expect((await create(area, { email: user.email })).email).toBe(user.email);
    expect((await refusal(create(area, { email: renamed }))).code).toBe('USER_EXISTS');
    expect(await getUser(other.id)).toMatchObject({ email: other.email });
  });
});

describe('create blocked', () => {
  it('a deactivated account from a directory is created blocked and takes no seat, even in a full area', async () => {
    const area = await freshArea(0);
    const user = await create(area, { source: 'scim', directory: 'entra', blocked: 'directory' });
    expect(user).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1, pending: 0 });
    await expectInvariant(area);
  });
});

describe('move with wait (directories)', () => {
  it('a move into a full area waits there for a licence instead of being refused, freeing the old seat', async () => {
    const from = await freshArea(1);
    const to = await freshArea(0);
    const user = await create(from, { source: 'scim', directory: 'okta' });
    const moved = await updateUser(user.id, { area: to }, { whenFull: 'wait' });
    expect(moved).toMatchObject({ area: to, state: 'blocked', blockedReason: 'license' });
    expect(moved.pendingSince).toBe(moved.updatedAt);
    expect(await readArea(from)).toMatchObject({ active: 0, available: 1 });
    expect(await readArea(to)).toMatchObject({ active: 0, blocked: 1, pending: 1 });
    for (const area of [from, to]) {
      await expectInvariant(area);
    }
  });

  it('a move into a full area that finds the user blocked by an admin meanwhile keeps the admin block', async () => {
    const from = await freshArea(1);
    const to = await freshArea(0);
    const user = await create(from, { source: 'scim', directory: 'okta' });
    // The admin's block lands between the refused move and its second, waiting attempt.
    let blocked = false;
    const blockAfterRefusal = intercept(dynamodb, async (command, _input, send) => {
      try {
        return await send();
      } catch (error) {
        if (command === 'TransactWriteItemsCommand' && !blocked) {
          blocked = true;
          await blockUser(user.id);
        }
        throw error;
      }
    });
    const moved = await updateUser(user.id, { area: to }, { whenFull: 'wait' }).finally(blockAfterRefusal.remove);
    expect(blocked).toBe(true);
    expect(moved).toMatchObject({ area: to, state: 'blocked', blockedReason: 'admin' });
    expect(moved.pendingSince).toBeUndefined();
    expect(await readArea(to)).toMatchObject({ blocked: 1, pending: 0 });
    for (const area of [from, to]) await expectInvariant(area);
  });
});

describe('a user waiting for a licence', () => {
  it('moved to an area with a free seat takes it in the same write', async () => {
    const from = await freshArea(0);
    const to = await freshArea(1);
    const user = await createUser({ email: uniqueEmail(), area: from, source: 'sync' }, 'wait');
    expect(user.blockedReason).toBe('license');
    const moved = await updateUser(user.id, { area: to });
    expect(moved).toMatchObject({ area: to, state: 'active' });
    expect(moved.blockedReason).toBeUndefined();
    expect(moved.pendingSince).toBeUndefined();
    expect(await readArea(from)).toMatchObject({ blocked: 0, pending: 0 });
    expect(await readArea(to)).toMatchObject({ active: 1, pending: 0, available: 0 });
    for (const area of [from, to]) await expectInvariant(area);
  });

  it("moved to a full area waits at the back of that area's list, not refused", async () => {
    const from = await freshArea(0);
    const to = await freshArea(0);
    const mover = await createUser({ email: uniqueEmail(), area: from, source: 'sync' }, 'wait');
    const alreadyThere = await createUser({ email: uniqueEmail(), area: to, source: 'sync' }, 'wait');
    const moved = await updateUser(mover.id, { area: to });
    expect(moved).toMatchObject({ area: to, state: 'blocked', blockedReason: 'license' });
    expect(moved.pendingSince! > alreadyThere.pendingSince!).toBe(true);
    expect(await readArea(to)).toMatchObject({ blocked: 2, pending: 2 });
    for (const area of [from, to]) await expectInvariant(area);
  });

  it('made exempt needs no licence and stops waiting', async () => {
    const area = await freshArea(0);
    const user = await createUser({ email: uniqueEmail(), area, source: 'sync' }, 'wait');
    const exempt = await updateUser(user.id, { exempt: true });
    expect(exempt).toMatchObject({ state: 'active', exempt: true });
    expect(exempt.blockedReason).toBeUndefined();
    expect(await readArea(area)).toMatchObject({ active: 0, exempt: 1, blocked: 0, pending: 0 });
    await expectInvariant(area);
  });
});

describe('rejoin the waiting list (a directory lists a user it had deactivated)', () => {
  it('moves only a user the directory blocked; one an admin has since unblocked or blocked stays as it is', async () => {
    const area = await freshArea(5);
    const deactivated = await blockUser((await create(area)).id, 'directory');
    const rejoined = await rejoinWaitingList(deactivated.id);
    expect(rejoined).toMatchObject({ state: 'blocked', blockedReason: 'license', pendingSince: expect.any(String) });

    const unblocked = await create(area);
    expect(await rejoinWaitingList(unblocked.id)).toMatchObject({ state: 'active' });
    const adminBlocked = await blockUser((await create(area)).id);
    expect(await rejoinWaitingList(adminBlocked.id)).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 2, pending: 1 });
    await expectInvariant(area);
  });
});

describe('relist (a directory lists a user it had deactivated, read before an admin blocked it)', () => {
  it('an admin block made since the read stands: no seat is taken', async () => {
    const area = await freshArea(5);
    const user = await blockUser((await create(area)).id, 'directory');
    await blockUser(user.id, 'admin');
    expect(await relistUser({ id: user.id, area, state: 'blocked', blockedReason: 'directory' })).toMatchObject({
      state: 'blocked',
      blockedReason: 'admin',
    });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1, available: 5 });
    await expectInvariant(area);
  });
});

describe('a write that finds the user changed since it was read', () => {
  it('reads again and lands, keeping the other change', async () => {
    const area = await freshArea(5);
    const user = await create(area);
    const rename = beforeFirst('TransactWriteItemsCommand', () => updateUser(user.id, { name: 'Renamed' }));
    const blocked = await blockUser(user.id).finally(rename.remove);
    expect(rename.ran()).toBe(true);
    expect(blocked).toMatchObject({ state: 'blocked', blockedReason: 'admin', name: 'Renamed' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1 });
  });
});

describe('a directory deactivates a user (block, reason directory)', () => {
  it('frees an active user’s seat, takes a waiting user off the list, and leaves an admin’s block as it is', async () => {
    const area = await freshArea(5);
    const waiting = await blockUser((await create(area)).id, 'license');
    expect(await blockUser(waiting.id, 'directory')).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    const active = await create(area);
    expect(await blockUser(active.id, 'directory')).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    const adminBlocked = await blockUser((await create(area)).id);
    expect(await blockUser(adminBlocked.id, 'directory')).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 3, pending: 0, available: 5 });
    await expectInvariant(area);
  });
});
