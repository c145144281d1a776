/** Bulk creation and the licence waiting list: the core under CSV import, sync, SCIM and the scheduled run. */
import { describe, expect, it } from 'vitest';
import { dynamodb } from '#clients/dynamodb.ts';
import { createUsersInBulk } from '#core/bulk.ts';
import { setAreaLimit } from '#core/license.ts';
import { blockUser, createUser, getUser, updateUser, type NewUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { activateWaiting, activateWaitingEverywhere, createInTurn, listWaiting, relistUser, requestActivation } from '#core/waitingList.ts';
import { freshArea, uniqueEmail, expectInvariant } from '../support/seats.ts';
import { afterFirst, beforeFirst, intercept, type Answer } from '../support/sdkHooks.ts';

const rows = (area: string, n: number, extra: Partial<NewUser> = {}): NewUser[] =>
  Array.from({ length: n }, (_, i) => ({ email: uniqueEmail(`row${i}`), area, source: 'csv', ...extra }));

function countRequests(only?: string) {
  let count = 0;
  const { remove } = intercept(dynamodb, (command, _input, send) => {
    if (!only || command === only) count++;
    return send();
  });
  return { count: () => count, remove };
}

const countTransactions = () => countRequests('TransactWriteItemsCommand');

describe('createUsersInBulk', () => {
  it('refuse: creates rows in file order while seats last, refuses the rest, in few transactions', async () => {
    const area = await freshArea(100);
    const input = rows(area, 147);
    const counter = countTransactions();
    const outcomes = await createUsersInBulk(input, 'refuse').finally(counter.remove);
    expect(outcomes.slice(0, 100).every((o) => o.outcome === 'created')).toBe(true);
    expect(outcomes.slice(100)).toEqual(Array(47).fill({ outcome: 'refused', code: 'SEAT_LIMIT_REACHED' }));
    // Three chunks of 49: the third learns from its failed seat condition that only 2 seats are free.
    expect(counter.count()).toBe(4);
    expect(await readArea(area)).toMatchObject({ active: 100, available: 0, refused: 47 });
    await expectInvariant(area);
  });

  it('drops existing emails (any case) from a chunk and writes the rest', async () => {
    const area = await freshArea(10);
    const existing = await createUser({ email: uniqueEmail('old'), area, source: 'api' });
    const input = rows(area, 5);
    input.splice(2, 0, { email: existing.email.toUpperCase(), area, source: 'csv' });
    const counter = countTransactions();
    const outcomes = await createUsersInBulk(input, 'refuse').finally(counter.remove);
    expect(outcomes[2]).toEqual({ outcome: 'exists', userId: existing.id });
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(5);
    expect(counter.count()).toBe(2);
    expect(await readArea(area)).toMatchObject({ active: 6 });
    await expectInvariant(area);
  });

  it('wait: rows beyond the free seats are created waiting, in file order, and counted as refused', async () => {
    const area = await freshArea(3);
    const outcomes = await createUsersInBulk(rows(area, 5, { source: 'sync', directory: 'okta' }), 'wait');
    expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'created', 'created', 'waiting', 'waiting']);
    expect(await readArea(area)).toMatchObject({ active: 3, blocked: 2, pending: 2, refused: 2 });
    const waiting = await listWaiting(area, { limit: 10 });
    expect(waiting.users.map((u) => u.id)).toEqual(outcomes.slice(3).map((o) => (o as { user: { id: string } }).user.id));
  });

  it('wait: counting the rows that wait costs one request per chunk at most', async () => {
    const area = await freshArea(100);
    const requests = countRequests();
    const outcomes = await createUsersInBulk(rows(area, 147, { source: 'sync' }), 'wait').finally(requests.remove);
    expect(outcomes.filter((o) => o.outcome === 'waiting')).toHaveLength(47);
    expect(await readArea(area)).toMatchObject({ active: 100, pending: 47, refused: 47 });
    // Four transactions (the third chunk learns that only 2 seats are free) and one refusal count.
    expect(requests.count()).toBe(5);
  });

  it('wait: once a row waits, later rows queue behind it even when a seat frees between chunks', async () => {
    const area = await freshArea(30);
    // A seat frees (here: the limit is raised) right after the first chunk is written.
    const free = afterFirst(
      (command) => command === 'TransactWriteItemsCommand',
      () => setAreaLimit(area, 40),
    );
    const outcomes = await createUsersInBulk(rows(area, 98, { source: 'sync' }), 'wait').finally(free.remove);
    expect(free.ran()).toBe(true);
    expect(outcomes.map((o) => o.outcome)).toEqual([...Array(30).fill('created'), ...Array(68).fill('waiting')]);
    // The freed seats are the waiting list's: the next activation takes row 31 first.
    const { activated } = await activateWaiting(area);
    expect(activated.map((u) => u.email)).toEqual(outcomes.slice(30, 40).map((o) => (o.outcome === 'waiting' ? o.user.email : '')));
    await expectInvariant(area);
  });

  it('queue: every row waits; exempt rows never need a seat', async () => {
    const area = await freshArea(5);
    const outcomes = await createUsersInBulk(rows(area, 2), 'queue');
    expect(outcomes.map((o) => o.outcome)).toEqual(['waiting', 'waiting']);
    const full = await freshArea(0);
    expect((await createUsersInBulk(rows(full, 2, { exempt: true }), 'refuse')).map((o) => o.outcome)).toEqual(['created', 'created']);
    expect(await readArea(full)).toMatchObject({ active: 0, exempt: 2 });
  });

  it('refuses every row of an unknown area and writes nothing', async () => {
    const outcomes = await createUsersInBulk(rows('no-such-area', 3), 'refuse');
    expect(outcomes).toEqual(Array(3).fill({ outcome: 'refused', code: 'AREA_NOT_FOUND' }));
  });

  it('concurrent bulk creates into one area never exceed the limit', async () => {
    const area = await freshArea(50);
    const results = await Promise.all([
      createUsersInBulk(rows(area, 60), 'refuse'),
      createUsersInBulk(rows(area, 60), 'refuse'),
      createUser({ email: uniqueEmail(), area, source: 'api' }).catch(() => null),
    ]);
    const created = [...results[0], ...results[1]].filter((o) => o.outcome === 'created').length + (results[2] ? 1 : 0);
    expect(created).toBe(50);
    expect(await readArea(area)).toMatchObject({ active: 50, available: 0 });
    await expectInvariant(area);
  });
});

