import { listJobs } from '../import/importJob.ts';
import { httpHandler } from './httpHandler.ts';
import { jsonResponse } from './response.ts';
import { listImportsQuery } from './schemas.ts';

/** GET /imports: import jobs, newest first, paginated. */
export const handler = httpHandler(['people-admin'], async (_event, query) => jsonResponse(200, await listJobs(query)), { query: listImportsQuery });
