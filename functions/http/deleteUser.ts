import { deleteUser } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { parsePath } from './request.ts';
import { jsonResponse } from './response.ts';
import { idPath } from './schemas.ts';

export const handler = httpHandler(['people-admin'], async (event) => {
  await deleteUser(parsePath(event, idPath).id);
  return jsonResponse(204);
});
