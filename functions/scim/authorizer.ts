/**
 * API Gateway HTTP API Lambda authorizer (payload 2.0, simple responses) for
 * the SCIM routes: identifies the directory a bearer token belongs to.
 * API Gateway caches the answer per Authorization header (the identity source).
 *
 * It answers isAuthorized: true with an empty directory for a token it does not
 * know, and the SCIM handlers refuse such requests (scimHandler.ts). That is on
 * purpose: HTTP APIs turn `isAuthorized: false` into their own
 * `403 {"message":"Forbidden"}`, but RFC 7644 §3.12 asks for 401 with a SCIM
 * error body, and Okta and Entra ID tell an administrator "invalid credentials"
 * only on 401. A request without an Authorization header never reaches this
 * function: API Gateway answers 401 itself.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { logger } from '#commons/logger.ts';
import { verifyScimToken } from '#core/scimTokens.ts';

/** What the SCIM handlers find in requestContext.authorizer.lambda. Empty strings: not authenticated. */
export interface ScimAuthorizerContext {
  directory: string;
  tokenId: string;
}

export type ScimAuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<ScimAuthorizerContext>;

const bearer = (header: string | undefined) => header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<ScimAuthorizerResult> {
  const header = event.headers?.authorization ?? event.identitySource?.[0];
  const presented = bearer(header);
  const token = presented ? await verifyScimToken(presented) : undefined;
  if (!token) {
    logger.info('SCIM token not recognised', { requestId: event.requestContext?.requestId });
    return { isAuthorized: true, context: { directory: '', tokenId: '' } };
  }
  logger.info('SCIM token accepted', { tokenId: token.id, directory: token.directory, requestId: event.requestContext?.requestId });
  return { isAuthorized: true, context: { directory: token.directory, tokenId: token.id } };
}
