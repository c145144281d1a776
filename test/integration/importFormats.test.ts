/**
 * The files people actually have: user lists exported by Microsoft 365,
 * Entra ID, Google Workspace, Okta, Active Directory and Excel, in their
 * encodings, delimiters and preambles (test/fixtures/csv/); and bad input,
 * row by row and file by file.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { freshArea, usersInArea, expectInvariant } from '../support/seats.ts';
import { csv, emails, importFile, keyIn, readReport } from './importKit.ts';

const fixture = (name: string) => readFileSync(`test/fixtures/csv/${name}`);

/** Report rows as "line outcome[/reason]" by email. */
async function reportByEmail(key: string): Promise<Record<string, string>> {
  return Object.fromEntries((await readReport(key)).map((r) => [r.email, `${r.line} ${r.outcome}${r.reason ? `/${r.reason}` : ''}`]));
}

afterEach(() => {
  delete process.env.IMPORT_MAX_FILE_BYTES;
  delete process.env.IMPORT_MAX_ROWS;
});

describe('exports of the common directories import without editing', () => {
  const cases: [
    string,
    Record<string, string>,
    Record<string, { name: string; givenName?: string; familyName?: string; externalId?: string }>,
  ][] = [
    [
      'microsoft365-active-users.csv', // UTF-8 BOM, CRLF, "User principal name", a quoted address spanning two lines, "Block credential"
      {
        'AdeleV@contoso.com': '2 created',
        'AlexW@contoso.com': '3 created',
        'GradyA@contoso.com': '5 ignored/DISABLED_IN_DIRECTORY',
        'MeganB@contoso.com': '6 created',
      },
      {
        'AdeleV@contoso.com': {
          name: 'Adele Vance',
          givenName: 'Adele',
          familyName: 'Vance',
          externalId: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        },
      },
    ],
    [
      'entra-users-download.csv', // "version:v1.0" preamble; mail preferred to userPrincipalName (guests' #EXT# UPN), UPN when mail is empty
      {
        'diego.siciliani@fabrikam.com': '3 created',
        'isaiahl@fabrikam.com': '4 created',
        'johanna@lorenz-partner.example': '5 created',
        'lee.gu@fabrikam.com': '6 ignored/DISABLED_IN_DIRECTORY',
      },
      { 'johanna@lorenz-partner.example': { name: 'Johanna Lorenz' } },
    ],
    [
      'entra-bulk-create-template.csv', // "User name [userPrincipalName] Required", its "Example:" row, "Block sign in (Yes/No)"
      {
        'Example: chris@contoso.com': '3 ignored/EXAMPLE_ROW',
        'lidiah@northwind.example': '4 created',
        'lynner@northwind.example': '5 ignored/DISABLED_IN_DIRECTORY',
        'nestorw@northwind.example': '6 created',
      },
      { 'lidiah@northwind.example': { name: 'Lidia Holloway', givenName: 'Lidia', familyName: 'Holloway' } },
    ],
    [
      'google-workspace-users.csv', // "Email Address [Required]", no display name (first + last), "Status [READ ONLY]"
      {
        'miriam.graham@tailspin.example': '2 created',
        'patti.fernandez@tailspin.example': '3 created',
        'pradeep.gupta@tailspin.example': '4 ignored/DISABLED_IN_DIRECTORY',
      },
      { 'patti.fernandez@tailspin.example': { name: 'Patti Fernandez' } },
    ],
    [
      'google-workspace-bulk-upload.csv', // Google's bulk-upload template: "New Status [UPLOAD ONLY]" SUSPENDED is disabled, empty is not
      {
        'rosa.diaz@fourthcoffee.example': '2 created',
        'tom.haverford@fourthcoffee.example': '3 ignored/DISABLED_IN_DIRECTORY',
        'ann.perkins@fourthcoffee.example': '4 created',
      },
      { 'rosa.diaz@fourthcoffee.example': { name: 'Rosa Diaz', givenName: 'Rosa', familyName: 'Diaz' } },
    ],
    [
      'atlassian-users-export.csv', // admin.atlassian.com's Export users: "User name" is the person's name next to "email"; "User status" Deactivated
      {
        'nora.atkins@northwind-traders.example': '2 created',
        'chidi.okafor@northwind-traders.example': '3 created',
        'ines.duarte@northwind-traders.example': '4 ignored/DISABLED_IN_DIRECTORY',
      },
      {
        'nora.atkins@northwind-traders.example': { name: 'Nora Atkins', externalId: '557058:2c0b1b1e-7a34-4c5e-9d2f-1a2b3c4d5e6f' },
        'chidi.okafor@northwind-traders.example': { name: 'Okafor, Chidi' },
      },
    ],
    [
      'okta-users.csv', // every field quoted; "Primary email" before "Username"; DEPROVISIONED is disabled, LOCKED_OUT is not
      {
        'ben.walters@wingtip.example': '2 created',
        'camille.dupont@wingtip.example': '3 created',
        'dana.ng@wingtip.example': '4 ignored/DISABLED_IN_DIRECTORY',
        'eli.moss@wingtip.example': '5 created',
      },
      { 'camille.dupont@wingtip.example': { name: 'Camille Dupont', externalId: '00u2b3c4d5e6f7g8h9i0' } },
    ],
    [
      'okta-user-accounts-report.csv', // Okta's User Accounts report: "Okta username", "User fullname", "Okta user status" Deactivated / Suspended
      {
        'fay.lin@wingtip.example': '2 created',
        'pat.ryan@wingtip.example': '3 ignored/DISABLED_IN_DIRECTORY',
        'sue.park@wingtip.example': '4 ignored/DISABLED_IN_DIRECTORY',
      },
      { 'fay.lin@wingtip.example': { name: 'Fay Lin' } },
    ],
    [
      'okta-api-users.csv', // Okta users as the API and Workflows flatten them: "profile.login", "profile.email", "status"
      { 'gil.ortiz@wingtip.example': '2 created', 'hal.berg@wingtip.example': '3 ignored/DISABLED_IN_DIRECTORY' },
      { 'gil.ortiz@wingtip.example': { name: 'Gil Ortiz', givenName: 'Gil', familyName: 'Ortiz', externalId: '00u9z8y7x6w5v4u3t2s1' } },
    ],
    [
      'active-directory-export.csv', // PowerShell's "#TYPE" line, Enabled False, UPN when mail is empty
      {
        'fatima.khan@litware.example': '3 created',
        'gus.olsen@litware.example': '4 ignored/DISABLED_IN_DIRECTORY',
        'hsato@litware.example': '5 created',
      },
      { 'fatima.khan@litware.example': { name: 'Fatima Khan', externalId: '8a1b2c3d-0000-4000-8000-000000000001' } },
    ],
    [
      'active-directory-csvde.csv', // csvde: "DN" first, userAccountControl 514 / 66050 (ACCOUNTDISABLE) are disabled, 512 / 66048 are not, UPN when mail is empty
      {
        'ivan.petrov@litware.example': '2 created',
        'jo.kim@litware.example': '3 ignored/DISABLED_IN_DIRECTORY',
        'kberg@litware.example': '4 created',
        'lou.marsh@litware.example': '5 ignored/DISABLED_IN_DIRECTORY',
      },
      {
        'ivan.petrov@litware.example': { name: 'Ivan Petrov', givenName: 'Ivan', familyName: 'Petrov' },
        'kberg@litware.example': { name: 'Kai Berg' },
      },
    ],
    [
      'excel-semicolon.csv', // German Excel: ';', BOM, CRLF, umlauts, a quoted ';'
      {
        'juergen.mueller@adatum.example': '2 created',
        'zoe.strasse@adatum.example': '3 created',
        'anna.berg@adatum.example': '4 created',
      },
      {
        'juergen.mueller@adatum.example': { name: 'Müller, Jürgen', givenName: 'Jürgen' },
        'zoe.strasse@adatum.example': { name: 'Straße; Zoë' },
        'anna.berg@adatum.example': { name: 'Anna Berg' },
      },
    ],
    [
      'excel-german-name-first.csv', // German Excel: "Nachname, Vorname;E-Mail", as many commas as semicolons in the header; BOM, CRLF
      { 'juergen.mueller@contoso-gmbh.example': '2 created', 'zoe.strasse@contoso-gmbh.example': '3 created' },
      {},
    ],
    [
      'excel-unicode-text.csv', // Excel "Unicode Text": UTF-16 LE with BOM, tabs
      { 'olga.petrova@proseware.example': '2 created', 'wei.chen@proseware.example': '3 created' },
      { 'olga.petrova@proseware.example': { name: 'Ольга Петрова' }, 'wei.chen@proseware.example': { name: '陈伟' } },
    ],
    ['utf16be.csv', { 'sven.lind@proseware-be.example': '2 created' }, { 'sven.lind@proseware-be.example': { name: 'Sven Lind' } }],
    [
      'quoted-multiline.csv', // "sep=," line, quoted commas, doubled quotes and line breaks, trailing empty rows
      { 'sam.rivera@woodgrove.example': '3 created', 'ty.oneil@woodgrove.example': '5 created', 'uma.das@woodgrove.example': '6 created' },
      { 'sam.rivera@woodgrove.example': { name: 'Rivera, Sam' }, 'ty.oneil@woodgrove.example': { name: `O'Neil "Ty"` } },
    ],
  ];

  it.each(cases)('%s', async (name, expected, users) => {
    const area = await freshArea(100);
    const key = `imports/${area}/${name}`;
    const job = await importFile(key, fixture(name));
    expect(job.status, JSON.stringify(job.failure)).toBe('succeeded');
    expect(await reportByEmail(key)).toEqual(expected);

    const created = Object.values(expected).filter((o) => o.endsWith('created')).length;
    expect(job.counts).toMatchObject({ rows: Object.keys(expected).length, created });
    const report = await readReport(key);
    for (const [email, fields] of Object.entries(users)) {
      const row = report.find((r) => r.email === email)!;
      expect(await getUser(row.userId)).toMatchObject({ email, area, source: 'csv', ...fields });
    }
    expect(await readArea(area)).toMatchObject({ active: created });
  });
});

