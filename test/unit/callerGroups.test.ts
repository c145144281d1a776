import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { callerGroups } from '#http/middleware/authorize.ts';

const withClaims = (claims?: Record<string, unknown>) =>
  ({ requestContext: { authorizer: claims ? { jwt: { claims, scopes: [] } } : undefined } }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

describe('callerGroups', () => {
  it('reads the flattened "[a b]" form API Gateway delivers', () => {
    expect(callerGroups(withClaims({ 'cognito:groups': '[people-admin license-admin]' }))).toEqual(['people-admin', 'license-admin']);
  });

  it('reads a JSON array string, a real array and a comma list', () => {
    expect(callerGroups(withClaims({ 'cognito:groups': '["people-admin","license-admin"]' }))).toEqual(['people-admin', 'license-admin']);
    expect(callerGroups(withClaims({ 'cognito:groups': ['people-admin'] }))).toEqual(['people-admin']);
    expect(callerGroups(withClaims({ 'cognito:groups': 'people-admin, license-admin' }))).toEqual(['people-admin', 'license-admin']);
  });

  it('no groups claim means no groups; no authorizer means no caller', () => {
    expect(callerGroups(withClaims({ sub: 'x' }))).toEqual([]);
    expect(callerGroups(withClaims())).toBeUndefined();
  });

  it('reads the claim named by GROUPS_CLAIM (Entra ID, Okta)', () => {
    process.env.GROUPS_CLAIM = 'groups';
    try {
      expect(callerGroups(withClaims({ groups: '[people-admin]', 'cognito:groups': '[license-admin]' }))).toEqual(['people-admin']);
    } finally {
      delete process.env.GROUPS_CLAIM;
    }
  });
});
