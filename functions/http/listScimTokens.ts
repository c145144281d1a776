import { listScimTokens } from '../scim/tokenStore.ts';
import { httpHandler } from './httpHandler.ts';
import { SCIM_TOKEN_ADMINS } from './middleware/authorize.ts';
import { jsonResponse } from './response.ts';

/** GET /scim-tokens: every token's id, directory, description and use, never a secret. */
export const handler = httpHandler(SCIM_TOKEN_ADMINS, async () => jsonResponse(200, { items: await listScimTokens() }));
