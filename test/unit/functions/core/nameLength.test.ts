/**
 * One name-length rule on every path (issue 19, item 10): at most 200
 * characters, counted as Unicode code points (an emoji is one character, not
 * two UTF-16 units), whether the name comes through the API, a CSV file or SCIM.
 */
import { describe, expect, it } from 'vitest';
import { createUserBody, updateUserBody } from '../../../../functions/http/schemas.ts';
import { mapColumns } from '../../../../functions/import/headerAliases.ts';
import { EmailsSeen, checkRow } from '../../../../functions/import/rowValidation.ts';
import { nameParts } from '../../../../functions/scim/userResource.ts';

const emoji = (n: number) => '😀'.repeat(n);
const accented = (n: number) => 'é'.repeat(n);

/** Whether each path accepts `name` as a display name. */
function accepted(name: string) {
  const row = checkRow(
    { line: 2, fields: ['ada@example.com', name] },
    { columns: mapColumns(['email', 'display name']), defaultArea: 'primary', areaExists: () => true },
    new EmailsSeen(),
  );
  let scim = true;
  try {
    nameParts({ displayName: name });
  } catch {
    scim = false;
  }
  return {
    api: createUserBody.safeParse({ email: 'ada@example.com', name }).success && updateUserBody.safeParse({ name }).success,
    csv: row.kind === 'valid',
    scim,
  };
}

const all = (value: boolean) => ({ api: value, csv: value, scim: value });

describe('a name of up to 200 characters, counted as a person counts them', () => {
  it.each([
    ['150 emoji (300 UTF-16 units)', emoji(150), true],
    ['200 emoji', emoji(200), true],
    ['201 emoji', emoji(201), false],
    ['200 ASCII letters', 'a'.repeat(200), true],
    ['201 ASCII letters', 'a'.repeat(201), false],
    ['100 emoji and 100 letters', emoji(100) + 'a'.repeat(100), true],
    ['100 emoji and 101 letters', emoji(100) + 'a'.repeat(101), false],
    ['200 é', accented(200), true],
  ])('%s: the API, a CSV file and SCIM agree', (_, name, ok) => {
    expect(accepted(name)).toEqual(all(ok));
  });

  it('a CSV row without a display name: first and last name together, the space included, by the same count', () => {
    const check = (given: string, family: string) =>
      checkRow(
        { line: 2, fields: ['ada@example.com', given, family] },
        { columns: mapColumns(['email', 'first name', 'last name']), defaultArea: 'primary', areaExists: () => true },
        new EmailsSeen(),
      );
    expect(check(emoji(100), emoji(99))).toMatchObject({ kind: 'valid', fields: { name: `${emoji(100)} ${emoji(99)}` } });
    expect(check(emoji(100), emoji(100))).toMatchObject({
      kind: 'rejected',
      reason: 'FIELD_TOO_LONG',
      message: expect.stringContaining('200 characters'),
    });
  });

  it('the message names the limit in characters', () => {
    const row = checkRow(
      { line: 2, fields: ['ada@example.com', emoji(201)] },
      { columns: mapColumns(['email', 'display name']), defaultArea: 'primary', areaExists: () => true },
      new EmailsSeen(),
    );
    expect(row).toMatchObject({ kind: 'rejected', reason: 'FIELD_TOO_LONG', message: 'The display name is longer than 200 characters.' });
    expect(() => nameParts({ displayName: emoji(201) })).toThrow(/displayName must be at most 200 characters/);
    expect(createUserBody.safeParse({ email: 'ada@example.com', name: emoji(201) }).error?.issues[0]?.message).toBe(
      'must be at most 200 characters',
    );
  });
});
