/** The page of users a SCIM list asks for: those the directory sees (directoryUsers.ts) that its filter selects, in a stable order. */
import { areaItems, areasToRead, pageOfAreas, positionAfter } from '#core/areaIndex.ts';
import { findUserByEmail, findUsersByExternalId } from '#core/people.ts';
import { directoryMayManage, visibleTo } from '#core/directoryScope.ts';
import { fromItem, type User } from '#core/user.ts';
import { directoryUserOrNone } from './directoryUsers.ts';
import { lookupKey, matches, type Filter, type JsonObject, type LookupKey } from './filter.ts';
import type { Paging } from './listResponse.ts';
import { continuationAt, keepContinuation } from './pageContinuation.ts';

export interface UserPage {
  resources: JsonObject[];
  totalResults: number;
}

/**
 * A filter that names a userName (or an emails value), an id or an externalId
 * is answered with key reads; no filter pages through the users the directory sees; any
 * other filter tests each of them. Only the page's users are kept.
 */
export async function findUsers(
  directory: string,
  filter: Filter | undefined,
  paging: Paging,
  toResource: (user: User) => JsonObject,
): Promise<UserPage> {
  if (!filter) return pageOfVisibleUsers(directory, paging, toResource);
  const key = lookupKey(filter);
  const users = key ? await usersByKey(key, directory) : visibleUsers(directory);
  const resources: JsonObject[] = [];
  let totalResults = 0;
  for await (const user of users) {
    const resource = toResource(user);
    if (!matches(filter, resource)) continue;
    if (totalResults++ >= paging.startIndex - 1 && resources.length < paging.count) resources.push(resource);
  }
  return { resources, totalResults };
}

async function usersByKey(key: LookupKey, directory: string): Promise<User[]> {
  const found =
    'externalId' in key
      ? await findUsersByExternalId(key.externalId)
      : ['email' in key ? await findUserByEmail(key.email) : await directoryUserOrNone(key.id, directory)];
  return found.filter((user): user is User => user !== undefined && directoryMayManage(user, directory));
}

async function* visibleUsers(directory: string): AsyncGenerator<User> {
  for await (const item of areaItems(await areasToRead(), { filter: visibleTo(directory) })) yield fromItem(item).user;
}

async function pageOfVisibleUsers(
  directory: string,
  { startIndex, count }: Paging,
  toResource: (user: User) => JsonObject,
): Promise<UserPage> {
  const [areas, known] = await Promise.all([
    areasToRead(),
    startIndex > 1 && count > 0 ? continuationAt(directory, startIndex) : undefined,
  ]);
  const query = { filter: visibleTo(directory) };
  if (known && areas.includes(known.position.area)) {
    const { items, next } = await pageOfAreas(areas, query, count, known.position);
    if (next) await keepContinuation(directory, startIndex + items.length, { position: next, totalResults: known.totalResults });
    return { resources: items.map((item) => toResource(fromItem(item).user)), totalResults: known.totalResults };
  }
  const page: Record<string, unknown>[] = [];
  let totalResults = 0;
  for await (const item of areaItems(areas, query)) {
    if (totalResults >= startIndex - 1 && page.length < count) page.push(item);
    totalResults++;
  }
  const last = page.at(-1);
  if (last && startIndex - 1 + page.length < totalResults) {
    await keepContinuation(directory, startIndex + page.length, { position: positionAfter(last), totalResults });
  }
  return { resources: page.map((item) => toResource(fromItem(item).user)), totalResults };
}
