import { listUsers } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { parseQuery } from './request.ts';
import { jsonResponse } from './response.ts';
import { listUsersQuery } from './schemas.ts';

export const handler = httpHandler(['people-admin'], async (event) =>
  jsonResponse(200, await listUsers(parseQuery(event, listUsersQuery))),
);
