/**
 * The import function: S3 ObjectCreated events for imports/ and sync/ in the
 * imports bucket, and the retry of an interrupted job an administrator asks for
 * (POST /imports/{id}/retry). Thin: parse the event, import each object, log the outcome.
 * A thrown error makes Lambda retry the event (async invocation); the job
 * record makes that retry, and any duplicate delivery, safe.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, S3Event } from 'aws-lambda';
import { logger } from '#commons/logger.ts';
import type { ImportJob } from '#core/importJobRecord.ts';
import { isImportRetry, type ImportRetryEvent } from '#core/importRetry.ts';
import { IMPORT_TIMEOUT_MS } from '#core/importConfig.ts';
import { importFile } from './importFile.ts';
import { retrySources } from './retryEvent.ts';
import { importSources } from './s3Event.ts';

export interface ImportResult {
  jobs: Pick<ImportJob, 'id' | 'status' | 'counts' | 'failure'>[];
}

/** Without a Lambda context (scripts): the function's whole timeout. */
const NO_DEADLINE = () => IMPORT_TIMEOUT_MS;

export const handler = middy<S3Event | ImportRetryEvent, ImportResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context: Context | undefined) => {
    const { sources, skipped } = isImportRetry(event) ? await retrySources(event) : importSources(event);
    if (skipped) logger.info('records skipped (not object creations, or a retry of no job)', { skipped });
    const remainingMs = context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() : NO_DEADLINE;
    const jobs: ImportResult['jobs'] = [];
    for (const source of sources) {
      const job = await importFile(source, remainingMs);
      if (job)
        jobs.push({
          id: job.id,
          status: job.status,
          ...(job.counts ? { counts: job.counts } : {}),
          ...(job.failure ? { failure: job.failure } : {}),
        });
    }
    return { jobs };
  });
