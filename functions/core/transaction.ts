import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { tooMuchContention } from './errors.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a transaction and what its failed condition means to the caller. */
export interface TransactionStep {
  write: TransactItem;
  /** `oldItem` is the item as DynamoDB saw it (ReturnValuesOnConditionCheckFailure), when it exists. */
  onConditionFailed: (oldItem: Record<string, unknown> | undefined) => Error | Promise<Error>;
}

/** What was read has changed under us: read again and decide again. */
export class StaleReadError extends Error {
  constructor() {
    super('The item changed after it was read');
    this.name = 'StaleReadError';
  }
}

export const stale = () => new StaleReadError();

class TransactionConflictError extends Error {}

export const MAX_ATTEMPTS = 12;

/**
 * Runs read-decide-write until the write lands on what was read. Retries only
 * stale reads and transaction conflicts, with full-jitter backoff, so a hot
 * counter under contention converges instead of failing fast.
 */
export async function withRetries<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StaleReadError || error instanceof TransactionConflictError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw tooMuchContention();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 10 * 2 ** attempt)));
    }
  }
}

/**
 * Writes all steps atomically. A failed condition becomes the step's own error;
 * a conflict with another transaction becomes retryable.
 * The request token makes the SDK's own network retries of this call idempotent.
 */
export async function runTransaction(steps: TransactionStep[]): Promise<void> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: steps.map((step) => step.write),
        ClientRequestToken: randomUUID(),
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
    const step = steps[failed];
    if (step) {
      const oldItem = reasons[failed]?.Item;
      throw await step.onConditionFailed(oldItem ? unmarshall(oldItem) : undefined);
    }
    if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw new TransactionConflictError();
    throw error;
  }
}