describe('hand-written files', () => {
  it('spaces after the delimiter, before quoted fields, are ignored; names keep their inner spaces', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [ada, grace, lin] = emails(3);
    const job = await importFile(key, `name, email\n"Ada Sp", "${ada}"\n  Grace  Hopper,   ${grace}\n"Lin, Mei",\t"${lin}"\n`);
    expect(job.status, JSON.stringify(job.failure)).toBe('succeeded');
    expect(await reportByEmail(key)).toEqual({ [ada!]: '2 created', [grace!]: '3 created', [lin!]: '4 created' });
    expect((await usersInArea(area)).map((u) => [u.email, u.name]).sort()).toEqual(
      [
        [ada, 'Ada Sp'],
        [grace, 'Grace  Hopper'],
        [lin, 'Lin, Mei'],
      ].sort(),
    );
  });
});

describe('bad rows', () => {
  it('reports each bad row with its line and reason and creates only the good ones', async () => {
    const area = await freshArea(10);
    const key = `imports/${area}/bad-rows.csv`;
    const job = await importFile(key, fixture('bad-rows.csv'));
    const report = await readReport(key);
    expect(report.map((r) => [r.line, r.outcome, r.reason])).toEqual([
      ['2', 'created', ''],
      ['3', 'rejected', 'MISSING_EMAIL'],
      ['4', 'rejected', 'INVALID_EMAIL'],
      ['5', 'rejected', 'UNKNOWN_AREA'],
      ['6', 'rejected', 'DUPLICATE_IN_FILE'],
      ['7', 'rejected', 'FIELD_TOO_LONG'],
      ['8', 'rejected', 'INVALID_EMAIL'],
      ['10', 'created', ''],
    ]);
    expect(report[4]!.message).toContain('line 2');
    expect(report[3]!.message).toContain("'narnia'");
    // What the file held is echoed, but never as a spreadsheet formula.
    expect(report[6]!.email).toBe(`'=cmd|' /C calc'!A0`);
    expect(job.counts).toMatchObject({ rows: 8, created: 2, rejected: 6 });
    expect(job.byReason).toEqual({ MISSING_EMAIL: 1, INVALID_EMAIL: 2, UNKNOWN_AREA: 1, DUPLICATE_IN_FILE: 1, FIELD_TOO_LONG: 1 });
    expect((await usersInArea(area)).map((u) => u.email).sort()).toEqual(['ok.one@badrows.example', 'ok.three@badrows.example']);
    await expectInvariant(area);
  });
});

