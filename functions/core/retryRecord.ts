/**
 * The record an operation made with a retry key (the caller and its Idempotency-Key) leaves in the
 * jobs table: pk = the operation, sk = the key, what was asked and what a retry is answered. It is
 * written in the operation's own transaction, so it exists exactly when the change landed: a retry
 * after an answer that never arrived (the transaction committed, then the Lambda died or a read after
 * it failed) finds it and changes nothing again, even when the HTTP layer's record of the first try
 * (Powertools idempotency) was dropped or never saved its response.
 *
 * It lasts a day, like the HTTP idempotency records. DynamoDB's TTL deletes an expired item lazily
 * (days later, at times), so an expired record counts as absent: the condition lets a new one replace it.
 */
import { idempotencyKeyReused } from './errors.ts';
import { tableName, ttlAfterDays } from './tables.ts';
import type { TransactionStep } from './transaction.ts';

export type RetriedOperation = 'create' | 'transfer';

/** How long an Idempotency-Key is remembered: here, and by the HTTP layer's own records (commons/api/idempotency.ts). */
export const RETRY_KEY_DAYS = 1;

/** The operation was already made under its key; `record` is what it recorded. */
export class AlreadyMade extends Error {
  constructor(readonly record: Record<string, unknown>) {
    super('Already made under this retry key');
    this.name = 'AlreadyMade';
  }
}

const sameRequest = (record: Record<string, unknown>, request: Record<string, unknown>) =>
  Object.entries(request).every(([name, value]) => JSON.stringify(record[name]) === JSON.stringify(value));

/**
 * The transaction step that records `request` and `answer` under `retryKey`. While an unexpired record
 * holds the key it fails: AlreadyMade for the same request, IDEMPOTENCY_KEY_REUSED for another.
 */
export function retryRecordStep(
  operation: RetriedOperation,
  retryKey: string,
  request: Record<string, unknown>,
  answer: Record<string, unknown> = {},
): TransactionStep {
  const now = new Date();
  return {
    write: {
      Put: {
        TableName: tableName('jobs'),
        Item: { pk: operation, sk: retryKey, ...answer, ...request, at: now.toISOString(), expiresAt: ttlAfterDays(RETRY_KEY_DAYS, now) },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: (old) => (old && sameRequest(old, request) ? new AlreadyMade(old) : idempotencyKeyReused()),
  };
}
