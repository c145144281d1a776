/**
 * Issue 19, security: what outside testing found. Roles are exact elements of the
 * caller's groups, read from the token API Gateway verified; SCIM tokens need both
 * roles; a directory never deactivates or deletes an exempt account, and its 409s
 * name no owner; upload file names are plain text; the local engines listen on
 * 127.0.0.1 only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { getUser, updateUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, claimsAsApiGatewayDelivers, localSecret } from '../../infra/local/localAuth.ts';
import { startLocalApi } from '../../infra/local/server.ts';
import { useLocalApi } from '../support/localApi.ts';
import { expectInvariant, freshArea, uniqueEmail } from '../support/seats.ts';
import { directory, emails, importFile, keyIn, outcomes, readReport, syncFile } from './importKit.ts';
import { connectProvider, patchBody, userResource, useOwnTables, type Provider } from './scimKit.ts';

useOwnTables('hardening-sec');
const api = useLocalApi();
const BOTH = ['people-admin', 'license-admin'];

/** A token the local server accepts, with any claims (groups of any shape). */
const tokenWith = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('outside-tester')
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(localSecret());

async function withGroupsClaim<T>(claim: string, run: () => Promise<T>): Promise<T> {
  process.env.GROUPS_CLAIM = claim;
  try {
    return await run();
  } finally {
    delete process.env.GROUPS_CLAIM;
  }
}

describe('1. a role is an exact element of the caller’s groups', () => {
  it('a group name that contains a role (comma, space, nested array) grants nothing', async () => {
    const area = `sec-${Date.now().toString(36)}`;
    const licence = await api('PUT', `/license/areas/${area}`, {
      token: await tokenWith({ 'cognito:groups': ['readers,license-admin'] }),
      body: { limit: 5 },
    });
    expect(licence.status).toBe(403);
    expect(licence.body.error.code).toBe('FORBIDDEN');
    expect(await readArea(area)).toBeUndefined();

    for (const groups of [
      ['readers people-admin'],
      ['license-admin people-admin'],
      [['people-admin']],
      [{ name: 'people-admin' }],
      [42],
      'readers,people-admin',
      '[people-admin]',
    ]) {
      const response = await api('GET', '/users?limit=1', { token: await tokenWith({ 'cognito:groups': groups }) });
      expect(response.status, JSON.stringify(groups)).toBe(403);
    }
  });

  it('an exact element is a role, beside group names with spaces; a single group may be a plain string', async () => {
    const token = await tokenWith({ 'cognito:groups': ['Intranet Readers', 'people-admin', ['license-admin']] });
    expect((await api('GET', '/users?limit=1', { token })).status).toBe(200);
    // The nested array is no role: licence routes stay closed.
    expect((await api('PUT', '/license/areas/primary', { token, body: { limit: 1000 } })).status).toBe(403);
    expect((await api('GET', '/users?limit=1', { token: await tokenWith({ 'cognito:groups': 'people-admin' }) })).status).toBe(200);
  });

  it('reads the claim GROUPS_CLAIM names, in the shapes Entra ID (groups, roles) and Okta (groups) send', async () => {
    const entra = {
      groups: ['7d2b1a44-0c1e-4f7e-9d61-2f1c0a9b8e11', 'Intranet People Admins'],
      roles: ['people-admin'],
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      tid: '9188040d-6c67-4c5b-b112-36a304b66dad',
    };
    const okta = { groups: ['Everyone', 'Intranet Admins', 'people-admin'], uid: '00u1a2b3c4d5e6f7g8h9' };
    await withGroupsClaim('roles', async () => {
      expect((await api('GET', '/users?limit=1', { token: await tokenWith(entra) })).status).toBe(200);
      expect(
        (await api('GET', '/users?limit=1', { token: await tokenWith({ ...entra, roles: ['people-admin,license-admin'] }) })).status,
      ).toBe(403);
    });
    await withGroupsClaim('groups', async () => {
      // Entra's groups are object ids (or names) here, not roles.
      expect((await api('GET', '/users?limit=1', { token: await tokenWith(entra) })).status).toBe(403);
      expect((await api('GET', '/users?limit=1', { token: await tokenWith(okta) })).status).toBe(200);
      expect((await api('GET', '/users?limit=1', { token: await tokenWith({ ...okta, groups: ['Everyone people-admin'] }) })).status).toBe(
        403,
      );
    });
  });

  it('reads the groups from the token in the Authorization header, not from the authorizer’s flattened claims', async () => {
    const { handler } = await import('../../functions/http/getSummary.ts');
    const event = JSON.parse(readFileSync('events/getSummary.json', 'utf8'));
    const run = (authorization: string | undefined, claims: Record<string, unknown>) => {
      const { authorization: _, ...headers } = event.headers;
      return handler(
        {
          ...event,
          headers: { ...headers, ...(authorization ? { authorization } : {}) },
          requestContext: { ...event.requestContext, authorizer: { jwt: { claims, scopes: [] } } },
        },
        {} as never,
      ) as Promise<{ statusCode: number; body: string }>;
    };
    const unsigned = (payload: Record<string, unknown>) =>
      `Bearer ${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJl`;
    // The claims say people-admin, the token does not: the token wins.
    expect(
      (await run(unsigned({ sub: 'a', 'cognito:groups': ['readers'] }), { sub: 'a', 'cognito:groups': '[people-admin]' })).statusCode,
    ).toBe(403);
    expect(
      (await run(unsigned({ sub: 'a', 'cognito:groups': ['people-admin'] }), { sub: 'a', 'cognito:groups': '[readers]' })).statusCode,
    ).toBe(200);
    // No Authorization header (or no token in it): no caller.
    const missing = await run(undefined, { sub: 'a', 'cognito:groups': '[people-admin]' });
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body).error.code).toBe('UNAUTHORIZED');
    expect((await run('Bearer not-a-jwt', { sub: 'a', 'cognito:groups': '[people-admin]' })).statusCode).toBe(401);
  });

  it('every sample event of a JWT route carries the token its authorizer claims were read from', () => {
    const events = readdirSync('events').map((file) => [file, JSON.parse(readFileSync(`events/${file}`, 'utf8'))] as const);
    const withJwt = events.filter(([, event]) => event.requestContext?.authorizer?.jwt);
    expect(withJwt.length).toBeGreaterThan(10);
    for (const [file, event] of withJwt) {
      const payload = decodeJwt(event.headers.authorization.replace(/^Bearer /, ''));
      expect(claimsAsApiGatewayDelivers(payload), file).toEqual(event.requestContext.authorizer.jwt.claims);
    }
  });
});

