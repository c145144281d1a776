/**
 * Files whose line ends change along the way (issue 19, items 7 and 8): rows
 * appended by another tool, a header saved by Excel over rows from a script.
 * Every data line becomes one user and one report line, on the line an editor
 * shows it on; a sync that blocks absent users blocks none of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readArea } from '#core/seatCounter.ts';
import { freshArea, usersInArea, expectInvariant } from '../support/seats.ts';
import { directory, emails, importFile, keyIn, outcomes, readReport, syncFile } from './importKit.ts';

afterEach(() => {
  delete process.env.IMPORT_SYNC_BLOCK_ABSENT;
});

/** The report as "line email outcome" strings, in file order. */
const reportLines = async (key: string) =>
  (await readReport(key)).map((r) => `${r.line} ${r.email} ${r.outcome}${r.reason ? `/${r.reason}` : ''}`);

describe('an upload mixing line ends', () => {
  it('a CRLF header over LF rows (the last without a line end) imports every row', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [a, b] = emails(2);
    const job = await importFile(key, `Email,Name\r\n${a},A\n${b},B`);
    expect(job).toMatchObject({ status: 'succeeded', counts: { rows: 2, created: 2, rejected: 0 } });
    expect(await reportLines(key)).toEqual([`2 ${a} created`, `3 ${b} created`]);
    expect((await usersInArea(area)).map((u) => [u.email, u.name]).sort()).toEqual([
      [a, 'A'],
      [b, 'B'],
    ]);
  });

  it('a CRLF header over 100 LF rows: 100 users, 100 report lines numbered 2 to 101', async () => {
    const area = await freshArea(100);
    const key = keyIn(`imports/${area}`);
    const people = emails(100);
    const job = await importFile(key, `email,name\r\n${people.map((email, i) => `${email},Person ${i}`).join('\n')}\n`);
    expect(job).toMatchObject({ status: 'succeeded', counts: { rows: 100, created: 100 } });
    expect(await reportLines(key)).toEqual(people.map((email, i) => `${i + 2} ${email} created`));
    expect((await usersInArea(area)).map((u) => u.email).sort()).toEqual([...people].sort());
    expect(await readArea(area)).toMatchObject({ active: 100 });
    await expectInvariant(area);
  });

  it('one LF row among CRLF rows does not swallow the next user', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [a, b, c, d] = emails(4);
    await importFile(key, `email,name\r\n${a},A\r\n${b},B\n${c},C\r\n${d},D\r\n`);
    expect(await reportLines(key)).toEqual([`2 ${a} created`, `3 ${b} created`, `4 ${c} created`, `5 ${d} created`]);
    expect((await usersInArea(area)).map((u) => [u.email, u.name]).sort()).toEqual([
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
      [d, 'D'],
    ]);
  });

  it('an LF header over CRLF rows reports lines 2, 3, 4 and stores no CR in the names', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [a, b, c] = emails(3);
    const job = await importFile(key, `email,name\n${a},A\r\n${b},B\r\n${c},C\r\n`);
    expect(job.counts).toMatchObject({ rows: 3, created: 3, rejected: 0 });
    expect(await reportLines(key)).toEqual([`2 ${a} created`, `3 ${b} created`, `4 ${c} created`]);
    expect((await usersInArea(area)).map((u) => u.name).sort()).toEqual(['A', 'B', 'C']);
  });

  it('bad rows in a file of mixed line ends are reported on their own lines', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [a, b] = emails(2);
    await importFile(key, `email,area\n${a},\r\nnot-an-email,\rsomeone@example.com,narnia\r\n\n${b},\n`);
    expect(await reportLines(key)).toEqual([
      `2 ${a} created`,
      '3 not-an-email rejected/INVALID_EMAIL',
      '4 someone@example.com rejected/UNKNOWN_AREA',
      `6 ${b} created`,
    ]);
  });
});

describe('a sync that blocks absent users', () => {
  it('blocks nobody the file lists, whatever line end a row has', async () => {
    const area = await freshArea(10);
    const dir = directory();
    const people = emails(4);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, people));
    expect(await readArea(area)).toMatchObject({ active: 4 });
    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;

    // The same four people, with CRLF line ends and one LF among them.
    const lines = syncFile(area, people).trimEnd().split('\n');
    const key = keyIn(`sync/${dir}`);
    const run = await importFile(key, `${lines.slice(0, 3).join('\r\n')}\n${lines.slice(3).join('\r\n')}\r\n`);
    expect(run).toMatchObject({ status: 'succeeded', blockAbsent: true, counts: { rows: 4, skippedExisting: 4, blockedAbsent: 0 } });
    expect(await outcomes(key)).toEqual(Object.fromEntries(people.map((email) => [email, 'exists/ALREADY_EXISTS'])));
    expect((await readReport(key)).map((r) => r.line)).toEqual(['2', '3', '4', '5']);
    expect((await usersInArea(area)).every((u) => u.state === 'active')).toBe(true);
    expect(await readArea(area)).toMatchObject({ active: 4, blocked: 0 });
    await expectInvariant(area);
  });
});