describe('waiting list', () => {
  it('activates the oldest first while seats are free, only those asked for', async () => {
    const area = await freshArea(0);
    const outcomes = await createUsersInBulk(rows(area, 5, { source: 'sync' }), 'wait');
    const ids = outcomes.map((o) => (o as { user: { id: string } }).user.id);
    await setAreaLimit(area, 3);
    const skip = ids[1];
    const { activated } = await activateWaiting(area, (user) => user.id !== skip);
    expect(activated.map((u) => u.id)).toEqual([ids[0], ids[2], ids[3]]);
    expect((await getUser(ids[1]!)).state).toBe('blocked');
    expect(await readArea(area)).toMatchObject({ active: 3, pending: 2, available: 0 });
    await expectInvariant(area);
  });

  it('never activates admin-blocked users; the scheduled run covers every area', async () => {
    const area = await freshArea(0);
    const [first, second] = (await createUsersInBulk(rows(area, 2, { source: 'sync' }), 'wait')).map(
      (o) => (o as { user: { id: string } }).user.id,
    );
    await blockUser(first!, 'admin');
    await setAreaLimit(area, 2);
    const results = await activateWaitingEverywhere();
    expect(results.find((r) => r.area === area)?.activated.map((u) => u.id)).toEqual([second]);
    expect(await getUser(first!)).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    await expectInvariant(area);
  });

  it('requestActivation: admin block stands; a directory-deactivated user queues, then gets a free seat', async () => {
    const area = await freshArea(1);
    const user = await blockUser((await createUser({ email: uniqueEmail(), area, source: 'scim' })).id, 'directory');
    const other = await createUser({ email: uniqueEmail(), area, source: 'scim' });
    const waiting = await requestActivation(user);
    expect(waiting).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect(await requestActivation(await blockUser(other.id, 'admin'))).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect(await requestActivation(waiting)).toMatchObject({ state: 'active' });
    await expectInvariant(area);
  });

  it('requestActivation: a free seat nobody waits for is taken in one write, never through the waiting list', async () => {
    const area = await freshArea(2);
    const user = await blockUser((await createUser({ email: uniqueEmail(), area, source: 'scim' })).id, 'directory');
    const counter = countTransactions();
    const requests = countRequests();
    const active = await requestActivation(user).finally(() => {
      counter.remove();
      requests.remove();
    });
    expect(active).toMatchObject({ state: 'active' });
    // One transaction: pending never went 0 → 1, which would have alerted the People admins.
    expect(counter.count()).toBe(1);
    // The area, the user (read by the write itself), the write.
    expect(requests.count()).toBe(3);
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 0, pending: 0 });

    // Someone waits: the reactivated user queues behind them.
    const full = await freshArea(1);
    const deactivated = await blockUser((await createUser({ email: uniqueEmail(), area: full, source: 'scim' })).id, 'directory');
    const [waiting] = await createUsersInBulk(rows(full, 1, { source: 'sync' }), 'queue');
    expect(await requestActivation(deactivated)).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect(await getUser((waiting as { user: { id: string } }).user.id)).toMatchObject({ state: 'active' });
    await expectInvariant(full);
  });

  it('relistUser: a user moved to another area since the caller read it queues there, never passing its waiting list', async () => {
    const [from, to] = [await freshArea(2), await freshArea(1)];
    const deactivated = await blockUser((await createUser({ email: uniqueEmail(), area: from, source: 'scim' })).id, 'directory');
    const holder = await createUser({ email: uniqueEmail(), area: to, source: 'api' });
    const [waiting] = await createUsersInBulk(rows(to, 1, { source: 'sync' }), 'wait');
    await blockUser(holder.id, 'admin'); // a seat is free in `to`, and it is the waiting user's
    await updateUser(deactivated.id, { area: to }); // moved after the caller read it in `from`
    expect(await relistUser(deactivated)).toMatchObject({ area: to, state: 'blocked', blockedReason: 'license' });
    expect(await getUser((waiting as { user: { id: string } }).user.id)).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect(await readArea(to)).toMatchObject({ active: 0, pending: 2 });
    await expectInvariant(to);
  });

  it('createInTurn: a seat freed between its read and its write goes to the oldest waiting user, not the newcomer', async () => {
    const area = await freshArea(1);
    const holder = await createUser({ email: uniqueEmail(), area, source: 'api' });
    const [waiting] = await createUsersInBulk(rows(area, 1, { source: 'sync' }), 'wait');
    // The seat frees right after createInTurn has read the area (full, someone waiting).
    const free = afterFirst(
      (command, input) => command === 'GetItemCommand' && input.includes('"Key":{"area"'),
      () => blockUser(holder.id, 'admin'),
    );
    const newcomer = await createInTurn({ email: uniqueEmail(), area, source: 'scim', directory: 'okta' }).finally(free.remove);
    expect(free.ran()).toBe(true);
    expect(newcomer).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect(await getUser((waiting as { user: { id: string } }).user.id)).toMatchObject({ state: 'active' });
    expect(await readArea(area)).toMatchObject({ active: 1, pending: 1, refused: 1 });
    await expectInvariant(area);
  });

  it('an index that still lists users the run activated (it lags the table) costs no extra transaction', async () => {
    const area = await freshArea(0);
    await createUsersInBulk(rows(area, 60, { source: 'sync' }), 'wait');
    await setAreaLimit(area, 60);
    // Every read of the waiting list answers as the first one did, as a lagging index would.
    let firstPage: Answer | undefined;
    const staleIndex = intercept(dynamodb, async (command, _input, send) => {
      if (command !== 'QueryCommand') return send();
      firstPage ??= await send();
      return { ...firstPage, output: structuredClone(firstPage.output) };
    });
    const counter = countTransactions();
    const { activated } = await activateWaiting(area).finally(() => {
      counter.remove();
      staleIndex.remove();
    });
    expect(activated).toHaveLength(60);
    expect(counter.count()).toBe(2);
    await expectInvariant(area);
  });

  it('a waiting user edited during an activation run keeps its place: nobody younger takes its seat', async () => {
    const area = await freshArea(0);
    const outcomes = await createUsersInBulk(rows(area, 3, { source: 'sync', directory: 'okta' }), 'wait');
    const [oldest, second] = outcomes.map((o) => (o as { user: { id: string } }).user.id);
    await setAreaLimit(area, 2);
    // Just before the run writes: an admin renames the oldest (it still waits) and takes one of the two seats.
    const edit = beforeFirst('TransactWriteItemsCommand', async () => {
      await updateUser(oldest!, { name: 'Renamed' });
      await createUser({ email: uniqueEmail('admin-made'), area, source: 'api' });
    });
    const { activated } = await activateWaiting(area).finally(edit.remove);
    expect(edit.ran()).toBe(true);
    expect(activated.map((u) => [u.id, u.name])).toEqual([[oldest, 'Renamed']]);
    expect(await getUser(second!)).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect(await readArea(area)).toMatchObject({ active: 2, pending: 2, available: 0 });
    await expectInvariant(area);
  });

  it('concurrent activation runs never exceed the limit', async () => {
    const area = await freshArea(0);
    await createUsersInBulk(rows(area, 30, { source: 'sync' }), 'wait');
    await setAreaLimit(area, 12);
    const runs = await Promise.all([activateWaiting(area), activateWaiting(area), activateWaiting(area)]);
    expect(runs.reduce((sum, r) => sum + r.activated.length, 0)).toBe(12);
    expect(await readArea(area)).toMatchObject({ active: 12, pending: 18, available: 0 });
    await expectInvariant(area);
  });
});
