import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { backoffMs } from '#commons/backoff.ts';
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

/** A transaction DynamoDB cancelled for a passing reason (a conflict, throttling): the same write may land if sent again. */
class TransientTransactionError extends Error {}

export const MAX_ATTEMPTS = 12;

/**
 * Runs read-decide-write until the write lands on what was read. Retries only
 * stale reads and transient cancellations (conflicts, throttling), with full-jitter
 * backoff, so a hot counter under contention converges instead of failing fast.
 */
export async function withRetries<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StaleReadError || error instanceof TransientTransactionError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw tooMuchContention();
      await sleep(backoffMs(attempt, { baseMs: 10, capMs: 1000 }));
    }
  }
}

/**
 * A single-item write (not a transaction) that only applies to what was read:
 * a lost race is a stale read. While a transaction holds the item, DynamoDB
 * refuses the write with TransactionConflictException, which the SDK does not
 * retry; both become errors withRetries retries.
 */
export async function conditionalWrite<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw stale();
    if (error instanceof TransactionConflictException) throw new TransientTransactionError();
    throw error;
  }
}

/** Why DynamoDB cancelled one item of a transaction, with the item as it was when it returned it. */
export interface CancellationReason {
  code: string;
  item?: Record<string, unknown>;
}

/** Cancellation reasons that pass: the same transaction may land if sent again. */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * Sends one transaction. Returns undefined when it was written, or every
 * item's reason when a condition cancelled it (DynamoDB reports all failed
 * conditions at once). A conflict with another transaction, or throttling (which
 * DynamoDB reports as a cancellation reason, so the SDK does not retry it), throws a
 * retryable error. The request token makes the SDK's own network retries idempotent.
 */
export async function sendTransaction(items: TransactItem[]): Promise<CancellationReason[] | undefined> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }));
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = (error.CancellationReasons ?? []).map((reason) => ({
      code: reason.Code ?? 'None',
      item: reason.Item ? unmarshall(reason.Item) : undefined,
    }));
    if (reasons.some((reason) => reason.code === 'ConditionalCheckFailed')) return reasons;
    if (reasons.some((reason) => TRANSIENT_REASONS.has(reason.code))) throw new TransientTransactionError();
    throw error;
  }
}

/** Writes all steps atomically; a failed condition becomes the first failing step's own error. */
export async function runTransaction(steps: TransactionStep[]): Promise<void> {
  const reasons = await sendTransaction(steps.map((step) => step.write));
  if (!reasons) return;
  const failed = reasons.findIndex((reason) => reason.code === 'ConditionalCheckFailed');
  throw await steps[failed]!.onConditionFailed(reasons[failed]!.item);
}
