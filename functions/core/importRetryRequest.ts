/**
 * POST /imports/{id}/retry, on the route's side: checks the job and invokes the import function
 * asynchronously, as S3 does, with the retry event (importRetry.ts). The import function reads the
 * job, rebuilds the upload its event named and runs it again from that object version; the job's
 * claim and the per-email writes make that idempotent: rows an earlier attempt wrote come out
 * `exists`, and a retry that meets a running or finished job waits for it or does nothing.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { lambda } from '#clients/lambda.ts';
import { importNotFound, importNotRetryable } from './errors.ts';
import { findJob, sourceOfJob, type ImportJob } from './importJobRecord.ts';
import { IMPORT_FUNCTION, type ImportRetryEvent } from './importRetry.ts';

/** Why a job that is not interrupted cannot be retried, and what to do instead. */
function notRetryable(job: ImportJob): string {
  if (job.status === 'running') {
    return `Import '${job.id}' is running (${job.progress?.phase ?? 'starting'}); only an interrupted import can be retried. Follow it with GET /imports/${job.id}.`;
  }
  return `Import '${job.id}' has finished (${job.status}); only an interrupted import can be retried. To import the file again, upload it again.`;
}

/** Asks the import function to resume an interrupted job; returns the job as it was when asked. */
export async function requestImportRetry(id: string): Promise<ImportJob> {
  const job = await findJob(id);
  if (!job) throw importNotFound(id);
  if (job.status !== 'interrupted') throw importNotRetryable(job.id, job.status, notRetryable(job));
  if (!sourceOfJob(job)) {
    throw importNotRetryable(
      job.id,
      job.status,
      `Import '${job.id}' was recorded before imports could be retried and does not name its upload; upload the file again.`,
    );
  }
  const event: ImportRetryEvent = { importRetry: { jobId: job.id } };
  await lambda.send(
    new InvokeCommand({
      FunctionName: process.env[IMPORT_FUNCTION.envName] || IMPORT_FUNCTION.name,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  return job;
}
