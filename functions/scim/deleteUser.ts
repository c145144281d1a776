import { deleteUser } from '#core/people.ts';
import { directoryUser } from './directoryUsers.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import { pathUserId } from './pathUserId.ts';

/** DELETE /scim/v2/Users/{id} → 204: the account is deleted and its seat freed (also one no directory managed). */
export const handler = scimHandler(async ({ event, directory }) => {
  const user = await directoryUser(pathUserId(event), directory);
  await deleteUser(user.id, directory);
  return scimResponse(204);
});
