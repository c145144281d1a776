/**
 * The record a transfer made with a retry key leaves (jobs table, pk "transfer",
 * expiring after a day like the HTTP idempotency records). It is written in the
 * transfer's own transaction, so it exists exactly when the seats moved.
 */
import { idempotencyKeyReused } from './errors.ts';
import { tableName, ttlAfterDays } from './tables.ts';
import type { TransactionStep } from './transaction.ts';

export interface Transfer {
  from: string;
  to: string;
  seats: number;
}

/** This transfer was already made under its key: nothing more to move. */
export class TransferAlreadyMade extends Error {}

/** The transaction step that records `transfer` under `retryKey`; it fails when the key was used before. */
export function transferRecordStep(retryKey: string, transfer: Transfer): TransactionStep {
  return {
    write: {
      Put: {
        TableName: tableName('jobs'),
        Item: { pk: 'transfer', sk: retryKey, ...transfer, at: new Date().toISOString(), expiresAt: ttlAfterDays(1) },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: (old) =>
      old?.from === transfer.from && old.to === transfer.to && old.seats === transfer.seats ? new TransferAlreadyMade() : idempotencyKeyReused(),
  };
}
