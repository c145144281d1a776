/**
 * The event POST /imports/{id}/retry sends (functions/core/importRetry.ts): the job to resume. Its
 * upload is rebuilt from the job record as the S3 event named it (bucket, key, version), so the
 * import claims that same job and reads that same object version.
 */
import { logger } from '#commons/logger.ts';
import { findJob, sourceOfJob, type ImportSource } from '#core/importJobRecord.ts';
import type { ImportRetryEvent } from '#core/importRetry.ts';

export async function retrySources(event: ImportRetryEvent): Promise<{ sources: ImportSource[]; skipped: number }> {
  const { jobId } = event.importRetry;
  const job = await findJob(jobId);
  const source = job?.id === jobId ? sourceOfJob(job) : undefined;
  if (source) return { sources: [source], skipped: 0 };
  logger.warn('import retry names no job it can resume; nothing to do', { jobId });
  return { sources: [], skipped: 1 };
}
