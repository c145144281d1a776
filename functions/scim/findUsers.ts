/** The users a directory sees (directoryUsers.ts) that a SCIM filter selects, as SCIM resources, in a stable order. */
import { directoryMayManage, type User } from '#core/user.ts';
import { findUserByEmail } from '#core/people.ts';
import { directoryUserOrNone, usersVisibleTo } from './directoryUsers.ts';
import { lookupKey, matches, type Filter, type JsonObject } from './filter.ts';

/**
 * A filter that names a userName (or an emails value) or an id is answered
 * with key reads; any other filter, or none, tests each user the directory sees.
 */
export async function findUsers(directory: string, filter: Filter | undefined, toResource: (user: User) => JsonObject): Promise<JsonObject[]> {
  const key = filter ? lookupKey(filter) : undefined;
  let candidates: User[];
  if (key && 'email' in key) {
    const user = await findUserByEmail(key.email);
    candidates = user && directoryMayManage(user, directory) ? [user] : [];
  } else if (key) {
    const user = await directoryUserOrNone(key.id, directory);
    candidates = user ? [user] : [];
  } else {
    candidates = [];
    for await (const user of usersVisibleTo(directory)) candidates.push(user);
  }
  const resources = candidates.map(toResource);
  return filter ? resources.filter((resource) => matches(filter, resource)) : resources;
}
