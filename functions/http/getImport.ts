import { importNotFound } from '#core/errors.ts';
import { findJob } from '#core/importJobRecord.ts';
import { reportUrl } from '#core/importUploads.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { importPath } from './schemas.ts';

/** GET /imports/{id}: the job, and once it is done a link to its report. */
export const handler = httpHandler(PEOPLE_ADMINS, async (event) => {
  const { id } = parsePath(event, importPath);
  const job = await findJob(id);
  if (!job) throw importNotFound(id);
  const done = job.status === 'succeeded' || job.status === 'failed' || job.status === 'skipped';
  return jsonResponse(200, { job: { ...job, report: { key: job.reportKey, ...(done ? await reportUrl(job.reportKey) : {}) } } });
});
