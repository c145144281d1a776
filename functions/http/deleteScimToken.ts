import { revokeScimToken } from '#core/scimTokens.ts';
import { SCIM_TOKEN_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { idPath } from './schemas.ts';

/** DELETE /scim-tokens/{id} → 204; the provider's requests fail once the authorizer's cache forgets the token. */
export const handler = httpHandler(SCIM_TOKEN_ADMINS, async (event) => {
  await revokeScimToken(parsePath(event, idPath).id);
  return jsonResponse(204);
});
