import { issueScimToken } from '#core/scimTokens.ts';
import { SCIM_TOKEN_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { callerSubject } from '#commons/api/authorize.ts';
import { parseBody } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { createScimTokenBody } from './schemas.ts';

/**
 * POST /scim-tokens {directory, description?} → 201 with the token, shown this
 * once (only its hash is kept). `no-store`: the secret must not sit in caches.
 */
export const handler = httpHandler(SCIM_TOKEN_ADMINS, async (event) => {
  const body = parseBody(event, createScimTokenBody);
  const { token, secret } = await issueScimToken({ ...body, createdBy: callerSubject(event) });
  return jsonResponse(201, { scimToken: token, token: secret }, { location: `/scim-tokens/${token.id}`, 'cache-control': 'no-store' });
});
