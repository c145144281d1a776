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
 * - an area move that finds no seat in the new area, or others waiting there:
 *   the account waits at the back of that list, as a create would.
 * - a request's deactivation, edits and move are one write (core updateUser):
 *   refused in part, it changes nothing; the waiting list moves after it.
 * - an account no directory manages becomes this directory's with the first
 *   step (core changeUser), in the same transaction as that step's change.
 */
import { createUser, updateUser, type NewUser, type UpdateOptions, type UserChanges } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { awaitTurn, createInTurn, requestActivation } from '#core/waitingList.ts';
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
  // What the request changes relative to the user it was built from: an admin's edit made since to an
  // attribute the request leaves alone is kept, not reverted.
  const changes = attributeChanges(current, desired);
  const area = desired.area !== undefined && desired.area !== current.area ? desired.area : undefined;
  const deactivate = desired.active === false;
  // A move into an area where others wait for a seat joins the back of that list, as a create would.
  const queue = area !== undefined && !deactivate && ((await readArea(area))?.pending ?? 0) > 0;
  let user = current;
  // One write, all or nothing: a request refused for one part (an unknown area, a taken userName)
  // changes nothing. No seat in the new area: the user waits there, like a create would. An account
  // not yet the directory's is taken over in that write even when nothing else changes.
  if (deactivate || area !== undefined || Object.keys(changes).length > 0 || user.directory !== directory) {
    const options: UpdateOptions = { whenFull: queue ? 'queue' : 'wait', directory, ...(deactivate ? { block: 'directory' } : {}) };
    user = await updateUser(id, { ...changes, ...(area ? { area } : {}) }, options);
  }

  // An active user stays active and an admin's block stands: only a blocked user can move up, when the
  // directory asks for it, or with the list it has just joined in its new area.
  if (user.state === 'blocked' && desired.active === true && user.blockedReason !== 'admin') user = await requestActivation(user);
  else if (queue && user.blockedReason === 'license') user = await awaitTurn(user);
  logOutcome('directory updated user', user);
  return user;
}
