import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { areaNotFound, invalidField, limitBelowActive, notEnoughFreeSeats } from './errors.ts';
import { readArea, readAreas, toAreaSeats, type AreaSeats } from './seatCounter.ts';
import { tableName } from './tables.ts';
import { AlreadyMade, retryRecordStep } from './retryRecord.ts';
import { conditionalWrite, runTransaction, stale, withRetries } from './transaction.ts';
import { ZERO_COUNTS, addCounts, type SeatCounts } from './user.ts';

/** The most seats one area may have (a limit beyond it is a typo, not a licence). */
export const MAX_LIMIT = 1_000_000;

/**
 * Sets an area's limit, creating the area when it is new. Lowering below the
 * active count is refused; the write is conditional on the limit just read, so
 * a concurrent create cannot slip between the check and the write.
 */
export function setAreaLimit(area: string, limit: number): Promise<{ seats: AreaSeats; created: boolean }> {
  return withRetries(async () => {
    const current = await readArea(area);
    const seats = tableName('seats');
    if (!current) {
      const item = { area, seatLimit: limit, available: limit, refused: 0, ...ZERO_COUNTS };
      await conditionalWrite(
        documentClient.send(new PutCommand({ TableName: seats, Item: item, ConditionExpression: 'attribute_not_exists(area)' })),
      );
      return { seats: toAreaSeats(item), created: true };
    }
    if (limit < current.active) throw limitBelowActive(area, limit, current.active);
    if (limit === current.limit) return { seats: current, created: false };
    const change = limit - current.limit;
    const { Attributes } = await conditionalWrite(
      documentClient.send(
        new UpdateCommand({
          TableName: seats,
          Key: { area },
          // More seats end the full spell, and its refusal count with it.
          UpdateExpression: `SET seatLimit = :limit${change > 0 ? ', refused = :zero' : ''} ADD available :change`,
          ConditionExpression: 'seatLimit = :previous AND available >= :needed',
          // The counters as stored: creates may land between the read above and this write.
          ReturnValues: 'ALL_NEW',
          ExpressionAttributeValues: {
            ':limit': limit,
            ':change': change,
            ':previous': current.limit,
            ':needed': Math.max(0, -change),
            ...(change > 0 ? { ':zero': 0 } : {}),
          },
        }),
      ),
    );
    return { seats: toAreaSeats(Attributes!), created: false };
  });
}

/**
 * Moves `seats` licences from one area's limit to another's in one transaction.
 * `retryKey` (the caller and its Idempotency-Key) is recorded in the same
 * transaction, so a retry after an answer that never arrived (the transfer
 * landed, then the read back or the Lambda failed) moves nothing twice, even
 * after the HTTP layer dropped its record of the first try.
 */
export async function transferSeats(from: string, to: string, seats: number, retryKey?: string): Promise<AreaSeats[]> {
  if (from === to) throw invalidField('body', 'to', 'must be another area than from', '`from` and `to` must be different areas.');
  const table = tableName('seats');
  const shift = (area: string, amount: number, condition: string) => ({
    Update: {
      TableName: table,
      Key: { area },
      UpdateExpression: `ADD seatLimit :amount, available :amount${amount > 0 ? ' SET refused = :zero' : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeValues: {
        ':amount': amount,
        ...(amount < 0 ? { ':seats': -amount } : { ':zero': 0, ':ceiling': MAX_LIMIT - amount }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  });
  // First: when the record exists, that is the answer, whatever the seats say now.
  const record = retryKey ? [retryRecordStep('transfer', retryKey, { from, to, seats })] : [];
  try {
    await withRetries(() =>
      runTransaction([
        ...record,
        {
          write: shift(from, -seats, 'attribute_exists(area) AND available >= :seats'),
          onConditionFailed: async (old) => {
            const current = old ? toAreaSeats(old) : await readArea(from);
            if (!current) return areaNotFound(from);
            return current.available >= seats ? stale() : notEnoughFreeSeats(from, seats, current.available);
          },
        },
        {
          write: shift(to, seats, 'attribute_exists(area) AND seatLimit <= :ceiling'),
          onConditionFailed: (old) =>
            old
              ? invalidField(
                  'body',
                  'seats',
                  `would give area '${to}' more than ${MAX_LIMIT} seats`,
                  `Area '${to}' would have more than ${MAX_LIMIT} seats.`,
                  { area: to, max: MAX_LIMIT },
                )
              : areaNotFound(to),
        },
      ]),
    );
  } catch (error) {
    if (!(error instanceof AlreadyMade)) throw error;
  }
  const [source, target] = await Promise.all([readArea(from), readArea(to)]);
  return [source!, target!];
}

export interface Summary {
  areas: AreaSeats[];
  totals: SeatCounts & { limit: number; available: number; refused: number };
}

/** Reads the counters only, so its cost does not grow with the number of users. */
export async function summary(): Promise<Summary> {
  const areas = await readAreas();
  const totals = areas.reduce(
    (sum, area) => ({
      ...addCounts(sum, area),
      limit: sum.limit + area.limit,
      available: sum.available + area.available,
      refused: sum.refused + area.refused,
    }),
    { ...ZERO_COUNTS, limit: 0, available: 0, refused: 0 },
  );
  return { areas, totals };
}
