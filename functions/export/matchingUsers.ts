/**
 * The users an export contains, read from the users table's `byArea` index
 * page by page: one area (or every area, area by area) and, when a state is
 * given, only the key range of that state. Never a scan.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { areaNotFound } from '#core/errors.ts';
import { readArea, readAreas } from '#core/seatCounter.ts';
import { USERS_BY_AREA_INDEX, tableName } from '#core/tables.ts';
import { fromItem, type User, type UserState } from '#core/user.ts';

export interface PeopleFilter {
  area?: string;
  state?: UserState;
}

/** Areas to walk, in the summary's order (primary first). An unknown area is an error, as in GET /users. */
export async function areasToExport(filter: PeopleFilter): Promise<string[]> {
  if (filter.area === undefined) return (await readAreas()).map((seats) => seats.area);
  if (!(await readArea(filter.area))) throw areaNotFound(filter.area);
  return [filter.area];
}

function queryPage(area: string, state: UserState | undefined, startKey?: Record<string, unknown>): Promise<QueryCommandOutput> {
  const page = documentClient.send(
    new QueryCommand({
      TableName: tableName('users'),
      IndexName: USERS_BY_AREA_INDEX,
      // areaStateKey starts with the state ("active#…", "blocked#<reason>#…"): a state filter is a key range.
      KeyConditionExpression: state ? 'area = :area AND begins_with(areaStateKey, :state)' : 'area = :area',
      ExpressionAttributeValues: { ':area': area, ...(state ? { ':state': `${state}#` } : {}) },
      ExclusiveStartKey: startKey,
    }),
  );
  // The page is awaited later; until then a failure must not count as unhandled.
  page.catch(() => undefined);
  return page;
}

/**
 * Yields the users one by one. The next page is requested as soon as the
 * current one arrives, so reading overlaps with writing the CSV; at most two
 * pages (1 MB each) are held, whatever the number of users.
 */
export async function* matchingUsers(areas: readonly string[], state?: UserState): AsyncGenerator<User> {
  let index = 0;
  let next: Promise<QueryCommandOutput> | undefined = areas.length ? queryPage(areas[0]!, state) : undefined;
  while (next) {
    const page: QueryCommandOutput = await next;
    if (page.LastEvaluatedKey) {
      next = queryPage(areas[index]!, state, page.LastEvaluatedKey);
    } else {
      index += 1;
      next = index < areas.length ? queryPage(areas[index]!, state) : undefined;
    }
    for (const item of page.Items ?? []) yield fromItem(item).user;
  }
}
