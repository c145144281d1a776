import { blockUser } from '#core/people.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parseBody, parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { idPath, noFields } from './schemas.ts';

/** No body, or an empty JSON object. */
export const handler = httpHandler(PEOPLE_ADMINS, async (event) => {
  const { id } = parsePath(event, idPath);
  if (event.body) parseBody(event, noFields);
  return jsonResponse(200, { user: await blockUser(id, 'admin') });
});
