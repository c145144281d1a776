import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { callerGroups, callerSubject } from '#commons/api/authorize.ts';

/** A JWT as API Gateway passes it on in the Authorization header (verified by its authorizer; the function only decodes it). */
const bearer = (payload: Record<string, unknown>) =>
  `Bearer ${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

const withToken = (authorization: string | undefined, claims: Record<string, unknown> = {}) =>
  ({
    headers: authorization === undefined ? {} : { authorization },
    requestContext: { authorizer: { jwt: { claims, scopes: [] } } },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const groupsOf = (payload: Record<string, unknown>) => callerGroups(withToken(bearer(payload)));

describe('callerGroups', () => {
  it('is the string elements of the groups claim, each exactly as written', () => {
    expect(groupsOf({ 'cognito:groups': ['people-admin', 'license-admin'] })).toEqual(['people-admin', 'license-admin']);
    expect(groupsOf({ 'cognito:groups': ['Intranet Readers', 'people-admin'] })).toEqual(['Intranet Readers', 'people-admin']);
    expect(groupsOf({ 'cognito:groups': ['readers,license-admin', 'readers people-admin'] })).toEqual([
      'readers,license-admin',
      'readers people-admin',
    ]);
  });

  it('never reads a role out of a nested array, a number or an object', () => {
    expect(groupsOf({ 'cognito:groups': [['people-admin'], 42, { name: 'license-admin' }, null] })).toEqual([]);
    expect(groupsOf({ 'cognito:groups': { 'people-admin': true } })).toEqual([]);
  });

  it('a lone string is one group, never split', () => {
    expect(groupsOf({ 'cognito:groups': 'people-admin' })).toEqual(['people-admin']);
    expect(groupsOf({ 'cognito:groups': '[people-admin license-admin]' })).toEqual(['[people-admin license-admin]']);
  });

  it('no groups claim means no groups; no token means no caller', () => {
    expect(groupsOf({ sub: 'x' })).toEqual([]);
    expect(callerGroups(withToken(undefined, { 'cognito:groups': '[people-admin]' }))).toBeUndefined();
    expect(callerGroups(withToken('Bearer not.a-jwt', { 'cognito:groups': '[people-admin]' }))).toBeUndefined();
    expect(callerGroups(withToken('Basic cGVvcGxlLWFkbWlu'))).toBeUndefined();
  });

  it('reads no token that no JWT authorizer let through (a route without one)', () => {
    const event = {
      headers: { authorization: bearer({ 'cognito:groups': ['people-admin'] }) },
      requestContext: {},
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(callerGroups(event)).toBeUndefined();
    expect(callerSubject(event)).toBeUndefined();
  });

  it('the header token wins over the authorizer’s flattened claims', () => {
    const event = withToken(bearer({ sub: 'from-token', 'cognito:groups': ['readers'] }), {
      sub: 'from-claims',
      'cognito:groups': '[people-admin]',
    });
    expect(callerGroups(event)).toEqual(['readers']);
    expect(callerSubject(event)).toBe('from-token');
  });

  it('reads the claim named by GROUPS_CLAIM (Entra ID roles or groups, Okta groups)', () => {
    const entra = { groups: ['7d2b1a44-0c1e-4f7e-9d61-2f1c0a9b8e11'], roles: ['people-admin'], 'cognito:groups': ['license-admin'] };
    for (const [claim, expected] of [
      ['roles', ['people-admin']],
      ['groups', ['7d2b1a44-0c1e-4f7e-9d61-2f1c0a9b8e11']],
    ] as const) {
      process.env.GROUPS_CLAIM = claim;
      try {
        expect(groupsOf(entra)).toEqual(expected);
      } finally {
        delete process.env.GROUPS_CLAIM;
      }
    }
  });
});
