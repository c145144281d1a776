/**
 * Directory sync runs (sync/<directory>/…): missing users are created, blocked
 * (reason licence) when no seat is free; listed waiting users are activated
 * oldest first on later runs; admin blocks stand; absent users are left alone
 * unless the directory is configured to block them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAreaLimit, summary } from '#core/license.ts';
import { blockUser, createUser, deleteUser, getUser } from '#core/people.ts';
import { activateWaitingEverywhere, listWaiting } from '#core/waitingList.ts';
import { readArea } from '#core/seatCounter.ts';
import { dynamodb } from '#clients/dynamodb.ts';
import { s3 } from '#clients/s3.ts';
import { freshArea, uniqueEmail, usersInArea, expectInvariant } from '../support/seats.ts';
import { afterFirst, intercept, outageAt } from '../support/sdkHooks.ts';
import { directory, dropFile, emails, importFile, job, keyIn, outcomes, readReport, runImport, syncFile } from './importKit.ts';

/** A transaction item as core writes it (through the document client: plain values). */
type CounterUpdate = { Update?: { Key: { area?: string }; ExpressionAttributeValues?: { ':pending'?: number } } };

/** Counts the writes that add to `area`'s waiting (pending) counter. */
function watchPendingRises(area: string) {
  let rises = 0;
  const { remove } = intercept(dynamodb, async (_command, input: { TransactItems?: CounterUpdate[] }, send) => {
    for (const { Update } of input.TransactItems ?? []) {
      if (Update?.Key.area === area && (Update.ExpressionAttributeValues?.[':pending'] ?? 0) > 0) rises++;
    }
    return send();
  });
  return { count: () => rises, stop: remove };
}

afterEach(() => {
  delete process.env.IMPORT_SYNC_BLOCK_ABSENT;
});

