import { listScimTokens } from '#core/scimTokens.ts';
import { SCIM_TOKEN_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { jsonResponse } from '#commons/api/response.ts';

/** GET /scim-tokens: every token's id, directory, description and use, never a secret. */
export const handler = httpHandler(SCIM_TOKEN_ADMINS, async () => jsonResponse(200, { items: await listScimTokens() }));
