import { summary } from '#core/license.ts';
import { ANY_ADMIN } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { jsonResponse } from '#commons/api/response.ts';

export const handler = httpHandler(ANY_ADMIN, async () => jsonResponse(200, await summary()));
