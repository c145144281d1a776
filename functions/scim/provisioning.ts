/**
 * The licence rules applied to what a directory asks for (DESIGN §1, "sync").
 * Each step is one core operation (one transaction); the sequence is written
 * so that a provider's retry of a half-done request converges on the same end.
 *
 * - create: a seat when one is free and nobody waits for it, else created
 *   waiting (blocked, reason `license`: core createInTurn) and answered
 *   `active: false` — never refused for lack of seats.
 * - `active: false`: blocked with reason `directory`, seat freed.
 * - `active: true`: an account the directory had deactivated joins the waiting
 *   list, then the list moves oldest first (core requestActivation); still
 *   waiting → answered `active: false`, and the scheduled run activates it later.
 * - an admin's block stands whatever the directory sends.
 * - an area move that finds no seat in the new area: the account waits there
 *   (a waiting account that moves takes a free seat there, as a create would).
 * - an account no directory manages becomes this directory's with the first
 *   step (core changeUser), in the same transaction as that step's change.
 */
import { blockUser, createUser, updateUser, type NewUser, type UserChanges } from '#core/people.ts';
import { createInTurn, requestActivation } from '#core/waitingList.ts';
import { logger } from '#commons/logger.ts';
import type { User } from '#core/user.ts';
import type { DesiredUser } from './userResource.ts';
import { defaultArea } from './userSchema.ts';

export async function provisionUser(desired: DesiredUser, directory: string): Promise<User> {
  const input: NewUser = {
    email: desired.email,
    name: desired.name,
    area: desired.area ?? defaultArea(),
    source: 'scim',
    directory,
    ...(desired.externalId ? { externalId: desired.externalId } : {}),
    ...(desired.givenName ? { givenName: desired.givenName } : {}),
    ...(desired.familyName ? { familyName: desired.familyName } : {}),
  };
  // A deactivated account never holds a seat, not even for one transaction, and does not wait for one.
  const user = desired.active === false ? await createUser({ ...input, blocked: 'directory' }) : await createInTurn(input);
  logOutcome('directory created user', user);
  return user;
}

function logOutcome(message: string, user: User): void {
  logger.info(message, { userId: user.id, area: user.area, state: user.state, blockedReason: user.blockedReason });
}

/** The attribute changes (not area or state) that turn `current` into `desired`. */
function attributeChanges(current: User, desired: DesiredUser): UserChanges {
  const changes: UserChanges = {};
  if (desired.email !== current.email) changes.email = desired.email;
  if (desired.name !== current.name) changes.name = desired.name;
  if (desired.givenName !== (current.givenName ?? '')) changes.givenName = desired.givenName;
  if (desired.familyName !== (current.familyName ?? '')) changes.familyName = desired.familyName;
  if (desired.externalId !== (current.externalId ?? '')) changes.externalId = desired.externalId;
  return changes;
}

export async function reconcileUser(current: User, desired: DesiredUser, directory: string): Promise<User> {
  const { id } = current;
  let user = current;
  if (desired.active === false) user = await blockUser(id, 'directory', directory);

  // What the request changes relative to the user it was built from: an admin's edit made since (even
  // during the block above) to an attribute the request leaves alone is kept, not reverted.
  const changes = attributeChanges(current, desired);
  const area = desired.area !== undefined && desired.area !== current.area ? desired.area : undefined;
  // No seat in the new area: the user gives up the old one and waits in the new area, like a create would.
  // An account not yet the directory's is taken over here even when nothing else changes.
  if (area !== undefined || Object.keys(changes).length > 0 || user.directory !== directory) {
    user = await updateUser(id, { ...changes, ...(area ? { area } : {}) }, 'wait', directory);
  }

  // An active user stays active and an admin's block stands: only a blocked user can move up.
  if (desired.active === true && user.state === 'blocked' && user.blockedReason !== 'admin') user = await requestActivation(user);
  logOutcome('directory updated user', user);
  return user;
}
