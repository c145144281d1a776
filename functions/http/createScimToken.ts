import { issueScimToken } from '../scim/tokenStore.ts';
import { httpHandler } from './httpHandler.ts';
import { SCIM_TOKEN_ADMINS, callerSubject } from './middleware/authorize.ts';
import { parseBody } from './request.ts';
import { jsonResponse } from './response.ts';
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
