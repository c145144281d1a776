/**
 * Reads of the users one directory manages. A SCIM token sees and changes only
 * users whose `directory` is its own: accounts made in Seatkeeper (API, CSV) or
 * by another directory are invisible to it, so one provider cannot take over
 * or delete another's accounts. (A CSV sync that used the same directory name
 * hands its users over to SCIM naturally.)
 */
import { SeatkeeperError } from '#core/errors.ts';
import { findUserByEmail, getUser, listUsers } from '#core/people.ts';
import type { User } from '#core/user.ts';
import { ScimError, scimNotFound } from './scimErrors.ts';

const notFound = (error: unknown) => error instanceof SeatkeeperError && error.code === 'USER_NOT_FOUND';

/** The user `id` if `directory` manages it; SCIM 404 otherwise (whether it exists elsewhere is not disclosed). */
export async function directoryUser(id: string, directory: string): Promise<User> {
  const user = await getUser(id).catch((error: unknown) => {
    if (notFound(error)) return undefined;
    throw error;
  });
  if (!user || user.directory !== directory) throw scimNotFound(id);
  return user;
}

/** Any user holding `email` (any letter case), through its uniqueness guard: two key reads. */
export const userByEmail = (email: string): Promise<User | undefined> => findUserByEmail(email);

/**
 * Every user of `directory`, area by area. There is no index by directory, so
 * this reads all users (200 a page); providers use it for full imports only
 * (Okta's "Import users"), their routine lookups are by userName or id.
 */
export async function* usersOfDirectory(directory: string): AsyncGenerator<User> {
  let cursor: string | undefined;
  do {
    const page = await listUsers({ limit: 200, cursor });
    for (const user of page.items) if (user.directory === directory) yield user;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * The 409 for a userName already taken, saying whether this directory holds
 * it (the provider should match it, e.g. with `userName eq`) or an account it
 * does not manage does (a Seatkeeper administrator must resolve that).
 */
export async function userNameTaken(email: string, directory: string): Promise<ScimError> {
  const holder = await userByEmail(email);
  const detail =
    holder && holder.directory === directory
      ? `userName is already provisioned by this directory as user ${holder.id}.`
      : 'userName belongs to a Seatkeeper account this directory does not manage (created in Seatkeeper or by another directory). A Seatkeeper people administrator can delete that account so the directory can provision it.';
  return new ScimError(409, 'uniqueness', detail);
}
