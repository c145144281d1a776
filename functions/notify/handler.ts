/**
 * The notifier: fed by the seats table's stream (NEW_AND_OLD_IMAGES) through a
 * Lambda event source mapping with ReportBatchItemFailures, so no request path
 * waits on email. Records are handled in order; at the first failure the rest
 * of the batch is left for the retry, which Lambda starts at that record, so an
 * area's changes are never applied out of order. After the mapping's last retry
 * the batch goes to its on-failure destination (SQS).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#commons/logger.ts';
import { BatchContext, notifyChange, type NotifierOptions } from './notifier.ts';
import { seatChangeOf } from './seatChange.ts';

export function createNotifier(options: NotifierOptions = {}) {
  const now = options.now ?? (() => new Date());
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    let batch: BatchContext;
    try {
      batch = new BatchContext(now, () => context?.getRemainingTimeInMillis() ?? 0);
    } catch (error) {
      // A broken setting: fail the whole batch (from its first record) so no alert is lost while it is fixed.
      logger.error('alert configuration invalid; the stream retries this batch', { errorMessage: (error as Error).message });
      const first = event.Records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      try {
        await notifyChange(seatChangeOf(record), batch);
      } catch (error) {
        logger.error('seat change not handled; the stream retries from this record', {
          eventID: record.eventID,
          sequence,
          errorName: (error as Error).name,
          // Our own errors name areas, kinds and recipient labels, never addresses.
          errorMessage: error instanceof Error && error.name !== 'Error' ? error.message : undefined,
        });
        return { batchItemFailures: [{ itemIdentifier: sequence }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(createNotifier());
