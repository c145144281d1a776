import { isError } from '#core/people.ts';
import { userNameTaken } from './directoryUsers.ts';
import { provisionUser } from './provisioning.ts';
import { scimHandler, scimResource } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import { desiredUser, toScimUser } from './userResource.ts';

/**
 * POST /scim/v2/Users → 201, also when the area is full: the account is then
 * created waiting and answered `active: false`.
 */
export const handler = scimHandler(async ({ event, directory, baseUrl, model }) => {
  const body = scimResource(event);
  const desired = desiredUser(body, model, { missingArea: 'default' });
  const user = await provisionUser(desired, directory).catch(async (error: unknown) => {
    throw isError(error, 'USER_EXISTS') ? await userNameTaken(desired.email, directory) : error;
  });
  const resource = toScimUser(user, baseUrl, model);
  return scimResponse(201, resource, { location: `${baseUrl}/Users/${user.id}` });
});
