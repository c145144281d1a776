import { revokeScimToken } from '../scim/tokenStore.ts';
import { httpHandler } from './httpHandler.ts';
import { SCIM_TOKEN_ADMINS } from './middleware/authorize.ts';
import { parsePath } from './request.ts';
import { jsonResponse } from './response.ts';
import { idPath } from './schemas.ts';

/** DELETE /scim-tokens/{id} → 204; the provider's requests fail once the authorizer's cache forgets the token. */
export const handler = httpHandler(SCIM_TOKEN_ADMINS, async (event) => {
  await revokeScimToken(parsePath(event, idPath).id);
  return jsonResponse(204);
});
