import { unblockUser } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { parseBody, parsePath } from './request.ts';
import { jsonResponse } from './response.ts';
import { idPath, noFields } from './schemas.ts';

/** No body, or an empty JSON object. */
export const handler = httpHandler(['people-admin'], async (event) => {
  const { id } = parsePath(event, idPath);
  if (event.body) parseBody(event, noFields);
  return jsonResponse(200, { user: await unblockUser(id) });
});