describe('2. a SCIM token needs both people-admin and license-admin', () => {
  it('license-admin alone (or people-admin alone) may not issue, list or revoke one; both may', async () => {
    for (const groups of [['license-admin'], ['people-admin']]) {
      for (const [method, path, body] of [
        ['POST', '/scim-tokens', { directory: 'okta' }],
        ['GET', '/scim-tokens'],
        ['DELETE', '/scim-tokens/x'],
      ] as const) {
        const response = await api(method, path, { groups, ...(body ? { body } : {}) });
        expect(response.status, `${groups.join(',')} ${method}`).toBe(403);
        expect(response.body.error).toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringMatching(/both the people-admin and license-admin roles/),
        });
      }
    }
    const issued = await api('POST', '/scim-tokens', { groups: BOTH, body: { directory: 'okta' } });
    expect(issued.status).toBe(201);
    expect((await api('GET', '/scim-tokens', { groups: BOTH })).body.items.map((t: { id: string }) => t.id)).toContain(
      issued.body.scimToken.id,
    );
    expect((await api('DELETE', `/scim-tokens/${issued.body.scimToken.id}`, { groups: BOTH })).status).toBe(204);
  });
});

describe('3. a directory never deactivates or deletes an exempt account', () => {
  let okta: Provider;
  const provider = async () => (okta ??= await connectProvider(api, 'okta'));

  /** A user the directory provisioned, then marked exempt by a licence admin. */
  async function exemptOfDirectory(scim: Provider, area: string) {
    const created = await scim('POST', '/Users', userResource(area));
    expect(created.status).toBe(201);
    const marked = await api('PATCH', `/users/${created.body.id}`, { groups: BOTH, body: { exempt: true } });
    expect(marked.status).toBe(200);
    return marked.body.user as { id: string; email: string };
  }

  it('SCIM PATCH (every form), PUT with active:false and DELETE are 403 and change nothing; other edits still apply', async () => {
    const scim = await provider();
    const area = await freshArea(5);
    const user = await exemptOfDirectory(scim, area);
    const before = await getUser(user.id);
    const refusals = [
      await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } })),
      await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'replace', path: 'active', value: false })),
      await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' })),
      await scim(
        'PATCH',
        `/Users/${user.id}`,
        patchBody({ op: 'replace', path: 'displayName', value: 'Renamed' }, { op: 'replace', path: 'active', value: false }),
      ),
      await scim('PUT', `/Users/${user.id}`, userResource(area, { userName: user.email, active: false })),
      await scim('DELETE', `/Users/${user.id}`),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ status: '403', detail: expect.stringMatching(/licence administrator manages/) });
    }
    expect(await getUser(user.id)).toEqual(before);
    expect(await readArea(area)).toMatchObject({ active: 0, exempt: 1, blocked: 0 });

    const renamed = await scim('PATCH', `/Users/${user.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Support Desk' }));
    expect(renamed.status).toBe(200);
    expect(await getUser(user.id)).toMatchObject({ name: 'Support Desk', state: 'active', exempt: true });
    await expectInvariant(area);
  });

  it('a CSV sync that marks it disabled, or leaves it out, reports EXEMPT_ACCOUNT and leaves it as it is', async () => {
    const area = await freshArea(5);
    const dir = directory();
    const [support, person] = emails(2);
    const first = keyIn(`sync/${dir}`);
    await importFile(first, syncFile(area, [support!, person!]));
    const supportId = (await readReport(first)).find((row) => row.email === support)!.userId;
    await updateUser(supportId, { exempt: true });
    const before = await getUser(supportId);

    const disabled = keyIn(`sync/${dir}`);
    const run = await importFile(
      disabled,
      syncFile(area, [support!, person!], (email) => [email === support ? 'SUSPENDED' : 'ACTIVE']),
    );
    expect(await outcomes(disabled)).toEqual({ [support!]: 'exists/EXEMPT_ACCOUNT', [person!]: 'exists/ALREADY_EXISTS' });
    expect((await readReport(disabled)).find((row) => row.email === support)).toMatchObject({
      userId: supportId,
      message: expect.stringMatching(/exempt.*licence administrator/i),
    });
    expect(run.counts).toMatchObject({ blockedAbsent: 0, skippedExisting: 2 });
    expect(await getUser(supportId)).toEqual(before);

    process.env.IMPORT_SYNC_BLOCK_ABSENT = dir;
    try {
      const absent = keyIn(`sync/${dir}`);
      const second = await importFile(absent, syncFile(area, [person!]));
      expect(await outcomes(absent)).toEqual({ [person!]: 'exists/ALREADY_EXISTS', [support!]: 'exists/EXEMPT_ACCOUNT' });
      expect((await readReport(absent)).at(-1)).toMatchObject({ line: '', email: support, userId: supportId });
      expect(second.counts).toMatchObject({ blockedAbsent: 0 });
    } finally {
      delete process.env.IMPORT_SYNC_BLOCK_ABSENT;
    }
    expect(await getUser(supportId)).toEqual(before);
    expect(await readArea(area)).toMatchObject({ active: 1, exempt: 1, blocked: 0 });
    await expectInvariant(area);
  });
});

describe('4. a SCIM 409 names no owner the directory cannot see', () => {
  it('the same detail for an exempt account’s and another directory’s userName; its own says which of its users', async () => {
    const scim = await connectProvider(api, 'okta');
    const entra = await connectProvider(api, 'entra');
    const area = await freshArea(5);
    const exempt = await api('POST', '/users', { groups: BOTH, body: { email: uniqueEmail('desk'), area, exempt: true } });
    const theirs = await entra('POST', '/Users', userResource(area));
    const own = await scim('POST', '/Users', userResource(area));

    const details: string[] = [];
    for (const email of [exempt.body.user.email, theirs.body.userName]) {
      const response = await scim('POST', '/Users', userResource(area, { userName: email }));
      expect(response.status).toBe(409);
      expect(response.body.scimType).toBe('uniqueness');
      details.push(response.body.detail);
    }
    expect(details[0]).toBe(details[1]);
    expect(details[0]).not.toMatch(/exempt|support or administrator|another directory|directory manages/i);

    const mine = await scim('POST', '/Users', userResource(area, { userName: own.body.userName }));
    expect(mine.body.detail).toContain(own.body.id);

    const renamed = await scim(
      'PATCH',
      `/Users/${own.body.id}`,
      patchBody({ op: 'replace', path: 'userName', value: exempt.body.user.email }),
    );
    expect(renamed.status).toBe(409);
    expect(renamed.body.detail).not.toMatch(/exempt|support or administrator|another directory|directory manages/i);
    expect(await getUser(exempt.body.user.id)).toMatchObject({ state: 'active', exempt: true });
  });
});

describe('5. POST /imports refuses a fileName that is not plain text', () => {
  it('text-direction overrides and other control characters are 400 INVALID_REQUEST on fileName', async () => {
    const area = await freshArea(5);
    for (const fileName of ['invoice\u202Etxt.csv', 'people\u2066.csv', 'people\u0085.csv', 'people\u0007.csv']) {
      const response = await api('POST', '/imports', { body: { kind: 'upload', fileName, size: 10, area } });
      expect(response.status, JSON.stringify(fileName)).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'INVALID_REQUEST',
        details: { issues: [{ field: 'fileName', problem: expect.stringMatching(/control characters .* text-direction overrides/) }] },
      });
    }
    expect(
      (await api('POST', '/imports', { body: { kind: 'upload', fileName: 'Nouveaux employés (nov.).csv', size: 10, area } })).status,
    ).toBe(201);
  });
});

/** Local addresses of the sockets listening on `port` (Linux: /proc/net/tcp and tcp6). */
function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local?.endsWith(`:${hexPort}`)) continue;
      addresses.push(procAddress(local.split(':')[0]!));
    }
  }
  return addresses;
}

/** /proc/net/tcp writes an address as 32-bit words in host (little-endian) byte order; IPv6 comes out in full hex groups. */
function procAddress(hex: string): string {
  const bytes = Buffer.concat(hex.match(/.{8}/g)!.map((word) => Buffer.from(word, 'hex').reverse()));
  if (bytes.length === 4) return [...bytes].join('.');
  const v4mapped = bytes.subarray(0, 12).equals(Buffer.from('00000000000000000000ffff', 'hex'));
  return v4mapped ? `::ffff:${[...bytes.subarray(12)].join('.')}` : bytes.toString('hex').match(/.{4}/g)!.join(':');
}

/** Whether a TCP connection to address:port is refused (or otherwise fails) within a second. */
const refused = (address: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: address, port, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
    socket.once('timeout', () => (socket.destroy(), resolve(true)));
  });

describe('6. the local engines listen on the loopback interface only', () => {
  it('DynamoDB Local, s3rver, the SES emulator and the API server are bound to 127.0.0.1', async () => {
    const local = await startLocalApi({ secret: localSecret() });
    try {
      const ports = {
        dynamodb: Number(new URL(inject('dynamodbEndpoint')).port),
        s3: Number(new URL(inject('s3Endpoint')).port),
        ses: Number(new URL(inject('sesEndpoint')).port),
        api: Number(new URL(local.url).port),
      };
      const loopback = ['127.0.0.1', '::ffff:127.0.0.1', '0000:0000:0000:0000:0000:0000:0000:0001'];
      if (existsSync('/proc/net/tcp')) {
        for (const [engine, port] of Object.entries(ports)) {
          const addresses = listeningAddresses(port);
          expect(addresses.length, `${engine} listens on ${port}`).toBeGreaterThan(0);
          for (const address of addresses) expect(loopback, `${engine} on ${address}:${port}`).toContain(address);
        }
      } else {
        // Without /proc: every address of this machine that is not loopback must refuse.
        const outside = Object.values(networkInterfaces())
          .flatMap((list) => list ?? [])
          .filter((i) => !i.internal)
          .map((i) => i.address);
        for (const [engine, port] of Object.entries(ports)) {
          for (const address of outside) expect(await refused(address, port), `${engine} on ${address}:${port}`).toBe(true);
        }
      }
    } finally {
      await local.stop();
    }
  });
});