describe('the report', () => {
  it('keeps a bad cell with a lone line break in its own quoted cell, so no report row splits into a formula', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [good] = emails(1);
    await importFile(key, csv([['email'], ['bad\n=1+2'], ['bad\r@SUM(9)'], [good!]]));
    const report = await readReport(key);
    expect(report.map((r) => [r.line, r.email, r.outcome, r.reason])).toEqual([
      ['2', 'bad\n=1+2', 'rejected', 'INVALID_EMAIL'],
      ['4', 'bad\r@SUM(9)', 'rejected', 'INVALID_EMAIL'],
      // A lone CR ends a line too, as csv-parse counts them.
      ['6', good, 'created', ''],
    ]);
  });
});

describe('files that fail as a whole create nothing', () => {
  const validRows = (n: number, domain: string) =>
    csv([['email', 'name'], ...Array.from({ length: n }, (_, i) => [`p${i}@${domain}`, `Person ${i}`])]);

  it.each([
    ['empty.csv', 'EMPTY_FILE'],
    ['header-only.csv', 'EMPTY_FILE'],
    ['no-email-column.csv', 'NO_EMAIL_COLUMN'],
    ['windows-1252.csv', 'UNSUPPORTED_ENCODING'],
    ['unclosed-quote.csv', 'MALFORMED_CSV'],
    ['people-saved-as-xlsx.csv', 'NOT_CSV'],
    ['people-json.csv', 'NOT_CSV'],
  ])('%s → %s', async (name, code) => {
    const area = await freshArea(10);
    const key = `imports/${area}/${name}`;
    const job = await importFile(key, fixture(name));
    expect(job).toMatchObject({ status: 'failed', failure: { code } });
    expect(job.failure!.message.length).toBeGreaterThan(20);
    expect(await readReport(key)).toEqual([expect.objectContaining({ outcome: 'failed', reason: code, message: job.failure!.message })]);
    expect(await usersInArea(area)).toEqual([]);
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 0 });
  });

  it('names the line of a quote that never closes', async () => {
    const area = await freshArea(10);
    const job = await importFile(`imports/${area}/unclosed.csv`, fixture('unclosed-quote.csv'));
    expect(job.failure).toMatchObject({ code: 'MALFORMED_CSV' });
    expect(job.failure!.message).toMatch(/line 4/);
  });

  describe('one record over 64 KB fails the file with MALFORMED_CSV, naming its line (delimiters count: it is the line that is measured)', () => {
    const namedColumns = Array.from({ length: 12_000 }, (_, i) => `c${i}`).join(','); // 70 KB, under 64 KB of text without the commas
    it.each([
      ['a header line of 70 KB of column names', `email,${namedColumns}\na@long-header.example\n`, 1],
      ['a header of email and 400,000 empty columns', `email${','.repeat(400_000)}\na@empty-columns.example\n`, 1],
      ['a 70 KB header after a preamble line', `version:v1.0\nemail,${namedColumns}\na@preamble.example\n`, 2],
      ['a row of 100,000 empty columns', `email,name\nok@long-row.example,Ok\nlong@long-row.example${','.repeat(100_000)}\n`, 3],
      [
        'a quoted field spanning lines, 70 KB in all',
        `email,notes\nok@long-field.example,x\nlong@long-field.example,"${'note\n'.repeat(14_000)}"\n`,
        3,
      ],
    ])('%s', async (_, text, line) => {
      const area = await freshArea(10);
      const key = keyIn(`imports/${area}`);
      const job = await importFile(key, text);
      expect(job).toMatchObject({ status: 'failed', failure: { code: 'MALFORMED_CSV', line } });
      expect(job.failure!.message).toMatch(new RegExp(`line ${line}\\b.*longer than 64 KB`, 'i'));
      expect(await usersInArea(area)).toEqual([]);
    });
  });

  it('binary data deep inside an otherwise valid file', async () => {
    const area = await freshArea(5000);
    const text = validRows(3000, 'deep-binary.example');
    const bytes = Buffer.concat([Buffer.from(text), Buffer.from([0, 1, 2, 0xff, 0]), Buffer.from('\nlast@deep-binary.example,Last\n')]);
    const job = await importFile(`imports/${area}/mixed.csv`, bytes);
    expect(job).toMatchObject({ status: 'failed', failure: { code: expect.stringMatching(/BINARY_FILE|UNSUPPORTED_ENCODING/) } });
    expect(await usersInArea(area)).toEqual([]);
  });

  it('random binary data', async () => {
    const area = await freshArea(10);
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const job = await importFile(`imports/${area}/random.csv`, bytes);
    expect(job.failure).toMatchObject({ code: 'BINARY_FILE' });
  });

  it('a file over the size limit', async () => {
    process.env.IMPORT_MAX_FILE_BYTES = '2048';
    const area = await freshArea(500);
    const job = await importFile(`imports/${area}/big.csv`, validRows(200, 'too-big.example'));
    expect(job).toMatchObject({ status: 'failed', failure: { code: 'FILE_TOO_LARGE' } });
    expect(job.failure!.message).toContain('2 KB');
    expect(await usersInArea(area)).toEqual([]);
  });

  it('a file with more rows than one run may take', async () => {
    process.env.IMPORT_MAX_ROWS = '5';
    const area = await freshArea(50);
    const job = await importFile(`imports/${area}/many.csv`, validRows(6, 'too-many.example'));
    expect(job).toMatchObject({ status: 'failed', failure: { code: 'TOO_MANY_ROWS', line: 7 } });
    expect(await usersInArea(area)).toEqual([]);
  });

  it('a file that is not .csv', async () => {
    const area = await freshArea(10);
    const job = await importFile(`imports/${area}/people.xlsx`, validRows(2, 'xlsx-name.example'));
    expect(job).toMatchObject({ status: 'failed', failure: { code: 'NOT_CSV' } });
    expect(await usersInArea(area)).toEqual([]);
  });

  it('a sync file outside a directory folder', async () => {
    const job = await importFile('sync/users-without-directory.csv', validRows(2, 'no-directory.example'));
    expect(job).toMatchObject({ status: 'failed', mode: 'sync', failure: { code: 'INVALID_KEY' } });
  });
});
