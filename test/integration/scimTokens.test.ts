/**
 * SCIM bearer tokens: issued once by an admin holding both roles, stored as a SHA-256 hash
 * only, listed without secrets, revoked; and the Lambda authorizer that checks
 * them, run on the real-shaped event API Gateway sends (events/scimAuthorizer.json).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '#clients/dynamodb.ts';
import { tableName } from '#core/tables.ts';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { handler as authorizer } from '../../functions/scim/authorizer.ts';
import { useLocalApi } from '../support/localApi.ts';
import { useOwnTables } from './scimKit.ts';

useOwnTables('scim-tokens');
const api = useLocalApi();
/** A SCIM token manages people: issuing, listing and revoking one needs both roles. */
const LICENSE = ['people-admin', 'license-admin'];

const authorizerEvent = (authorization?: string): APIGatewayRequestAuthorizerEventV2 => {
  const event = JSON.parse(readFileSync('events/scimAuthorizer.json', 'utf8')) as APIGatewayRequestAuthorizerEventV2;
  if (authorization === undefined) return event;
  return { ...event, identitySource: [authorization], headers: { ...event.headers, authorization } };
};

async function jobItems(): Promise<Record<string, unknown>[]> {
  return (await documentClient.send(new ScanCommand({ TableName: tableName('jobs') }))).Items ?? [];
}

describe('POST/GET/DELETE /scim-tokens', () => {
  it('issues a token once, keeps only its hash, lists it without secrets, and revokes it', async () => {
    const created = await api('POST', '/scim-tokens', {
      groups: LICENSE,
      body: { directory: 'entra', description: 'Entra ID production' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { token, scimToken } = created.body;
    expect(token).toMatch(/^skscim_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(scimToken).toEqual({
      id: expect.any(String),
      directory: 'entra',
      description: 'Entra ID production',
      createdAt: expect.any(String),
      createdBy: 'local-admin',
    });
    expect(created.headers.get('location')).toBe(`/scim-tokens/${scimToken.id}`);

    const stored = (await jobItems()).filter((item) => item.kind === 'scimToken');
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token.split('_').at(-1));
    expect(stored.find((item) => item.id === scimToken.id)?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));

    const listed = await api('GET', '/scim-tokens', { groups: LICENSE });
    expect(listed.status).toBe(200);
    const entry = listed.body.items.find((t: { id: string }) => t.id === scimToken.id);
    expect(entry).toEqual(scimToken);
    expect(JSON.stringify(listed.body)).not.toMatch(/skscim_|tokenHash/);

    // A provider call records the use (once an hour at most).
    expect((await api('GET', '/scim/v2/Users', { token })).status).toBe(200);
    const used = (await api('GET', '/scim-tokens', { groups: LICENSE })).body.items.find((t: { id: string }) => t.id === scimToken.id);
    expect(used.lastUsedAt).toEqual(expect.any(String));

    expect((await api('DELETE', `/scim-tokens/${scimToken.id}`, { groups: LICENSE })).status).toBe(204);
    expect((await api('GET', '/scim/v2/Users', { token })).status).toBe(401);
    const again = await api('DELETE', `/scim-tokens/${scimToken.id}`, { groups: LICENSE });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('SCIM_TOKEN_NOT_FOUND');
    expect((await api('GET', '/scim-tokens', { groups: LICENSE })).body.items.map((t: { id: string }) => t.id)).not.toContain(scimToken.id);
  });

  it('people and licence admins (both roles) only; directory names are checked', async () => {
    expect((await api('POST', '/scim-tokens', { body: { directory: 'okta' } })).status).toBe(403);
    expect((await api('GET', '/scim-tokens')).status).toBe(403);
    expect((await api('DELETE', '/scim-tokens/x')).status).toBe(403);
    expect((await api('POST', '/scim-tokens', { token: null, body: { directory: 'okta' } })).status).toBe(401);
    for (const body of [
      {},
      { directory: 'Okta Prod' },
      { directory: 'okta', secret: 'mine' },
      { directory: 'okta', description: 'x'.repeat(201) },
    ]) {
      const response = await api('POST', '/scim-tokens', { groups: LICENSE, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('INVALID_REQUEST');
    }
  });
});

describe('SCIM Lambda authorizer', () => {
  it('puts the directory and token id in the context for a live token', async () => {
    const { token, scimToken } = (await api('POST', '/scim-tokens', { groups: LICENSE, body: { directory: 'okta' } })).body;
    expect(await authorizer(authorizerEvent(`Bearer ${token}`))).toEqual({
      isAuthorized: true,
      context: { directory: 'okta', tokenId: scimToken.id },
    });
    expect(await authorizer(authorizerEvent(`bearer   ${token}`))).toMatchObject({ context: { directory: 'okta' } });
  });

  it('recognises nobody for an unknown, tampered or revoked token (the SCIM handlers then answer 401)', async () => {
    const { token, scimToken } = (await api('POST', '/scim-tokens', { groups: LICENSE, body: { directory: 'okta' } })).body;
    const nobody = { isAuthorized: true, context: { directory: '', tokenId: '' } };
    expect(await authorizer(authorizerEvent())).toEqual(nobody);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const header of [
      `Bearer ${tampered}`,
      token,
      'Basic dXNlcjpwYXNz',
      `Bearer ${token.replace(scimToken.id, '00000000-0000-4000-8000-000000000000')}`,
    ]) {
      expect(await authorizer(authorizerEvent(header)), header.slice(0, 12)).toEqual(nobody);
    }
    await api('DELETE', `/scim-tokens/${scimToken.id}`, { groups: LICENSE });
    expect(await authorizer(authorizerEvent(`Bearer ${token}`))).toEqual(nobody);
  });
});
