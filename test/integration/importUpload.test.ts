/** Admin uploads (imports/…): users are created while seats are free; the rest are reported SEAT_LIMIT_REACHED. */
import { describe, expect, it } from 'vitest';
import { getUser, createUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { freshArea, usersInArea, expectInvariant } from '../support/seats.ts';
import { csv, emails, importFile, keyIn, readReport } from './importKit.ts';

describe('admin upload', () => {
  it('creates users in file order until the limit, exactly, and reports the rest', async () => {
    const area = await freshArea(5);
    const people = emails(8);
    const key = keyIn(`imports/${area}`);
    const job = await importFile(key, csv([['Email', 'Name'], ...people.map((email, i) => [email, `Person ${i + 1}`])]));

    expect(job).toMatchObject({ status: 'succeeded', mode: 'upload', area });
    expect(job.counts).toMatchObject({ rows: 8, created: 5, rejected: 3, skippedExisting: 0, blockedPending: 0 });
    expect(job.byReason).toEqual({ SEAT_LIMIT_REACHED: 3 });

    const report = await readReport(key);
    expect(report.map((r) => [r.line, r.email, r.outcome, r.reason])).toEqual([
      ...people.slice(0, 5).map((email, i) => [String(i + 2), email, 'created', '']),
      ...people.slice(5).map((email, i) => [String(i + 7), email, 'rejected', 'SEAT_LIMIT_REACHED']),
    ]);
    const created = await getUser(report[0]!.userId);
    expect(created).toMatchObject({ email: people[0], name: 'Person 1', area, state: 'active', source: 'csv' });
    expect(await readArea(area)).toMatchObject({ active: 5, available: 0, refused: 3 });
    expect((await usersInArea(area)).map((u) => u.email).sort()).toEqual(people.slice(0, 5).sort());
    await expectInvariant(area);
  });

  it('reports existing users (any case) as exists and uses no seat for them', async () => {
    const area = await freshArea(10);
    const people = emails(3);
    const existing = await createUser({ email: people[1]!, area, source: 'api' });
    const key = keyIn(`imports/${area}`);
    const job = await importFile(key, csv([['email'], ...people.map((e) => [e.toUpperCase()])]));
    expect(job.counts).toMatchObject({ created: 2, skippedExisting: 1 });
    const report = await readReport(key);
    expect(report[1]).toMatchObject({ outcome: 'exists', reason: 'ALREADY_EXISTS', userId: existing.id });
    expect(await readArea(area)).toMatchObject({ active: 3 });
    await expectInvariant(area);
  });

  it('takes the area from an area column, else from the folder, else primary', async () => {
    const folderArea = await freshArea(10);
    const columnArea = await freshArea(10);
    const [a, b, c] = emails(3);
    const key = keyIn(`imports/${folderArea}`);
    const job = await importFile(
      key,
      csv([
        ['email', 'area'],
        [a!, columnArea],
        [b!, ''],
        [c!, columnArea.toUpperCase()],
      ]),
    );
    expect(job.counts).toMatchObject({ created: 3 });
    const report = await readReport(key);
    expect((await getUser(report[0]!.userId)).area).toBe(columnArea);
    expect((await getUser(report[1]!.userId)).area).toBe(folderArea);
    expect((await getUser(report[2]!.userId)).area).toBe(columnArea);

    const [d] = emails(1);
    const primaryKey = keyIn('imports');
    await importFile(primaryKey, csv([['email'], [d!]]));
    expect((await getUser((await readReport(primaryKey))[0]!.userId)).area).toBe('primary');
  });

  it('fails as a whole when the folder names an area that does not exist', async () => {
    const key = keyIn('imports/no-such-area');
    const job = await importFile(key, csv([['email'], ...emails(2).map((e) => [e])]));
    expect(job).toMatchObject({ status: 'failed', failure: { code: 'AREA_NOT_FOUND' } });
    expect(await readReport(key)).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'AREA_NOT_FOUND' })]);
  });
});
