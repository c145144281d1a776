import { hasErrorCode } from '#core/errors.ts';
import { findUserByEmail } from '#core/people.ts';
import { directoryMayManage } from '#core/directoryScope.ts';
import type { User } from '#core/user.ts';
import { userNameTaken } from './directoryUsers.ts';
import type { JsonObject } from './filter.ts';
import { provisionUser, reconcileUser } from './provisioning.ts';
import { scimHandler, scimResource } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import type { UserSchemaModel } from './userSchema.ts';
import { desiredUser, toScimUser } from './userResource.ts';

/**
 * POST /scim/v2/Users → 201, also when the area is full: the account is then
 * created waiting and answered `active: false`. A userName an account no
 * directory manages already has (made through the API or a CSV upload) takes
 * that account over instead: 201 with its id (directoryUsers.ts).
 */
export const handler = scimHandler(async ({ event, directory, baseUrl, model }) => {
  const body = scimResource(event);
  const desired = desiredUser(body, model, { missingArea: 'default' });
  const user = await provisionUser(desired, directory).catch(async (error: unknown) => {
    if (!hasErrorCode(error, 'USER_EXISTS')) throw error;
    return takeOver(desired.email, body, model, directory);
  });
  const resource = toScimUser(user, baseUrl, model);
  return scimResponse(201, resource, { location: `${baseUrl}/Users/${user.id}` });
});

/** The account holding `email`, made this directory's and set to `body`; 409 when the directory cannot have it. */
async function takeOver(email: string, body: JsonObject, model: UserSchemaModel, directory: string): Promise<User> {
  const holder = await findUserByEmail(email);
  // Only an account no directory manages is taken over; this directory's own is a plain conflict.
  if (!holder || holder.directory === directory || !directoryMayManage(holder, directory)) throw userNameTaken(holder, directory);
  // The account already has an area: as in a PUT, a resource without one leaves it there.
  const desired = desiredUser(body, model, { missingArea: 'unchanged' });
  return reconcileUser(holder, desired, directory).catch(async (error: unknown) => {
    // Another directory took it over (or it was deleted) since it was read.
    throw hasErrorCode(error, 'USER_NOT_FOUND') ? userNameTaken(await findUserByEmail(email), directory) : error;
  });
}
