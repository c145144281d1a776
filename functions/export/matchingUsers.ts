/**
 * The users an export contains: one area (or every area, area by area) read
 * page by page from the area index; a state filter is that state's key range.
 */
import { areaItems, areasToRead } from '#core/areaIndex.ts';
import { areaStatePrefix, fromItem, type User, type UserState } from '#core/user.ts';

export interface PeopleFilter {
  area?: string;
  state?: UserState;
}

/** Areas to walk, in the summary's order (primary first). An unknown area is an error, as in GET /users. */
export const areasToExport = (filter: PeopleFilter): Promise<string[]> => areasToRead(filter.area);

/** Yields the users one by one; at most two pages are held, whatever the number of users. */
export async function* matchingUsers(areas: readonly string[], state?: UserState): AsyncGenerator<User> {
  for await (const item of areaItems(areas, state ? { prefix: areaStatePrefix(state) } : {})) yield fromItem(item).user;
}
