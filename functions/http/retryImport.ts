import { requestImportRetry } from '#core/importRetryRequest.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parseBody, parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { importPath, noFields } from './schemas.ts';

/** POST /imports/{id}/retry (no body, or {}): resumes an interrupted import; 202, the import runs on. */
export const handler = httpHandler(PEOPLE_ADMINS, async (event) => {
  const { id } = parsePath(event, importPath);
  if (event.body) parseBody(event, noFields);
  const job = await requestImportRetry(id);
  return jsonResponse(202, { job }, { location: `/imports/${job.id}` });
});
