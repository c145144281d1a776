import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { decodeJwt, type JWTPayload } from 'jose';
import { SeatkeeperError } from '#core/errors.ts';
import { ruleRefusal, satisfiesRule, type Role, type RoleRule } from '#core/roles.ts';
import { logger } from '#commons/logger.ts';

/** Claim that carries the caller's groups (Cognito by default; Entra/Okta name it otherwise). */
export const DEFAULT_GROUPS_CLAIM = 'cognito:groups';
const groupsClaim = () => process.env.GROUPS_CLAIM || DEFAULT_GROUPS_CLAIM;

/**
 * The payload of the bearer token in the request's Authorization header, or
 * undefined when there is none (or it is no JWT), or when no JWT authorizer ran.
 *
 * Decoded, not verified: only a request that API Gateway's JWT authorizer let
 * through (its claims are in requestContext.authorizer.jwt) is read, and that
 * authorizer has verified this very token (signature, issuer, audience, expiry)
 * before the function runs; locally infra/local/server.ts does the same. The
 * authorizer's copy of the claims is not used for groups: it flattens an array
 * claim into the string "[a b]", which cannot tell the group "a b" from the
 * groups "a" and "b". The two cannot disagree on AWS; if they ever do, the token wins.
 */
function callerToken(event: APIGatewayProxyEventV2WithJWTAuthorizer): JWTPayload | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const token = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!claims || !token) return undefined;
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch {
    return undefined;
  }
  if (claims.sub !== undefined && String(claims.sub) !== payload.sub) {
    logger.warn('the bearer token and the JWT authorizer claims name different callers; the token is used');
  }
  return payload;
}

/**
 * The caller's groups: the string elements of the token's groups claim (a lone
 * string is one group), each exactly as the identity provider wrote it. Nothing
 * is split, so a group named "readers,license-admin" or "readers people-admin" is
 * that one group, never a role; nested arrays, numbers and objects are never groups.
 * Undefined when the request carries no token (no caller).
 */
export function callerGroups(event: APIGatewayProxyEventV2WithJWTAuthorizer): string[] | undefined {
  const payload = callerToken(event);
  if (!payload) return undefined;
  const claim = payload[groupsClaim()];
  if (typeof claim === 'string') return [claim];
  return Array.isArray(claim) ? claim.filter((group): group is string => typeof group === 'string') : [];
}

/** Whether the caller holds `role`: an exact element of its groups. */
export const callerHasRole = (event: APIGatewayProxyEventV2WithJWTAuthorizer, role: Role): boolean =>
  callerGroups(event)?.includes(role) ?? false;

/** The caller's `sub` claim: who did it, for the records that say so (from the same token as its groups). */
export function callerSubject(event: APIGatewayProxyEventV2WithJWTAuthorizer): string | undefined {
  const sub = callerToken(event)?.sub;
  return sub ? String(sub) : undefined;
}

export const unauthorized = () => new SeatkeeperError('UNAUTHORIZED', 'A valid bearer token is required (Authorization: Bearer <JWT>).');

export const forbidden = (message: string) => new SeatkeeperError('FORBIDDEN', message);

/** Lets the request through when the caller's groups satisfy `rule`. */
export const requireRole = (rule: RoleRule): MiddlewareObj<APIGatewayProxyEventV2WithJWTAuthorizer> => ({
  before: async (request) => {
    const groups = callerGroups(request.event);
    if (!groups) throw unauthorized();
    if (!satisfiesRule(groups, rule)) throw forbidden(ruleRefusal(rule));
  },
});
