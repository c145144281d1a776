/**
 * The SCIM 2.0 API through the local front door (SCIM Lambda authorizer
 * included), as RFC 7643/7644 describe it and as Okta and Entra ID call it.
 */
import { describe, expect, it } from 'vitest';
import { getUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { localSecret, signLocalToken } from '../../infra/local/localAuth.ts';
import { useLocalApi } from '../support/localApi.ts';
import { afterFirst } from '../support/sdkHooks.ts';
import { expectInvariant, freshArea, uniqueEmail, usersInArea } from '../support/seats.ts';
import {
  CORE,
  ENTERPRISE,
  LIST,
  SEATKEEPER,
  connectProvider,
  patchBody,
  scimError,
  useOwnTables,
  userResource,
  type Provider,
} from './scimKit.ts';

useOwnTables('scim');
const api = useLocalApi();

let okta: Provider;
const provider = async () => (okta ??= await connectProvider(api, 'okta'));

describe('discovery', () => {
  it('ServiceProviderConfig says exactly what is supported', async () => {
    const scim = await provider();
    const response = await scim('GET', '/ServiceProviderConfig');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/scim+json');
    expect(response.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: {
        resourceType: 'ServiceProviderConfig',
        location: expect.stringMatching(/^http:\/\/localhost:\d+\/scim\/v2\/ServiceProviderConfig$/),
      },
    });
  });

  it('ResourceTypes and Schemas describe User and the area extension', async () => {
    const scim = await provider();
    const types = await scim('GET', '/ResourceTypes');
    expect(types.body).toMatchObject({ schemas: [LIST], totalResults: 1 });
    expect(types.body.Resources[0]).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schema: CORE,
      schemaExtensions: [{ schema: SEATKEEPER, required: false }],
    });
    expect((await scim('GET', '/ResourceTypes/User')).body.id).toBe('User');

    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([CORE, SEATKEEPER]);
    const core = await scim('GET', `/Schemas/${CORE}`);
    expect(core.status).toBe(200);
    expect(core.body.attributes.map((a: { name: string }) => a.name)).toEqual(['userName', 'name', 'displayName', 'emails', 'active']);
    expect(core.body.attributes[0]).toMatchObject({
      name: 'userName',
      required: true,
      caseExact: false,
      uniqueness: 'server',
      mutability: 'readWrite',
    });
    expect(JSON.stringify(core.body), 'no nulls (Entra)').not.toContain('null');
    const extension = await scim('GET', `/Schemas/${SEATKEEPER}`);
    expect(extension.body.attributes).toEqual([expect.objectContaining({ name: 'area', type: 'string' })]);
    const unknown = await scim('GET', '/Schemas/urn:nothing:here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(scimError(404));
  });
});

