import { listUsers } from '#core/people.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { listUsersQuery } from './schemas.ts';

export const handler = httpHandler(PEOPLE_ADMINS, async (_event, query) => jsonResponse(200, await listUsers(query)), {
  query: listUsersQuery,
});
