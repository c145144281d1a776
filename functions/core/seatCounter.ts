import { GetCommand, UpdateCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { allItems } from '#commons/paging.ts';
import { areaNotFound, seatLimitReached } from './errors.ts';
import { tableName } from './tables.ts';
import { conditionalWrite, stale, withRetries, type TransactionStep } from './transaction.ts';
import { PRIMARY_AREA, type SeatCounts } from './user.ts';

/**
 * An area's counter item. `available` (= limit - active) is stored because a
 * condition cannot do arithmetic: "a seat is free" is `available >= 1`.
 */
export interface AreaSeats extends SeatCounts {
  area: string;
  limit: number;
  available: number;
  /** Creations refused for lack of a seat since the area last had one free. */
  refused: number;
}

export const COUNTER_FIELDS = ['active', 'blocked', 'pending', 'exempt'] as const;

export function toAreaSeats(item: Record<string, unknown>): AreaSeats {
  const number = (key: string) => Number(item[key] ?? 0);
  return {
    area: String(item.area),
    limit: number('seatLimit'),
    active: number('active'),
    blocked: number('blocked'),
    pending: number('pending'),
    exempt: number('exempt'),
    available: number('available'),
    refused: number('refused'),
  };
}

export async function readArea(area: string): Promise<AreaSeats | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName('seats'), Key: { area }, ConsistentRead: true }));
  return Item ? toAreaSeats(Item) : undefined;
}

/** All areas, primary first then by name. The table holds one small item per area. */
export async function readAreas(): Promise<AreaSeats[]> {
  const items = await allItems(paginateScan({ client: documentClient }, { TableName: tableName('seats'), ConsistentRead: true }));
  return items.map(toAreaSeats).sort((a, b) => (a.area === PRIMARY_AREA ? -1 : b.area === PRIMARY_AREA ? 1 : a.area.localeCompare(b.area)));
}

/**
 * The transaction step that applies `delta` to an area's counters. Taking seats
 * is conditional on enough being free, so no interleaving can exceed the limit.
 */
export function counterStep(area: string, delta: SeatCounts): TransactionStep {
  const names: Record<string, string> = { '#area': 'area' };
  const values: Record<string, number> = {};
  const additions: string[] = [];
  const add = (field: string, amount: number) => {
    if (amount === 0) return;
    names[`#${field}`] = field;
    values[`:${field}`] = amount;
    additions.push(`#${field} :${field}`);
  };
  for (const field of COUNTER_FIELDS) add(field, delta[field]);
  add('available', -delta.active);

  let condition = 'attribute_exists(#area)';
  if (delta.active > 0) condition += ' AND #available >= :active';
  // A freed seat ends the full spell: refusals are counted again from zero next time.
  const resetRefused = delta.active < 0 ? ' SET refused = :zero' : '';
  if (resetRefused) values[':zero'] = 0;

  return {
    write: {
      Update: {
        TableName: tableName('seats'),
        Key: { area },
        UpdateExpression: `ADD ${additions.join(', ')}${resetRefused}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: async (oldItem) => {
      const seats = oldItem ? toAreaSeats(oldItem) : await readArea(area);
      if (!seats) return areaNotFound(area);
      // Only after a re-read (no old item came back): seats freed since the failed write mean try again.
      // The old item itself always lacks the seats, since that is what failed the condition.
      if (seats.available >= delta.active) return stale();
      return seatLimitReached(area, seats.limit, seats.active);
    },
  };
}

/**
 * Counts creations refused for lack of a seat (any path), for the summary and
 * the limit alerts. Best effort by design: it never blocks or fails the refusal
 * itself, but a full area's counter is busy, so a conflict is retried.
 */
export async function recordRefusals(area: string, count = 1): Promise<void> {
  await withRetries(() =>
    conditionalWrite(
      documentClient.send(
        new UpdateCommand({
          TableName: tableName('seats'),
          Key: { area },
          UpdateExpression: 'ADD refused :count SET lastRefusedAt = :now',
          ConditionExpression: 'attribute_exists(area)',
          ExpressionAttributeValues: { ':count': count, ':now': new Date().toISOString() },
        }),
      ),
    ),
  ).catch(() => undefined);
}
