/**
 * The users table's byArea index, the one way users are read in bulk: an
 * area's users in areaStateKey order ("active#…", then "blocked#<reason>#…"),
 * optionally one key range of it. Never a scan.
 */
import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { decodeCursor } from '#commons/cursors.ts';
import { areaNotFound, invalidCursor } from './errors.ts';
import { readArea, readAreas } from './seatCounter.ts';
import { USERS_BY_AREA_INDEX, isKeyString, tableName } from './tables.ts';

export type IndexKey = Record<string, unknown>;

export interface AreaQuery {
  /** An areaStateKey prefix (user.ts#areaStatePrefix): a state, or the waiting list. */
  prefix?: string;
  /** Applied after the key range, e.g. one directory's users. */
  filter?: { expression: string; names?: Record<string, string>; values: Record<string, unknown> };
  /** Attributes to read, when not the whole user. */
  projection?: { expression: string; names?: Record<string, string> };
}

function input(area: string, query: AreaQuery, limit?: number, startKey?: IndexKey): QueryCommandInput {
  const names = { ...query.filter?.names, ...query.projection?.names };
  return {
    TableName: tableName('users'),
    IndexName: USERS_BY_AREA_INDEX,
    KeyConditionExpression: query.prefix ? 'area = :area AND begins_with(areaStateKey, :prefix)' : 'area = :area',
    ExpressionAttributeValues: { ':area': area, ...(query.prefix ? { ':prefix': query.prefix } : {}), ...query.filter?.values },
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
    ...(query.projection ? { ProjectionExpression: query.projection.expression } : {}),
    ...(limit ? { Limit: limit } : {}),
    ExclusiveStartKey: startKey,
  };
}

/**
 * Every matching item of the areas, area by area. The next page is requested
 * as soon as the current one arrives, so reading overlaps with the caller's
 * work and at most two pages (1 MB each) are held.
 */
export async function* areaItems(areas: readonly string[], query: AreaQuery = {}): AsyncGenerator<Record<string, unknown>> {
  const send = (area: string, startKey?: IndexKey) => {
    const page = documentClient.send(new QueryCommand(input(area, query, undefined, startKey)));
    // Awaited later; until then a failure must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };
  let index = 0;
  let next: Promise<QueryCommandOutput> | undefined = areas.length ? send(areas[0]!) : undefined;
  while (next) {
    const page: QueryCommandOutput = await next;
    if (page.LastEvaluatedKey) next = send(areas[index]!, page.LastEvaluatedKey);
    else next = ++index < areas.length ? send(areas[index]!) : undefined;
    yield* page.Items ?? [];
  }
}

/** Where a page stopped: an area and, inside it, the index key of the last item returned. */
export interface PagePosition {
  area: string;
  key?: IndexKey;
}

/** The position just after `item` (one the index returned): a page that starts there begins with the item after it. */
export const positionAfter = (item: Record<string, unknown>): PagePosition => ({
  area: item.area as string,
  key: { pk: item.pk, area: item.area, areaStateKey: item.areaStateKey },
});

/**
 * Up to `limit` items of the areas from `start`, and where the next page starts
 * (none when nothing follows in the last area read). Reads one item more than
 * it returns, so a position never leads to an empty page within an area.
 */
export async function pageOfAreas(
  areas: readonly string[],
  query: AreaQuery,
  limit: number,
  start?: PagePosition,
): Promise<{ items: Record<string, unknown>[]; next?: PagePosition }> {
  const startAt = start ? areas.indexOf(start.area) : 0;
  if (startAt < 0 || (start?.key && !isKeyOf(start.key, start.area, query))) {
    throw invalidCursor('belongs to a different query');
  }
  const items: Record<string, unknown>[] = [];
  for (let i = startAt; i < areas.length; i++) {
    const area = areas[i]!;
    let startKey = i === startAt ? start?.key : undefined;
    do {
      const wanted = limit - items.length;
      const page = await documentClient.send(new QueryCommand(input(area, query, wanted + 1, startKey)));
      const found = page.Items ?? [];
      items.push(...found.slice(0, wanted));
      if (found.length > wanted) return { items, next: positionAfter(found[wanted - 1]!) };
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const nextArea = areas[i + 1];
    if (items.length === limit && nextArea) return { items, next: { area: nextArea } };
  }
  return { items };
}

/** DynamoDB refuses (with a 500-worthy ValidationException) a start key outside the query's key range, or not a valid key. */
function isKeyOf(key: IndexKey, area: string, query: AreaQuery): boolean {
  return (
    isKeyString(key.pk, 2048) &&
    key.area === area &&
    isKeyString(key.areaStateKey, 1024) &&
    key.areaStateKey.startsWith(query.prefix ?? '') &&
    Object.keys(key).length === 3
  );
}

/** The areas a listing walks, in summary order (primary first); one named area must exist. */
export async function areasToRead(area?: string): Promise<string[]> {
  if (area === undefined) return (await readAreas()).map((seats) => seats.area);
  if (!(await readArea(area))) throw areaNotFound(area);
  return [area];
}

/**
 * The page position a listing's cursor (commons/cursors.ts, made with encodeCursor) holds;
 * refused unless this API made it for the same `query`. Whether its key fits the query's
 * key range pageOfAreas checks.
 */
export function decodePosition<T extends PagePosition>(text: string, query: string, isValid: (position: T) => boolean = () => true): T {
  const isPosition = (position: Record<string, unknown>) =>
    typeof position.area === 'string' &&
    (position.key === undefined || (typeof position.key === 'object' && position.key !== null)) &&
    isValid(position as unknown as T);
  const position = decodeCursor<T>(text, query, isPosition);
  if (typeof position === 'string') throw invalidCursor(position);
  return position;
}
