/**
 * The report's messages name what a person has to fix: the column that is too
 * long (not the display name built from it), and for a repeated email the line
 * that already used it — true whether that line was imported or rejected.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshArea, usersInArea } from '../support/seats.ts';
import { csv, emails, importFile, keyIn, readReport } from './importKit.ts';

describe('row messages', () => {
  it('names the column that is too long, and both name columns when together they are', async () => {
    const area = await freshArea(10);
    const [longFirst, longLast, longDisplay, longTogether, fits] = emails(5);
    const key = keyIn(`imports/${area}`);
    const job = await importFile(
      key,
      csv([
        ['email', 'first name', 'last name', 'display name'],
        [longFirst!, 'F'.repeat(201), 'Last', ''],
        [longLast!, 'First', 'L'.repeat(201), ''],
        [longDisplay!, 'First', 'Last', 'D'.repeat(201)],
        [longTogether!, 'F'.repeat(150), 'L'.repeat(150), ''],
        // Parts of 150 are fine when a display name is given.
        [fits!, 'F'.repeat(150), 'L'.repeat(150), 'Display'],
      ]),
    );
    const report = await readReport(key);
    expect(report.map((r) => `${r.outcome}/${r.reason}`)).toEqual([
      'rejected/FIELD_TOO_LONG',
      'rejected/FIELD_TOO_LONG',
      'rejected/FIELD_TOO_LONG',
      'rejected/FIELD_TOO_LONG',
      'created/',
    ]);
    expect(report[0]!.message).toBe('The first name is longer than 200 characters.');
    expect(report[1]!.message).toBe('The last name is longer than 200 characters.');
    expect(report[2]!.message).toBe('The display name is longer than 200 characters.');
    expect(report[3]!.message).toMatch(/^The first name and last name together are longer than 200 characters/);
    expect(job.counts).toMatchObject({ created: 1, rejected: 4 });
    expect((await usersInArea(area)).map((u) => u.name)).toEqual(['Display']);
  });

  it('refuses a name with a control character or a text-direction override, naming the column (a NUL makes the file binary)', async () => {
    const area = await freshArea(10);
    const [lineBreak, tab, override, plain] = emails(4);
    const key = keyIn(`imports/${area}`);
    const job = await importFile(
      key,
      csv([
        ['email', 'first name', 'display name'],
        [lineBreak!, 'Ada', 'Ada\nLovelace'],
        [tab!, 'A\tda', ''],
        [override!, 'Ada', 'evil\u202Etxt.exe'],
        [plain!, 'Ada', 'Ada Lovelace'],
      ]),
    );
    const report = await readReport(key);
    expect(report.map((r) => `${r.outcome}/${r.reason}`)).toEqual([
      'rejected/INVALID_TEXT',
      'rejected/INVALID_TEXT',
      'rejected/INVALID_TEXT',
      'created/',
    ]);
    expect(report[1]!.message).toBe('The first name contains a control character (a line break, tab or NUL) or a text-direction override.');
    expect(job.counts).toMatchObject({ created: 1, rejected: 3 });
    expect((await usersInArea(area)).map((u) => u.name)).toEqual(['Ada Lovelace']);
  });

  it("an Entra guest with no mail: its #EXT# UPN is not an address, and the message says so; a member's UPN stands in for mail", async () => {
    const area = await freshArea(10);
    const domain = `${randomUUID().slice(0, 8)}.example`;
    const guestUpn = `alice_contoso.com#EXT#@${domain.split('.')[0]}.onmicrosoft.com`;
    const key = keyIn(`imports/${area}`);
    const job = await importFile(
      key,
      csv([
        ['userPrincipalName', 'displayName', 'mail', 'userType'],
        [guestUpn, 'Alice (guest)', '', 'Guest'],
        [`bob_fabrikam.com#EXT#@${domain.split('.')[0]}.onmicrosoft.com`, 'Bob (guest)', `bob@fabrikam-${domain}`, 'Guest'],
        [`carol@${domain}`, 'Carol', '', 'Member'],
      ]),
    );
    const report = await readReport(key);
    expect(report.map((r) => `${r.line} ${r.email} ${r.outcome}/${r.reason}`)).toEqual([
      `2 ${guestUpn} rejected/INVALID_EMAIL`,
      `3 bob@fabrikam-${domain} created/`,
      `4 carol@${domain} created/`,
    ]);
    expect(report[0]!.message).toMatch(/guest's user principal name \(#EXT#\), not an email address/);
    expect(report[0]!.message).toMatch(/mail/);
    expect(job.counts).toMatchObject({ created: 2, rejected: 1 });
  });

  it('a repeated email says which line already used it, true whether that line was imported or not', async () => {
    const area = await freshArea(10);
    const [rejectedFirst, importedFirst] = emails(2);
    const key = keyIn(`imports/${area}`);
    await importFile(
      key,
      csv([
        ['email', 'area'],
        [rejectedFirst!, 'no-such-area'],
        [rejectedFirst!, area],
        [importedFirst!, area],
        [importedFirst!, area],
      ]),
    );
    const report = await readReport(key);
    expect(report.map((r) => `${r.line} ${r.outcome}/${r.reason}`)).toEqual([
      '2 rejected/UNKNOWN_AREA',
      '3 rejected/DUPLICATE_IN_FILE',
      '4 created/',
      '5 rejected/DUPLICATE_IN_FILE',
    ]);
    expect(report[1]!.message).toContain('already used on line 2');
    expect(report[3]!.message).toContain('already used on line 4');
    for (const row of [report[1]!, report[3]!]) expect(row.message).not.toMatch(/imported/);
  });
});
