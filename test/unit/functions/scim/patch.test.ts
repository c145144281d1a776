/**
 * SCIM PATCH (functions/scim/patch.ts, RFC 7644 §3.5.2) on a resource
 * document, as Okta and Entra ID send it: ops in any letter case, with or
 * without a path, dotted paths and extension URNs as keys, value filters that
 * create the element they name; read-only attributes refused, unknown ones
 * ignored, and all or nothing.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../functions/scim/filter.ts';
import { applyPatch, patchOperations } from '../../../../functions/scim/patch.ts';
import { userSchemaModel } from '../../../../functions/scim/userSchema.ts';

const model = userSchemaModel();
const EXTENSION = 'urn:ietf:params:scim:schemas:extension:seatkeeper:2.0:User';

const resource = (): JsonObject => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXTENSION],
  id: 'u-1',
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  [EXTENSION]: { area: 'primary' },
});

const patch = (operations: unknown[], on: JsonObject = resource()) => applyPatch(on, patchOperations({ Operations: operations }), model);

describe('patchOperations', () => {
  it('reads ops in any letter case, keeping path and value', () => {
    expect(
      patchOperations({
        schemas: [],
        Operations: [
          { op: 'Replace', path: 'active', value: 'False' },
          { OP: 'remove', Path: 'name.givenName' },
        ],
      }),
    ).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'remove', path: 'name.givenName' },
    ]);
  });

  it.each([
    [{}, 'invalidSyntax', /Operations must be a non-empty array/],
    [{ Operations: [] }, 'invalidSyntax', /Operations must be a non-empty array/],
    [{ Operations: [{ op: 'move', path: 'x' }] }, 'invalidSyntax', /op must be add, replace or remove/],
    [{ Operations: [{ op: 'add', path: 'displayName' }] }, 'invalidSyntax', /add needs a value/],
    [{ Operations: [{ op: 'remove' }] }, 'noTarget', /remove needs a path/],
    [{ Operations: [{ op: 'add', path: 3, value: 'x' }] }, 'invalidSyntax', /path must be a string/],
    [
      { Operations: Array.from({ length: 101 }, () => ({ op: 'add', path: 'displayName', value: 'x' })) },
      'invalidSyntax',
      /At most 100 operations/,
    ],
  ])('refuses %j', (body, scimType, detail) => {
    expect(() => patchOperations(body)).toThrow(expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(detail) }));
  });
});

describe('applyPatch', () => {
  it('replaces by path, dotted sub-attributes and extension attributes included', () => {
    const after = patch([
      { op: 'replace', path: 'displayName', value: 'Countess' },
      { op: 'replace', path: 'name.familyName', value: 'King' },
      { op: 'replace', path: `${EXTENSION}:area`, value: 'extranet' },
    ]);
    expect(after).toMatchObject({
      displayName: 'Countess',
      name: { givenName: 'Ada', familyName: 'King' },
      [EXTENSION]: { area: 'extranet' },
    });
  });

  it('takes an object of paths as value without a path, as Entra sends it, ignoring read-only parts of a whole resource', () => {
    const after = patch([
      { op: 'replace', value: { 'name.givenName': 'Augusta', active: 'False', id: 'other', [EXTENSION]: { area: 'lab' } } },
    ]);
    expect(after).toMatchObject({ id: 'u-1', name: { givenName: 'Augusta' }, active: false, [EXTENSION]: { area: 'lab' } });
  });

  it('merges add and replace into a complex attribute: sub-attributes not sent stay', () => {
    expect(patch([{ op: 'add', path: 'name', value: { familyname: 'King' } }]).name).toEqual({ givenName: 'Ada', familyName: 'King' });
  });

  it('updates the element a value filter selects, and creates it when an eq filter selects none', () => {
    expect(patch([{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@lovelace.org' }]).emails).toEqual([
      { value: 'ada@lovelace.org', type: 'work', primary: true },
    ]);
    expect(patch([{ op: 'add', path: 'emails[type eq "home"].value', value: 'ada@home.org' }]).emails).toEqual([
      { value: 'ada@example.com', type: 'work', primary: true },
      { type: 'home', value: 'ada@home.org' },
    ]);
  });

  it('adds to a multi-valued attribute without repeating a value, and removes by filter or by value', () => {
    expect(
      patch([{ op: 'add', path: 'emails', value: [{ value: 'ADA@example.com', display: 'Ada' }, { value: 'b@example.com' }] }]).emails,
    ).toEqual([{ value: 'ADA@example.com', type: 'work', primary: true, display: 'Ada' }, { value: 'b@example.com' }]);
    expect(patch([{ op: 'remove', path: 'emails[type eq "work"]' }]).emails).toEqual([]);
    expect(patch([{ op: 'remove', path: 'emails', value: [{ value: 'ada@example.com' }] }]).emails).toEqual([]);
  });

  it('clears an attribute on remove or on a null value', () => {
    expect(patch([{ op: 'remove', path: 'displayName' }])).not.toHaveProperty('displayName');
    expect(patch([{ op: 'replace', path: 'name.givenName', value: null }]).name).toEqual({ familyName: 'Lovelace' });
  });

  it('ignores attributes Seatkeeper does not keep, and refuses read-only ones', () => {
    expect(patch([{ op: 'add', path: 'nickName', value: 'Ada' }])).toEqual(resource());
    expect(() => patch([{ op: 'replace', path: 'id', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'mutability' }));
    expect(() => patch([{ op: 'replace', path: 'meta.created', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'mutability' }));
  });

  it('refuses values of the wrong type, and a filter that selects nothing it could create', () => {
    expect(() => patch([{ op: 'replace', path: 'displayName', value: 3 }])).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => patch([{ op: 'replace', path: 'active', value: 'maybe' }])).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => patch([{ op: 'replace', path: 'emails[type ne "work"].value', value: 'x' }])).toThrow(
      expect.objectContaining({ scimType: 'invalidPath' }),
    );
    expect(() => patch([{ op: 'replace', path: 'emails[value eq null].type', value: 'home' }])).toThrow(
      expect.objectContaining({ scimType: 'noTarget' }),
    );
  });

  it('changes nothing when one operation fails: the resource it was given stays as it was', () => {
    const original = resource();
    expect(() =>
      patch(
        [
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'replace', path: 'id', value: 'x' },
        ],
        original,
      ),
    ).toThrow();
    expect(original).toEqual(resource());
  });
});