describe('auth', () => {
  it('401 for a missing, wrong, revoked or administrator token; a token sees only its directory', async () => {
    const scim = await provider();
    const missing = await scim('GET', '/Users', undefined, { token: null });
    expect(missing.status).toBe(401);
    const wrongSecret = scim.token.slice(0, -4) + (scim.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const adminJwt = await signLocalToken(localSecret(), ['people-admin', 'license-admin']);
    for (const token of [wrongSecret, 'not-a-token', adminJwt]) {
      const response = await scim('GET', '/Users', undefined, { token });
      expect(response.status, token.slice(0, 20)).toBe(401);
      expect(response.body).toEqual(scimError(401));
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }

    const created = await scim('POST', '/Users', userResource(undefined));
    const other = await connectProvider(api, 'entra');
    expect((await other('GET', `/Users/${created.body.id}`)).status).toBe(404);
    const filtered = await other('GET', `/Users?filter=${encodeURIComponent(`userName eq "${created.body.userName}"`)}`);
    expect(filtered.body.totalResults).toBe(0);
    expect((await other('DELETE', `/Users/${created.body.id}`)).status).toBe(404);

    expect((await api('DELETE', `/scim-tokens/${other.tokenId}`, { groups: ['people-admin', 'license-admin'] })).status).toBe(204);
    expect((await other('GET', '/Users')).status).toBe(401);
    expect((await getUser(created.body.id)).state).toBe('active');
  });
});

describe('create', () => {
  it('POST /Users → 201 with the resource, Location and application/scim+json; the user is the directory’s', async () => {
    const scim = await provider();
    const area = await freshArea(2);
    const body = userResource(area, { userName: uniqueEmail('Grace') });
    const response = await scim('POST', '/Users', body);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/scim+json');
    const { id } = response.body;
    expect(response.headers.get('location')).toMatch(new RegExp(`^http://localhost:\\d+/scim/v2/Users/${id}$`));
    expect(response.body).toEqual({
      schemas: [CORE, SEATKEEPER],
      id,
      externalId: body.externalId,
      userName: body.userName,
      name: { formatted: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' },
      displayName: 'Ada Lovelace',
      emails: [{ value: body.userName, type: 'work', primary: true }],
      active: true,
      [SEATKEEPER]: { area },
      meta: {
        resourceType: 'User',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: response.headers.get('location'),
      },
    });
    expect(await getUser(id)).toMatchObject({
      email: body.userName,
      name: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      externalId: body.externalId,
      area,
      state: 'active',
      source: 'scim',
      directory: scim.directory,
    });
    expect(await readArea(area)).toMatchObject({ active: 1 });
  });

  it('accepts application/json, defaults the area to primary and the name to given + family name', async () => {
    const scim = await provider();
    const { displayName: _, ...body } = userResource(undefined);
    const response = await scim('POST', '/Users', body, { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ displayName: 'Ada Lovelace', [SEATKEEPER]: { area: 'primary' } });
  });

  it('409 uniqueness for a userName taken in any letter case, by this directory or another', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const first = await scim('POST', '/Users', userResource(area));
    const again = await scim('POST', '/Users', userResource(area, { userName: first.body.userName.toUpperCase() }));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: expect.stringContaining(first.body.id),
    });

    const other = await connectProvider(api, 'entra');
    const outside = await other('POST', '/Users', userResource(area, { userName: first.body.userName }));
    expect(outside.status).toBe(409);
    expect(outside.body).toMatchObject({
      scimType: 'uniqueness',
      detail: expect.stringMatching(/taken by a Seatkeeper account this directory does not manage/),
    });
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 0 });
  });

  it('400 for bad input, with the RFC scimType, and nothing written', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const cases: [unknown, string, RegExp?][] = [
      [{ ...userResource(area), userName: undefined }, 'invalidValue', /userName is required/],
      [{ ...userResource(area), userName: 123 }, 'invalidValue', /userName must be a string/],
      [{ ...userResource(area), name: 'Ada Lovelace' }, 'invalidValue', /^name must be an object/],
      [{ ...userResource(area), emails: ['ada@example.com'] }, 'invalidValue', /emails\[0\] must be an object/],
      [{ ...userResource(area), emails: 'ada@example.com' }, 'invalidValue', /emails must be an array/],
      [{ ...userResource(area), [SEATKEEPER]: area }, 'invalidValue', new RegExp(`${SEATKEEPER} must be an object`)],
      [
        { ...userResource(area), schemas: [CORE, ENTERPRISE], [ENTERPRISE]: 'Sales' },
        'invalidValue',
        new RegExp(`${ENTERPRISE} must be an object`),
      ],
      [{ ...userResource(area), userName: 'not-an-email' }, 'invalidValue', /email/],
      [
        { ...userResource(area), userName: 'ada_example.com#EXT#@contoso.onmicrosoft.com' },
        'invalidValue',
        /guest's user principal name.*Coalesce\(\[mail\], \[userPrincipalName\]\)/,
      ],
      [{ ...userResource(area), active: 'maybe' }, 'invalidValue', /active/],
      [{ ...userResource(area), displayName: 42 }, 'invalidValue', /displayName/],
      [userResource('Bad Area!'), 'invalidValue', /area/],
      [userResource('no-such-area'), 'invalidValue', /no-such-area/],
      [[userResource(area)], 'invalidSyntax'],
      ['{"userName": ', 'invalidSyntax'],
    ];
    for (const [body, scimType, detail] of cases) {
      const response = await scim('POST', '/Users', body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.body).toEqual(scimError(400, scimType));
      if (detail) expect(response.body.detail).toMatch(detail);
    }
    expect((await scim('POST', '/Users')).body).toEqual(scimError(400, 'invalidSyntax'));
    expect(await usersInArea(area)).toHaveLength(0);
  });
});

