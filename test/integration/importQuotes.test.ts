/**
 * Rows whose quotes are broken (issue 19, item 14): text after a closing
 * quote, or a quote escaped with a backslash. Each such row is rejected on its
 * own line with MALFORMED_ROW and a message that says what to fix; no name
 * keeps a stray quote; the rest of the file imports.
 */
import { describe, expect, it } from 'vitest';
import { freshArea, usersInArea, expectInvariant } from '../support/seats.ts';
import { directory, emails, importFile, keyIn, readReport, syncFile } from './importKit.ts';

describe('rows with broken quotes', () => {
  it('are rejected on their lines with MALFORMED_ROW; the other rows import, their names without stray quotes', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [ada, grace, ty, lin, sam] = emails(5);
    const job = await importFile(
      key,
      [
        'email,name',
        `${ada},"Ada"Lovelace`,
        `"${grace}"x,Grace Hopper`,
        `${ty},"Ty \\"The Guy\\" O'Neil"`,
        `${lin},"Lin, Mei"`,
        `${sam}, "Sam ""Sammy"" Rivera" `,
      ].join('\r\n') + '\r\n',
    );
    expect(job).toMatchObject({ status: 'succeeded', counts: { rows: 5, created: 2, rejected: 3 }, byReason: { MALFORMED_ROW: 3 } });
    const report = await readReport(key);
    expect(report.map((r) => [r.line, r.outcome, r.reason])).toEqual([
      ['2', 'rejected', 'MALFORMED_ROW'],
      ['3', 'rejected', 'MALFORMED_ROW'],
      ['4', 'rejected', 'MALFORMED_ROW'],
      ['5', 'created', ''],
      ['6', 'created', ''],
    ]);
    expect(report[0]).toMatchObject({ email: ada, message: expect.stringMatching(/closing quote/) });
    expect(report[2]!.message).toMatch(/backslash.*""/);
    expect((await usersInArea(area)).map((u) => [u.email, u.name]).sort()).toEqual(
      [
        [lin, 'Lin, Mei'],
        [sam, 'Sam "Sammy" Rivera'],
      ].sort(),
    );
    await expectInvariant(area);
  });

  it('a sync that blocks absent users does not block the person a malformed row names', async () => {
    const area = await freshArea(10);
    const dir = directory();
    const [a, b] = emails(2);
    await importFile(keyIn(`sync/${dir}`), syncFile(area, [a!, b!]));
    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;
    try {
      const key = keyIn(`sync/${dir}`);
      const run = await importFile(key, `userPrincipalName,displayName,area\n${a},"A"a,${area}\n${b},B,${area}\n`);
      expect(run.counts).toMatchObject({ rows: 2, rejected: 1, skippedExisting: 1, blockedAbsent: 0 });
      expect((await readReport(key)).map((r) => [r.line, r.email, r.reason])).toEqual([
        ['2', a, 'MALFORMED_ROW'],
        ['3', b, 'ALREADY_EXISTS'],
      ]);
      expect((await usersInArea(area)).every((u) => u.state === 'active')).toBe(true);
    } finally {
      delete process.env.IMPORT_SYNC_BLOCK_ABSENT;
    }
  });
});
