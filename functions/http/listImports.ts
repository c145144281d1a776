import { listJobs } from '../import/importJob.ts';
import { httpHandler } from './httpHandler.ts';
import { parseQuery } from './request.ts';
import { jsonResponse } from './response.ts';
import { listImportsQuery } from './schemas.ts';

/** GET /imports: import jobs, newest first, paginated. */
export const handler = httpHandler(['people-admin'], async (event) => jsonResponse(200, await listJobs(parseQuery(event, listImportsQuery))));