describe('read', () => {
  it('GET /Users/{id}; 404 with the SCIM error body for an unknown id on every verb', async () => {
    const scim = await provider();
    const created = await scim('POST', '/Users', userResource(undefined));
    const read = await scim('GET', `/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const unknown = '0193a4f2-0000-7000-8000-000000000000';
    for (const [method, body] of [
      ['GET'],
      ['PUT', userResource(undefined)],
      ['PATCH', patchBody({ op: 'replace', value: { active: false } })],
      ['DELETE'],
    ] as const) {
      const response = await scim(method, `/Users/${unknown}`, body);
      expect(response.status, method).toBe(404);
      expect(response.body).toEqual(scimError(404));
    }
  });

  it('filter userName eq is case-insensitive; externalId eq is exact; emails, id and and work too', async () => {
    const scim = await provider();
    const created = (await scim('POST', '/Users', userResource(undefined))).body;
    const query = async (filter: string) => (await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)).body;

    const upper = await query(`userName eq "${created.userName.toUpperCase()}"`);
    expect(upper).toEqual({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [created] });
    const none = await query('userName eq "nobody@example.com"');
    expect(none).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    // externalId is a key lookup (the byExternalId index), never a walk of the directory's users.
    const byIndex = afterFirst(
      (command, input) => command === 'QueryCommand' && input.includes('"IndexName":"byExternalId"'),
      async () => {},
    );
    const walk = afterFirst(
      (command, input) => command === 'QueryCommand' && input.includes('"IndexName":"byArea"'),
      async () => {},
    );
    expect((await query(`externalId eq "${created.externalId}"`)).Resources.map((r: { id: string }) => r.id)).toEqual([created.id]);
    for (const hook of [byIndex, walk]) hook.remove();
    expect([byIndex.ran(), walk.ran()]).toEqual([true, false]);
    expect((await query(`externalId eq "${created.externalId.toUpperCase()}"`)).totalResults).toBe(0);
    expect((await query(`emails[type eq "work"].value eq "${created.userName}"`)).totalResults).toBe(1);
    expect((await query(`id eq "${created.id}"`)).totalResults).toBe(1);
    expect((await query(`userName eq "${created.userName}" and active eq true`)).totalResults).toBe(1);
    expect((await query(`userName eq "${created.userName}" and externalId eq "other"`)).totalResults).toBe(0);

    // Entra writes spaces as '+' in the query string.
    const entra = await scim('GET', `/Users?filter=userName+eq+%22${encodeURIComponent(created.userName)}%22`);
    expect(entra.body.totalResults).toBe(1);
  });

  it('400 invalidFilter for what is not supported', async () => {
    const scim = await provider();
    for (const filter of [
      'userName co "a"',
      'userName sw "a"',
      'title pr',
      'userName eq "a" or userName eq "b"',
      'not (userName eq "a")',
      'userName eq',
      'userName eq "a" garbage',
      'nickName eq "x"',
      'userName eq "unterminated',
    ]) {
      const response = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.status, filter).toBe(400);
      expect(response.body).toEqual(scimError(400, 'invalidFilter'));
    }
    expect((await scim('GET', '/Users?count=abc')).body).toEqual(scimError(400, 'invalidValue'));
    // A parameter given twice is ambiguous: refused, never "the first wins".
    const twice = `filter=${encodeURIComponent('userName eq "a@example.com"')}&filter=${encodeURIComponent('userName eq "b@example.com"')}`;
    for (const query of [twice, 'count=1&count=5', 'startIndex=1&startIndex=3']) {
      const response = await scim('GET', `/Users?${query}`);
      expect(response.body, query).toEqual(scimError(400, 'invalidValue'));
      expect(response.body.detail, query).toMatch(/may be given once/);
    }
  });

  it('pages with startIndex and count (1-based) and says totalResults', async () => {
    const pager = await connectProvider(api, 'pager');
    const area = await freshArea(5);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await pager('POST', '/Users', userResource(area))).body.id);
    // The token also sees accounts no directory manages (other tests make some): page through this area's only.
    const inArea = encodeURIComponent(`${SEATKEEPER}:area eq "${area}"`);
    const page = async (query: string) => (await pager('GET', `/Users?filter=${inArea}&${query}`)).body;

    const first = await page('startIndex=1&count=2');
    expect(first).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 2 });
    const seen = [...first.Resources];
    for (let start = 3; start <= 5; start += 2) seen.push(...(await page(`startIndex=${start}&count=2`)).Resources);
    expect(seen.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
    expect(await page('startIndex=5&count=2')).toMatchObject({ totalResults: 5, startIndex: 5, itemsPerPage: 1 });
    expect(await page('startIndex=9')).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect(await page('count=0')).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    // RFC 7644 §3.4.2.4: below 1 means 1.
    expect((await page('startIndex=0&count=1')).startIndex).toBe(1);
    const huge = await pager('GET', '/Users?startIndex=9999999999999999999999');
    expect(huge.status).toBe(400);
    expect(huge.body).toEqual(scimError(400, 'invalidValue'));
    expect((await page('')).itemsPerPage).toBe(5);
  });
});

describe('PATCH', () => {
  async function created(scim: Provider, area?: string) {
    const response = await scim('POST', '/Users', userResource(area ?? (await freshArea(5))));
    expect(response.status).toBe(201);
    return response.body as { id: string; userName: string; externalId: string; [key: string]: unknown };
  }

  it('Okta: {"op":"replace","value":{"active":false}} blocks (reason directory) and frees the seat; true takes it back', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const user = await created(scim, area);
    const off = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } }));
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await getUser(user.id)).toMatchObject({ state: 'blocked', blockedReason: 'directory' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1, pending: 0 });
    const on = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'replace', value: { active: true } }));
    expect(on.body.active).toBe(true);
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 0 });
  });

  it('Entra: {"op":"Replace","path":"active","value":"False"} — booleans as strings', async () => {
    const scim = await provider();
    const user = await created(scim);
    const off = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.body.active).toBe(false);
    expect((await getUser(user.id)).blockedReason).toBe('directory');
    const on = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path: 'active', value: 'True' }));
    expect(on.body.active).toBe(true);
    expect((await getUser(user.id)).state).toBe('active');
  });

  it('Add/Replace/Remove on name: the display name follows given and family name it was made of', async () => {
    const scim = await provider();
    const user = await created(scim);
    const renamed = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path: 'name.familyName', value: 'Byron' }));
    expect(renamed.body).toMatchObject({ name: { givenName: 'Ada', familyName: 'Byron' }, displayName: 'Ada Byron' });
    const removed = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Remove', path: 'name.givenName' }));
    expect(removed.body.name).toEqual({ formatted: 'Byron', familyName: 'Byron' });
    const added = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Add', path: 'name.givenName', value: 'Augusta Ada' }));
    expect(added.body).toMatchObject({ displayName: 'Augusta Ada Byron', name: { givenName: 'Augusta Ada', familyName: 'Byron' } });
    const display = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'displayName', value: 'Countess of Lovelace' }),
    );
    expect(display.body.displayName).toBe('Countess of Lovelace');
    const whole = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Add', path: 'name', value: { givenName: 'Ada' } }));
    expect(whole.body).toMatchObject({ displayName: 'Countess of Lovelace', name: { givenName: 'Ada', familyName: 'Byron' } });
    expect(await getUser(user.id)).toMatchObject({ name: 'Countess of Lovelace', givenName: 'Ada', familyName: 'Byron' });
  });

  it("Entra's default name.formatted (given and family name joined) matches what it reads back and never overwrites a display name", async () => {
    const scim = await provider();
    const body = userResource(await freshArea(5), {
      displayName: 'Lovelace, Ada',
      name: { formatted: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' },
    });
    const { id, name } = (await scim('POST', '/Users', body)).body;
    expect(name).toEqual({ formatted: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' });
    const formatted = await scim('PATCH', `/Users/${id}`, patchBody({ op: 'Replace', path: 'name.formatted', value: 'Ada King' }));
    expect(formatted.body.displayName).toBe('Lovelace, Ada');
    const both = await scim(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Replace', path: 'name.formatted', value: 'Ada King' }, { op: 'Replace', path: 'displayName', value: 'King, Ada' }),
    );
    expect(both.body.displayName).toBe('King, Ada');
    expect((await getUser(id)).name).toBe('King, Ada');
  });

  it('a name made of name.formatted alone follows its changes', async () => {
    const scim = await provider();
    const body = userResource(await freshArea(5), { displayName: undefined, name: { formatted: 'Ada Lovelace' } });
    const { id, name } = (await scim('POST', '/Users', body)).body;
    expect(name).toEqual({ formatted: 'Ada Lovelace' });
    const renamed = await scim('PATCH', `/Users/${id}`, patchBody({ op: 'Replace', path: 'name.formatted', value: 'Ada King' }));
    expect(renamed.body).toMatchObject({ displayName: 'Ada King', name: { formatted: 'Ada King' } });
  });

  it('Remove displayName falls back to given + family name, which it then follows', async () => {
    const scim = await provider();
    const body = userResource(await freshArea(5), { displayName: 'Countess of Lovelace' });
    const { id } = (await scim('POST', '/Users', body)).body;
    const removed = await scim('PATCH', `/Users/${id}`, patchBody({ op: 'Remove', path: 'displayName' }));
    expect(removed.body).toMatchObject({ displayName: 'Ada Lovelace', name: { formatted: 'Ada Lovelace' } });
    const renamed = await scim('PATCH', `/Users/${id}`, patchBody({ op: 'Replace', path: 'name.givenName', value: 'Augusta' }));
    expect(renamed.body.displayName).toBe('Augusta Lovelace');
    // A name.formatted changed in the same request is the fallback instead.
    const both = await scim(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Remove', path: 'displayName' }, { op: 'Replace', path: 'name.formatted', value: 'A. A. Lovelace' }),
    );
    expect(both.body.displayName).toBe('A. A. Lovelace');
    expect((await getUser(id)).name).toBe('A. A. Lovelace');
  });

  it('Add/Remove on emails is accepted; the one address Seatkeeper keeps is userName', async () => {
    const scim = await provider();
    const user = await created(scim);
    const entraAdd = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Add', path: 'emails[type eq "work"].value', value: uniqueEmail('other') }),
    );
    expect(entraAdd.status).toBe(200);
    const oktaAdd = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'add', path: 'emails', value: [{ value: uniqueEmail('home'), type: 'home' }] }),
    );
    expect(oktaAdd.status).toBe(200);
    const removed = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'remove', path: 'emails[type eq "home"]' }));
    expect(removed.status).toBe(200);
    const all = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Remove', path: 'emails' }));
    expect(all.body.emails).toEqual([{ value: user.userName, type: 'work', primary: true }]);
    expect((await getUser(user.id)).email).toBe(user.userName);
  });

  it('externalId, userName (the email moves), the area attribute and Entra’s value object with dotted keys', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const other = await freshArea(5);
    const user = await created(scim, area);
    expect(
      (await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path: 'externalId', value: 'ext-2' }))).body.externalId,
    ).toBe('ext-2');
    expect((await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Remove', path: 'externalId' }))).body.externalId).toBeUndefined();
    expect((await getUser(user.id)).externalId).toBeUndefined();

    const email = uniqueEmail('renamed');
    const renamed = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path: 'userName', value: email }));
    expect(renamed.body).toMatchObject({ userName: email, emails: [{ value: email }] });
    const byNew = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(byNew.body.totalResults).toBe(1);
    const byOld = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
    expect(byOld.body.totalResults).toBe(0);

    const entra = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', value: { 'name.givenName': 'Ida', [`${SEATKEEPER}:area`]: other.toUpperCase(), displayName: 'Ida L' } }),
    );
    expect(entra.body).toMatchObject({ name: { givenName: 'Ida' }, displayName: 'Ida L', [SEATKEEPER]: { area: other }, active: true });
    expect(await readArea(area)).toMatchObject({ active: 0 });
    expect(await readArea(other)).toMatchObject({ active: 1 });
    const removedArea = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'remove', path: `${SEATKEEPER}:area` }));
    expect(removedArea.body[SEATKEEPER].area).toBe('primary');
  });

  it('a value object may hold a whole extension, or a whole resource whose read-only parts are left alone', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const user = await created(scim);
    const extension = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'add', value: { [SEATKEEPER]: { area } } }));
    expect(extension.body[SEATKEEPER]).toEqual({ area });
    const current = (await scim('GET', `/Users/${user.id}`)).body;
    const whole = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'replace', value: { ...current, id: 'other', displayName: 'A. Lovelace', active: false } }),
    );
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ id: user.id, displayName: 'A. Lovelace', active: false, [SEATKEEPER]: { area } });
    // Entra's remove with a value list (the form it uses for group members).
    const listed = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Remove', path: 'emails', value: [{ value: current.userName }] }),
    );
    expect(listed.status).toBe(200);
  });

  it('op and attribute names in any letter case; attributes Seatkeeper does not keep are ignored', async () => {
    const scim = await provider();
    const user = await created(scim);
    const response = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchBody(
        { op: 'REPLACE', path: 'Name.GivenName', value: 'Grace' },
        { op: 'Add', path: 'title', value: 'Rear Admiral' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '555' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: 'x' } },
        { op: 'replace', path: 'name.middleName', value: 'Brewster' },
      ),
    );
    expect(response.status).toBe(200);
    expect(response.body.name.givenName).toBe('Grace');
    expect(response.body.title).toBeUndefined();
  });

  it('400 for malformed PatchOp messages, read-only attributes and bad paths; nothing changes', async () => {
    const scim = await provider();
    const user = await created(scim);
    const cases: [unknown, string][] = [
      [{ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }, 'invalidSyntax'],
      [patchBody({ op: 'move', path: 'active', value: true }), 'invalidSyntax'],
      [patchBody({ op: 'replace', path: 'displayName' }), 'invalidSyntax'],
      [patchBody({ op: 'remove' }), 'noTarget'],
      [patchBody({ op: 'replace', path: 'id', value: 'mine' }), 'mutability'],
      [patchBody({ op: 'replace', path: 'meta.created', value: '2020-01-01' }), 'mutability'],
      [patchBody({ op: 'replace', path: 'emails[type eq "work"', value: 'x' }), 'invalidPath'],
      [patchBody({ op: 'replace', path: 'name.given.name', value: 'x' }), 'invalidPath'],
      [patchBody({ op: 'replace', path: 'active', value: 'yes' }), 'invalidValue'],
      [patchBody({ op: 'replace', path: 'userName', value: 'not an email' }), 'invalidValue'],
      [patchBody({ op: 'remove', path: 'userName' }), 'invalidValue'],
      [patchBody({ op: 'replace', value: 'active' }), 'invalidSyntax'],
    ];
    for (const [body, scimType] of cases) {
      const response = await scim('PATCH', `/Users/${user.id}`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toEqual(scimError(400, scimType));
    }
    expect((await scim('GET', `/Users/${user.id}`)).body).toMatchObject({
      userName: user.userName,
      active: true,
      displayName: 'Ada Lovelace',
    });
  });

  it('a taken userName is 409 uniqueness and changes nothing', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const a = await created(scim, area);
    const b = await created(scim, area);
    const response = await scim('PATCH', `/Users/${b.id}`, patchBody({ op: 'replace', path: 'userName', value: a.userName.toUpperCase() }));
    expect(response.status).toBe(409);
    expect(response.body).toEqual(scimError(409, 'uniqueness'));
    expect((await getUser(b.id)).email).toBe(b.userName);
  });
});

describe('other paths under /scim/v2', () => {
  it('501 for SCIM endpoints and methods Seatkeeper does not implement, 404 for unknown paths; both SCIM errors', async () => {
    const scim = await provider();
    const cases: [string, string, number][] = [
      ['GET', '/Groups', 501],
      ['POST', '/Groups', 501],
      ['PATCH', '/Groups/0193a4f2-0000-7000-8000-000000000000', 501],
      ['GET', '/Me', 501],
      ['POST', '/Bulk', 501],
      ['POST', '/Users/.search', 501],
      ['POST', '/.search', 501],
      ['DELETE', '/Users', 501],
      ['POST', '/Users/0193a4f2-0000-7000-8000-000000000000', 501],
      ['PUT', '/ServiceProviderConfig', 501],
      ['GET', '/Nothing/here', 404],
      ['GET', '/users', 404],
    ];
    for (const [method, path, status] of cases) {
      const response = await scim(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/scim+json');
      expect(response.body).toEqual(scimError(status));
    }
    expect((await scim('GET', '/Groups')).body.detail).toMatch(/keeps no groups/);
    // The token is checked first, as on every SCIM route.
    const stranger = await scim('GET', '/Groups', undefined, { token: 'not-a-token' });
    expect(stranger.status).toBe(401);
    expect(stranger.body).toEqual(scimError(401));
    // Routes that exist still win.
    expect((await scim('GET', '/ServiceProviderConfig')).status).toBe(200);
  });
});

describe('accounts no directory manages (made through the API or a CSV upload)', () => {
  async function apiUser(area: string, extra: Record<string, unknown> = {}) {
    const created = await api('POST', '/users', {
      groups: ['people-admin', 'license-admin'],
      body: { email: uniqueEmail('existing'), name: 'Ada Lovelace', area, roles: ['people-admin'], exempt: false, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body.user as { id: string; email: string; createdAt: string };
  }

  it('any directory finds one; its first write makes it that directory’s; then other directories no longer see it', async () => {
    const okta = await connectProvider(api, 'okta');
    const entra = await connectProvider(api, 'entra');
    const area = await freshArea(5);
    const existing = await apiUser(area);
    const byUserName = (scim: Provider) =>
      scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${existing.email.toUpperCase()}"`)}`);
    for (const scim of [okta, entra]) {
      expect((await byUserName(scim)).body.Resources).toEqual([
        expect.objectContaining({ id: existing.id, userName: existing.email, active: true }),
      ]);
      expect((await scim('GET', `/Users/${existing.id}`)).status).toBe(200);
    }

    const off = await okta('PATCH', `/Users/${existing.id}`, patchBody({ op: 'replace', value: { active: false } }));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: existing.id, active: false, meta: { created: existing.createdAt } });
    expect(await getUser(existing.id)).toMatchObject({
      state: 'blocked',
      blockedReason: 'directory',
      directory: okta.directory,
      source: 'api',
      roles: ['people-admin'],
      exempt: false,
      createdAt: existing.createdAt,
    });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1 });

    expect((await byUserName(entra)).body.totalResults).toBe(0);
    expect((await entra('GET', '/Users')).body.Resources.map((r: { id: string }) => r.id)).not.toContain(existing.id);
    for (const [method, body] of [
      ['GET'],
      ['PATCH', patchBody({ op: 'replace', value: { active: true } })],
      ['PUT', userResource(area, { userName: existing.email })],
      ['DELETE'],
    ] as const) {
      expect((await entra(method, `/Users/${existing.id}`, body)).status, method).toBe(404);
    }
    expect((await byUserName(okta)).body.totalResults).toBe(1);
    expect((await getUser(existing.id)).directory).toBe(okta.directory);
  });

  it('an exempt account (support or administrator profile) is never seen or taken over by a directory', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const exempt = await apiUser(area, { exempt: true });
    const filtered = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${exempt.email}"`)}`);
    expect(filtered.body.totalResults).toBe(0);
    expect((await scim('GET', '/Users')).body.Resources.map((r: { id: string }) => r.id)).not.toContain(exempt.id);
    expect((await scim('PATCH', `/Users/${exempt.id}`, patchBody({ op: 'replace', value: { active: false } }))).status).toBe(404);
    expect((await scim('DELETE', `/Users/${exempt.id}`)).status).toBe(404);
    const post = await scim('POST', '/Users', userResource(area, { userName: exempt.email }));
    expect(post.status).toBe(409);
    expect(post.body).toMatchObject({
      scimType: 'uniqueness',
      detail: expect.stringMatching(/taken by a Seatkeeper account this directory does not manage/),
    });
    const after = await getUser(exempt.id);
    expect(after).toMatchObject({ state: 'active', exempt: true });
    expect(after.directory).toBeUndefined();
    expect(await readArea(area)).toMatchObject({ active: 0, exempt: 1 });
  });

  it('a POST of its userName (any letter case) takes it over: 201 with the same id; the area stays unless sent', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const existing = await apiUser(area);
    const body = userResource(undefined, { userName: existing.email.toUpperCase() });
    const adopted = await scim('POST', '/Users', body);
    expect(adopted.status).toBe(201);
    expect(adopted.headers.get('location')).toMatch(new RegExp(`/scim/v2/Users/${existing.id}$`));
    expect(adopted.body).toMatchObject({
      id: existing.id,
      userName: body.userName,
      externalId: body.externalId,
      active: true,
      [SEATKEEPER]: { area },
    });
    expect(await getUser(existing.id)).toMatchObject({
      directory: scim.directory,
      source: 'api',
      roles: ['people-admin'],
      area,
      state: 'active',
    });
    expect(await readArea(area)).toMatchObject({ active: 1, blocked: 0 });
    // Now it is this directory's: a second POST is the usual 409.
    expect((await scim('POST', '/Users', body)).body).toMatchObject({
      scimType: 'uniqueness',
      detail: expect.stringContaining(existing.id),
    });
  });

  it('the licence rules still apply: an admin’s block stands when the POST asks active:true; DELETE deletes', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const blocked = await apiUser(area);
    expect((await api('POST', `/users/${blocked.id}/block`)).status).toBe(200);
    const adopted = await scim('POST', '/Users', userResource(area, { userName: blocked.email, active: true }));
    expect(adopted.status).toBe(201);
    expect(adopted.body).toMatchObject({ id: blocked.id, active: false });
    expect(await getUser(blocked.id)).toMatchObject({ state: 'blocked', blockedReason: 'admin', directory: scim.directory });

    const doomed = await apiUser(area);
    expect((await scim('DELETE', `/Users/${doomed.id}`)).status).toBe(204);
    expect((await api('GET', `/users/${doomed.id}`)).status).toBe(404);
    await expectInvariant(area);
  });

  it('two directories writing to one such account at once: exactly one takes it over', async () => {
    const okta = await connectProvider(api, 'okta');
    const entra = await connectProvider(api, 'entra');
    const area = await freshArea(20);
    for (let i = 0; i < 5; i++) {
      const existing = await apiUser(area);
      const [a, b] = await Promise.all([
        okta('PATCH', `/Users/${existing.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Okta' })),
        entra('POST', '/Users', userResource(area, { userName: existing.email, displayName: 'Entra' })),
      ]);
      const winner = a.status === 200 ? okta : entra;
      expect([a.status, b.status].toSorted()).toEqual(winner === okta ? [200, 409] : [201, 404]);
      expect(await getUser(existing.id)).toMatchObject({ directory: winner.directory, name: winner === okta ? 'Okta' : 'Entra' });
    }
    await expectInvariant(area);
  });
});

describe('PUT and DELETE', () => {
  it('PUT replaces: attributes not sent are cleared, a missing area stays; active false blocks', async () => {
    const scim = await provider();
    const area = await freshArea(3);
    const body = userResource(area);
    const { id } = (await scim('POST', '/Users', body)).body;
    const { externalId: _, [SEATKEEPER]: __, ...rest } = body;
    const replaced = await scim('PUT', `/Users/${id}`, {
      ...rest,
      id,
      name: { givenName: 'Ada', familyName: 'King' },
      displayName: 'Ada King',
      active: false,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id,
      displayName: 'Ada King',
      name: { familyName: 'King' },
      active: false,
      [SEATKEEPER]: { area },
    });
    expect(replaced.body.externalId).toBeUndefined();
    expect(await getUser(id)).toMatchObject({ state: 'blocked', blockedReason: 'directory', familyName: 'King' });
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1 });
  });

  it('DELETE → 204, the account is gone and its seat free', async () => {
    const scim = await provider();
    const area = await freshArea(1);
    const { id } = (await scim('POST', '/Users', userResource(area))).body;
    const deleted = await scim('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(404);
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 0, available: 1 });
  });
});
