/**
 * Reads of the users one directory manages. A SCIM token sees and changes only
 * users whose `directory` is its own: accounts made in Seatkeeper (API, CSV) or
 * by another directory are invisible to it, so one provider cannot take over
 * or delete another's accounts. (A CSV sync that used the same directory name
 * hands its users over to SCIM naturally.)
 */
import { areaItems, areasToRead } from '#core/areaIndex.ts';
import { findUserByEmail, getUser, isError } from '#core/people.ts';
import { fromItem, type User } from '#core/user.ts';
import { ScimError, scimNotFound } from './scimErrors.ts';

/** The user `id` if `directory` manages it (whether it exists elsewhere is not disclosed). */
export async function directoryUserOrNone(id: string, directory: string): Promise<User | undefined> {
  const user = await getUser(id).catch((error: unknown) => {
    if (isError(error, 'USER_NOT_FOUND')) return undefined;
    throw error;
  });
  return user?.directory === directory ? user : undefined;
}

/** As directoryUserOrNone, with SCIM's 404 for none. */
export async function directoryUser(id: string, directory: string): Promise<User> {
  const user = await directoryUserOrNone(id, directory);
  if (!user) throw scimNotFound(id);
  return user;
}

/**
 * Every user of `directory`, area by area. There is no index by directory, so
 * this reads the area index with a filter; providers use it for full imports
 * only (Okta's "Import users"), their routine lookups are by userName or id.
 */
export async function* usersOfDirectory(directory: string): AsyncGenerator<User> {
  const filter = { expression: '#directory = :directory', names: { '#directory': 'directory' }, values: { ':directory': directory } };
  for await (const item of areaItems(await areasToRead(), { filter })) yield fromItem(item).user;
}

/**
 * The 409 for a userName already taken, saying whether this directory holds
 * it (the provider should match it, e.g. with `userName eq`) or an account it
 * does not manage does (a Seatkeeper administrator must resolve that).
 */
export async function userNameTaken(email: string, directory: string): Promise<ScimError> {
  const holder = await findUserByEmail(email);
  const detail =
    holder && holder.directory === directory
      ? `userName is already provisioned by this directory as user ${holder.id}.`
      : 'userName belongs to a Seatkeeper account this directory does not manage (created in Seatkeeper or by another directory). A Seatkeeper people administrator can delete that account so the directory can provision it.';
  return new ScimError(409, 'uniqueness', detail);
}
