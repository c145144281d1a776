import { listImportJobs } from '#core/importJobRecord.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { listImportsQuery } from './schemas.ts';

/** GET /imports: import jobs, newest first, paginated. */
export const handler = httpHandler(PEOPLE_ADMINS, async (_event, query) => jsonResponse(200, await listImportJobs(query)), {
  query: listImportsQuery,
});
