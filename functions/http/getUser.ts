import { getUser } from '#core/people.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { idPath } from './schemas.ts';

export const handler = httpHandler(PEOPLE_ADMINS, async (event) => jsonResponse(200, { user: await getUser(parsePath(event, idPath).id) }));
