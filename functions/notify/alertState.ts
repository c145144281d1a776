/**
 * Alert state in the jobs table, changed only by conditional writes, so
 * duplicate or concurrent stream deliveries cannot send a crossing twice.
 *
 * - pk `alert#<area>`, sk `state`: per kind (full, warning, pending) whether it
 *   is armed or fired, and the stream position (stream ARN + sequence number)
 *   of the change that set it. A crossing is claimed (armed → fired) by exactly
 *   one change; a change older than the one that set the state can neither
 *   fire nor re-arm it. The same change may claim again: that is a retry, which
 *   resumes its deliveries. The full alert and reminders also stamp
 *   `fullNotifiedAt`, which spaces reminders a day apart.
 * - pk `alert#<area>`, sk `delivery#<kind>#<change>#<recipient>`: one per
 *   message, claimed before sending and released when the send fails, so a
 *   retry sends to exactly those recipients who have not got it yet.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { tableName, ttlAfterDays } from '#core/tables.ts';
import { emailKey } from '#core/user.ts';
import type { AlertKind, CrossingKind } from './alertRules.ts';
import { NOTIFY_TIMEOUT_MS } from './config.ts';
import type { StreamPosition } from './seatChange.ts';

const HOUR_MS = 60 * 60 * 1000;
/**
 * A delivery claim lapses this long after it was made. Lambda stops the invocation that
 * made it within the notifier's timeout, so an older claim is a dead invocation's; the
 * margin covers clocks of different hosts. No longer than that, so the stream's retries
 * outlast it (see claimOrAwait in alertDelivery.ts).
 */
export const DELIVERY_LEASE_MS = NOTIFY_TIMEOUT_MS + 5_000;
/** Delivery records only need to outlive the stream's retries (24 h retention). */
const DELIVERY_RECORD_DAYS = 7;

const stateKey = (area: string) => ({ pk: `alert#${area}`, sk: 'state' });

/** The change is newer than the one that last set `<prefix>Seq`, or it is that same change again. */
const NEWER = (prefix: string) => `(attribute_not_exists(${prefix}Seq) OR ${prefix}Stream <> :stream OR ${prefix}Seq < :seq)`;
const SAME = (prefix: string) => `(${prefix}Stream = :stream AND ${prefix}Seq = :seq)`;

/** Whether a conditional write landed: false when its condition failed (the state had moved on). */
async function wasWritten(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Claims the crossing `position` made for `kind`. True when this change owns it
 * (first claim, or a retry of the change that claimed it); false when the kind
 * was already fired by an earlier change, or a newer change has moved it since.
 */
export function claimCrossing(area: string, kind: CrossingKind, position: StreamPosition, now: Date): Promise<boolean> {
  return wasWritten(
    documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: stateKey(area),
        // The full alert also starts the reminder clock: a reminder comes a day after it at the earliest.
        UpdateExpression: `SET ${kind}Status = :fired, ${kind}Seq = :seq, ${kind}Stream = :stream, ${kind}At = :now${
          kind === 'full' ? ', fullNotifiedAt = :now' : ''
        }`,
        // A state set from another stream (a recreated table, a sample event) says nothing about this one.
        ConditionExpression: `((attribute_not_exists(${kind}Status) OR ${kind}Status = :armed) AND ${NEWER(kind)}) OR ${kind}Stream <> :stream OR ${SAME(kind)}`,
        ExpressionAttributeValues: {
          ':fired': 'fired',
          ':armed': 'armed',
          ':seq': position.sequence,
          ':stream': position.stream,
          ':now': now.toISOString(),
        },
      }),
    ),
  );
}

/** The level was left: the next crossing alerts again. A stale (older or repeated) change changes nothing. */
export async function rearm(area: string, kind: CrossingKind, position: StreamPosition, now: Date): Promise<boolean> {
  return wasWritten(
    documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: stateKey(area),
        UpdateExpression: `SET ${kind}Status = :armed, ${kind}Seq = :seq, ${kind}Stream = :stream, ${kind}At = :now`,
        ConditionExpression: NEWER(kind),
        ExpressionAttributeValues: { ':armed': 'armed', ':seq': position.sequence, ':stream': position.stream, ':now': now.toISOString() },
      }),
    ),
  );
}

/**
 * Claims a reminder for a full area that keeps refusing creations: only when
 * the last full alert or reminder is at least `intervalHours` old (or this very
 * change claimed it, on a retry).
 */
export function claimReminder(area: string, position: StreamPosition, now: Date, intervalHours: number): Promise<boolean> {
  return wasWritten(
    documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: stateKey(area),
        UpdateExpression: 'SET reminderSeq = :seq, reminderStream = :stream, reminderAt = :now, fullNotifiedAt = :now',
        ConditionExpression: `((attribute_not_exists(fullNotifiedAt) OR fullNotifiedAt <= :due) AND ${NEWER('reminder')}) OR ${SAME('reminder')}`,
        ExpressionAttributeValues: {
          ':seq': position.sequence,
          ':stream': position.stream,
          ':now': now.toISOString(),
          ':due': new Date(now.getTime() - intervalHours * HOUR_MS).toISOString(),
        },
      }),
    ),
  );
}

const shortHash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** Identifies one message without storing the address: the recipient appears only as a hash. */
export function deliveryKey(area: string, kind: AlertKind, position: StreamPosition, address: string) {
  const change = shortHash(`${position.stream}#${position.sequence}`, 20);
  return { pk: `alert#${area}`, sk: `delivery#${kind}#${change}#${shortHash(emailKey(address), 24)}` };
}

export type DeliveryClaim =
  | { outcome: 'claimed'; token: string }
  /** Already sent by an earlier delivery of this change. */
  | { outcome: 'sent' }
  /** Another invocation is sending it right now (or died doing so less than a lease ago); its claim lapses at `lapsesAt`. */
  | { outcome: 'in-flight'; lapsesAt: Date };

export async function claimDelivery(key: { pk: string; sk: string }, now: Date): Promise<DeliveryClaim> {
  const token = randomUUID();
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName('jobs'),
        Item: {
          ...key,
          status: 'sending',
          token,
          claimedAt: now.toISOString(),
          expiresAt: ttlAfterDays(DELIVERY_RECORD_DAYS, now),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND claimedAt < :stale)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':stale': new Date(now.getTime() - DELIVERY_LEASE_MS).toISOString() },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'claimed', token };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    if (error.Item?.status?.S === 'sent') return { outcome: 'sent' };
    const claimedAt = Date.parse(error.Item?.claimedAt?.S ?? '');
    return { outcome: 'in-flight', lapsesAt: new Date((Number.isNaN(claimedAt) ? now.getTime() : claimedAt) + DELIVERY_LEASE_MS) };
  }
}

export async function completeDelivery(key: { pk: string; sk: string }, token: string, now: Date, messageId: string | undefined) {
  await wasWritten(
    documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: key,
        UpdateExpression: 'SET #status = :sent, sentAt = :now, messageId = :messageId REMOVE #token',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
        ExpressionAttributeValues: { ':sent': 'sent', ':now': now.toISOString(), ':messageId': messageId ?? 'unknown', ':token': token },
      }),
    ),
  );
}

/** Gives the message back after a failed send, so the retry sends it. Only our own claim is released. */
export async function releaseDelivery(key: { pk: string; sk: string }, token: string) {
  await wasWritten(
    documentClient.send(
      new DeleteCommand({
        TableName: tableName('jobs'),
        Key: key,
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token },
      }),
    ),
  );
}
