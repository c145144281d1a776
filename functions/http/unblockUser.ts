import { unblockUser } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { parsePath } from './request.ts';
import { jsonResponse } from './response.ts';
import { idPath } from './schemas.ts';

export const handler = httpHandler(['people-admin'], async (event) =>
  jsonResponse(200, { user: await unblockUser(parsePath(event, idPath).id) }),
);
