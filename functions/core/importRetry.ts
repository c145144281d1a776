/**
 * The retry of an interrupted import (POST /imports/{id}/retry), as the route and the import
 * function share it: the event the route sends, and the function it goes to. Once an import's S3
 * event has spent its own retries (on AWS it then waits in FailedEvents), nothing else resumes the
 * job. The route's side is importRetryRequest.ts; the import function's, functions/import/retryEvent.ts.
 */

/** What the import function is sent to resume a job. */
export interface ImportRetryEvent {
  importRetry: { jobId: string };
}

export const isImportRetry = (event: unknown): event is ImportRetryEvent =>
  typeof (event as Partial<ImportRetryEvent> | undefined)?.importRetry?.jobId === 'string';

/** The import function's catalog name, and the variable through which the stack tells an invoker its deployed name. */
export const IMPORT_FUNCTION = { name: 'import', envName: 'IMPORT_FUNCTION_NAME' } as const;
