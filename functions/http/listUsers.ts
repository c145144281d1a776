import { listUsers } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { jsonResponse } from './response.ts';
import { listUsersQuery } from './schemas.ts';

export const handler = httpHandler(['people-admin'], async (_event, query) => jsonResponse(200, await listUsers(query)), { query: listUsersQuery });
