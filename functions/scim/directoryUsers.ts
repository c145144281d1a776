/**
 * The users a directory's SCIM token sees: those the directory manages
 * (`directory` is its own) and those no directory manages (made in Seatkeeper
 * through the API or a CSV upload). The latter let a directory connect to an
 * intranet that already has users: Okta and Entra ID look an account up by
 * `userName eq` before creating it, and their first write to it (PUT, PATCH,
 * DELETE, or a POST of its userName) makes it the directory's — in core, in the
 * same transaction as the change (changeUser), so two directories can never
 * both take one account over. Accounts another directory manages stay
 * invisible, so one provider cannot read, take over or delete another's. (A
 * CSV sync that used the same directory name hands its users over to SCIM.)
 */
import { hasErrorCode } from '#core/errors.ts';
import { getUser } from '#core/people.ts';
import { directoryMayManage } from '#core/directoryScope.ts';
import type { User } from '#core/user.ts';
import { ScimError, scimNotFound } from './scimErrors.ts';

/** The user `id` if `directory` sees it (whether it exists elsewhere is not disclosed). */
export async function directoryUserOrNone(id: string, directory: string): Promise<User | undefined> {
  const user = await getUser(id).catch((error: unknown) => {
    if (hasErrorCode(error, 'USER_NOT_FOUND')) return undefined;
    throw error;
  });
  return user && directoryMayManage(user, directory) ? user : undefined;
}

/** As directoryUserOrNone, with SCIM's 404 for none. */
export async function directoryUser(id: string, directory: string): Promise<User> {
  const user = await directoryUserOrNone(id, directory);
  if (!user) throw scimNotFound(id);
  return user;
}

/**
 * The 409 for a userName `holder` has. The directory's own account is named (it
 * sees it anyway: the provider should match it, e.g. with `userName eq`). Any
 * other holder — another directory's account, an exempt one — gets one and the
 * same detail, so a directory learns nothing about accounts it cannot see
 * beyond the fact that the address is taken, which uniqueness cannot hide.
 */
export function userNameTaken(holder: User | undefined, directory: string): ScimError {
  const detail =
    holder && holder.directory === directory
      ? `userName is already provisioned by this directory as user ${holder.id}.`
      : 'userName is already taken by a Seatkeeper account this directory does not manage. A Seatkeeper administrator can look the address up (GET /users?email=) and resolve it.';
  return new ScimError(409, 'uniqueness', detail);
}
