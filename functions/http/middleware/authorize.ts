import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { SeatkeeperError } from '#core/errors.ts';

export type Role = 'people-admin' | 'license-admin';

/** Claim that carries the caller's groups (Cognito by default; Entra/Okta name it otherwise). */
export const DEFAULT_GROUPS_CLAIM = 'cognito:groups';
const groupsClaim = () => process.env.GROUPS_CLAIM || DEFAULT_GROUPS_CLAIM;

/**
 * The caller's groups as API Gateway's JWT authorizer delivers them: an array
 * claim arrives flattened to the string "[a b]"; a JSON array or a plain
 * comma/space separated string are accepted too.
 */
export function callerGroups(event: APIGatewayProxyEventV2WithJWTAuthorizer): string[] | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) return undefined;
  const raw: unknown = claims[groupsClaim()];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const text = raw.trim();
  if (text.startsWith('[') && text.includes('"')) {
    try {
      return (JSON.parse(text) as unknown[]).map(String);
    } catch {
      // not JSON after all: fall through to the API Gateway form
    }
  }
  return text.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

/** The caller's `sub` claim: who did it, for the records that say so. */
export function callerSubject(event: APIGatewayProxyEventV2WithJWTAuthorizer): string | undefined {
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  return sub ? String(sub) : undefined;
}

export const unauthorized = () =>
  new SeatkeeperError('UNAUTHORIZED', 'A valid bearer token is required (Authorization: Bearer <JWT>).');

export const forbidden = (message: string) => new SeatkeeperError('FORBIDDEN', message);

/** Lets the request through when the caller holds any of `roles`. */
export const requireRole = (roles: readonly Role[]): MiddlewareObj<APIGatewayProxyEventV2WithJWTAuthorizer> => ({
  before: async (request) => {
    const groups = callerGroups(request.event);
    if (!groups) throw unauthorized();
    if (!roles.some((role) => groups.includes(role))) {
      throw forbidden(`This action needs the ${roles.join(' or ')} role.`);
    }
  },
});
