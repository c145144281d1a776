/**
 * The HTTP API through the local front door: every route, status, error code
 * and role of DESIGN §2, and that refused requests change nothing.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, localSecret } from '../../infra/local/localAuth.ts';
import { dynamodb } from '#clients/dynamodb.ts';
import { createUser, getUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { freshArea, uniqueEmail, usersInArea } from '../support/seats.ts';
import { useLocalApi } from '../support/localApi.ts';
import { intercept } from '../support/sdkHooks.ts';

const api = useLocalApi();
const LICENSE = ['license-admin'];
const BOTH = ['people-admin', 'license-admin'];

describe('auth', () => {
  it('401 UNAUTHORIZED without a token, with an invalid one, or with one that never expires', async () => {
    const forever = await new SignJWT({ 'cognito:groups': ['people-admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .sign(localSecret());
    for (const token of [null, 'not-a-jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', forever]) {
      const response = await api('GET', '/summary', { token });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHORIZED');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('403 FORBIDDEN for a wrong role, on every people and licence route', async () => {
    const asLicenseAdmin = await api('POST', '/users', { groups: LICENSE, body: { email: uniqueEmail() } });
    expect(asLicenseAdmin.status).toBe(403);
    expect(asLicenseAdmin.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('people-admin') });
    const asPeopleAdmin = await api('PUT', '/license/areas/primary', { body: { limit: 1 } });
    expect(asPeopleAdmin.status).toBe(403);
    expect((await api('POST', '/license/transfers', { body: { from: 'a', to: 'b', seats: 1 } })).status).toBe(403);
    expect((await api('GET', '/users', { groups: ['someone-else'] })).status).toBe(403);
  });

  it('only a licence admin may create or mark an exempt account', async () => {
    const area = await freshArea(1);
    const refused = await api('POST', '/users', { body: { email: uniqueEmail(), area, exempt: true } });
    expect(refused.status).toBe(403);
    const created = await api('POST', '/users', { groups: BOTH, body: { email: uniqueEmail(), area, exempt: true } });
    expect(created.status).toBe(201);
    expect(created.body.user.exempt).toBe(true);
    const patch = await api('PATCH', `/users/${created.body.user.id}`, { body: { exempt: false } });
    expect(patch.status).toBe(403);
    expect(await readArea(area)).toMatchObject({ active: 0, exempt: 1 });
  });
});

describe('users', () => {
  it('POST /users → 201 with the user and a Location header', async () => {
    const area = await freshArea(2);
    const email = uniqueEmail('Grace');
    const response = await api('POST', '/users', { body: { email, name: 'Grace Hopper', area, roles: ['people-admin'] } });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/users/${response.body.user.id}`);
    expect(response.body.user).toEqual({
      id: expect.any(String),
      email,
      name: 'Grace Hopper',
      area,
      state: 'active',
      exempt: false,
      roles: ['people-admin'],
      source: 'api',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('defaults the area to primary', async () => {
    const response = await api('POST', '/users', { body: { email: uniqueEmail() } });
    expect(response.status).toBe(201);
    expect(response.body.user.area).toBe('primary');
    expect((await api('DELETE', `/users/${response.body.user.id}`)).status).toBe(204);
  });

  it('409 SEAT_LIMIT_REACHED names the area and its limit and says how to free seats', async () => {
    const area = await freshArea(1);
    await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const response = await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    expect(response.status).toBe(409);
    expect(response.body.error).toEqual({
      code: 'SEAT_LIMIT_REACHED',
      message: expect.stringMatching(new RegExp(`'${area}'.*1 of 1.*[Bb]lock or delete`)),
      details: { area, limit: 1, active: 1 },
    });
    expect(await usersInArea(area)).toHaveLength(1);
  });

  it('409 USER_EXISTS for the same email in any case; 404 AREA_NOT_FOUND for an unknown area', async () => {
    const area = await freshArea(3);
    const email = uniqueEmail();
    await api('POST', '/users', { body: { email, area } });
    const duplicate = await api('POST', '/users', { body: { email: email.toUpperCase(), area } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('USER_EXISTS');
    const unknown = await api('POST', '/users', { body: { email: uniqueEmail(), area: 'nowhere' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('AREA_NOT_FOUND');
    expect(await readArea(area)).toMatchObject({ active: 1 });
  });

  it('bad input gets a specific 4xx and writes nothing', async () => {
    const area = await freshArea(5);
    const cases: [unknown, number, string, RegExp?][] = [
      ['{"email": ', 400, 'INVALID_JSON'],
      [{ email: 'not-an-email', area }, 400, 'INVALID_REQUEST', /email must be a valid email/],
      [{ email: uniqueEmail(), area, admin: true }, 400, 'INVALID_REQUEST', /admin is not a known field/],
      [{ email: uniqueEmail(), area: 'Bad Area!' }, 400, 'INVALID_REQUEST', /area must be/],
      [{ email: uniqueEmail(), area, roles: 'people-admin' }, 400, 'INVALID_REQUEST', /roles/],
      [{ email: uniqueEmail(), area, name: 'x'.repeat(201) }, 400, 'INVALID_REQUEST', /name must be at most 200/],
      [{ email: 'ada_example.com#EXT#@contoso.onmicrosoft.com', area }, 400, 'INVALID_REQUEST', /guest's user principal name/],
      [{ email: uniqueEmail(), area, name: 42 }, 400, 'INVALID_REQUEST', /^Invalid request: name must be text \(a JSON string\)\.$/],
      [{ area }, 400, 'INVALID_REQUEST', /^Invalid request: email is required\.$/],
      [{ email: uniqueEmail(), area, name: 'Ada\u0000\u202E' }, 400, 'INVALID_REQUEST', /name must not contain control characters/],
      [[1, 2], 400, 'INVALID_REQUEST', /^Invalid request: the body must be a JSON object\.$/],
      [{ email: uniqueEmail(), area, name: 'x'.repeat(20_000) }, 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [body, status, code, message] of cases) {
      const response = await api('POST', '/users', { body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(response.body.error).toMatchObject({ code, details: expect.any(Object) });
      if (message) expect(response.body.error.message).toMatch(message);
    }
    const noBody = await api('POST', '/users');
    expect(noBody.body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('JSON body'),
      details: { in: 'body', issues: [{ field: '(body)', problem: 'is missing' }] },
    });
    const form = await api('POST', '/users', {
      body: `email=${uniqueEmail()}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 0 });
    expect(await usersInArea(area)).toHaveLength(0);
  });

  it('block and unblock take no body: a non-JSON body or a field is refused and changes nothing; {} is fine', async () => {
    const area = await freshArea(1);
    const { body } = await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const id = body.user.id as string;
    const text = await api('POST', `/users/${id}/block`, { body: 'not json', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const reason = await api('POST', `/users/${id}/block`, { body: { reason: 'left the company' } });
    expect(reason.status).toBe(400);
    expect(reason.body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { in: 'body', issues: [{ field: 'reason', problem: 'is not a known field' }] },
    });
    expect((await getUser(id)).state).toBe('active');
    expect((await api('POST', `/users/${id}/block`, { body: {} })).body.user.state).toBe('blocked');
    expect((await api('POST', `/users/${id}/unblock`, { body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await getUser(id)).state).toBe('blocked');
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 1 });
  });

  it('GET, PATCH, block, unblock and DELETE /users/{id}', async () => {
    const area = await freshArea(1);
    const other = await freshArea(1);
    const { body } = await api('POST', '/users', { body: { email: uniqueEmail(), area, name: 'Lin' } });
    const id = body.user.id as string;

    expect((await api('GET', `/users/${id}`)).body.user).toMatchObject({ id, name: 'Lin' });
    const renamed = await api('PATCH', `/users/${id}`, { body: { name: 'Lin Tan', roles: ['editor'] } });
    expect(renamed.body.user).toMatchObject({ name: 'Lin Tan', roles: ['editor'] });

    const blocked = await api('POST', `/users/${id}/block`);
    expect(blocked.status).toBe(200);
    expect(blocked.body.user).toMatchObject({ state: 'blocked', blockedReason: 'admin' });
    expect((await api('POST', `/users/${id}/block`)).body.user).toEqual(blocked.body.user);

    // The freed seat is taken by someone else: unblocking is refused and changes nothing.
    const taker = await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const refused = await api('POST', `/users/${id}/unblock`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SEAT_LIMIT_REACHED');
    await api('DELETE', `/users/${taker.body.user.id}`);
    const unblocked = await api('POST', `/users/${id}/unblock`);
    expect(unblocked.body.user.state).toBe('active');

    const moved = await api('PATCH', `/users/${id}`, { body: { area: other } });
    expect(moved.body.user.area).toBe(other);
    expect(await readArea(area)).toMatchObject({ active: 0 });
    expect(await readArea(other)).toMatchObject({ active: 1 });

    const deleted = await api('DELETE', `/users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const gone = await api('GET', `/users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('USER_NOT_FOUND');
    expect((await api('DELETE', `/users/${id}`)).status).toBe(404);
    expect((await api('POST', `/users/${id}/block`)).status).toBe(404);
    expect(await readArea(other)).toMatchObject({ active: 0, blocked: 0 });
  });

  it('PATCH needs at least one field and refuses a move to a full area', async () => {
    const area = await freshArea(1);
    const full = await freshArea(0);
    const { body } = await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const empty = await api('PATCH', `/users/${body.user.id}`, { body: {} });
    expect(empty.status).toBe(400);
    const move = await api('PATCH', `/users/${body.user.id}`, { body: { area: full } });
    expect(move.status).toBe(409);
    expect(move.body.error).toMatchObject({ code: 'SEAT_LIMIT_REACHED', details: { area: full, limit: 0 } });
    expect((await api('GET', `/users/${body.user.id}`)).body.user.area).toBe(area);
  });

  it('PATCH refuses an unknown field and changes nothing; the size limit counts bytes, not characters', async () => {
    const area = await freshArea(1);
    const { body } = await api('POST', '/users', { body: { email: uniqueEmail(), area, name: 'Ada' } });
    const patch = await api('PATCH', `/users/${body.user.id}`, { body: { name: 'Bob', nickname: 'b' } });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toMatch(/nickname is not a known field/);
    expect((await api('GET', `/users/${body.user.id}`)).body.user.name).toBe('Ada');
    // 6,000 three-byte characters: 18,000 bytes, over the 16 KiB limit, in fewer than 16,384 characters.
    const big = await api('POST', '/users', { body: { email: uniqueEmail(), area, name: '\u20ac'.repeat(6000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('GET /users pages through an area with a cursor and filters by state', async () => {
    const area = await freshArea(10);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api('POST', '/users', { body: { email: uniqueEmail(`p${i}`), area } })).body.user.id);
    await api('POST', `/users/${ids[0]}/block`);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/users?area=${area}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api('GET', query);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((u: { id: string }) => u.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...ids].sort());

    const blocked = await api('GET', `/users?area=${area}&state=blocked`);
    expect(blocked.body).toEqual({ items: [expect.objectContaining({ id: ids[0], state: 'blocked' })], nextCursor: null });
    const active = await api('GET', `/users?area=${area}&state=active`);
    expect(active.body.items).toHaveLength(4);
  });

  it('GET /users?email= finds one user by email in any letter case', async () => {
    const area = await freshArea(2);
    const email = uniqueEmail('Find.Me');
    const created = await api('POST', '/users', { body: { email, area } });
    const found = await api('GET', `/users?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(found.body).toEqual({ items: [created.body.user], nextCursor: null });
    expect((await api('GET', `/users?email=${encodeURIComponent(email)}&state=blocked`)).body.items).toEqual([]);
    expect((await api('GET', `/users?email=${encodeURIComponent(uniqueEmail())}`)).body.items).toEqual([]);
    expect((await api('GET', '/users?email=not-an-email')).status).toBe(400);
  });

  it('accepts every RFC 5322 dot-atom address, and finds it again in any letter case', async () => {
    const area = await freshArea(5);
    for (const local of ["o'brien", 'a&b', 'a/b', '=sum', 'x{1}|~']) {
      const email = `${local}.${Date.now()}@Example.com`;
      const created = await api('POST', '/users', { body: { email, area } });
      expect(created.status, email).toBe(201);
      const found = await api('GET', `/users?email=${encodeURIComponent(email.toUpperCase())}`);
      expect(found.body.items.map((u: { id: string }) => u.id)).toEqual([created.body.user.id]);
    }
    expect(await readArea(area)).toMatchObject({ active: 5 });
  });

  it('GET /users rejects bad queries and unknown areas', async () => {
    expect((await api('GET', '/users?limit=0')).body.error.code).toBe('INVALID_REQUEST');
    for (const limit of ['abc', '', '1e2', '0x10', '+5', '1.5']) {
      expect((await api('GET', `/users?limit=${encodeURIComponent(limit)}`)).body.error.message, limit).toBe(
        'Invalid request: limit must be a whole number.',
      );
    }
    expect((await api('GET', '/users?limit=99999999999999999999')).body.error.message).toBe('Invalid request: limit must be at most 200.');
    expect((await api('GET', '/users?state=sleeping')).body.error.message).toBe(
      'Invalid request: state must be one of "active", "blocked".',
    );
    expect((await api('GET', '/users?sort=name')).body.error.message).toMatch(/sort is not a known field/);
    expect((await api('GET', '/users?cursor=garbage')).body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/cursor/),
    });
    expect((await api('GET', '/users?area=nowhere')).body.error.code).toBe('AREA_NOT_FOUND');
    expect((await api('GET', '/users?state=active&state=blocked')).body.error.message).toBe(
      'Invalid request: state must be one of "active", "blocked" (it takes one value, given once and without commas).',
    );
  });

  it('routes that read no query string refuse one; an email lookup takes no cursor', async () => {
    for (const path of ['/summary?x=1', '/license?area=primary']) {
      const response = await api('GET', path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.details).toMatchObject({ in: 'query', issues: [{ problem: 'is not a known field' }] });
    }
    const { nextCursor } = (await api('GET', '/users?limit=1')).body;
    const lookup = await api('GET', `/users?email=${encodeURIComponent(uniqueEmail())}&cursor=${nextCursor}`);
    expect(lookup.body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { issues: [{ field: 'cursor', problem: 'belongs to a different query' }] },
    });
  });

  it('a cursor from another query, or made by hand, is a 400, never a 500', async () => {
    const area = await freshArea(5);
    for (let i = 0; i < 3; i++) await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const { nextCursor } = (await api('GET', `/users?area=${area}&state=active&limit=1`)).body;
    expect(nextCursor).toEqual(expect.any(String));
    // Made by hand for this very query, so only the key inside can be wrong.
    const handMade = (cursor: object) =>
      Buffer.from(JSON.stringify({ ...cursor, query: `users?area=${area}&state=` })).toString('base64url');
    const full = await freshArea(0);
    for (let i = 0; i < 2; i++) await createUser({ email: uniqueEmail(), area: full, source: 'sync' }, 'wait');
    const pendingCursor = (await api('GET', '/pending?limit=1')).body.nextCursor;
    expect(pendingCursor).toEqual(expect.any(String));
    for (const query of [
      `area=${area}&state=blocked&cursor=${nextCursor}`,
      // One area's position would skip every area before it in the list of all.
      `cursor=${nextCursor}`,
      `state=blocked&cursor=${pendingCursor}`,
      `area=${area}&cursor=${handMade({ area, key: null })}`,
      `area=${area}&cursor=${handMade({ area, key: { pk: 1 } })}`,
      `area=${area}&cursor=${handMade({ area, key: { pk: 'x', area: 'elsewhere', areaStateKey: 'active#' } })}`,
      // Keys DynamoDB itself refuses: empty, or longer than a key may be.
      `area=${area}&cursor=${handMade({ area, key: { pk: '', area, areaStateKey: 'active#x' } })}`,
      `area=${area}&cursor=${handMade({ area, key: { pk: 'x', area, areaStateKey: '' } })}`,
      `area=${area}&cursor=${handMade({ area, key: { pk: 'x', area, areaStateKey: `active#${'x'.repeat(1100)}` } })}`,
    ]) {
      const response = await api('GET', `/users?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { in: 'query', issues: [{ field: 'cursor' }] } });
    }
  });
});

describe('summary and licence', () => {
  it('GET /summary and GET /license read the counters', async () => {
    const area = await freshArea(3);
    await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const summary = await api('GET', '/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.areas.find((a: { area: string }) => a.area === area)).toEqual({
      area,
      limit: 3,
      active: 1,
      blocked: 0,
      pending: 0,
      exempt: 0,
      available: 2,
      refused: 0,
    });
    expect(summary.body.totals).toMatchObject({ active: expect.any(Number), limit: expect.any(Number) });
    const license = await api('GET', '/license', { groups: LICENSE });
    expect(license.body.areas.find((a: { area: string }) => a.area === area)).toEqual({ area, limit: 3, active: 1, available: 2 });
  });

  it('PUT /license/areas/{area} creates and changes limits; 409 LIMIT_BELOW_ACTIVE', async () => {
    const area = `http-${Date.now()}`;
    const created = await api('PUT', `/license/areas/${area}`, { groups: LICENSE, body: { limit: 2 } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      created: true,
      area: { area, limit: 2, active: 0, blocked: 0, pending: 0, exempt: 0, available: 2, refused: 0 },
    });
    await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    await api('POST', '/users', { body: { email: uniqueEmail(), area } });
    const below = await api('PUT', `/license/areas/${area}`, { groups: LICENSE, body: { limit: 1 } });
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({ code: 'LIMIT_BELOW_ACTIVE', details: { area, limit: 1, active: 2 } });
    const raised = await api('PUT', `/license/areas/${area}`, { groups: LICENSE, body: { limit: 5 } });
    expect(raised.body.area).toMatchObject({ limit: 5, available: 3 });
    for (const body of [{ limit: -1 }, { limit: 1.5 }, { limit: '3' }, {}]) {
      expect((await api('PUT', `/license/areas/${area}`, { groups: LICENSE, body })).status).toBe(400);
    }
    expect((await api('PUT', '/license/areas/Not_Valid', { groups: LICENSE, body: { limit: 1 } })).status).toBe(400);
  });

  it('POST /license/transfers moves free seats; 409 NOT_ENOUGH_FREE_SEATS', async () => {
    const from = await freshArea(3);
    const to = await freshArea(0);
    const moved = await api('POST', '/license/transfers', { groups: LICENSE, body: { from, to, seats: 2 } });
    expect(moved.status).toBe(200);
    expect(moved.body.areas).toEqual([expect.objectContaining({ area: from, limit: 1 }), expect.objectContaining({ area: to, limit: 2 })]);
    const refused = await api('POST', '/license/transfers', { groups: LICENSE, body: { from, to, seats: 5 } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'NOT_ENOUGH_FREE_SEATS', details: { area: from, available: 1 } });
    expect((await api('POST', '/license/transfers', { groups: LICENSE, body: { from, to: 'nowhere', seats: 1 } })).status).toBe(404);
    expect((await api('POST', '/license/transfers', { groups: LICENSE, body: { from, to, seats: 0 } })).status).toBe(400);
    expect((await api('POST', '/license/transfers', { groups: LICENSE, body: { from, to: from, seats: 1 } })).body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'Invalid request: to must be another area than from.',
      details: { in: 'body', issues: [{ field: 'to', problem: 'must be another area than from' }] },
    });
  });
});

describe('routing', () => {
  it('404 ROUTE_NOT_FOUND for unknown paths and methods', async () => {
    const unknown = await api('GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await api('PUT', '/users');
    expect(wrongMethod.body.error.message).toMatch(/use POST or GET/);
    const malformed = await api('GET', '/users/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: {} });
  });
});

describe('Idempotency-Key', () => {
  it('a retried create with the same key replays the first 201 and creates once', async () => {
    const area = await freshArea(5);
    const body = { email: uniqueEmail(), area };
    const headers = { 'idempotency-key': `key-${Math.random()}` };
    const first = await api('POST', '/users', { body, headers });
    const retry = await api('POST', '/users', { body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await readArea(area)).toMatchObject({ active: 1 });
    // Without the key, the same request is a new create: the email is taken.
    expect((await api('POST', '/users', { body })).body.error.code).toBe('USER_EXISTS');
  });

  it('concurrent requests with one key create once; each gets the first 201 or 409 REQUEST_IN_PROGRESS', async () => {
    const area = await freshArea(5);
    const body = { email: uniqueEmail(), area };
    const headers = { 'idempotency-key': `key-${Math.random()}` };
    const responses = await Promise.all(Array.from({ length: 8 }, () => api('POST', '/users', { body, headers })));
    const created = responses.filter((r) => r.status === 201);
    const inProgress = responses.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(8);
    expect(new Set(created.map((r) => r.body.user.id)).size).toBe(1);
    for (const r of inProgress) expect(r.body.error.code).toBe('REQUEST_IN_PROGRESS');
    expect(await readArea(area)).toMatchObject({ active: 1 });
  });

  it('the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const area = await freshArea(5);
    const headers = { 'idempotency-key': `key-${Math.random()}` };
    const body = { email: uniqueEmail(), area };
    const first = await api('POST', '/users', { body, headers });
    const reused = await api('POST', '/users', { body: { email: uniqueEmail(), area }, headers });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await readArea(area)).toMatchObject({ active: 1 });
    // The refusal left the first request's record alone: a retry of it still gets its response.
    expect((await api('POST', '/users', { body, headers })).body).toEqual(first.body);
  });

  it('a retried transfer moves the seats once; a refused request is not replayed', async () => {
    const from = await freshArea(10);
    const to = await freshArea(0);
    const headers = { 'idempotency-key': `key-${Math.random()}` };
    const body = { from, to, seats: 4 };
    for (let i = 0; i < 3; i++) expect((await api('POST', '/license/transfers', { groups: LICENSE, body, headers })).status).toBe(200);
    expect(await readArea(from)).toMatchObject({ limit: 6 });
    expect(await readArea(to)).toMatchObject({ limit: 4 });

    const full = await freshArea(0);
    const refusedKey = { 'idempotency-key': `key-${Math.random()}` };
    const createBody = { email: uniqueEmail(), area: full };
    expect((await api('POST', '/users', { body: createBody, headers: refusedKey })).status).toBe(409);
    await api('PUT', `/license/areas/${full}`, { groups: LICENSE, body: { limit: 1 } });
    expect((await api('POST', '/users', { body: createBody, headers: refusedKey })).status).toBe(201);
  });

  it('a transfer whose answer was lost (it landed, then the request failed) is not made again by a retry', async () => {
    const from = await freshArea(10);
    const to = await freshArea(0);
    const headers = { 'idempotency-key': `key-${Math.random()}` };
    const body = { from, to, seats: 4 };
    // The transaction lands; the read back after it fails, so the request fails and its idempotency record is dropped.
    let landed = false;
    let failed = false;
    const loseAnswer = intercept(dynamodb, async (command, _input, send) => {
      if (landed && !failed && command === 'GetItemCommand') {
        failed = true;
        throw Object.assign(new Error('connection reset'), { name: 'NetworkingError', $metadata: {} });
      }
      const answer = await send();
      if (command === 'TransactWriteItemsCommand') landed = true;
      return answer;
    });
    const lost = await api('POST', '/license/transfers', { groups: LICENSE, body, headers }).finally(loseAnswer.remove);
    expect(lost.status).toBe(500);
    expect(await readArea(from)).toMatchObject({ limit: 6 });

    const retry = await api('POST', '/license/transfers', { groups: LICENSE, body, headers });
    expect(retry.status).toBe(200);
    expect(retry.body.areas).toMatchObject([
      { area: from, limit: 6 },
      { area: to, limit: 4 },
    ]);
    expect(await readArea(from)).toMatchObject({ limit: 6 });
    expect(await readArea(to)).toMatchObject({ limit: 4 });
    // The key stays bound to that transfer: another body with it is refused and moves nothing.
    const reused = await api('POST', '/license/transfers', { groups: LICENSE, body: { ...body, seats: 1 }, headers });
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await readArea(to)).toMatchObject({ limit: 4 });
  });

  it('keys are per route: the same key on a create and on a transfer runs each once', async () => {
    const from = await freshArea(10);
    const to = await freshArea(0);
    const headers = { 'idempotency-key': `key-${Math.random()}` };
    const groups = ['people-admin', ...LICENSE];
    const transfer = await api('POST', '/license/transfers', { groups, body: { from, to, seats: 1 }, headers });
    const create = await api('POST', '/users', { groups, body: { email: uniqueEmail(), area: to }, headers });
    expect(transfer.status).toBe(200);
    expect(create.status).toBe(201);
    expect(create.body.user).toMatchObject({ area: to, state: 'active' });
    expect(await readArea(to)).toMatchObject({ limit: 1, active: 1 });
  });

  it('keys are per caller: another admin with the same key is not served my response', async () => {
    const area = await freshArea(5);
    const headers = { 'idempotency-key': 'shared-key' };
    const { signLocalToken, localSecret } = await import('../../infra/local/localAuth.ts');
    const alice = await signLocalToken(localSecret(), ['people-admin'], { subject: `alice-${Math.random()}` });
    const bob = await signLocalToken(localSecret(), ['people-admin'], { subject: `bob-${Math.random()}` });
    const body = { email: uniqueEmail(), area };
    expect((await api('POST', '/users', { body, headers, token: alice })).status).toBe(201);
    expect((await api('POST', '/users', { body, headers, token: bob })).body.error.code).toBe('USER_EXISTS');
  });
});
