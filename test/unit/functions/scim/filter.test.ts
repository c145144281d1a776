/**
 * SCIM filters and attribute paths (functions/scim/filter.ts, RFC 7644 §3.4.2.2):
 * `eq` joined by `and` on any attribute Seatkeeper keeps, value paths and
 * extension URNs; everything else refused with invalidFilter (or invalidPath)
 * rather than answered wrongly; matching by each attribute's case rule; and
 * which filters a key read answers.
 */
import { describe, expect, it } from 'vitest';
import { lookupKey, matches, matchingKey, parseFilter, parsePath, type JsonObject } from '../../../../functions/scim/filter.ts';
import { userSchemaModel } from '../../../../functions/scim/userSchema.ts';

const model = userSchemaModel();
const EXTENSION = 'urn:ietf:params:scim:schemas:extension:seatkeeper:2.0:User';

const ada: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXTENSION],
  id: '0190c0de-0000-7000-8000-000000000001',
  externalId: 'AbC-123',
  userName: 'Ada@Example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  emails: [{ value: 'Ada@Example.com', type: 'work', primary: true }],
  active: true,
  [EXTENSION]: { area: 'extranet' },
};

const matchesAda = (text: string) => matches(parseFilter(text, model), ada);

describe('parseFilter', () => {
  it('reads eq terms joined by and, in any letter case, with parentheses', () => {
    expect(parseFilter('userName eq "ada@example.com"', model)).toMatchObject({
      op: 'eq',
      path: { text: 'userName' },
      value: 'ada@example.com',
    });
    const both = parseFilter('(userName EQ "a@b.c") AND active eq true', model);
    expect(both).toMatchObject({
      op: 'and',
      filters: [
        { op: 'eq', value: 'a@b.c' },
        { op: 'eq', value: true },
      ],
    });
  });

  it('reads JSON literals: strings with escapes, true, false, null and numbers', () => {
    const value = (literal: string) => (parseFilter(`displayName eq ${literal}`, model) as { value: unknown }).value;
    expect(value('"say \\"hi\\" \\u00e9"')).toBe('say "hi" é');
    expect([value('True'), value('false'), value('null'), value('-1.5e2')]).toEqual([true, false, null, -150]);
  });

  it('resolves value paths, sub-attributes and extension attributes', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@y.z"', model)).toMatchObject({
      path: { attribute: { name: 'emails' }, subAttribute: { name: 'value' } },
    });
    expect(parseFilter('name.givenName eq "Ada"', model)).toMatchObject({
      path: { attribute: { name: 'name' }, subAttribute: { name: 'givenName' } },
    });
    expect(parseFilter(`${EXTENSION}:area eq "extranet"`, model)).toMatchObject({
      path: { schema: EXTENSION, attribute: { name: 'area' } },
    });
  });

  it.each([
    ['userName ne "a"', /Operator 'ne' is not supported/],
    ['userName co "a"', /Operator 'co' is not supported/],
    ['userName pr', /Operator 'pr' is not supported/],
    ['userName eq "a" or userName eq "b"', /'or' is not supported/],
    ['not (userName eq "a")', /'not' is not supported/],
    ['(userName eq "a"', /Missing '\)'/],
    ['userName eq "a', /Unterminated string/],
    ['userName eq', /Expected a value/],
    ['userName eq "a" extra', /Unexpected text after a complete filter/],
    ['nickName eq "x"', /Seatkeeper does not keep that attribute/],
    ['emails[type eq "work"', /Missing '\]'/],
    ['displayName[value eq "x"]', /is not multi-valued/],
    ['   ', /The filter is empty/],
  ])('refuses %j with invalidFilter', (text, detail) => {
    expect(() => parseFilter(text, model)).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidFilter', message: expect.stringMatching(detail) }),
    );
  });
});

describe('parsePath', () => {
  it('reads the paths a PATCH names, and refuses the malformed ones with invalidPath', () => {
    expect(parsePath('name.familyName', model)).toMatchObject({ attribute: { name: 'name' }, subAttribute: { name: 'familyName' } });
    expect(parsePath(EXTENSION, model)).toMatchObject({ schema: EXTENSION, wholeExtension: true });
    expect(parsePath('nickName', model).attribute).toBeUndefined();
    expect(() => parsePath('a.b.c', model)).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
    expect(() => parsePath('', model)).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  });
});

describe('matches', () => {
  it('compares strings case-insensitively unless the attribute is caseExact (id, externalId)', () => {
    expect(matchesAda('userName eq "ada@example.com"')).toBe(true);
    expect(matchesAda('externalId eq "AbC-123"')).toBe(true);
    expect(matchesAda('externalId eq "abc-123"')).toBe(false);
  });

  it('reads booleans sent as strings, as Entra sends them', () => {
    expect(matchesAda('active eq "True"')).toBe(true);
    expect(matchesAda('active eq false')).toBe(false);
  });

  it('compares a complex attribute by its value, and a value filter by the elements it selects', () => {
    expect(matchesAda('emails eq "ada@example.com"')).toBe(true);
    expect(matchesAda('emails[type eq "work"].value eq "ada@example.com"')).toBe(true);
    expect(matchesAda('emails[type eq "home"].value eq "ada@example.com"')).toBe(false);
  });

  it('requires every term of an and, and reads null as "absent"', () => {
    expect(matchesAda(`userName eq "ada@example.com" and ${EXTENSION}:area eq "EXTRANET"`)).toBe(true);
    expect(matchesAda(`userName eq "ada@example.com" and ${EXTENSION}:area eq "primary"`)).toBe(false);
    expect(matchesAda('name.formatted eq null')).toBe(true);
    expect(matchesAda('displayName eq null')).toBe(false);
  });
});

describe('lookupKey', () => {
  it('names the key a filter pins down: an email (userName or emails), an id, or an externalId', () => {
    expect(lookupKey(parseFilter('userName eq "a@b.c"', model))).toEqual({ email: 'a@b.c' });
    expect(lookupKey(parseFilter('emails[type eq "work"].value eq "a@b.c"', model))).toEqual({ email: 'a@b.c' });
    expect(lookupKey(parseFilter('active eq true and id eq "x"', model))).toEqual({ id: 'x' });
    expect(lookupKey(parseFilter('externalId eq "e-1"', model))).toEqual({ externalId: 'e-1' });
  });

  it('names none when nothing is pinned down: the caller reads and tests each user', () => {
    expect(lookupKey(parseFilter('active eq true', model))).toBeUndefined();
    expect(lookupKey(parseFilter('externalId eq ""', model))).toBeUndefined();
    expect(lookupKey(parseFilter('emails[type eq "work"].type eq "work"', model))).toBeUndefined();
  });
});

describe('matchingKey', () => {
  it('finds an attribute in any letter case, as SCIM names are case-insensitive', () => {
    expect(matchingKey({ UserName: 'x' }, 'userName')).toBe('UserName');
    expect(matchingKey({ userName: 'x', username: 'y' }, 'userName')).toBe('userName');
    expect(matchingKey({}, 'userName')).toBeUndefined();
  });
});
