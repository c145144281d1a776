/**
 * One CSV record → a user to import, or why not (functions/import/rowValidation.ts):
 * checks in the order a person fixes them, each with its reason code and a message,
 * and the file's emails remembered once (EmailsSeen) for duplicates and for a sync.
 */
import { describe, expect, it } from 'vitest';
import { mapColumns } from '../../../../functions/import/headerAliases.ts';
import { ROW_REASONS } from '../../../../functions/import/importOutcome.ts';
import { EmailsSeen, checkRow, type RowContext } from '../../../../functions/import/rowValidation.ts';

const HEADERS = ['email', 'display name', 'first name', 'last name', 'area', 'external id', 'account enabled'];
const context: RowContext = {
  columns: mapColumns(HEADERS),
  defaultArea: 'primary',
  areaExists: (area) => ['primary', 'extranet'].includes(area),
};

/** A row of HEADERS' columns from the named cells. */
const row = (cells: Partial<Record<(typeof HEADERS)[number], string>>, line = 2) => ({
  line,
  fields: HEADERS.map((header) => cells[header] ?? ''),
});
const check = (cells: Parameters<typeof row>[0], seen = new EmailsSeen(), line = 2) => checkRow(row(cells, line), context, seen);

describe('checkRow', () => {
  it('reads a valid row: the email as written, the lower-cased key, the names, the area and the external id', () => {
    expect(check({ email: ' Ada@Example.com ', 'display name': 'Ada Lovelace', area: 'Extranet', 'external id': 'ext-1' })).toEqual({
      kind: 'valid',
      line: 2,
      key: 'ada@example.com',
      fields: { email: 'Ada@Example.com', name: 'Ada Lovelace', givenName: '', familyName: '', area: 'extranet', externalId: 'ext-1' },
      disabled: false,
    });
  });

  it('builds the display name from the first and last name when none is given, and puts a row without an area in the default one', () => {
    expect(check({ email: 'a@x.example', 'first name': 'Grace', 'last name': 'Hopper' })).toMatchObject({
      fields: { name: 'Grace Hopper', area: 'primary' },
    });
  });

  it("leaves blank rows out, and ignores a template's example row", () => {
    expect(check({})).toEqual({ kind: 'blank', line: 2 });
    expect(check({ email: 'Example: jane@contoso.com' })).toMatchObject({
      kind: 'ignored',
      reason: 'EXAMPLE_ROW',
      message: ROW_REASONS.EXAMPLE_ROW,
    });
  });

  it.each([
    [{ 'display name': 'Nobody' }, 'MISSING_EMAIL', ROW_REASONS.MISSING_EMAIL],
    [{ email: 'not an address' }, 'INVALID_EMAIL', ROW_REASONS.INVALID_EMAIL],
    [{ email: `${'a'.repeat(250)}@x.example` }, 'FIELD_TOO_LONG', 'The email address is longer than 254 characters.'],
    [{ email: 'alice_contoso.com#EXT#@tenant.onmicrosoft.com' }, 'INVALID_EMAIL', /guest's user principal name \(#EXT#\)/],
    [{ email: 'a@x.example', 'display name': 'é'.repeat(201) }, 'FIELD_TOO_LONG', 'The display name is longer than 200 characters.'],
    [{ email: 'a@x.example', 'last name': 'Smith\u202Eevil' }, 'INVALID_TEXT', /The last name contains a control character/],
    [
      { email: 'a@x.example', 'first name': 'x'.repeat(120), 'last name': 'y'.repeat(100) },
      'FIELD_TOO_LONG',
      /first name and last name together are longer than 200/,
    ],
    [{ email: 'a@x.example', area: 'nowhere' }, 'UNKNOWN_AREA', /Area 'nowhere' does not exist/],
    [{ email: 'a@x.example', area: 'Not An Area!' }, 'UNKNOWN_AREA', /Area 'not an area!' does not exist/],
  ])('rejects %j: %s', (cells, reason, message) => {
    const checked = check(cells);
    expect(checked).toMatchObject({ kind: 'rejected', reason });
    expect((checked as { message: string }).message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });

  it('counts a name in characters, not UTF-16 units: 200 emoji are a valid name', () => {
    expect(check({ email: 'a@x.example', 'display name': '😀'.repeat(200) })).toMatchObject({ kind: 'valid' });
  });

  it('shortens what a rejected row shows of a very long email cell', () => {
    const checked = check({ email: 'x'.repeat(1000) }) as { email: string };
    expect(checked.email).toHaveLength(321);
    expect(checked.email.endsWith('…')).toBe(true);
  });

  it('rejects a later line with the same email in any letter case, naming the first line', () => {
    const seen = new EmailsSeen();
    expect(check({ email: 'ada@x.example' }, seen, 2)).toMatchObject({ kind: 'valid' });
    expect(check({ email: 'ADA@x.example' }, seen, 7)).toMatchObject({
      kind: 'rejected',
      reason: 'DUPLICATE_IN_FILE',
      message: expect.stringContaining('line 2 of the file'),
    });
    // The second pass reads the first line again: it is its email's first line, not a duplicate.
    expect(check({ email: 'ada@x.example' }, seen, 2)).toMatchObject({ kind: 'valid' });
  });

  it("reads the directory's disabled flag, and remembers which emails it lists enabled", () => {
    const seen = new EmailsSeen();
    expect(check({ email: 'on@x.example', 'account enabled': 'True' }, seen, 2)).toMatchObject({ disabled: false });
    expect(check({ email: 'off@x.example', 'account enabled': 'False' }, seen, 3)).toMatchObject({ kind: 'valid', disabled: true });
    expect([seen.listsEnabled('on@x.example'), seen.listsEnabled('off@x.example'), seen.listsEnabled('absent@x.example')]).toEqual([
      true,
      false,
      false,
    ]);
    expect(seen.size).toBe(2);
  });

  it('rejects a malformed record, but still counts its likely address as listed (a sync must not block that person as absent)', () => {
    const seen = new EmailsSeen();
    const checked = checkRow({ ...row({ email: 'ty@x.example' }), malformed: 'The row is not valid CSV.' }, context, seen);
    expect(checked).toMatchObject({ kind: 'rejected', reason: 'MALFORMED_ROW', message: 'The row is not valid CSV.' });
    expect(seen.listsEnabled('ty@x.example')).toBe(true);
  });
});
