/**
 * One change of an area's counter item, as the seats table's stream reports it
 * (NEW_AND_OLD_IMAGES), with the position that orders it among the others.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod';
import { toAreaSeats, type AreaSeats } from '#core/seatCounter.ts';

/** Where a change sits in the stream. Sequence numbers grow per item within a stream; compare them only within one. */
export interface StreamPosition {
  /** The stream's ARN (a recreated table or re-enabled stream is a new one). */
  stream: string;
  /** The record's sequence number, left-padded so string order is numeric order (they have 21 to 40 digits). */
  sequence: string;
}

export interface SeatChange {
  area: string;
  position: StreamPosition;
  /** The counters before and after; absent for an area just created (before) or removed (after). */
  before?: AreaSeats;
  after?: AreaSeats;
  /**
   * When DynamoDB made the change, approximately, if the record says: AWS gives
   * ApproximateCreationDateTime rounded down to the second, DynamoDB Local to the minute.
   */
  changedAt?: Date;
}

const SEQUENCE_DIGITS = 40;

const image = z.record(z.string(), z.unknown());
const seatsRecord = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  eventSourceARN: z.string().optional(),
  dynamodb: z.object({
    SequenceNumber: z.string().regex(/^\d{1,40}$/),
    ApproximateCreationDateTime: z.number().optional(),
    Keys: z.object({ area: z.object({ S: z.string().min(1) }) }),
    NewImage: image.optional(),
    OldImage: image.optional(),
  }),
});

export class UnreadableRecordError extends Error {
  constructor(detail: string) {
    super(`Not a seats table stream record: ${detail}`);
    this.name = 'UnreadableRecordError';
  }
}

// Stream images are DynamoDB JSON, the shape unmarshall reads (aws-lambda types them on their own).
const seatsOf = (item: Record<string, unknown> | undefined): AreaSeats | undefined =>
  item ? toAreaSeats(unmarshall(item as Record<string, AttributeValue>)) : undefined;

export function seatChangeOf(record: DynamoDBRecord): SeatChange {
  const parsed = seatsRecord.safeParse(record);
  if (!parsed.success) throw new UnreadableRecordError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const { dynamodb, eventSourceARN } = parsed.data;
  return {
    area: dynamodb.Keys.area.S,
    position: { stream: eventSourceARN ?? 'unknown-stream', sequence: dynamodb.SequenceNumber.padStart(SEQUENCE_DIGITS, '0') },
    before: seatsOf(dynamodb.OldImage),
    after: parsed.data.eventName === 'REMOVE' ? undefined : seatsOf(dynamodb.NewImage),
    ...(dynamodb.ApproximateCreationDateTime ? { changedAt: new Date(dynamodb.ApproximateCreationDateTime * 1000) } : {}),
  };
}