describe('directory sync', () => {
  it('creates users blocked (licence) when full, then activates them oldest first on the next run, never ahead of them a newcomer', async () => {
    const area = await freshArea(2);
    const dir = directory();
    const [a, b, c, d, e] = emails(5);

    const first = keyIn(`sync/${dir}`);
    const run1 = await importFile(first, syncFile(area, [a!, b!, c!, d!]));
    expect(run1).toMatchObject({ status: 'succeeded', mode: 'sync', directory: dir });
    expect(run1.counts).toMatchObject({ rows: 4, created: 2, blockedPending: 2, activated: 0 });
    expect(await outcomes(first)).toEqual({ [a!]: 'created', [b!]: 'created', [c!]: 'pending/NO_FREE_SEAT', [d!]: 'pending/NO_FREE_SEAT' });
    const waitingC = (await readReport(first))[2]!.userId;
    expect(await getUser(waitingC)).toMatchObject({ state: 'blocked', blockedReason: 'license', source: 'sync', directory: dir });
    expect(await readArea(area)).toMatchObject({ active: 2, pending: 2, available: 0 });

    // One more seat. The next file lists D before C and a newcomer E: C waited longest and gets it.
    await setAreaLimit(area, 3);
    const second = keyIn(`sync/${dir}`);
    const run2 = await importFile(second, syncFile(area, [e!, d!, c!, a!, b!]));
    expect(run2.counts).toMatchObject({ rows: 5, activated: 1, blockedPending: 2, skippedExisting: 2, created: 0 });
    expect(await outcomes(second)).toEqual({
      [e!]: 'pending/NO_FREE_SEAT',
      [d!]: 'pending/STILL_WAITING',
      [c!]: 'activated',
      [a!]: 'exists/ALREADY_EXISTS',
      [b!]: 'exists/ALREADY_EXISTS',
    });
    expect(await getUser(waitingC)).toMatchObject({ state: 'active' });
    expect(await readArea(area)).toMatchObject({ active: 3, pending: 2, available: 0 });
    await expectInvariant(area);
  });

  it('counts the users it creates waiting for lack of a seat as refused, as a single create into a full area is', async () => {
    const area = await freshArea(2);
    await Promise.all([
      createUser({ email: uniqueEmail(), area, source: 'api' }),
      createUser({ email: uniqueEmail(), area, source: 'api' }),
    ]);
    const run = await importFile(keyIn(`sync/${directory()}`), syncFile(area, emails(3)));
    expect(run.counts).toMatchObject({ created: 0, blockedPending: 3 });
    expect((await summary()).areas.find((a) => a.area === area)).toMatchObject({ active: 2, pending: 3, refused: 3 });
    await expectInvariant(area);
  });

  it('never activates a user an administrator blocked; the freed seat goes to the oldest waiting user', async () => {
    const area = await freshArea(1);
    const dir = directory();
    const [a, b, c] = emails(3);
    const first = keyIn(`sync/${dir}`);
    await importFile(first, syncFile(area, [a!, b!, c!]));
    const [idA, idB] = (await readReport(first)).map((r) => r.userId);
    await blockUser(idA!, 'admin');
    await blockUser(idB!, 'admin');

    const second = keyIn(`sync/${dir}`);
    const run = await importFile(second, syncFile(area, [a!, b!, c!]));
    expect(await outcomes(second)).toEqual({ [a!]: 'exists/BLOCKED_BY_ADMIN', [b!]: 'exists/BLOCKED_BY_ADMIN', [c!]: 'activated' });
    expect(run.counts).toMatchObject({ activated: 1, skippedExisting: 2 });
    expect(await getUser(idA!)).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect(await getUser(idB!)).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    await expectInvariant(area);
  });

  it('new users take free seats only after the listed waiting users', async () => {
    const area = await freshArea(1);
    const dir = directory();
    const [a, b, c, d] = emails(4);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!]));
    await setAreaLimit(area, 3);
    const key = keyIn(`sync/${dir}`);
    await importFile(key, syncFile(area, [c!, d!, b!, a!]));
    // b waited: it is activated first, then c takes the last seat, d waits.
    expect(await outcomes(key)).toEqual({
      [c!]: 'created',
      [d!]: 'pending/NO_FREE_SEAT',
      [b!]: 'activated',
      [a!]: 'exists/ALREADY_EXISTS',
    });
    await expectInvariant(area);
  });

  it('once rows of the file wait, rows of its later writes queue behind them even when a seat frees between the writes', async () => {
    const area = await freshArea(1);
    const holder = await createUser({ email: uniqueEmail(), area, source: 'api' });
    // 200 new rows: two writes (196 + 4). A seat frees once the file's first rows have started waiting.
    const free = afterFirst(
      (_, input) => input.includes(area) && input.includes('blocked#license#'),
      () => deleteUser(holder.id),
    );
    const key = keyIn(`sync/${directory()}`);
    await importFile(key, syncFile(area, emails(200))).finally(free.remove);
    expect(free.ran()).toBe(true);
    expect(Object.values(await outcomes(key)).filter((o) => o !== 'pending/NO_FREE_SEAT')).toEqual([]);
    // The freed seat is the waiting list's (the scheduled run gives it to the oldest), not a later row's.
    expect(await readArea(area)).toMatchObject({ active: 0, pending: 200, available: 1 });
    await expectInvariant(area);
  });

  it('new users queue behind anyone waiting in the area, whichever directory listed them; the scheduled run serves the oldest', async () => {
    const area = await freshArea(1);
    const [okta, google] = [directory(), directory()];
    const [a, b, c] = emails(3);
    await importFile(keyIn(`sync/${okta}`), syncFile(area, [a!, b!]));
    const holder = (await usersInArea(area)).find((u) => u.email === a)!;
    await blockUser(holder.id, 'admin');
    // A seat is free, and Okta's b waits for it: Google's new c queues behind b.
    const key = keyIn(`sync/${google}`);
    await importFile(key, syncFile(area, [c!]));
    expect(await outcomes(key)).toEqual({ [c!]: 'pending/NO_FREE_SEAT' });
    // A seat was free: c waits behind b, which is no refusal (the area is not full).
    expect(await readArea(area)).toMatchObject({ active: 0, pending: 2, available: 1, refused: 0 });
    const [run] = (await activateWaitingEverywhere()).filter((r) => r.area === area);
    expect(run!.activated.map((u) => u.email)).toEqual([b]);
    await expectInvariant(area);
  });

  it('blocks the directory’s users the file marks disabled (reason directory) by default: an active one frees its seat, a waiting one is never given one', async () => {
    const area = await freshArea(2);
    const dir = directory();
    const [a, b, c, d] = emails(4);
    const byApi = await createUser({ email: d!, area, source: 'api' });
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!, c!]));
    const key = keyIn(`sync/${dir}`);
    // a (active) and b (waiting) are suspended in the directory; d is no user of this directory's.
    const run = await importFile(
      key,
      syncFile(area, [a!, b!, c!, d!], (email) => [email === c ? 'ACTIVE' : 'SUSPENDED']),
    );
    expect(run).toMatchObject({ blockAbsent: false });
    expect(await outcomes(key)).toEqual({
      [a!]: 'blocked/DISABLED_IN_DIRECTORY',
      [b!]: 'blocked/DISABLED_IN_DIRECTORY',
      [c!]: 'activated',
      [d!]: 'ignored/DISABLED_IN_DIRECTORY',
    });
    const report = await readReport(key);
    expect(report.find((r) => r.email === a)!.message).toMatch(/so it was blocked \(reason directory\) and its seat freed/);
    const [idA, idB] = [a, b].map((email) => report.find((r) => r.email === email)!.userId);
    for (const id of [idA!, idB!]) expect(await getUser(id)).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    expect(await getUser(byApi.id)).toMatchObject({ state: 'active' });
    // Seats free: nobody waits, and b is not given one.
    await setAreaLimit(area, 4);
    await activateWaitingEverywhere();
    expect(await getUser(idB!)).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    expect(await readArea(area)).toMatchObject({ active: 2, blocked: 2, pending: 0 });
    await expectInvariant(area);
  });

  it('leaves users absent from the file as they are by default', async () => {
    const area = await freshArea(5);
    const dir = directory();
    const [a, b] = emails(2);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!]));
    const key = keyIn(`sync/${dir}`);
    const run = await importFile(key, syncFile(area, [b!]));
    expect(run).toMatchObject({ blockAbsent: false });
    expect(run.counts).toMatchObject({ blockedAbsent: 0, skippedExisting: 1 });
    expect((await usersInArea(area)).every((u) => u.state === 'active')).toBe(true);
    expect(await readReport(key)).toHaveLength(1);
  });

  it('blocks absent and disabled users of the directory when configured, frees their seats for the waiting, and takes them back later', async () => {
    const area = await freshArea(2);
    const dir = directory();
    const [a, b, c, d] = emails(4);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!, c!]));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = `other,${dir}`;

    // a left the directory, b is suspended there; c waits for a seat; d is new.
    const key = keyIn(`sync/${dir}`);
    const run = await importFile(
      key,
      syncFile(area, [b!, c!, d!], (email) => [email === b ? 'SUSPENDED' : 'ACTIVE']),
    );
    expect(run).toMatchObject({ status: 'succeeded', blockAbsent: true });
    expect(await outcomes(key)).toEqual({
      [b!]: 'blocked/DISABLED_IN_DIRECTORY',
      [c!]: 'activated',
      [d!]: 'created',
      [a!]: 'blocked/ABSENT_FROM_DIRECTORY',
    });
    const report = await readReport(key);
    expect(report.at(-1)).toMatchObject({ line: '', email: a });
    expect(run.counts).toMatchObject({ rows: 3, blockedAbsent: 2, activated: 1, created: 1 });
    const idA = report.at(-1)!.userId;
    expect(await getUser(idA)).toMatchObject({ state: 'blocked', blockedReason: 'directory' });

    // a is back in the directory: it rejoins the waiting list (no seat is free).
    const back = keyIn(`sync/${dir}`);
    await importFile(
      back,
      syncFile(area, [a!, b!, c!, d!], () => ['ACTIVE']),
    );
    expect(await getUser(idA)).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect((await outcomes(back))[a!]).toBe('pending/REJOINED_WAITING_LIST');
    // b too (it was disabled): a report says what happened to each, in words.
    expect((await readReport(back)).find((r) => r.email === b)).toMatchObject({
      outcome: 'pending',
      message: expect.stringMatching(/joined the back of the waiting list/),
    });
    await expectInvariant(area);
  });

  it('a run interrupted after its blocks and redone reports them as an uninterrupted run would', async () => {
    const area = await freshArea(2);
    const dir = directory();
    const [a, b, c, d] = emails(4);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!, c!]));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;
    const key = keyIn(`sync/${dir}`);
    const event = await dropFile(
      key,
      syncFile(area, [b!, c!, d!], (email) => [email === b ? 'SUSPENDED' : 'ACTIVE']),
    );

    // The first attempt blocks a (absent) and b (suspended) and activates c, then cannot open the file for its second pass.
    const outage = outageAt(s3, 'GetObjectCommand', 2);
    await expect(runImport(event).finally(outage.remove)).rejects.toThrow('injected outage');
    expect(await job(key)).toMatchObject({ status: 'interrupted', attempts: 1 });
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 2, pending: 0 });

    await runImport(event);
    expect(await job(key)).toMatchObject({ status: 'succeeded', attempts: 2, counts: { rows: 3, blockedAbsent: 2, created: 1 } });
    expect(await outcomes(key)).toEqual({
      [b!]: 'blocked/DISABLED_IN_DIRECTORY',
      [c!]: 'exists/ALREADY_EXISTS',
      [d!]: 'created',
      [a!]: 'blocked/ABSENT_FROM_DIRECTORY',
    });
    expect(await readArea(area)).toMatchObject({ active: 2, blocked: 2, pending: 0 });
    await expectInvariant(area);
  });

  it('a deactivated user listed again takes a free seat nobody waits for at once, never passing through the waiting list', async () => {
    const area = await freshArea(2);
    const dir = directory();
    const [a, b] = emails(2);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!]));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [b!]));
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 1, pending: 0 });

    const back = keyIn(`sync/${dir}`);
    const rises = watchPendingRises(area);
    await importFile(back, syncFile(area, [a!, b!])).finally(rises.stop);
    expect((await outcomes(back))[a!]).toBe('activated');
    // The area never counted anyone waiting: the notifier had no "users waiting" alert to send.
    expect(rises.count()).toBe(0);
    expect(await readArea(area)).toMatchObject({ active: 2, blocked: 0, pending: 0 });
    await expectInvariant(area);
  });

  it('users it had deactivated and lists again rejoin the waiting list in file order', async () => {
    const area = await freshArea(8);
    const dir = directory();
    const people = emails(8);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, people));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;
    const [keep] = emails(1);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [keep!]));
    await setAreaLimit(area, 1); // keep holds the only seat
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [keep!, ...people]));
    const pending = await listWaiting(area, { limit: 20 });
    expect(pending.users.map((u) => u.email)).toEqual(people);
    await expectInvariant(area);
  });

  it('a file that names nobody (an export template: its example row only) blocks no one, even when absent users are blocked', async () => {
    const area = await freshArea(5);
    const dir = directory();
    const [a, b] = emails(2);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!]));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;
    const key = keyIn(`sync/${dir}`);
    const run = await importFile(key, syncFile(area, ['Example: ada@contoso.com', 'not an address']));
    expect(run).toMatchObject({ status: 'succeeded', blockAbsent: true });
    expect(run.counts).toMatchObject({ blockedAbsent: 0, ignored: 1, rejected: 1 });
    expect((await usersInArea(area)).map((u) => u.state)).toEqual(['active', 'active']);
  });

  it('never blocks users of other directories or users the file lists in another case', async () => {
    const area = await freshArea(5);
    const [mine, theirs] = [directory(), directory()];
    const [a, b] = emails(2);
    await importFile(keyIn(`sync/${theirs}`), syncFile(area, [a!]));
    await importFile(keyIn(`sync/${mine}`), syncFile(area, [b!]));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = '*';
    const run = await importFile(keyIn(`sync/${mine}`), syncFile(area, [b!.toUpperCase()]));
    expect(run.counts).toMatchObject({ blockedAbsent: 0, skippedExisting: 1 });
    expect((await usersInArea(area)).map((u) => u.state)).toEqual(['active', 'active']);
  });

  it('a newer sync file that arrives while an older one runs waits for it, then applies: the newer list wins', async () => {
    process.env.IMPORT_SYNC_BLOCK_ABSENT = '*';
    process.env.IMPORT_LEASE_SECONDS = '1'; // progress (and with it the waiting) shows within 250 ms
    process.env.IMPORT_BUSY_POLL_MS = '100';
    const area = await freshArea(5);
    const dir = directory();
    const [a, b, c] = emails(3);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!]));
    const olderKey = keyIn(`sync/${dir}`);
    const older = await dropFile(olderKey, syncFile(area, [a!, b!]));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // S3 dates objects to the second
    const newerKey = keyIn(`sync/${dir}`);
    const newer = await dropFile(newerKey, syncFile(area, [a!, b!, c!]));
    // The newer file's event comes in just after the older run has taken the directory's turn.
    let newerRun: Promise<unknown> | undefined;
    const arrives = afterFirst(
      (command, input) => command === 'UpdateItemCommand' && input.includes(`sync#${dir}`),
      // Until it has run (as it did before its turn was awaited) or is seen waiting.
      () =>
        Promise.race([
          (newerRun = runImport(newer)),
          vi.waitUntil(async () => (await job(newerKey).catch(() => undefined))?.progress?.phase.startsWith('waiting'), {
            timeout: 20_000,
            interval: 50,
          }),
        ]),
    );
    try {
      await runImport(older);
      expect(arrives.ran()).toBe(true);
      await newerRun;
    } finally {
      arrives.remove();
      delete process.env.IMPORT_LEASE_SECONDS;
      delete process.env.IMPORT_BUSY_POLL_MS;
    }
    const [olderJob, newerJob] = [await job(olderKey), await job(newerKey)];
    expect([olderJob.status, newerJob.status]).toEqual(['succeeded', 'succeeded']);
    expect(newerJob.finishedAt! > olderJob.finishedAt!).toBe(true);
    // The older list (without c) never blocks c: the newer one, which lists it, came after.
    expect((await usersInArea(area)).map((u) => [u.email, u.state]).sort()).toEqual(
      [
        [a, 'active'],
        [b, 'active'],
        [c, 'active'],
      ].sort(),
    );
    await expectInvariant(area);
  });

  it('skips an older sync file of the directory delivered after a newer one', async () => {
    const area = await freshArea(5);
    const dir = directory();
    const [a, b] = emails(2);
    const olderKey = keyIn(`sync/${dir}`);
    const older = await dropFile(olderKey, syncFile(area, [a!]));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // S3 dates objects to the second
    const newerKey = keyIn(`sync/${dir}`);
    await runImport(await dropFile(newerKey, syncFile(area, [b!])));
    await runImport(older);
    expect(await job(olderKey)).toMatchObject({ status: 'skipped', failure: { code: 'SUPERSEDED' } });
    expect((await usersInArea(area)).map((u) => u.email)).toEqual([b]);
  });
});
